"""What is specific to each kind of job, registered by the app that starts it: `participants`
its imports (`finsam.participants.import_jobs`), `reports` its compiled report
(`finsam.reports.compile_jobs`), each from its `AppConfig.ready`. Jobs runs, shows and scopes a
job through its kind (`Job.kind_spec`) and imports neither app; its templates include the
kind's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from finsam.core.progress import Progress


def _nothing_to_show(job) -> dict:
    return {}


@dataclass(frozen=True)
class Kind:
    # The work, run by the worker: checks again that the user who started the job may still do
    # it (else `JobFailed(NO_LONGER_ALLOWED)`), reports progress and stores the result.
    run: Callable[[object, Progress], None]
    # Whether the access may see the job, one of its association's (else it does not exist: 404).
    may_see: Callable[[object, object], bool]
    # The templates of the job's title and of the breadcrumb items before the job's page.
    title_template: str
    breadcrumb_template: str
    # The template of an ended job's result, and what the job's page adds to its context.
    result_template: str = "jobs/_result.html"
    result_context: Callable[[object], dict] = _nothing_to_show
    # Whether the result is a file to download (`jobs:download`).
    downloadable: bool = False


_KINDS: dict[str, Kind] = {}


def register(kind: str, **parts) -> None:
    """Register (or, registered again, replace) what is specific to `kind` (a `JobKind`)."""
    _KINDS[kind] = Kind(**parts)


def get(kind: str) -> Kind:
    """The registered kind; KeyError for a kind no app registered."""
    return _KINDS[kind]


def is_registered(kind: str) -> bool:
    return kind in _KINDS
