"""Extract the built-in theme's messages and refresh every catalog: .pot, .po and compiled .mo.

    python scripts/catalogs.py            extract, merge into each .po, compile each .mo
    python scripts/catalogs.py --check    exit 1 when a catalog is stale or misses a message

Messages come from the templates (`{% trans %}`, `_()`, `ngettext()`) and from the Python that
writes words into pages (charts, finder.js's messages). Add a language by creating
`src/newsgen/locale/<lang>/LC_MESSAGES/messages.po` (`msginit`, or copy another) and running this.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = REPO / "templates"
LOCALE_DIR = REPO / "src" / "newsgen" / "locale"
PYTHON_SOURCES = ("src/newsgen/render/charts.py", "src/newsgen/render/i18n.py")
FIXED_DATE = datetime(2025, 1, 1, tzinfo=UTC)
TEMPLATE_OPTIONS = {"trimmed": "true", "newstyle_gettext": "true"}  # as render/i18n.py sets Jinja


def extract() -> Catalog:
    """Every message of the built-in theme, with where it appears."""
    catalog = Catalog(project="newsgen", charset="utf-8")
    found = extract_from_dir(
        str(TEMPLATES),
        method_map=[
            ("**.html", "jinja2.ext:babel_extract"),
            ("**.xml", "jinja2.ext:babel_extract"),
        ],
        options_map={"**.html": TEMPLATE_OPTIONS, "**.xml": TEMPLATE_OPTIONS},
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(f"templates/{filename}", lineno)], auto_comments=comments,
                    context=context)  # fmt: skip
    for source in PYTHON_SOURCES:
        for lineno, message, comments, context in extract_from_file("python", str(REPO / source)):
            catalog.add(message, None, [(source, lineno)], auto_comments=comments, context=context)
    return catalog


def po_files() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))


def rendered(catalog: Catalog, writer: object) -> bytes:
    # Fixed dates: a catalog's file changes only when its messages do.
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    out = io.BytesIO()
    if writer is write_mo:
        write_mo(out, catalog)
    else:
        write_po(out, catalog, width=100, omit_header=False, sort_output=True)
    return out.getvalue()


def refresh(check: bool) -> list[str]:
    """Bring every file up to date, or with `check` only list those that are not."""
    template = extract()
    template.header_comment = "# Messages of newsgen's built-in theme."
    stale: list[str] = []
    outputs: dict[Path, bytes] = {
        LOCALE_DIR / "messages.pot": _without_dates(rendered(template, write_po))
    }
    for po in po_files():
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        outputs[po] = _without_dates(rendered(catalog, write_po))
        outputs[po.with_suffix(".mo")] = rendered(catalog, write_mo)
        missing = [m.id for m in catalog if m.id and (m.fuzzy or not _translated(m.string))]
        stale += [f"{po.relative_to(REPO)}: no translation for {m!r}" for m in missing]
    for path, data in outputs.items():
        if path.exists() and path.read_bytes() == data:
            continue
        stale.append(f"{path.relative_to(REPO)}: out of date; run python scripts/catalogs.py")
        if not check:
            path.write_bytes(data)
    return stale


def _translated(string: str | tuple[str, ...]) -> bool:
    return all(string) if isinstance(string, tuple) else bool(string)


def _without_dates(po: bytes) -> bytes:
    # Creation and revision dates change on every run: keep the files stable for review.
    lines = po.split(b"\n")
    return b"\n".join(
        line
        for line in lines
        if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:'))
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    args = parser.parse_args()
    problems = refresh(args.check)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if args.check and problems else 0


if __name__ == "__main__":
    sys.exit(main())
