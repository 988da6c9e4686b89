"""Read a web page pasted as plain text: keep the article, drop the page around it.

Select-all and copy in a browser gives the whole page, one element a line: "Skip to main
content", the menu, the cookie notice, share rows, the byline, photo credits, "Advertisement",
related links and the footer, around the article. Each line is recognised for what it is:

    chrome      menus, sign-in, cookie and newsletter lines, share rows, ads, footers: dropped
    byline      "By Jane Doe": the article's author
    dateline    "Updated …", "Published …", a date alone: evidence of the date, not text
    credit      "Photo: Getty Images", "Image by …": a figure caption

The article is the longest run of prose (long lines) not broken by a run of short lines, and
its title is the headline-like line just above it that the page repeats or puts above the
byline. A paste that still looks like a whole page after this gets a warning from `check`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from newsgen.errors import Diagnostic
from newsgen.models import Article
from newsgen.readers.formats import Parsed, SeedFormat, SeedText
from newsgen.readers.plaintext import (
    UNTITLED,
    TextPiece,
    build_article,
    date_of_lone_piece,
    inferred_note,
    weekday_hints,
)
from newsgen.text import dates
from newsgen.text.clean import is_boilerplate
from newsgen.text.sanitize import sanitize_html
from newsgen.text.summary import summary_from_html
from newsgen.text.titles import headline_from_sentence, is_headline, strip_section_suffix
from newsgen.text.to_html import is_caption, text_to_html

# Lines a page's chrome is made of, compared in lower case with the final punctuation removed.
_CHROME_LINES = frozenset(
    {
        "skip to main content", "skip to content", "skip to navigation", "skip to footer",
        "jump to content", "main menu", "menu", "open menu", "close menu", "toggle navigation",
        "navigation", "search", "open search", "close search", "site search", "close", "sign in",
        "sign up", "log in", "login", "log out", "register", "my account", "account",
        "subscribe", "subscribe now", "subscribers only", "home", "homepage", "sections",
        "share", "share this", "share this story", "share this article", "share article",
        "share on facebook", "share on twitter", "all sharing options", "facebook", "twitter",
        "x", "linkedin", "reddit", "pocket", "flipboard", "email", "e-mail", "whatsapp",
        "telegram", "print", "copy link", "link copied", "pinterest", "tumblr", "instagram",
        "youtube", "rss", "advertisement", "ad", "ads", "sponsored", "sponsored content",
        "story continues below", "story continues below advertisement", "continue reading",
        "comments", "show comments", "loading comments", "view comments", "leave a comment",
        "related", "related coverage", "related articles", "related stories", "read more",
        "more stories", "more from", "most popular", "most read", "trending", "top stories",
        "newsletter", "newsletters", "contact", "contact us", "about", "about us",
        "terms of use", "terms of service", "terms and conditions", "privacy policy",
        "privacy", "cookie policy", "cookies", "cookie settings", "manage cookies",
        "accept", "i accept", "accept all", "accept cookies", "reject all", "back to top",
        "top", "next", "previous", "next article", "previous article", "tip us", "jobs",
        "careers", "advertise", "advertise with us", "apps", "topics", "follow us", "more",
        "filed under", "listen", "listen to this article", "save", "bookmark", "gift article",
        "read next", "up next", "next up", "watch", "latest", "latest news", "editions",
    }
)  # fmt: skip
_CHROME_PATTERNS = re.compile(
    r"|".join(
        (
            r"^(?:we|this site|this website) uses? cookies\b",
            r"\bcookies?\b.{0,120}\b(?:accept|consent|opt[- ]out|tracking technologies)\b",
            r"^by (?:clicking|continuing|using)\b.{0,80}\b(?:consent|agree|accept)\b",
            r"^(?:sign up|subscribe|register)\b.{0,80}\b(?:newsletter|inbox|updates|email)\b",
            r"\bnewsletter\b.{0,40}$",
            r"^share (?:this|on|via|the)\b.{0,80}$",
            r"^all sharing options\b",
            r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?\d{4}\b|\ball rights reserved\b",
            r"^\d{1,3} min(?:ute)?s? read$",
            r"^\d+ comments?$",
            r"^(?:slideshow|gallery|photos?)\s*\(\s*\d+ (?:images|photos)\s*\)$",
            r"^follow (?:us|\S+) (?:on|online)\b.{0,60}$",
            r"^(?:click|tap) here\b.{0,60}$",
            r"^(?:our standards|editorial standards)\b.{0,80}$",
            r"^search\b.{0,30}$",
            r"^(?:facebook|twitter|x|flipboard|whatsapp|linkedin|reddit|e-?mail|pinterest|print"
            r"|pocket|telegram|copy link){2,}$",  # a share row copied without spaces
            r"(?:previous|next) (?:article|post|story)$",
        )
    ),
    re.IGNORECASE,
)
_WORD = r"[A-Z\u00c0-\u024f][\w.'’-]*"  # a capitalised name part: "Jane", "O’Neil", "J."
_BYLINE = re.compile(
    rf"^by\s+(?P<names>{_WORD}(?:[ ,]+(?:and\s+)?{_WORD}){{0,7}})"
    r"(?:\s*(?:@\w+|\|.*|,\s*(?:Reuters|AP|AFP|Associated Press|CNN|BBC).*))?$",
    re.IGNORECASE,
)
_NAME = re.compile(rf"^{_WORD}(?: {_WORD}){{1,3}}(?:\s*@\w+)?$")
# Chrome lines that head a list of links to other articles: the short lines under them go too.
_LINK_LISTS = frozenset(
    {"related", "related coverage", "related articles", "related stories", "read more",
     "more stories", "read next", "up next", "next up", "more from", "most popular", "most read",
     "trending", "top stories", "latest", "latest news"}
)  # fmt: skip
_IN_ARTICLE = frozenset({"advertisement", "ad", "ads", "sponsored", "story continues below"})
_SENTENCE_END = tuple('.!?”"’)…:')
_DATE_LINE = re.compile(
    r"^(?:(?:last )?updated|published|posted|first published|modified)\b[\s:,]*.{0,60}$",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^(?:photo(?:graph)?s?|image|picture|illustration|graphic|video|credit|foto)"
    r"(?: by| credit)?\s*[:|/]?\s+\S.{0,120}$"
    r"|(?:getty images|shutterstock|reuters|afp|ap photo|associated press|istock)\)?$"
    r"|\bcredit:\s*\S.{0,60}$",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"\s*@\w+$")
PROSE_CHARS = 80  # twice this with no full stop is still a paragraph, not a headline
_GAP = 4  # this many short lines in a row end the article's run of prose
_HEADER_REACH = 40  # lines above the article's first paragraph where its headline is looked for
_ENDS = 200  # lines at each end of a text where page chrome is looked for
_JOIN_REACH = 12  # at most this many lines of chrome between two parts of one article
_STILL_CHROME = 5  # short unexplained lines kept in the body that make a paste look like a page


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank line of the paste: where it is, what it says and what it was taken for."""

    number: int  # 1-based line of the file
    text: str
    kind: str  # "chrome", "byline", "dateline", "credit", "prose", "short"


def classify(text: str) -> str:
    """Say what one line of a pasted page is (see the module's table)."""
    stripped = text.strip()
    key = _key(stripped)
    if key in _CHROME_LINES or _CHROME_PATTERNS.search(stripped) or is_boilerplate(stripped):
        return "chrome"
    if _BYLINE.match(stripped) and len(stripped.split()) <= 10:
        return "byline"
    if _DATE_LINE.match(stripped) or (len(stripped) <= 40 and dates.full_dates(stripped)):
        return "dateline"
    if len(stripped) <= 160 and (_CREDIT.match(stripped) or is_caption(stripped)):
        return "credit"
    if _is_prose(stripped):
        return "prose"
    return "short"


def _is_prose(text: str) -> bool:
    """A paragraph of the article: a sentence of some length, or a long run of words.

    A headline can be as long as a paragraph, but does not end like a sentence.
    """
    words = len(text.split())
    if words >= 8 and text.endswith(_SENTENCE_END):
        return True
    return len(text) >= 2 * PROSE_CHARS and words >= 20


def looks_like_page(lines: list[str]) -> bool:
    """Say whether plain text is a whole pasted web page rather than an article someone typed.

    A typed or trimmed article has at most a stray line of chrome; a page has its menu, share
    row and footer, so several chrome lines of more than one sort.
    """
    filled = [line.strip() for line in lines if line.strip()]
    # A page's chrome is at its top and bottom; the middle of a long text need not be read.
    ends = filled if len(filled) <= 2 * _ENDS else filled[:_ENDS] + filled[-_ENDS:]
    chrome = [line for line in ends if classify(line) == "chrome"]
    if filled and chrome and chrome[0] == filled[0] and len(chrome) >= 3:
        return True  # "Skip to main content" or a menu first: a page copied from its top
    return len(chrome) >= 4 and len({_sort_of(line) for line in chrome}) >= 2


def _sort_of(line: str) -> str:
    lowered = line.lower()
    for sort, words in (
        ("share", ("share", "facebook", "twitter", "linkedin", "whatsapp", "email", "reddit")),
        ("cookie", ("cookie",)),
        ("account", ("sign", "log", "subscribe", "register", "account")),
        ("footer", ("©", "copyright", "rights", "terms", "privacy", "contact", "about")),
        ("menu", ("menu", "skip", "search", "navigation", "home", "sections")),
        ("ad", ("advert", "sponsor")),
    ):
        if any(word in lowered for word in words):
            return sort
    return "other"


@dataclass(frozen=True, slots=True)
class Page:
    """What was made of a pasted page, before its date is decided."""

    piece: TextPiece
    author: str
    diagnostics: tuple[Diagnostic, ...]


def read_page(lines: list[str], rel_path: str) -> Page | None:
    """Take the article out of a pasted page; None when the page holds no article text."""
    found = [
        Line(number, line.strip(), classify(line))
        for number, line in enumerate(lines, start=1)
        if line.strip()
    ]
    found = _link_lists(_names_after_by(found))
    runs = _prose_runs(found)
    if not runs:
        return None
    best = max(runs, key=lambda run: _prose_chars(found[run[0] : run[1] + 1]))
    start, end = _joined(found, runs, runs.index(best))
    title_at = _headline_index(found, start)
    title = strip_section_suffix(found[title_at].text) if title_at is not None else ""
    if title_at is not None:  # the byline may sit under the first of two copies of the headline
        title_at = next(i for i, line in enumerate(found) if line.text == found[title_at].text)
    header = found[(title_at if title_at is not None else start) : start]
    body = [line for line in found[start : end + 1] if line.text != title]
    author = next((_author(line.text) for line in header + body if line.kind == "byline"), "")
    dating = [line.text for line in header + body if line.kind == "dateline"]
    kept = [line for line in body if line.kind in ("prose", "short", "credit")]
    body_html = sanitize_html(_body_html(kept))
    text = "\n".join([*dating, *(line.text for line in kept)])
    title_inferred = not title
    if not title:
        title = headline_from_sentence(kept[0].text) if kept else UNTITLED
    piece = TextPiece(
        title=title or UNTITLED,
        title_inferred=title_inferred,
        body_html=body_html,
        summary=summary_from_html(body_html, skip=is_caption),
        text=text,
        line=found[title_at if title_at is not None else start].number,
    )
    notes = _notes(found, runs, (start, end), kept, title_inferred, rel_path)
    return Page(piece=piece, author=author, diagnostics=tuple(notes))


def _names_after_by(found: list[Line]) -> list[Line]:
    """A lone "By" line names the author on the next line ("By" / "Jane Doe@janedoe")."""
    fixed = list(found)
    for index, line in enumerate(fixed[:-1]):
        following = fixed[index + 1]
        if line.text.lower() == "by" and _NAME.match(following.text):
            fixed[index] = Line(line.number, line.text, "chrome")
            fixed[index + 1] = Line(following.number, f"By {following.text}", "byline")
    return fixed


def _link_lists(found: list[Line]) -> list[Line]:
    """The short lines under "Related coverage" or "Read next" are other articles' headlines."""
    fixed = list(found)
    listing = False
    for index, line in enumerate(fixed):
        if line.kind == "chrome":
            key = _key(line.text)
            listing = key in _LINK_LISTS or (listing and key not in _IN_ARTICLE)
        elif listing and line.kind == "short":
            fixed[index] = Line(line.number, line.text, "chrome")
        else:
            listing = False
    return fixed


def _key(text: str) -> str:
    return text.strip().lower().rstrip(" .:!…").strip()


def _prose_runs(found: list[Line]) -> list[tuple[int, int]]:
    """Index ranges (first, last prose line) of runs of prose broken by fewer than `_GAP` lines."""
    runs: list[tuple[int, int]] = []
    first = last = -1
    for index, line in enumerate(found):
        if line.kind != "prose":
            continue
        # Credits, datelines and ad slots inside an article do not break it; short lines and
        # chrome in a row (a menu, a list of links, a footer) do.
        gap = sum(1 for between in found[last + 1 : index] if _breaks(between))
        if first >= 0 and gap >= _GAP:
            runs.append((first, last))
            first = -1
        if first < 0:
            first = index
        last = index
    if first >= 0:
        runs.append((first, last))
    return runs


def _joined(found: list[Line], runs: list[tuple[int, int]], chosen: int) -> tuple[int, int]:
    """Widen the longest run over share rows and related links to the article text beyond them.

    A neighbouring run joins when it has two paragraphs or more and what separates them is
    recognised chrome with at most one unexplained short line.
    """
    start, end = runs[chosen]
    for step in (-1, 1):
        index = chosen + step
        while 0 <= index < len(runs):
            first, last = runs[index]
            between = found[last + 1 : start] if step < 0 else found[end + 1 : first]
            prose = sum(1 for line in found[first : last + 1] if line.kind == "prose")
            unexplained = sum(1 for line in between if line.kind == "short")
            if prose < 2 or unexplained > 1 or len(between) > _JOIN_REACH:
                break
            start, end = (first, end) if step < 0 else (start, last)
            index += step
    return start, end


def _breaks(line: Line) -> bool:
    if line.kind == "chrome":
        return _key(line.text) not in _IN_ARTICLE
    return line.kind == "short"


def _prose_chars(lines: list[Line]) -> int:
    return sum(len(line.text) for line in lines if line.kind == "prose")


def _headline_index(found: list[Line], start: int) -> int | None:
    """Find the headline among the lines above the article's first paragraph.

    Breadcrumbs, section names, standfirsts and captions sit there too. The headline is the
    headline-like line that the page repeats (in its share text), that has the byline or date
    under it, and that comes before its longer standfirst rather than after a headline.
    """
    best: tuple[float, int] | None = None
    for index in range(start - 1, max(-1, start - _HEADER_REACH - 1), -1):
        line = found[index]
        if not _candidate(line):
            continue
        words = len(line.text.split())
        score = (1.0 if words >= 4 else 0.0) - (start - index) / 20
        if _shared_again(found, index):
            score += 3  # the page names its headline again in its share row
        if {"byline", "dateline"} & {other.kind for other in found[index + 1 : index + 7]}:
            score += 2
        following = found[index + 1]
        if index + 1 < start and following.kind in _TEXT and _is_standfirst(following, line):
            score += 1.5  # a longer standfirst under it: the headline comes first
        if index and _candidate(found[index - 1]) and _is_standfirst(line, found[index - 1]):
            score -= 1.5  # the standfirst under a headline
        if best is None or score > best[0]:
            best = (score, index)
    return best[1] if best else None


def _shared_again(found: list[Line], index: int) -> bool:
    """Say whether the line comes again just under a share line ("Share this story", …)."""
    text = found[index].text
    return any(
        other != index
        and found[other].text == text
        and any("shar" in line.text.lower() for line in found[max(0, other - 2) : other])
        for other in range(len(found))
    )


_TEXT = frozenset({"short", "prose"})


def _candidate(line: Line) -> bool:
    # Fewer than three words is a section name or a label ("World", "Media Industry").
    return (
        line.kind in ("short", "prose")
        and len(line.text.split()) >= 3
        and _headline_like(line.text)
    )


def _is_standfirst(line: Line, headline: Line) -> bool:
    return len(line.text.split()) >= 8 and len(line.text) > len(headline.text)


def _headline_like(text: str) -> bool:
    if is_headline(text, max_words=25):
        return True
    # "iOS 13 will fix …", "eBay sells …": a brand written in lower case first.
    first = text.split()[0]
    capitalised = first[0].upper() + text[1:]
    return first[0].islower() and first != first.lower() and is_headline(capitalised, max_words=25)


def _author(byline: str) -> str:
    match = _BYLINE.match(byline)
    names = match["names"] if match else byline[3:]
    return _HANDLE.sub("", names).strip(" ,")


def _body_html(kept: list[Line]) -> str:
    """Paragraphs as plain text turns them into HTML; a photo credit becomes a figure caption."""
    parts: list[str] = []
    run: list[str] = []
    for line in kept:
        if line.kind == "credit":
            if run:
                parts.append(text_to_html("\n\n".join(run)))
                run = []
            parts.append(f"<figure><figcaption>{html.escape(line.text)}</figcaption></figure>")
        else:
            run.append(line.text)
    if run:
        parts.append(text_to_html("\n\n".join(run)))
    return "".join(parts)


def _notes(
    found: list[Line],
    runs: list[tuple[int, int]],
    chosen: tuple[int, int],
    kept: list[Line],
    title_inferred: bool,
    rel_path: str,
) -> list[Diagnostic]:
    start, end = chosen
    first, last = found[start].number, found[end].number
    dropped = len(found) - len(kept)
    notes = [
        Diagnostic(
            rel_path,
            first,
            "info",
            f"a pasted web page: kept lines {first}-{last} as the article and left out "
            f"{dropped} lines of menus, share rows, bylines and footers",
        )
    ]
    problems: list[str] = []
    chosen_chars = _prose_chars(found[start : end + 1])
    rivals = [
        run
        for run in runs
        if not start <= run[0] <= end
        and _prose_chars(found[run[0] : run[1] + 1]) * 2 >= chosen_chars
    ]
    if rivals:
        other = found[rivals[0][0]].number
        problems.append(f"it holds another block of text as long (line {other})")
    if title_inferred:
        problems.append("no headline was found above the text")
    short = sum(1 for line in kept if line.kind == "short")
    prose = sum(1 for line in kept if line.kind == "prose")
    if short >= _STILL_CHROME and short * 2 > prose:
        problems.append(f"{short} short lines that may be menus or links were kept")
    if problems:
        message = (
            "this paste still looks like a whole web page: "
            + "; ".join(problems)
            + "; copy only the article's headline and text"
        )
        notes.append(Diagnostic(rel_path, first, "warning", message))
    return notes


def parse_pasted_seed(
    lines: list[str], *, rel_path: str, timezone: ZoneInfo, mtime: datetime
) -> tuple[list[Article], list[Diagnostic]]:
    """Read a pasted page into one article, with what was done and doubted as diagnostics."""
    page = read_page(lines, rel_path)
    if page is None:
        message = (
            "this paste looks like a whole web page with no article text in it; "
            "copy the article's headline and text instead"
        )
        return [], [Diagnostic(rel_path, 1, "warning", message)]
    piece = page.piece
    dated = date_of_lone_piece(piece, rel_path=rel_path, mtime=mtime, timezone=timezone)
    article = build_article(
        piece, dated, rel_path=rel_path, weekdays=weekday_hints(piece), author=page.author
    )
    note = inferred_note(piece, dated, rel_path)
    return [article], [*page.diagnostics, *([note] if note else [])]


def _read(seed: SeedText, *, rel_path: str, timezone: ZoneInfo, mtime: datetime) -> Parsed:
    return parse_pasted_seed(seed.lines, rel_path=rel_path, timezone=timezone, mtime=mtime)


FORMAT = SeedFormat("pasted page", lambda seed: looks_like_page(seed.lines), _read)
