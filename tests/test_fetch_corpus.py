"""Every real-world feed of ../shared/corpus/feeds/, served from 127.0.0.1 and fetched for real."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import require_shared
from newsgen.fetch import FetchReport, fetch
from newsgen.fetch.report import FeedOutcome, Status
from newsgen.frontmatter import split_front_matter
from newsgen.models import Config, FeedConfig

pytest_plugins = ["feedserver"]

# Where the item count we read differs from MANIFEST.tsv's item_count (feedparser's), and why.
COUNT_EXCEPTIONS = {
    # <item /> elements with no title, link or text: nothing to publish, so skipped.
    "rss2-pcmag-dvorak-illegally-nested.xml": 10,  # 10 real items + 10 empty ones
    "rss2-lecerclepsy-undeclared-latin1.xml": 9,  # one empty item
    # feedparser reads no JSON Feed (manifest says 0); these are the items the JSON holds.
    "jsonfeed-daringfireball.json": 48,
    "jsonfeed-journal-3960-v1_1-images.json": 20,
    "jsonfeed-rosemary-orchard-84-items.json": 84,
    "jsonfeed-pixel-envy-http-version.json": 20,
    "jsonfeed-lukedorny-v1_1.json": 30,
    "jsonfeed-influxdata-v1_1.json": 3,
}
# Documents that are broken or are no feed: reported as failures, with this reason.
FAILURES = {
    "rss2-reuters-most-read-truncated.xml": "unparsable: <unknown>:19:84: no element found",
    "jsonfeed-leancrew-truncated-invalid.json": "unparsable: broken JSON at line 1 column 12171",
    "json-scripting-news-rss-in-json.json": "not a feed: JSON without a JSON Feed `version`",
}
FRONT_MATTER_KEYS = {
    "title", "date", "description", "summary", "slug", "image", "image_alt", "link", "source",
    "categories", "tags", "keywords", "draft", "author", "guid", "language", "enclosure",
}  # fmt: skip


@dataclass(frozen=True)
class CorpusRun:
    site: Path
    first: FetchReport
    second: FetchReport
    files_after_first: dict[str, tuple[bytes, int]]
    manifest: dict[str, int]

    def outcome(self, name: str) -> FeedOutcome:
        return next(o for o in self.first.outcomes if o.url.endswith("/" + name))


def snapshot(seeds: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(seeds)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(seeds.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CorpusRun]:
    """Fetch the whole corpus twice into one site (expensive, so once for this module)."""
    from feedserver import FeedServer

    corpus = require_shared("corpus", "feeds")
    with open(corpus / "MANIFEST.tsv", encoding="utf-8") as handle:
        manifest = {
            row["file"]: int(row["item_count"]) for row in csv.DictReader(handle, delimiter="\t")
        }
    server = FeedServer(root=corpus).start()
    try:
        site = tmp_path_factory.mktemp("corpus-site")
        config = Config(feeds=tuple(FeedConfig(url=server.url(name)) for name in manifest))
        first = fetch(site, config, quiet=True)
        files = snapshot(site / "seeds")
        # A day later: past every feed's <ttl>, which would otherwise spare it this run.
        later = datetime.now(UTC) + timedelta(days=1, minutes=1)
        second = fetch(site, config, quiet=True, now=later)
        yield CorpusRun(site, first, second, files, manifest)
    finally:
        server.stop()


def test_every_corpus_file_is_fetched_without_a_crash(corpus_run: CorpusRun) -> None:
    assert corpus_run.first.feeds_total == len(corpus_run.manifest) >= 60
    failed = {f.url.rsplit("/", 1)[1]: f.reason for f in corpus_run.first.failures}
    assert set(failed) == set(FAILURES)
    for name, reason in FAILURES.items():
        assert failed[name].startswith(reason), failed[name]
    assert corpus_run.first.exit_code == 0


def test_item_counts_match_what_each_file_holds(corpus_run: CorpusRun) -> None:
    for name, manifest_count in corpus_run.manifest.items():
        if name in FAILURES:
            continue
        expected = COUNT_EXCEPTIONS.get(name, manifest_count)
        outcome = corpus_run.outcome(name)
        assert (name, outcome.items) == (name, expected)
        if not name.endswith(".json"):  # feedparser's count includes the empty items
            assert outcome.items + outcome.empty_items == manifest_count


def test_one_seed_per_distinct_item(corpus_run: CorpusRun) -> None:
    written = [seed for outcome in corpus_run.first.outcomes for seed in outcome.seeds]
    assert len(written) == len(set(written)) == corpus_run.first.new_items
    assert len(corpus_run.files_after_first) == corpus_run.first.new_items
    # Daring Fireball's JSON Feed repeats six items of its Atom feed, listed earlier.
    assert corpus_run.outcome("jsonfeed-daringfireball.json").new_items == 42
    for name in (
        "rss2-scripting-news-untitled-items.xml",
        "podcast-rss2-taverncast-leading-newline.xml",
    ):
        outcome = corpus_run.outcome(name)
        assert outcome.new_items == outcome.items  # shared links or guids do not merge items


def test_written_seeds_are_well_formed(corpus_run: CorpusRun) -> None:
    for relpath, (data, _) in corpus_run.files_after_first.items():
        meta = split_front_matter(data.decode("utf-8")).meta
        assert set(meta) <= FRONT_MATTER_KEYS, relpath
        assert meta["title"].strip() and "\n" not in meta["title"], relpath
        assert datetime.fromisoformat(meta["date"]).tzinfo is not None, relpath
        assert meta["draft"] is False
        assert meta["link"] == "" or meta["link"].startswith(("http://", "https://")), relpath
        assert meta["image"] == "" or meta["image"].startswith(("http://", "https://")), relpath
        assert meta["source"].startswith("http://127.0.0.1:")
        assert len(meta["categories"]) == 1 and meta["categories"][0]
        assert all(isinstance(tag, str) and tag == tag.lower() for tag in meta["tags"])


@pytest.mark.parametrize(
    ("name", "title", "link"),
    [
        # Relative links resolved against the feed's address (here the local server).
        (
            "atom-talkingpointsmemo-relative-links.xml",
            "Hannity Announces Fox Has Hired",
            "/livewire/",
        ),
        ("rss2-neverwinter-relative-urls.xml", "", "/en/games/neverwinter/news"),
        # Encodings: declared ISO-8859-1, windows-1251, undeclared cp1252.
        ("rss2-golem-iso-8859-1.xml", "", ""),
        ("rss2-oren-ru-windows-1251.xml", "", ""),
        ("rss-uol-noticias-undeclared-cp1252.xml", "", ""),
    ],
)
def test_links_are_absolute_and_text_is_decoded(
    corpus_run: CorpusRun, name: str, title: str, link: str
) -> None:
    seeds = corpus_run.site / "seeds"
    for relpath in corpus_run.outcome(name).seeds:
        meta = split_front_matter((seeds / relpath).read_text(encoding="utf-8")).meta
        assert "\ufffd" not in meta["title"] and "Ã" not in meta["title"]
        assert meta["link"].startswith("http")
    metas = [
        split_front_matter((seeds / r).read_text(encoding="utf-8")).meta
        for r in corpus_run.outcome(name).seeds
    ]
    if title:
        assert any(m["title"].startswith(title) for m in metas)
    if link:
        assert all(m["link"].startswith("http://127.0.0.1:") for m in metas)
        assert any(link in m["link"] for m in metas)


def test_xml_base_resolves_links_inside_each_entry(corpus_run: CorpusRun) -> None:
    seeds = corpus_run.site / "seeds"
    bodies = [
        split_front_matter((seeds / r).read_text(encoding="utf-8")).body
        for r in corpus_run.outcome("atom-daringfireball-xml-base.xml").seeds
    ]
    assert not any('href="/' in body or "href='/" in body for body in bodies)
    assert any('href="https://daringfireball.net/' in body for body in bodies)


def test_second_fetch_changes_nothing_and_gets_304s(corpus_run: CorpusRun) -> None:
    second = corpus_run.second
    assert second.new_items == 0
    assert second.not_modified_feeds == second.feeds_total - len(FAILURES)
    assert snapshot(corpus_run.site / "seeds") == corpus_run.files_after_first
    assert all(o.status in (Status.NOT_MODIFIED, Status.FAILED) for o in second.outcomes)


def test_nothing_is_written_outside_seeds_and_state(corpus_run: CorpusRun) -> None:
    top = sorted(p.name for p in corpus_run.site.iterdir())
    assert top == [".newsgen", "feeds-status.json", "seeds"]
    leftovers = [p for p in corpus_run.site.rglob("*.tmp")]
    assert leftovers == []
    assert sorted(os.listdir(corpus_run.site / ".newsgen")) == [
        "feeds-status.json",
        "fetch-state.json",
        "fetch-state.lock",
        "seed-index.json",
    ]
