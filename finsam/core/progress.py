"""How long work reports its progress: a callable taking the percent done (0–100) and the step,
an untranslated message (mark it with gettext_noop) with its arguments.

    progress(40, gettext_noop("Lägger ut kapitel %(n)s av %(total)s"), n=3, total=23)

Code that does long work takes `progress=silent` and calls it; `within` hands a part of the work
a callable that reports on its share of the whole.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def __call__(self, percent: float, step: str, **args) -> None: ...


def silent(percent: float, step: str, **args) -> None:
    """Progress reported nowhere (work not done as a job)."""


def within(progress: Progress, start: float, end: float) -> Progress:
    """`progress` for a part of the work that takes it from `start` to `end` percent: the part
    reports 0–100 of itself."""

    def report(percent: float, step: str, **args) -> None:
        progress(start + (end - start) * max(0.0, min(percent, 100.0)) / 100, step, **args)

    return report
