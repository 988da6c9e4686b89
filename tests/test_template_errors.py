"""A site's own template that fails is an error naming the template, its line and the page, and
the site already published stays as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_site, run_newsgen, tree_digest

SEED = "---\ntitle: Quay {n} reopens\ndate: 2025-03-0{n}\ntags: [ports]\n---\n<p>Quay {n}.</p>\n"


def _site(tmp_path: Path) -> Path:
    site = make_site(tmp_path / "site", config="site:\n  title: Port News\n")
    for n in (1, 2, 3):
        (site / "seeds" / f"q{n}.md").write_text(SEED.format(n=n), encoding="utf-8")
    done = run_newsgen("build", "--site", str(site))
    assert done.returncode == 0, done.stderr
    return site


@pytest.mark.parametrize(
    ("template", "said"),
    [
        (
            '{% extends "default/tag.html" %}{% block main %}\n{{ super() }}\n'
            "{% if pagination.total > 1 %}many{% endif %}{% endblock %}",
            "templates/tag.html:3: 'newsgen.render.pages.Pagination object' has no attribute"
            " 'total', making tags/ports/index.html",
        ),
        (
            '{% extends "default/tag.html" %}\n{% block main %}{{ super() }\n{% endblock %}',
            "templates/tag.html:2: unexpected '}'",
        ),
    ],
    ids=["undefined", "syntax"],
)
def test_a_failing_template_is_named_with_its_line(
    tmp_path: Path, template: str, said: str
) -> None:
    site = _site(tmp_path)
    published = tree_digest(site / "output")
    (site / "templates").mkdir()
    (site / "templates/tag.html").write_text(template, encoding="utf-8")
    done = run_newsgen("build", "--site", str(site))
    assert done.returncode == 1
    assert said in done.stderr, done.stderr
    assert "fix the template" in done.stderr
    assert "Traceback" not in done.stderr
    assert tree_digest(site / "output") == published  # nothing half-written
