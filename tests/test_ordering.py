"""The one order of articles and stories: numpy's sort of the times, with ties broken by
seed file and line, must give what a sort by the whole key gives."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgen import ordering
from newsgen.models import Article
from newsgen.ordering import newest_first_by, newest_first_order

# Few times and few paths, so that most lists hold ties, runs of them, and ties at either end.
_SEEDS = st.tuples(
    st.sampled_from([0.0, 60.0, 61.5, 3600.0, -86400.0]),
    st.sampled_from(["a/x.md", "a-b/y.md", "a.md", "é/z.md", "\udcff.md", "B.md"]),
    st.integers(min_value=1, max_value=3),
)


def _article(path: str, line: int) -> Article:
    when = datetime(2025, 1, 1, tzinfo=UTC)  # the times to sort by are given apart
    return Article(
        title="t", date=when, slug="t", body_html="", summary="", source="s",
        seed_path=path, seed_line=line,
    )  # fmt: skip


@pytest.fixture(params=[0, ordering._SORTED_BY_NUMPY], ids=["numpy", "python"])
def threshold(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run each test through both ways of sorting: numpy's from the first article, and
    Python's below the size that pays for numpy."""
    # The same for every example hypothesis draws, so one setting per test serves them all.
    monkeypatch.setattr(ordering, "_SORTED_BY_NUMPY", request.param)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seeds=st.lists(_SEEDS, max_size=40))
def test_newest_first_order_is_the_sort_by_time_then_seed(
    threshold: None, seeds: list[tuple[float, str, int]]
) -> None:
    seconds = [time for time, _, _ in seeds]
    articles = [_article(path, line) for _, path, line in seeds]
    expected = sorted(range(len(seeds)), key=lambda i: (-seconds[i], seeds[i][1], seeds[i][2]))
    assert newest_first_order(articles, seconds) == expected


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(keys=st.lists(st.tuples(st.integers(0, 3), st.sampled_from("abc")), max_size=40))
def test_equal_times_and_tie_breaks_keep_the_order_given(
    threshold: None, keys: list[tuple[int, str]]
) -> None:
    """As `sorted` does: what nothing tells apart stays in the order it came in."""
    seconds = [float(time) for time, _ in keys]
    expected = sorted(range(len(keys)), key=lambda i: (-seconds[i], keys[i][1]))
    assert newest_first_by(seconds, lambda i: keys[i][1]) == expected
