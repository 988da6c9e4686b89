"""The shape of generated pages, compared with files in tests/golden/.

After an intended change to templates or parsing, regenerate them with
`python -m pytest tests/test_golden.py --update-golden` and review the diff in git.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, make_site
from newsgen.build import build

GOLDEN = Path(__file__).parent / "golden"
CONFIG = 'site:\n  title: "Sample Desk"\n  base_url: "https://example.org/news/"\n  per_page: 3\n'


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = make_site(tmp_path_factory.mktemp("golden"), REPO / "seeds", config=CONFIG)
    build(site, search=False, quiet=True)
    return site / "output"


def golden_pages(output: Path) -> list[str]:
    first_article = sorted(output.glob("[0-9]*/[0-9]*/[0-9]*/*/index.html"))[0]
    return [
        "index.html",
        "page/1/index.html",
        first_article.relative_to(output).as_posix(),
        "tags/index.html",
        "sources/index.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
    ]


def test_pages_match_golden_files(built: Path, update_golden: bool) -> None:
    pages = golden_pages(built)
    mismatched = []
    for page in pages:
        golden = GOLDEN / page.replace("/", "__")
        actual = (built / page).read_text(encoding="utf-8")
        if update_golden:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(actual, encoding="utf-8")
        elif not golden.exists() or golden.read_text(encoding="utf-8") != actual:
            mismatched.append(page)
    assert not mismatched, (
        f"pages differ from tests/golden/ (rerun with --update-golden): {mismatched}"
    )
