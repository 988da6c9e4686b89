"""Web pages pasted as a reader copies them from a browser: the article comes out clean.

The pasted text is made at test time from real pages of ../shared/corpus/pages (select-all and
copy, menus, share rows and footers included; see tests/browsercopy.py) and never kept.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
import pytest

from browsercopy import page_headline, page_text
from conftest import make_site, require_shared, run_newsgen
from newsgen.readers.parse import parse_seed_text
from newsgen.readers.pasted import classify, looks_like_page

# Page, author its byline names (empty where the page names none).
PAGES = {
    "reuters.com.parasite.html": "Jill Serjeant",
    "theverge.com.ios13.html": "Jon Porter",
    "vancouversun.com.microsoft.html": "",
}
CHROME = (
    "Skip to main content", "Sign In", "Log In", "Sign Up", "Share this story", "Terms of Use",
    "Privacy Policy", "cookies", "Advertise", "All Rights Reserved", "©", "Newsletters",
    "Comments", "Open Search", "Directory of sites", "Min Read", "Related Coverage", "Slideshow",
)  # fmt: skip
SHARE_WORDS = {"share", "facebook", "twitter", "linkedin", "reddit", "email", "print", "pocket"}
_BLOCK = re.compile(r"<(p|h2|li|figcaption)>(.*?)</\1>", re.DOTALL)


def parse(text: str, name: str = "paste.txt"):  # type: ignore[no-untyped-def]
    return parse_seed_text(
        text, rel_path=name, timezone=ZoneInfo("UTC"), mtime=datetime(2024, 1, 1, tzinfo=UTC)
    )


def article_paragraphs(page: Path) -> list[str]:
    """The page's long paragraphs but its cookie notice and comment policy: the article's text."""
    root = lxml.html.fromstring(page.read_bytes())
    texts = (" ".join(p.text_content().split()) for p in root.iter("p"))
    return [
        text
        for text in texts
        if len(text.split()) >= 25 and "cookie" not in text and "comment" not in text
    ]


def plain(fragment: str) -> str:
    return " ".join(lxml.html.fromstring(f"<div>{fragment}</div>").text_content().split())


@pytest.mark.parametrize("name", list(PAGES))
def test_a_pasted_page_gives_its_article_under_its_headline(name: str) -> None:
    page = require_shared("corpus", "pages", name)
    text = page_text(page)
    assert sum(line.strip() in CHROME for line in text.split("\n")) >= 2  # a whole page
    assert looks_like_page(text.split("\n"))
    articles, diagnostics = parse(text)
    assert len(articles) == 1
    article = articles[0]
    assert article.title == page_headline(page)
    assert "title" not in article.inferred
    assert article.author == PAGES[name]
    body = plain(article.body_html)
    assert not [chrome for chrome in CHROME if chrome in body]
    blocks = [plain(inner).lower() for _, inner in _BLOCK.findall(article.body_html)]
    assert not SHARE_WORDS & set(blocks)
    assert article.title.lower() not in blocks  # the headline is not repeated in the body
    wanted = article_paragraphs(page)
    found = [paragraph for paragraph in wanted if paragraph in body]
    assert len(wanted) >= 4 and len(found) >= 0.75 * len(wanted), set(wanted) - set(found)
    assert [d.level for d in diagnostics if d.level != "info"] == []


def test_pasted_pages_build_into_clean_article_pages(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    for name in PAGES:
        page = require_shared("corpus", "pages", name)
        (site / "seeds" / f"{name[:-5]}.txt").write_text(page_text(page), encoding="utf-8")
    result = run_newsgen("build", "--site", str(site), "--strict")
    assert result.returncode == 0, result.stderr
    check = run_newsgen("check", "--site", str(site))
    assert check.returncode == 0 and "warning" not in check.stderr
    assert check.stderr.count("info: a pasted web page: kept lines") == 3
    titles = {
        " ".join(lxml.html.fromstring(p.read_bytes()).findtext(".//h1").split())
        for p in (site / "output").rglob("index.html")
        if len(p.relative_to(site / "output").parts) == 5  # YYYY/MM/DD/slug/index.html
    }
    assert titles == {page_headline(require_shared("corpus", "pages", n)) for n in PAGES}


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Skip to main content", "chrome"),
        ("Menu", "chrome"),
        ("Sign in", "chrome"),
        ("We use cookies to improve your experience. By continuing you accept them.", "chrome"),
        ("Sign up for our daily newsletter", "chrome"),
        ("Advertisement", "chrome"),
        ("Share this article", "chrome"),
        ("WhatsApp", "chrome"),
        ("© 2024 Example News Ltd. All rights reserved.", "chrome"),
        ("Photo: Getty Images", "credit"),
        ("Photograph: Jane Doe/AP", "credit"),
        ("By Jane Doe", "byline"),
        ("By Jane Doe and John Roe, Reuters", "byline"),
        ("Updated 14:32 GMT, 3 March 2025", "dateline"),
        ("Published March 3, 2025", "dateline"),
        ("The council voted on Tuesday to build the new tram line through the centre.", "prose"),
        ("Council approves the tram line", "short"),
    ],
)
def test_each_line_of_a_page_is_recognised(line: str, kind: str) -> None:
    assert classify(line) == kind


def test_a_typed_article_is_not_taken_for_a_page() -> None:
    text = (
        "Council approves the tram line\n\nThe council voted on Tuesday to build the line.\n\n"
        "Share your views with the council by Friday, the mayor said.\n"
    )
    assert not looks_like_page(text.split("\n"))


PASTE = "\n".join(
    [
        "Skip to main content",
        "Menu",
        "Search",
        "Sign in",
        "World",
        "Council approves the tram line through the old town",
        "By Jane Doe",
        "Updated March 3, 2025",
        "Share",
        "Facebook",
        "Twitter",
        "The city council voted 12 to 3 on Tuesday to build a tram line through the old town, "
        "ending a decade of argument.",
        "Photo: Getty Images",
        "Work will start in the spring and the first trams should run within three years, "
        "the mayor said.",
        "Advertisement",
        "Opponents said the line would cost more than the council had planned, and vowed to keep "
        "fighting it in court.",
        "Related",
        "Mayor opens the new bridge",
        "Sign up for our newsletter",
        "© 2025 Example News. All rights reserved.",
    ]
)


def test_bylines_credits_and_dates_become_what_they_are() -> None:
    (article,), diagnostics = parse(PASTE)
    assert article.title == "Council approves the tram line through the old town"
    assert article.author == "Jane Doe"
    assert article.date.date().isoformat() == "2025-03-03"
    assert "<figure><figcaption>Photo: Getty Images</figcaption></figure>" in article.body_html
    body = plain(article.body_html)
    assert body.startswith("The city council voted 12 to 3")
    assert body.endswith("keep fighting it in court.")
    for chrome in ("Menu", "Sign in", "Facebook", "Advertisement", "Jane Doe", "newsletter"):
        assert chrome not in body
    assert [d.level for d in diagnostics if d.level == "warning"] == []


def test_check_warns_when_a_paste_still_looks_like_a_whole_page(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    menu_only = "Skip to main content\nMenu\nSearch\nSign in\nWorld\nSport\n© 2025 Example\n"
    (site / "seeds" / "menu.txt").write_text(menu_only, encoding="utf-8")
    story = PASTE.split("Related")[0]
    other = (
        "Most read\nThe harbour board has approved a plan to dredge the channel this summer, "
        "so that larger ferries can dock.\nThe work will close the harbour for two weeks in "
        "July, the board said on Monday.\nFerry operators welcomed the plan but asked for "
        "compensation for the weeks they cannot sail.\nFooter\nTerms of Use\nPrivacy Policy\n"
    )
    (site / "seeds" / "two.txt").write_text(
        story + "Sport\nWeather\nTV\n" + other, encoding="utf-8"
    )
    result = run_newsgen("check", "--site", str(site))
    assert "menu.txt:1: warning: this paste looks like a whole web page with no article" in (
        result.stderr
    )
    assert re.search(
        r"two\.txt:\d+: warning: this paste still looks like a whole web page", result.stderr
    )
