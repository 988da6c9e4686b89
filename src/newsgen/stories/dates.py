"""Give undated articles the date of the story they belong to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from newsgen.errors import Diagnostic
from newsgen.models import Article, Story

# Reports of one event come out within days of each other: a guessed date further than this from
# the story's dated report is a paste date or a file time, not the news date.
PLAUSIBLE_GAP = timedelta(days=3)


def date_from_stories(
    stories: Sequence[Story],
) -> tuple[tuple[Story, ...], tuple[Diagnostic, ...]]:
    """Date each article whose guessed date contradicts its story by the story's earliest report.

    A pasted rewrite of an agency report has no date of its own, and the file's modification
    time says when it was pasted, not when the news happened; the agency report does.
    """
    dated_stories: list[Story] = []
    notes: list[Diagnostic] = []
    for story in stories:
        known = [a for a in story.articles if a.explicit_date]
        guessed = [a for a in story.articles if not a.explicit_date]
        if not known or not guessed:
            dated_stories.append(story)
            continue
        original = min(known, key=lambda a: (a.date, a.seed_path, a.seed_line))
        fixed: dict[str, Article] = {}
        for article in guessed:
            if abs(article.date - original.date) <= PLAUSIBLE_GAP:
                continue  # a guess that agrees with the story (a dump's neighbours) stands
            fixed[article.key] = article.with_date(original.date.astimezone(article.date.tzinfo))
            notes.append(
                Diagnostic(
                    article.seed_path,
                    article.seed_line,
                    "info",
                    f"date {original.date:%Y-%m-%d} taken from the same story in "
                    f"{original.seed_path}; add a date to the file to set it yourself",
                )
            )
        articles = tuple(fixed.get(a.key, a) for a in story.articles)
        dated_stories.append(Story(articles=articles))
    return tuple(dated_stories), tuple(notes)
