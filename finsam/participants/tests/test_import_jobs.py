"""A large import runs as a background job: all or nothing still, progress by row, the file kept
encrypted only until the job has run, the result shown on the job's page to its starter only.
Tests run the job at once (the immediate task backend), as the worker would."""

import pytest
from django.test import override_settings
from django.urls import reverse

from finsam.jobs.models import Job, JobFile, JobKind, JobStatus
from finsam.participants.imports import import_file
from finsam.participants.models import Enrolment
from finsam.participants.tests.test_import_flow import access_for, error_rows
from finsam.participants.tests.test_import_support import (
    PNR_BAD_CHECK,
    PNR_MAN,
    PNR_WOMAN,
    codes,
    csv_bytes,
    in_row,
    upload,
)


@pytest.fixture
def c(world):
    return codes()


def post(client, initiative, content):
    return client.post(
        reverse("participant_import:upload", args=[initiative.pk]),
        {"file": upload(content, "deltagare.csv")},
    )


@override_settings(IMPORT_IN_BACKGROUND_ROWS=1)
def test_a_large_file_is_imported_by_a_job(world, client_for, c):
    client = client_for(world.registrar)
    response = post(client, world.a_initiative, csv_bytes([in_row(PNR_MAN), in_row(PNR_WOMAN)]))
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.initiative, job.started_by) == (
        JobKind.PARTICIPANT_IMPORT,
        world.a_initiative,
        world.registrar,
    )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.percent == 100
    assert Enrolment.objects.filter(initiative=world.a_initiative).count() == 2
    # The uploaded file is gone once the job has run; only its result is kept.
    assert list(JobFile.objects.values_list("purpose", flat=True)) == ["result"]
    page = client.get(response["Location"]).content.decode()
    assert "Importen är klar: 2 inregistreringar och 0 utregistreringar sparades." in page
    # The import page lists it to come back to.
    upload_page = client.get(reverse("participant_import:upload", args=[world.a_initiative.pk]))
    assert reverse("jobs:detail", args=[job.pk]) in upload_page.content.decode()


@override_settings(IMPORT_IN_BACKGROUND_ROWS=1)
def test_a_large_file_with_errors_saves_nothing_and_shows_every_error(world, client_for, c):
    client = client_for(world.registrar)
    response = post(client, world.a_initiative, csv_bytes([in_row(PNR_MAN), in_row(PNR_BAD_CHECK)]))
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert not Enrolment.objects.exists()
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "Importen stoppades: filen har 1 fel. Inget har sparats." in body
    assert len(error_rows(page)) == 1 and error_rows(page)[0].startswith(
        "Rad 3, kolumn personnummer"
    )
    assert PNR_BAD_CHECK not in body and PNR_BAD_CHECK.replace("-", "") not in body


def test_a_small_file_is_still_imported_while_you_wait(world, client_for, c):
    response = post(client_for(world.registrar), world.a_initiative, csv_bytes([in_row(PNR_MAN)]))
    assert response["Location"] == reverse(
        "participant_import:upload", args=[world.a_initiative.pk]
    )
    assert not Job.objects.exists()
    assert Enrolment.objects.count() == 1


def test_the_import_reports_every_row_it_checks(world, c):
    seen = []
    import_file(
        access=access_for(world.registrar),
        initiative=world.a_initiative,
        uploaded=upload(csv_bytes([in_row(PNR_MAN), in_row(PNR_WOMAN)]), "f.csv"),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(1, 2), (2, 2)]


@override_settings(IMPORT_IN_BACKGROUND_ROWS=1)
def test_the_job_shows_its_progress_by_row(world, client_for, c, monkeypatch):
    from finsam.jobs import services

    steps = []
    real = services.Recorder.__call__

    def spy(self, percent, step, **args):
        steps.append((int(percent), step % args if args else step))
        real(self, percent, step, **args)

    monkeypatch.setattr(services.Recorder, "__call__", spy)
    post(
        client_for(world.registrar),
        world.a_initiative,
        csv_bytes([in_row(PNR_MAN), in_row(PNR_WOMAN)]),
    )
    texts = [s for _p, s in steps]
    assert texts[0] == "Läser filen"
    assert "Kontrollerar och sparar rad 1 av 2" in texts
    assert "Kontrollerar och sparar rad 2 av 2" in texts
    assert [p for p, _s in steps] == sorted(p for p, _s in steps)
