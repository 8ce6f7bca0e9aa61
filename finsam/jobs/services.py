"""Starting, running, recording and pruning jobs (writes). The work of each kind is registered by
the app that starts it (`kinds.py`); who may see a job is in `selectors.py`."""

from __future__ import annotations

import base64
import datetime
import logging
import time

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from finsam.jobs import kinds
from finsam.jobs.models import Job, JobFile, JobFilePurpose, JobStatus, retention
from finsam.staff.access import build_access

logger = logging.getLogger(__name__)

# Progress is written to the job at most this often (and always when the step changes).
PROGRESS_INTERVAL = 0.5
UNEXPECTED_ERROR = gettext_noop(
    "Jobbet kunde inte slutföras på grund av ett oväntat fel. Försök igen. Om felet kvarstår, "
    "kontakta systemförvaltaren."
)
# Why a kind's work stops when the user who started the job may no longer do it.
NO_LONGER_ALLOWED = gettext_noop(
    "Du har inte längre behörighet till detta. Jobbet avbröts och inget har sparats."
)


class JobFailed(Exception):
    """The work cannot be done; `message` (untranslated, with `args`) tells the user why."""

    def __init__(self, message: str, **args):
        super().__init__(message)
        self.message = message
        self.args_ = args


def starter_access(job: Job):
    """The access of the user who started the job, as it is now (a kind's work checks it)."""
    return build_access(job.started_by, job.association_id)


def live_progress_key(job_id) -> str:
    return f"finsam:job-progress:{job_id}"


def _encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def read_file(job: Job, purpose: str) -> tuple[str, bytes] | None:
    file = JobFile.objects.filter(job=job, purpose=purpose).first()
    if file is None:
        return None
    return file.name, base64.b64decode(file.data)


@transaction.atomic
def start_job(
    *,
    actor,
    association,
    kind: str,
    period=None,
    output_format: str = "",
    approved_only: bool = False,
    initiative=None,
    input_name: str = "",
    input_data: bytes | None = None,
) -> Job:
    """Record a job and put it in the queue (in the same transaction: the worker sees both or
    neither)."""
    from finsam.jobs.tasks import run_job

    job = Job.objects.create(
        kind=kind,
        association=association,
        started_by=actor,
        period=period,
        output_format=output_format,
        approved_only=approved_only,
        initiative=initiative,
        step=gettext_noop("Väntar på att starta"),
    )
    if input_data is not None:
        JobFile.objects.create(
            job=job, purpose=JobFilePurpose.INPUT, name=input_name, data=_encode(input_data)
        )
    result = run_job.enqueue(str(job.pk))
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


class Recorder:
    """The progress callable of a running job. Progress goes to the job's row and, because the
    row is not visible to others while the work holds a transaction open (an import is all or
    nothing), to the shared jobs cache, from which the status page reads a running job's
    progress."""

    def __init__(self, job: Job):
        self.job = job
        self.last_write = 0.0
        self.last_step = None

    def __call__(self, percent: float, step: str, **args) -> None:
        now = time.monotonic()
        if step == self.last_step and now - self.last_write < PROGRESS_INTERVAL:
            return
        self.last_write, self.last_step = now, step
        percent = int(max(0, min(percent, 99)))  # 100 is for a finished job
        values = {"percent": percent, "step": step, "step_args": args}
        Job.objects.filter(pk=self.job.pk).update(**values)
        caches["jobs"].set(live_progress_key(self.job.pk), values, int(retention().total_seconds()))


def store_result(job: Job, *, name: str, content_type: str, data: bytes) -> None:
    JobFile.objects.update_or_create(
        job=job, purpose=JobFilePurpose.RESULT, defaults={"name": name, "data": _encode(data)}
    )
    Job.objects.filter(pk=job.pk).update(result_name=name, result_content_type=content_type)


def _finish(job: Job, status: str, *, step: str, error: str = "", error_args=None) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status,
        percent=100 if status == JobStatus.DONE else job.percent,
        step=step,
        step_args={},
        error=error,
        error_args=error_args or {},
        finished_at=timezone.now(),
    )
    caches["jobs"].delete(live_progress_key(job.pk))


def run_job(*, job_id) -> None:
    """Run a queued job to its end (called by the task). Whatever happens, the job ends done or
    failed with a message for the user, and its input file is deleted."""
    job = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).first()
    if job is None:  # pruned, or already run
        return
    prune_expired_jobs()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), step=gettext_noop("Startar")
    )
    job.refresh_from_db()
    try:
        kinds.get(job.kind).run(job, Recorder(job))
    except JobFailed as exc:
        job.refresh_from_db(fields=["percent"])
        _finish(
            job,
            JobStatus.FAILED,
            step=gettext_noop("Avbrutet"),
            error=exc.message,
            error_args=exc.args_,
        )
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        job.refresh_from_db(fields=["percent"])
        _finish(job, JobStatus.FAILED, step=gettext_noop("Avbrutet"), error=UNEXPECTED_ERROR)
    else:
        _finish(job, JobStatus.DONE, step=gettext_noop("Klart"))
    finally:
        JobFile.objects.filter(job=job, purpose=JobFilePurpose.INPUT).delete()


def expired_before(now: datetime.datetime | None = None) -> datetime.datetime:
    """Jobs that ended before this have expired: their results are no longer kept."""
    return (now or timezone.now()) - retention()


def prune_expired_jobs(now: datetime.datetime | None = None) -> int:
    """Delete the jobs (with their files) that ended more than JOB_RESULT_RETENTION_HOURS ago."""
    _total, deleted = Job.objects.filter(finished_at__lt=expired_before(now)).delete()
    return deleted.get(Job._meta.label, 0)
