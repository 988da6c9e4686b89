"""axe-core, injected into the built pages: no serious or critical accessibility violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import Sample, Tab

pytestmark = pytest.mark.browser

PAGES = ["front", "article", "tag", "day", "search"]
BLOCKING = ("serious", "critical")
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(tab: Tab, url: str, axe: Path) -> list[dict[str, Any]]:
    """Run axe on `url` (after its scripts have settled) and return its violations."""
    tab.open(url)
    tab.page.wait_for_load_state("networkidle")
    tab.page.add_script_tag(path=str(axe))
    return tab.page.evaluate(
        """async (rules) => {
            const result = await axe.run(document, { runOnly: { type: "tag", values: rules } });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
            }));
        }""",
        RULES,
    )


def blocking(violations: list[dict[str, Any]]) -> list[str]:
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {v['targets']}"
        for v in violations
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("kind", PAGES)
def test_no_serious_violations_in_light_mode(
    sample: Sample, tab: Tab, axe_source: Path, kind: str
) -> None:
    url = sample.page(kind) + ("?q=Oreshnik" if kind == "search" else "")
    assert blocking(axe_violations(tab, url, axe_source)) == []


@pytest.mark.parametrize("kind", ["front", "article", "search"])
def test_no_serious_violations_in_dark_mode(
    sample: Sample, dark_tab: Tab, axe_source: Path, kind: str
) -> None:
    url = sample.page(kind) + ("?q=Oreshnik" if kind == "search" else "")
    assert blocking(axe_violations(dark_tab, url, axe_source)) == []
