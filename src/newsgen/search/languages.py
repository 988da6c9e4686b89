"""What search does per language: stop words, and the Snowball stemmer that folds word forms.

Terms are stemmed after folding (rule 3 of terms.py), so a query typed with or without
accents meets the same stem. The stemmers are PyStemmer's (Snowball's C code; 1.5 µs a word,
where snowballstemmer's pure Python takes 30 to 50); finder.js runs the same Snowball algorithms
compiled to WebAssembly (assets/stemmer/, from the npm package multilingual-stemmer), and
tests/test_search_languages.py checks that both give the same stem for corpus words in every
language.

Stop words are the commonest function words of each language (terms.py folds them as it folds
terms): the search finds nothing useful with them, and dropping them keeps the index smaller.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib.metadata import version

import Stemmer

# Language code -> Snowball algorithm, as PyStemmer (lower-cased) and finder.js's stemmer name it.
STEMMERS = {
    "ar": "Arabic", "hy": "Armenian", "eu": "Basque", "ca": "Catalan", "cs": "Czech",
    "da": "Danish", "nl": "Dutch", "en": "English", "eo": "Esperanto", "et": "Estonian",
    "fi": "Finnish", "fr": "French", "de": "German", "el": "Greek", "hi": "Hindi",
    "hu": "Hungarian", "id": "Indonesian", "ga": "Irish", "it": "Italian", "lt": "Lithuanian",
    "ne": "Nepali", "no": "Norwegian", "nb": "Norwegian", "nn": "Norwegian", "fa": "Persian",
    "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sr": "Serbian",
    "st": "Sesotho", "es": "Spanish", "sv": "Swedish", "ta": "Tamil", "tr": "Turkish",
    "yi": "Yiddish",
}  # fmt: skip
SNOWBALL_VERSION = version("pystemmer")  # pinned: the stems must be those of finder.js

# English: Lucene's list, plus reporting verbs and pronouns that every news story has. "us" and
# "who" stay searchable: they are also the US and the WHO.
RAW_STOP_WORDS = {
    "en": """a an and are as at be been but by for from had has have he her his if in into is it
        its no not of on or said says she such than that the their then there these they this to
        was were which will with would""",
    "de": """aber als am an auch auf aus bei bin bis bist da dann das dass dem den der des die
        dies diese dieser doch du ein eine einem einen einer eines er es fur hat hatte ich ihr im
        in ist mit nach nicht noch nur oder sagte sei sich sie sind so um und uns von vor war
        waren was wie wir wird wurde zu zum zur""",
    "fr": """au aux avec ce ces cette dans de des du elle en est et il ils je la le les leur
        lui mais me meme nous on ou par pas pour qu que qui sa se ses son sont sur ta te un une
        vous ete etait""",
    "es": """al como con de del el ella en era es esta este fue ha la las le les lo los mas me
        no o para pero por que se ser si sin su sus un una y ya""",
    "ar": """في من على إلى عن مع أن إن أو ثم هذا هذه ذلك التي الذي الذين كان كانت قد لا ما لم
        لن هو هي هم وقال قال بين كل بعد قبل عند حتى""",
}


@cache
def stemmer(language: str) -> Callable[[str], str] | None:
    """The Snowball stemmer of a language, or None for a language Snowball has none for."""
    name = STEMMERS.get(language)
    if name is None:
        return None
    stem: Callable[[str], str] = Stemmer.Stemmer(name.lower()).stemWord
    return stem
