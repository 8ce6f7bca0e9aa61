"""Downloading the compiled report: who may, for which period, and what they get."""

import io

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from docx import Document

from finsam.core.access import build_access
from finsam.reports import compile_views
from finsam.reports.compile import can_download_compiled
from finsam.reports.models import ReportStatus
from finsam.reports.tests.reporting import InitiativeReportFactory, ReportingPeriodFactory


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
        def compile_document(*, association, period):
            calls.append((association, period, extension))
            return f"fake {extension}".encode()

        return compile_document

    monkeypatch.setattr(
        compile_views,
        "FORMATS",
        {ext: (fake(ext), kind) for ext, (_f, kind) in compile_views.FORMATS.items()},
    )
    return calls


def _urls(period):
    return [
        reverse("reports:compiled_pdf", args=[period.pk]),
        reverse("reports:compiled_docx", args=[period.pk]),
    ]


# Expected status for a period of association A with a draft in it.
EXPECTED = {
    "secretariat": 200,
    "operator": 200,  # for the association chosen (A: the first by name)
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
def test_it_lets_only_the_secretariat_and_operator_download_a_working_copy(
    role, world, period, client_for, fake_compile
):
    client = client_for(getattr(world, role))
    for url in _urls(period):
        response = client.get(url)
        assert response.status_code == EXPECTED[role], (role, url)
    if EXPECTED[role] == 200:
        assert [(a, p, ext) for a, p, ext in fake_compile] == [
            (world.a, period, "pdf"),
            (world.a, period, "docx"),
        ]
    else:
        assert fake_compile == []


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("board", 200),
        ("secretariat", 200),
        ("analyst", 403),
        ("manager", 403),
        ("b_secretariat", 404),
    ],
)
def test_it_lets_the_board_download_once_every_report_is_approved(
    role, expected, world, period, client_for, fake_compile
):
    period.reports.update(status=ReportStatus.APPROVED)
    client = client_for(getattr(world, role))
    for url in _urls(period):
        assert client.get(url).status_code == expected


def test_it_keeps_the_board_out_of_a_period_without_reports(world, client_for, fake_compile):
    empty = ReportingPeriodFactory(association=world.a)
    client = client_for(world.board)
    assert client.get(_urls(empty)[0]).status_code == 403
    assert client.get(reverse("reports:compiled_pdf", args=[999999])).status_code == 404


def test_it_asks_anonymous_users_to_log_in(client, period, fake_compile):
    response = client.get(_urls(period)[0])
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_it_only_answers_get(world, period, client_for, fake_compile):
    client = client_for(world.secretariat)
    assert client.post(_urls(period)[0]).status_code == 405
    assert fake_compile == []


def test_it_downloads_the_real_documents_as_attachments(world, period, client_for):
    client = client_for(world.secretariat)
    response = client.get(_urls(period)[0])
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="projektsammanstallning-a-delar-1-2021.pdf"'
    )
    assert "no-store" in response["Cache-Control"]  # every response (NoStoreMiddleware)
    assert response.content.startswith(b"%PDF")

    response = client.get(_urls(period)[1])
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Cresco Create", "Level Upgrade", "Sammanfattning för förbundet"]


def test_it_offers_download_buttons_to_those_who_may_download(world, period, rf):
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
        assert (reverse("reports:compiled_pdf", args=[period.pk]) in html) is shown
        assert (reverse("reports:compiled_docx", args=[period.pk]) in html) is shown


def test_it_never_allows_a_period_of_another_association(world, period):
    b_period = ReportingPeriodFactory(association=world.b)
    assert not can_download_compiled(build_access(world.secretariat, world.a.pk), b_period)
    assert not can_download_compiled(build_access(world.operator, world.a.pk), b_period)
    assert can_download_compiled(build_access(world.operator, world.b.pk), b_period)


def test_the_period_page_offers_the_compiled_report_to_the_secretariat(world, client_for):
    from django.urls import reverse

    from finsam.reports.tests.reporting import ReportingPeriodFactory

    period = ReportingPeriodFactory(association=world.a)
    body = client_for(world.secretariat).get(reverse("reports:period", args=[period.pk]))
    assert reverse("reports:compiled_pdf", args=[period.pk]) in body.content.decode()
