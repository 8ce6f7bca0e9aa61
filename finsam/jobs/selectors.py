"""Who sees which job (reads). A job is seen by the user who started it while they may still do
what it does; a compiled report's job also by everyone of the association who may download that
compiled report of that period (the board: the approved reports only, until every report is
approved). Any other job does not exist for the user (404)."""

from __future__ import annotations

from django.core.cache import caches
from django.db.models import Q
from django.http import Http404

from finsam.jobs.models import Job, JobKind, JobStatus
from finsam.jobs.services import expired_before, live_progress_key


def may_see(access, job: Job) -> bool:
    if access.association is None or job.association_id != access.association.pk:
        return False
    if job.kind == JobKind.COMPILED_REPORT:
        from finsam.reports.compile import can_download_compiled

        return can_download_compiled(access, job.period, approved_only=job.approved_only)
    if job.kind == JobKind.PARTICIPANT_IMPORT:
        from finsam.initiatives.scoping import registrar_initiatives

        return (
            job.started_by_id == access.user.pk
            and registrar_initiatives(access).filter(pk=job.initiative_id).exists()
        )
    return False


def get_job(access, job_id) -> Job:
    """The job, with its live progress, if the user may see it and it has not expired."""
    job = (
        unexpired(Job.objects.select_related("period__association", "initiative", "started_by"))
        .filter(pk=job_id)
        .first()
    )
    if job is None or not may_see(access, job):
        raise Http404
    return with_live_progress(job)


def with_live_progress(job: Job) -> Job:
    """A running job's latest progress: written to the shared jobs cache as well as to the job,
    whose row other connections do not see change while the work holds a transaction."""
    if job.status == JobStatus.RUNNING:
        live = caches["jobs"].get(live_progress_key(job.pk))
        if live:
            job.percent, job.step, job.step_args = live["percent"], live["step"], live["step_args"]
    return job


def unexpired(jobs):
    """Jobs not ended, or whose result is still kept (JOB_RESULT_RETENTION_HOURS)."""
    return jobs.filter(Q(finished_at__isnull=True) | Q(finished_at__gte=expired_before()))


def compiled_report_jobs(access, period, *, limit: int = 5) -> list[Job]:
    """The latest jobs compiling `period` that the user may see (none if they may download
    neither compiled report; only those of the approved reports if they may download only that
    one), not yet expired."""
    from finsam.reports.compile import can_download_compiled

    jobs = unexpired(Job.objects.filter(kind=JobKind.COMPILED_REPORT, period=period))
    if not can_download_compiled(access, period):
        if not can_download_compiled(access, period, approved_only=True):
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


def import_jobs(access, initiative, *, limit: int = 5) -> list[Job]:
    """The user's latest import jobs into `initiative` (a registrar's own), not yet expired."""
    jobs = unexpired(
        Job.objects.filter(
            kind=JobKind.PARTICIPANT_IMPORT,
            initiative=initiative,
            started_by_id=access.user.pk,
            association=access.association,
        )
    )
    return [with_live_progress(job) for job in jobs[:limit]]
