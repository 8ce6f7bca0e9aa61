"""Jobs: queued, run by the worker, progress recorded, seen and downloaded only by those allowed,
failures told in Swedish, results kept for JOB_RESULT_RETENTION_HOURS."""

import datetime

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.tasks import default_task_backend
from django.template.loader import get_template
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from finsam.jobs import kinds, services
from finsam.jobs.models import Job, JobFile, JobFilePurpose, JobKind, JobStatus
from finsam.jobs.services import Recorder, live_progress_key, prune_expired_jobs, start_job
from finsam.reports import compile
from finsam.reports.models import ReportStatus
from finsam.reports.tests.reporting import InitiativeReportFactory, ReportingPeriodFactory

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def period(world):
    period = ReportingPeriodFactory(association=world.a, name="Delår 1 2021")
    InitiativeReportFactory(period=period, initiative=world.a_initiative, filled=True)
    return period


@pytest.fixture
def fake_pdf(monkeypatch):
    """A compile that reports two steps and gives a small PDF."""

    def compile_pdf(*, association, period, progress, approved_only=False):
        progress(10, "Hämtar rapporter och statistik")
        progress(60, "Lägger ut kapitlen: %(n)s av %(total)s klara", n=1, total=2)
        return b"%PDF-fake"

    monkeypatch.setitem(compile.FORMATS, "pdf", (compile_pdf, compile.PDF_CONTENT_TYPE))


def compile_job(world, period, **kwargs):
    return start_job(
        actor=kwargs.pop("actor", world.secretariat),
        association=world.a,
        kind=JobKind.COMPILED_REPORT,
        period=period,
        output_format="pdf",
        **kwargs,
    )


@override_settings(TASKS=DUMMY)
def test_starting_a_job_records_it_and_enqueues_its_id_only(world, period):
    job = compile_job(world, period)
    assert job.status == JobStatus.QUEUED and job.percent == 0
    [queued] = default_task_backend.results
    assert queued.task.name == "run_job"
    assert queued.args == [str(job.pk)] and queued.kwargs == {}
    assert job.task_id == str(queued.id)


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_queued_job(world, period, fake_pdf):
    with override_settings(TASKS=DATABASE):
        job = compile_job(world, period)
        assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.percent == 100
    assert job.started_at and job.finished_at
    assert job.result_name == "projektsammanstallning-a-delar-1-2021.pdf"
    assert services.read_file(job, JobFilePurpose.RESULT)[1] == b"%PDF-fake"


@override_settings(TASKS=DUMMY)
def test_progress_is_recorded_on_the_job_and_for_the_status_page(
    world, period, client_for, monkeypatch
):
    job = compile_job(world, period)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    record = Recorder(job)
    record(37.6, "Lägger ut kapitlen: %(n)s av %(total)s klara", n=3, total=8)
    job.refresh_from_db()
    assert (job.percent, job.step_text) == (37, "Lägger ut kapitlen: 3 av 8 klara")

    # Within the throttle interval the same step is not written again; a new step is.
    record(38, "Lägger ut kapitlen: %(n)s av %(total)s klara", n=4, total=8)
    assert Job.objects.get(pk=job.pk).percent == 37
    record(95, "Sammanfogar delarna")
    assert Job.objects.get(pk=job.pk).percent == 95

    # The status page reads a running job's progress from the jobs cache, which an open
    # transaction of the work (an import) does not hide.
    caches["jobs"].set(
        live_progress_key(job.pk),
        {
            "percent": 64,
            "step": "Kontrollerar och sparar rad %(done)s av %(total)s",
            "step_args": {"done": 640, "total": 1000},
        },
    )
    response = client_for(world.secretariat).get(reverse("jobs:status", args=[job.pk]))
    assert response.status_code == 200  # still polling
    body = response.content.decode()
    assert 'value="64"' in body and "Kontrollerar och sparar rad 640 av 1000" in body


def test_a_finished_job_stops_the_polling_and_offers_its_download(
    world, period, client_for, fake_pdf
):
    job = compile_job(world, period)  # run at once by the immediate backend
    client = client_for(world.secretariat)
    detail = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'role="status"' in detail and 'aria-live="polite"' in detail
    assert "<progress" in detail and 'hx-trigger="every 1s"' not in detail
    assert reverse("jobs:download", args=[job.pk]) in detail
    status = client.get(reverse("jobs:status", args=[job.pk]))
    assert status.status_code == 286  # htmx stops polling
    assert client.get(reverse("jobs:download", args=[job.pk])).content == b"%PDF-fake"


@override_settings(TASKS=DUMMY)
def test_a_queued_job_polls_its_status(world, period, client_for):
    job = compile_job(world, period)
    detail = client_for(world.secretariat).get(reverse("jobs:detail", args=[job.pk]))
    body = detail.content.decode()
    assert f'hx-get="{reverse("jobs:status", args=[job.pk])}"' in body
    assert 'hx-trigger="every 1s"' in body
    assert "Väntar på att starta" in body
    assert reverse("jobs:download", args=[job.pk]) not in body


# Who sees a compiled report's job (the period has a draft: a working copy for the secretariat).
SEES_COMPILED = {
    "secretariat": True,  # started it
    "operator": True,  # may download the compiled report of the association
    "board": False,
    "manager": False,
    "registrar": False,
    "analyst": False,
    "b_secretariat": False,
    "no_role": False,
}


@pytest.mark.parametrize(("role", "sees"), list(SEES_COMPILED.items()))
def test_a_compiled_report_job_is_seen_by_those_who_may_download_it(
    role, sees, world, period, client_for, fake_pdf
):
    job = compile_job(world, period)
    client = client_for(getattr(world, role))
    for name in ("detail", "status", "download"):
        response = client.get(reverse(f"jobs:{name}", args=[job.pk]))
        assert (response.status_code in (200, 286)) is sees, (role, name)
        if not sees:
            assert response.status_code == 404


def test_the_board_sees_the_job_once_every_report_is_approved(world, period, client_for, fake_pdf):
    job = compile_job(world, period)
    url = reverse("jobs:download", args=[job.pk])
    assert client_for(world.board).get(url).status_code == 404
    period.reports.update(status=ReportStatus.APPROVED)
    assert client_for(world.board).get(url).content == b"%PDF-fake"


def test_someone_elses_import_job_does_not_exist(world, client_for):
    from finsam.conftest import make_user
    from finsam.core.roles import Role

    with override_settings(TASKS=DUMMY):
        job = start_job(
            actor=world.registrar,
            association=world.a,
            kind=JobKind.PARTICIPANT_IMPORT,
            initiative=world.a_initiative,
            input_name="f.csv",
            input_data=b"typ;personnummer",
        )
    colleague = make_user(world.a, Role.REGISTRAR, [world.a_initiative])
    url = reverse("jobs:detail", args=[job.pk])
    assert client_for(world.registrar).get(url).status_code == 200
    for user in (colleague, world.secretariat, world.operator, world.b_registrar):
        assert client_for(user).get(url).status_code == 404
    # The starter, once no longer the initiative's registrar, does not see it either.
    world.registrar.initiative_assignments.all().delete()
    assert client_for(world.registrar).get(url).status_code == 404


def test_a_failed_job_tells_why_in_swedish(world, period, client_for, monkeypatch):
    def broken(*, association, period, progress, approved_only=False):
        progress(20, "Hämtar rapporter och statistik")
        raise RuntimeError("kaboom")

    monkeypatch.setitem(compile.FORMATS, "pdf", (broken, compile.PDF_CONTENT_TYPE))
    job = compile_job(world, period)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.percent == 20 and job.finished_at
    body = client_for(world.secretariat).get(reverse("jobs:detail", args=[job.pk]))
    body = body.content.decode()
    assert "Misslyckades" in body
    assert "Jobbet kunde inte slutföras på grund av ett oväntat fel" in body
    assert "kaboom" not in body
    assert (
        client_for(world.secretariat).get(reverse("jobs:download", args=[job.pk])).status_code
        == 404
    )


def test_a_job_whose_starter_lost_the_right_fails_with_a_message(world, period, fake_pdf):
    with override_settings(TASKS=DUMMY):
        job = compile_job(world, period)
    world.secretariat.role_assignments.all().delete()
    services.run_job(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error_text.startswith("Du har inte längre behörighet")
    assert not JobFile.objects.filter(job=job).exists()


def test_results_are_kept_for_the_retention_time_then_pruned(
    world, period, client_for, fake_pdf, settings
):
    settings.JOB_RESULT_RETENTION_HOURS = 24
    job = compile_job(world, period)
    url = reverse("jobs:download", args=[job.pk])
    client = client_for(world.secretariat)
    assert client.get(url).status_code == 200
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(hours=25))
    assert client.get(url).status_code == 404  # expired, even before it is pruned
    assert prune_expired_jobs() == 1
    assert not Job.objects.exists() and not JobFile.objects.exists()


def test_the_prune_command_deletes_expired_jobs(world, period, fake_pdf, capsys):
    old = compile_job(world, period)
    kept = compile_job(world, period)
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=2))
    call_command("prune_jobs")
    assert "Deleted 1 expired job(s)." in capsys.readouterr().out
    assert list(Job.objects.values_list("pk", flat=True)) == [kept.pk]


@override_settings(TASKS=DUMMY)
def test_an_input_file_is_stored_encrypted(world):
    secret = "19811218-9876"
    job = start_job(
        actor=world.registrar,
        association=world.a,
        kind=JobKind.PARTICIPANT_IMPORT,
        initiative=world.a_initiative,
        input_name="f.csv",
        input_data=f"typ;personnummer\nin;{secret}\n".encode(),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM jobs_jobfile")
        [(raw,)] = cursor.fetchall()
    assert secret not in raw and "MTk4MTEy" not in raw  # neither plain nor base64
    assert secret.encode() in services.read_file(job, JobFilePurpose.INPUT)[1]


def test_every_kind_of_job_is_registered_by_its_app_with_templates_that_exist():
    for kind in JobKind.values:
        spec = kinds.get(kind)
        for name in (spec.title_template, spec.breadcrumb_template, spec.result_template):
            get_template(name)
    assert kinds.get(JobKind.COMPILED_REPORT).downloadable
    assert not kinds.get(JobKind.PARTICIPANT_IMPORT).downloadable
