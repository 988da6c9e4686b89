"""Choose the topics a person would make from editors' tags, feed categories and keywords.

    tags of hand-written seeds       always a topic (an editor chose them)
    tags of fetched seeds            feed categories and configured feed tags: a topic from
                                     2 stories on (or `min_stories`, if lower), so no feed's
                                     one-off category makes a page
    keywords (headline names)        a topic from `topics.min_stories` stories on (default 3)

Names that differ only in case, accents, dots, spaces, `&`, a plural `s` or a known alias (US,
U.S., USA, United States) are one topic, shown under its most used spelling; `topics:` in
newsgen.yaml renames, merges and hides. Stories count, not articles: ten feeds repeating one
event make one story, and a topic page of one story is a page of one thing. A name of one
letter or digit is a topic only when an editor chose it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from newsgen.models import Story, TopicsConfig

FETCHED_TAG_MIN_STORIES = 2

# Names that are one place or body however they are written; keys as `topic_key` makes them.
_ALIAS_GROUPS = (
    ("united states", "us", "usa", "united states of america"),
    ("united kingdom", "uk", "great britain"),
    ("european union", "eu"),
    ("united nations", "un"),
    ("new york city", "nyc"),
    ("artificial intelligence", "ai"),
)
_ALIASES = {alias: group[0] for group in _ALIAS_GROUPS for alias in group}
# Words whose last `s` is no plural.
_NOT_PLURAL_TEXT = """news politics economics physics mathematics olympics athletics series species
    its this his us gas bus yes always perhaps"""
_NOT_PLURAL = frozenset(_NOT_PLURAL_TEXT.split())
_PUNCTUATION = re.compile(r"[^\w]+")
_DOTTED = re.compile(r"(?<=\b\w)\.(?=\w\b|\w\.)|(?<=\b\w)\.$")  # u.s. -> us, e.u. -> eu


@lru_cache(maxsize=65536)
def topic_key(name: str) -> str:
    """The form in which spellings of one topic meet: `U.S.`, `us` -> `unitedstates`."""
    text = unicodedata.normalize("NFKD", html.unescape(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _DOTTED.sub("", text.replace("’", "").replace("'", ""))
    text = _PUNCTUATION.sub(" ", text.replace("&", " and ")).replace("_", " ")
    words = text.split()
    if not words:
        return ""
    key = _ALIASES.get(" ".join(words))
    if key is None:
        key = " ".join([*words[:-1], _singular(words[-1])])
        key = _ALIASES.get(key, key)
    # Without spaces, so `giantbomb` meets `giant bomb` and `e mail` meets `email`.
    return key.replace(" ", "")


def _singular(word: str) -> str:
    if len(word) <= 3 or word in _NOT_PLURAL or not word.endswith("s"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is")):
        return word
    return word[:-1]


@dataclass(frozen=True, slots=True)
class Topics:
    """The outcome: each article's topics, and the old addresses of merged spellings."""

    of_article: dict[str, tuple[str, ...]]  # article.key -> topic names, tags first
    variants: dict[str, tuple[str, ...]]  # topic name -> the other spellings it took in
    candidates: int  # distinct names before the rules, for reports


@dataclass(slots=True)
class _Tally:
    stories: set[int]
    spellings: Counter[str]
    editor: bool = False  # tagged in a hand-written seed
    tagged: bool = False  # a tag (not a keyword) of some seed


DEFAULT_TOPICS = TopicsConfig()


def choose_topics(stories: Sequence[Story], config: TopicsConfig = DEFAULT_TOPICS) -> Topics:
    """Decide every article's topics from its tags and keywords and the whole site's counts."""
    forced = _forced_names(config)
    hidden = {_mapped(name, forced) for name in config.hide}
    tallies: dict[str, _Tally] = defaultdict(lambda: _Tally(set(), Counter()))
    key_of: dict[str, str] = {}  # name -> key, each name worked out once
    # Loops written out: a large site's articles name half a million tags and keywords, and
    # each pass over them is a large share of placing the site.
    for number, story in enumerate(stories):
        for article in story.articles:
            editor = not article.source_url
            for names, is_tag in ((article.tags, True), (article.keywords, False)):
                for name in names:
                    key = key_of.get(name)
                    if key is None:
                        key = key_of[name] = _mapped(name, forced)
                    tally = tallies[key]
                    tally.stories.add(number)
                    tally.spellings[name] += 1
                    if is_tag:
                        tally.tagged = True
                        tally.editor |= editor
    kept = {
        key: forced.get(key) or _display(tally.spellings)
        for key, tally in tallies.items()
        if key and key not in hidden and _enough(key, tally, config)
    }
    topic_of = {name: kept.get(key, "") for name, key in key_of.items()}
    of_article: dict[str, tuple[str, ...]] = {}
    for story in stories:
        for article in story.articles:
            chosen = map(topic_of.__getitem__, chain(article.tags, article.keywords))
            of_article[article.key] = tuple(dict.fromkeys(filter(None, chosen)))
    variants = {
        kept[key]: tuple(sorted(s for s in tallies[key].spellings if s != kept[key]))
        for key in kept
    }
    return Topics(of_article, variants, len(key_of))


def _forced_names(config: TopicsConfig) -> dict[str, str]:
    """Key -> the name the config gives it, for each `rename` source and `merge` member."""
    forced: dict[str, str] = {}
    pairs = [(old, new) for old, new in config.rename]
    pairs += [(member, topic) for topic, members in config.merge for member in (topic, *members)]
    for old, new in pairs:
        forced[topic_key(old)] = new
        forced.setdefault(topic_key(new), new)
    return forced


def _mapped(name: str, forced: dict[str, str]) -> str:
    key = topic_key(name)
    target = forced.get(key)
    return topic_key(target) if target is not None else key


def _enough(key: str, tally: _Tally, config: TopicsConfig) -> bool:
    if tally.editor:
        return True
    if len(key) < 2:  # "x", "k": pieces of a split name, never a topic by themselves
        return False
    needed = config.min_stories
    if tally.tagged:
        needed = min(needed, FETCHED_TAG_MIN_STORIES)
    return len(tally.stories) >= needed


def _display(spellings: Counter[str]) -> str:
    """The most used spelling; ties go to the shorter, then the first in alphabetical order."""
    return min(spellings, key=lambda s: (-spellings[s], len(s), s))
