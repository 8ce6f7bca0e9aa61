"""Long work done in the background: a job, who started it, its progress and its result.

A job runs as a task of Django's tasks framework (finsam/jobs/tasks.py; a database-backed worker,
`manage.py db_worker`, takes it). The task carries only the job's id: what the job works on is
here, and its file (an uploaded import, a compiled report) is kept encrypted in `JobFile` for as
long as it is needed. Step and error texts are stored as untranslated messages with their
arguments and translated when shown.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField

from finsam.jobs import kinds


class JobKind(models.TextChoices):
    COMPILED_REPORT = "compiled_report", _("Projektsammanställning")
    PARTICIPANT_IMPORT = "participant_import", _("Import av deltagare")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    RUNNING = "running", _("Pågår")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


def retention() -> datetime.timedelta:
    """How long a job and its result are kept after it ends (JOB_RESULT_RETENTION_HOURS)."""
    return datetime.timedelta(hours=settings.JOB_RESULT_RETENTION_HOURS)


def _message(text: str, args: dict) -> str:
    if not text:
        return ""
    return gettext(text) % args if args else gettext(text)


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("typ"), max_length=32, choices=JobKind.choices)
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="jobs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs"
    )
    # What the job works on: a compiled report's period (and format), an import's initiative.
    period = models.ForeignKey(
        "reports.ReportingPeriod", on_delete=models.CASCADE, null=True, blank=True
    )
    output_format = models.CharField(max_length=8, blank=True)
    # A compiled report of the approved reports only: another document than the complete one,
    # which the board may download at any time.
    approved_only = models.BooleanField(default=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    percent = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    step_args = models.JSONField(default=dict, blank=True)
    error = models.CharField(max_length=300, blank=True)
    error_args = models.JSONField(default=dict, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_content_type = models.CharField(max_length=100, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "finished_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def kind_spec(self) -> kinds.Kind:
        """What is specific to the job's kind, as its app registered it (`finsam.jobs.kinds`)."""
        return kinds.get(self.kind)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def expires_at(self) -> datetime.datetime | None:
        return None if self.finished_at is None else self.finished_at + retention()

    @property
    def step_text(self) -> str:
        return _message(self.step, self.step_args)

    @property
    def error_text(self) -> str:
        return _message(self.error, self.error_args)


class JobFilePurpose(models.TextChoices):
    INPUT = "input", _("indata")
    RESULT = "result", _("resultat")


class JobFile(models.Model):
    """A job's uploaded input (deleted when the job ends) or its result (deleted with the job).
    Encrypted at rest with the personal-data keys: an import file holds personal numbers."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    purpose = models.CharField(max_length=8, choices=JobFilePurpose.choices)
    name = models.CharField(max_length=200)
    data = EncryptedTextField()  # base64 of the bytes, then encrypted

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "purpose"], name="one_file_per_job_purpose")
        ]

    def __str__(self) -> str:
        return f"{self.purpose} of {self.job_id}"
