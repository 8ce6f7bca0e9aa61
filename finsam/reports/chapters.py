"""Parts that apps above `reports` contribute to each initiative's chapter of the compiled report.

An app registers a function in its `AppConfig.ready` (`register_initiative_chapter`); for every
chapter (an initiative's report, not a sub-report per municipality) `build_chapter` calls each
with the report and shows what it returns after the chapter's statistics: a heading, paragraphs,
tables (`StatTable`, without charts) and a note, in the PDF (either engine) and the DOCX alike.
The `indicators` app contributes the initiative's indicator results this way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

_CONTRIBUTORS: list[Callable] = []


@dataclass
class ChapterPart:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list = field(default_factory=list)  # reports.documents.content.StatTable
    note: str = ""


def register_initiative_chapter(contributor: Callable) -> None:
    """`contributor(report) -> ChapterPart | None` (None: nothing to show for that report)."""
    if contributor not in _CONTRIBUTORS:
        _CONTRIBUTORS.append(contributor)


def chapter_parts(report) -> list[ChapterPart]:
    parts = []
    for contributor in _CONTRIBUTORS:
        part = contributor(report)
        if part is not None:
            parts.append(part)
    return parts
