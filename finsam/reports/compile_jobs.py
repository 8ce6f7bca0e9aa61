"""The compiled report as a kind of job (`finsam.jobs.kinds`, registered in `ReportsConfig.ready`):
its work, who sees it, the jobs a period's page lists and the one a new start reuses."""

from __future__ import annotations

from finsam.core.progress import Progress
from finsam.jobs.models import Job, JobKind, JobStatus
from finsam.jobs.selectors import unexpired, with_live_progress
from finsam.jobs.services import NO_LONGER_ALLOWED, JobFailed, starter_access, store_result
from finsam.reports import compile


def run(job: Job, progress: Progress) -> None:
    approved_only = job.approved_only
    if not compile.can_download_compiled(
        starter_access(job), job.period, approved_only=approved_only
    ):
        raise JobFailed(NO_LONGER_ALLOWED)
    compile_document, content_type = compile.FORMATS[job.output_format]
    data = compile_document(
        association=job.association,
        period=job.period,
        progress=progress,
        approved_only=approved_only,
    )
    store_result(
        job,
        name=compile.compiled_filename(job.period, job.output_format, approved_only=approved_only),
        content_type=content_type,
        data=data,
    )


def may_see(access, job: Job) -> bool:
    """Everyone of the association who may download that compiled report of that period (the
    board: the approved reports only, until every report is approved)."""
    return compile.can_download_compiled(access, job.period, approved_only=job.approved_only)


def compiled_report_jobs(access, period, *, limit: int = 5) -> list[Job]:
    """The latest jobs compiling `period` that the user may see (none if they may download
    neither compiled report; only those of the approved reports if they may download only that
    one), not yet expired."""
    jobs = unexpired(Job.objects.filter(kind=JobKind.COMPILED_REPORT, period=period))
    if not compile.can_download_compiled(access, period):
        if not compile.can_download_compiled(access, period, approved_only=True):
            return []
        jobs = jobs.filter(approved_only=True)
    return [with_live_progress(job) for job in jobs.select_related("started_by")[:limit]]


def active_compiled_report_job(
    period, output_format: str, *, approved_only: bool = False
) -> Job | None:
    """A job already queued or running for the same document (started again, it is reused):
    the same period, format and kind of compilation (complete, or the approved reports only)."""
    return (
        Job.objects.filter(
            kind=JobKind.COMPILED_REPORT,
            period=period,
            output_format=output_format,
            approved_only=approved_only,
            status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
        )
        .order_by("-created_at")
        .first()
    )
