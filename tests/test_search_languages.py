"""Search per language: Snowball stems, folded accents and marks, stop words of each language.

The stems made at build time (PyStemmer) must be the stems finder.js makes in the browser
(assets/stemmer/, WebAssembly): both are Snowball's own algorithms, and node checks it here on
6,000 words of the shared corpus in every language the index may hold.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, require_shared
from newsgen.search.index import SearchDoc, build_index, terms_of
from newsgen.search.languages import SNOWBALL_VERSION, STEMMERS, stemmer
from newsgen.search.terms import query_words, stop_words, words
from searchquery import Index

STEMMER_JS = REPO / "templates" / "static" / "assets" / "stemmer" / "index.js"
NODE_STEMS = """
import { readFileSync } from "node:fs";
import { initSync, Stemmer, Languages } from %s;
initSync({ module: readFileSync(%s) });
const input = JSON.parse(readFileSync(0, "utf8")), out = {};
for (const [name, words] of Object.entries(input.words)) {
  const stemmer = new Stemmer(Languages[name]);
  out[name] = words.map((word) => stemmer.stem(word));
}
console.log(JSON.stringify(out));
"""


def doc(url: str, title: str, text: str, language: str) -> SearchDoc:
    return SearchDoc(url, title, "2025-11-03", "Desk", text[:50], text, language)


def test_the_browser_stems_every_corpus_word_as_the_build_does() -> None:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is not installed, and CI must check the browser's stemmer")
        pytest.skip("node is not installed")
    pages = require_shared("corpus", "pages")
    text = " ".join(p.read_text(encoding="utf-8", errors="replace") for p in pages.rglob("*.html"))
    every = sorted(set(words(text, language="", stem=False)))
    assert len(every) > 20_000
    vocabulary = every[:: len(every) // 6000]  # 6,000 words in 36 stemmers: half a minute
    names = sorted(set(STEMMERS.values()))
    wasm = STEMMER_JS.with_name("index_bg.wasm")
    script = NODE_STEMS % (json.dumps(STEMMER_JS.as_uri()), json.dumps(str(wasm)))
    result = subprocess.run(
        [node, "--input-type=module", "-e", script],
        input=json.dumps({"words": {name: vocabulary for name in names}}),
        capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    browser = json.loads(result.stdout)
    for language, name in STEMMERS.items():
        stem = stemmer(language)
        assert stem is not None
        python = [stem(word) for word in vocabulary]
        pairs = zip(vocabulary, python, browser[name], strict=True)
        differ = [(word, p, b) for word, p, b in pairs if p != b]
        assert differ == [], f"{name}: {len(differ)} words differ, such as {differ[:5]}"
    assert SNOWBALL_VERSION == "3.1.0"  # PyStemmer's, whose Snowball is the WebAssembly's


@pytest.mark.parametrize(
    ("language", "forms", "stem"),
    [
        ("en", ["ferry", "ferries", "Ferries"], "ferri"),
        ("de", ["Fähre", "Fähren", "Fahre"], "fahr"),
        ("fr", ["élection", "élections", "ELECTIONS"], "elect"),
        ("es", ["elección", "elecciones"], "eleccion"),
        ("ar", ["المكتبة", "مكتبة"], "مكتب"),
    ],
)
def test_word_forms_meet_in_one_stem(language: str, forms: list[str], stem: str) -> None:
    assert {term for form in forms for term in words(form, language)} == {stem}


def test_each_language_drops_its_own_stop_words() -> None:
    assert words("the ferry and der Hafen", "en") == ["ferri", "der", "hafen"]
    assert words("the ferry and der Hafen", "de") == ["the", "ferry", "and", "haf"]
    assert "fur" in stop_words("de") and "etait" in stop_words("fr")  # folded, as terms are
    assert "الى" in stop_words("ar")  # "إلى", its hamza folded away


def test_a_query_matches_the_stems_of_every_language_of_the_index() -> None:
    assert query_words("Ferries", ["en"]) == [("ferri",)]
    assert query_words("ferries Fähren", ["de", "en"]) == [("ferri",), ("fahr", "fahren")]
    assert query_words("the die", ["de", "en"]) == [("the",), ("die",)]
    assert query_words("the und", ["de", "en"]) == [("the",), ("und",)]
    assert query_words("and und", ["de", "en"]) == [("and",), ("und",)]
    assert query_words("der die das", ["de"]) == []


def test_an_index_of_two_languages_finds_each_by_its_own_stems() -> None:
    docs = [
        doc("de/", "Neue Fähren für Kiel", "Die Fähren fahren ab Montag.", "de"),
        doc("en/", "Ferries return", "The ferry sails again.", "en"),
    ]
    index = Index(dict(build_index(docs)))
    assert index.meta["languages"] == ["de", "en"]
    assert index.meta["stemmers"] == {"de": "German", "en": "English"}
    assert "die" in index.meta["stop"]["de"] and "the" in index.meta["stop"]["en"]
    assert [hit.url for hit in index.search("Fähre ")] == ["de/"]
    assert [hit.url for hit in index.search("ferry ")] == ["en/"]
    assert terms_of(docs[1]) == {"ferri": 4, "return": 3, "sail": 1, "again": 1}


def test_phrases_need_their_words_in_order() -> None:
    docs = [
        doc("a/", "Council plans", "New ferries will dock at the sea wall.", "en"),
        doc("b/", "A wall by the sea", "The wall by the sea was mended.", "en"),
    ]
    index = Index(dict(build_index(docs)))
    texts = {d.url: f"{d.title} {d.text}" for d in docs}
    assert {hit.url for hit in index.search("sea wall", texts)} == {"a/", "b/"}
    assert [hit.url for hit in index.search('"sea wall"', texts)] == ["a/"]
    assert [hit.url for hit in index.search('"by the sea"', texts)] == ["b/"]
    assert [hit.url for hit in index.search("\u201cSea Wall\u201d", texts)] == ["a/"]


def test_stemming_keeps_to_one_table_per_language(tmp_path: Path) -> None:
    from newsgen.search.terms import count_terms

    assert count_terms("ferry ferries FERRY", "en") == {b"ferri": 3}
    assert count_terms("ferry ferries", "xx") == {b"ferry": 1, b"ferries": 1}  # no stemmer
