"""The one task of the tasks framework: run a job (by id; nothing else goes through the queue)."""

try:
    from django.tasks import task
except ImportError:  # pragma: no cover - Django 5.2 LTS on Python 3.11: the django-tasks backport
    from django_tasks import task


@task
def run_job(job_id: str) -> None:
    from finsam.jobs.services import run_job as run

    run(job_id=job_id)
