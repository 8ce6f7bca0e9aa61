"""Who sees which job (reads). A job of the user's association is seen by whom its kind lets see
it (`kinds.Kind.may_see`): an import by the user who started it while they may still do it; a
compiled report's job by everyone of the association who may download that compiled report.
Any other job does not exist for the user (404)."""

from __future__ import annotations

from django.core.cache import caches
from django.db.models import Q
from django.http import Http404

from finsam.jobs import kinds
from finsam.jobs.models import Job, JobStatus
from finsam.jobs.services import expired_before, live_progress_key


def may_see(access, job: Job) -> bool:
    if access.association is None or job.association_id != access.association.pk:
        return False
    return kinds.is_registered(job.kind) and kinds.get(job.kind).may_see(access, job)


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
