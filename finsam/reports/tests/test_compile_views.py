"""Compiling the report as a job: who may start it, for which period, and what they get.

Tests run the job at once (the immediate task backend), as the worker would."""

import io

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from finsam.jobs.models import Job, JobKind, JobStatus
from finsam.reports import compile
from finsam.reports.compile import can_download_compiled
from finsam.reports.models import ReportStatus
from finsam.reports.tests.reporting import InitiativeReportFactory, ReportingPeriodFactory
from finsam.staff.access import build_access


@pytest.fixture
def period(world):
    period = ReportingPeriodFactory(association=world.a, name="Delår 1 2021")
    InitiativeReportFactory(
        period=period, initiative=world.a_initiative, filled=True, status=ReportStatus.APPROVED
    )
    InitiativeReportFactory(period=period, initiative=world.a_other, filled=True)
    return period


@pytest.fixture
def fake_compile(monkeypatch):
    """The permission matrix does not need real documents."""
    calls = []

    def fake(extension):
        def compile_document(*, association, period, progress, approved_only=False):
            calls.append(
                (association, period, extension) + (("approved",) if approved_only else ())
            )
            progress(50, "Halvvägs")
            return f"fake {extension}".encode()

        return compile_document

    monkeypatch.setattr(
        compile,
        "FORMATS",
        {ext: (fake(ext), kind) for ext, (_f, kind) in compile.FORMATS.items()},
    )
    return calls


def _urls(period):
    return [
        reverse("reports:compile", args=[period.pk, "pdf"]),
        reverse("reports:compile", args=[period.pk, "docx"]),
    ]


# Expected status for a period of association A with a draft in it.
EXPECTED = {
    "secretariat": 302,
    "operator": 302,  # for the association chosen (A: the first by name)
    "board": 403,  # not every report approved yet
    "manager": 403,
    "registrar": 403,
    "applicant": 403,
    "analyst": 403,
    "b_secretariat": 404,  # another association's period does not exist for them
    "b_registrar": 404,
    "no_role": 404,
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_it_lets_only_the_secretariat_and_operator_compile_a_working_copy(
    role, world, period, client_for, fake_compile
):
    client = client_for(getattr(world, role))
    for url in _urls(period):
        response = client.post(url)
        assert response.status_code == EXPECTED[role], (role, url)
    if EXPECTED[role] == 302:
        assert [(a, p, ext) for a, p, ext in fake_compile] == [
            (world.a, period, "pdf"),
            (world.a, period, "docx"),
        ]
        jobs = Job.objects.order_by("created_at")
        assert [(j.kind, j.output_format, j.started_by) for j in jobs] == [
            (JobKind.COMPILED_REPORT, "pdf", getattr(world, role)),
            (JobKind.COMPILED_REPORT, "docx", getattr(world, role)),
        ]
        assert response["Location"] == reverse("jobs:detail", args=[jobs.last().pk])
    else:
        assert fake_compile == []
        assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("board", 302),
        ("secretariat", 302),
        ("analyst", 403),
        ("manager", 403),
        ("b_secretariat", 404),
    ],
)
def test_it_lets_the_board_compile_once_every_report_is_approved(
    role, expected, world, period, client_for, fake_compile
):
    period.reports.update(status=ReportStatus.APPROVED)
    client = client_for(getattr(world, role))
    for url in _urls(period):
        assert client.post(url).status_code == expected


def test_it_keeps_the_board_out_of_a_period_without_reports(world, client_for, fake_compile):
    empty = ReportingPeriodFactory(association=world.a)
    client = client_for(world.board)
    assert client.post(_urls(empty)[0]).status_code == 403
    assert client.post(reverse("reports:compile", args=[999999, "pdf"])).status_code == 404


def test_it_knows_only_pdf_and_docx(world, period, client_for, fake_compile):
    client = client_for(world.secretariat)
    assert client.post(reverse("reports:compile", args=[period.pk, "odt"])).status_code == 404
    assert fake_compile == []


def test_it_asks_anonymous_users_to_log_in(client, period, fake_compile):
    response = client.post(_urls(period)[0])
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_it_only_answers_post(world, period, client_for, fake_compile):
    client = client_for(world.secretariat)
    assert client.get(_urls(period)[0]).status_code == 405
    assert fake_compile == []


def test_a_document_already_being_compiled_is_not_compiled_twice(
    world, period, client_for, fake_compile
):
    running = Job.objects.create(
        kind=JobKind.COMPILED_REPORT,
        association=world.a,
        started_by=world.secretariat,
        period=period,
        output_format="pdf",
        status=JobStatus.RUNNING,
    )
    response = client_for(world.operator).post(_urls(period)[0])
    assert response["Location"] == reverse("jobs:detail", args=[running.pk])
    assert fake_compile == []
    assert Job.objects.count() == 1


def test_it_compiles_the_real_documents_for_download(world, period, client_for):
    client = client_for(world.secretariat)
    job_page = client.post(_urls(period)[0], follow=True)
    job = Job.objects.get(output_format="pdf")
    assert job.status == JobStatus.DONE and job.percent == 100
    download = reverse("jobs:download", args=[job.pk])
    assert download in job_page.content.decode()
    response = client.get(download)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="projektsammanstallning-a-delar-1-2021.pdf"'
    )
    assert "no-store" in response["Cache-Control"]  # every response (NoStoreMiddleware)
    assert response.content.startswith(b"%PDF")

    client.post(_urls(period)[1])
    job = Job.objects.get(output_format="docx")
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Cresco Create", "Level Upgrade", "Sammanfattning för förbundet"]


def test_it_offers_the_compile_buttons_to_those_who_may_download(world, period, rf):
    request = rf.get("/")
    for role, shown in [("secretariat", True), ("board", False), ("manager", False)]:
        access = build_access(getattr(world, role), world.a.pk)
        allowed = can_download_compiled(access, period)
        assert allowed is shown
        html = render_to_string(
            "reports/compiled/_download_buttons.html",
            {"period": period, "can_download_compiled": allowed},
            request=request,
        )
        for url in _urls(period):
            assert (url in html) is shown


def test_it_never_allows_a_period_of_another_association(world, period):
    b_period = ReportingPeriodFactory(association=world.b)
    assert not can_download_compiled(build_access(world.secretariat, world.a.pk), b_period)
    assert not can_download_compiled(build_access(world.operator, world.a.pk), b_period)
    assert can_download_compiled(build_access(world.operator, world.b.pk), b_period)


def test_the_period_page_shows_the_compiled_reports_to_come_back_to(
    world, period, client_for, fake_compile
):
    client = client_for(world.secretariat)
    page = reverse("reports:period", args=[period.pk])
    assert _urls(period)[0] in client.get(page).content.decode()
    client.post(_urls(period)[0])
    job = Job.objects.get()
    body = client_for(world.operator).get(page).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in body
    # Not to the board while the period is a working copy.
    body = client_for(world.board).get(page).content.decode()
    assert str(job.pk) not in body


# --- The approved reports only ----------------------------------------------------------------


def _approved_urls(period):
    return [
        reverse("reports:compile_approved", args=[period.pk, "pdf"]),
        reverse("reports:compile_approved", args=[period.pk, "docx"]),
    ]


# Expected status for the approved reports only of a period of association A with a draft in it.
EXPECTED_APPROVED = {
    **EXPECTED,
    "board": 302,  # at any time
}


@pytest.mark.parametrize("role", list(EXPECTED_APPROVED))
def test_it_lets_the_board_compile_the_approved_reports_at_any_time(
    role, world, period, client_for, fake_compile
):
    client = client_for(getattr(world, role))
    for url in _approved_urls(period):
        assert client.post(url).status_code == EXPECTED_APPROVED[role], (role, url)
    if EXPECTED_APPROVED[role] == 302:
        assert fake_compile == [
            (world.a, period, "pdf", "approved"),
            (world.a, period, "docx", "approved"),
        ]
        jobs = Job.objects.order_by("created_at")
        assert [(j.output_format, j.approved_only) for j in jobs] == [
            ("pdf", True),
            ("docx", True),
        ]
    else:
        assert fake_compile == []
        assert not Job.objects.exists()


def test_it_answers_404_for_the_approved_reports_of_another_associations_period(
    world, client_for, fake_compile
):
    b_period = ReportingPeriodFactory(association=world.b)
    InitiativeReportFactory(
        period=b_period, initiative=world.b_initiative, status=ReportStatus.APPROVED
    )
    for role in ("board", "secretariat", "operator"):
        client = client_for(getattr(world, role))
        assert client.post(_approved_urls(b_period)[0]).status_code == 404, role
    assert fake_compile == []


def test_the_approved_reports_and_the_complete_compilation_are_different_jobs(
    world, period, client_for, fake_compile
):
    running_full = Job.objects.create(
        kind=JobKind.COMPILED_REPORT,
        association=world.a,
        started_by=world.secretariat,
        period=period,
        output_format="pdf",
        status=JobStatus.RUNNING,
    )
    client = client_for(world.board)
    response = client.post(_approved_urls(period)[0])
    approved = Job.objects.get(approved_only=True)
    assert approved.pk != running_full.pk
    assert response["Location"] == reverse("jobs:detail", args=[approved.pk])
    # Started again while running, the approved-only job is reused, not the complete one.
    Job.objects.filter(pk=approved.pk).update(status=JobStatus.RUNNING)
    again = client_for(world.secretariat).post(_approved_urls(period)[0])
    assert again["Location"] == reverse("jobs:detail", args=[approved.pk])
    again = client_for(world.secretariat).post(_urls(period)[0])
    assert again["Location"] == reverse("jobs:detail", args=[running_full.pk])
    assert Job.objects.count() == 2


def test_the_board_sees_only_the_approved_reports_jobs_until_all_are_approved(
    world, period, client_for, fake_compile
):
    secretariat = client_for(world.secretariat)
    secretariat.post(_urls(period)[0])
    secretariat.post(_approved_urls(period)[0])
    full = Job.objects.get(approved_only=False)
    approved = Job.objects.get(approved_only=True)
    page = reverse("reports:period", args=[period.pk])
    body = secretariat.get(page).content.decode()
    assert str(full.pk) in body and str(approved.pk) in body
    board = client_for(world.board)
    body = board.get(page).content.decode()
    assert str(approved.pk) in body
    assert str(full.pk) not in body
    # The buttons: the approved reports only, with a word on the complete one.
    assert _approved_urls(period)[0] in body
    assert _urls(period)[0] not in body
    assert 'id="compiled-approved-hint"' in body
    assert board.get(reverse("jobs:detail", args=[approved.pk])).status_code == 200
    assert board.get(reverse("jobs:download", args=[approved.pk])).status_code == 200
    for name in ("jobs:detail", "jobs:status", "jobs:download"):
        assert board.get(reverse(name, args=[full.pk])).status_code == 404, name
    for role in ("manager", "registrar", "analyst"):
        client = client_for(getattr(world, role))
        assert client.get(reverse("jobs:download", args=[approved.pk])).status_code == 404, role
    # Once every report is approved the board sees both.
    period.reports.update(status=ReportStatus.APPROVED)
    board = client_for(world.board)
    body = board.get(page).content.decode()
    assert str(full.pk) in body and str(approved.pk) in body
    assert board.get(reverse("jobs:download", args=[full.pk])).status_code == 200


def _pdf_text(data: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages)


def test_the_board_downloads_only_the_approved_reports_text(world, period, client_for):
    approved = period.reports.get(status=ReportStatus.APPROVED)
    draft = period.reports.exclude(status=ReportStatus.APPROVED).get()
    approved.results = "Godkand text om resultaten i Cresco."
    approved.save()
    draft.results = "Utkasttext som styrelsen inte ska se."
    draft.save()
    client = client_for(world.board)
    for output_format in ("pdf", "docx"):
        client.post(reverse("reports:compile_approved", args=[period.pk, output_format]))
        job = Job.objects.get(output_format=output_format, approved_only=True)
        assert job.status == JobStatus.DONE, job.error_text
        response = client.get(reverse("jobs:download", args=[job.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"] == (
            "attachment; "
            f'filename="projektsammanstallning-godkanda-rapporter-a-delar-1-2021.{output_format}"'
        )
        if output_format == "pdf":
            text = " ".join(_pdf_text(response.content).split())
        else:
            document = Document(io.BytesIO(response.content))
            text = " ".join(p.text for p in document.paragraphs)
            headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
            assert headings == ["Cresco Create", "Sammanfattning för förbundet"]
        assert "Godkand text om resultaten i Cresco." in text
        assert "Utkasttext" not in text
        assert "Utkast – ej inlämnad" not in text
        # It says it is not the complete compilation, and whose reports are missing.
        assert "inte den fullständiga projektsammanställningen" in text
        assert "som ännu inte är godkända och inte ingår: Level Upgrade." in text


def test_the_compiled_report_is_swedish_whatever_the_language_of_the_page(
    world, period, client_for
):
    client = client_for(world.board)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post(reverse("reports:compile_approved", args=[period.pk, "docx"]))
    job = Job.objects.get()
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Compiled report" in page  # the page is English
    document = Document(io.BytesIO(client.get(reverse("jobs:download", args=[job.pk])).content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Cresco Create", "Sammanfattning för förbundet"]
