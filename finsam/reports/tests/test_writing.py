import re

import pytest
from django.urls import reverse

from finsam.reference.models import Municipality
from finsam.reports.models import ReportStatus
from finsam.reports.tests.reporting import FILLED, InitiativeReportFactory, ReportingPeriodFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def report(world):
    period = ReportingPeriodFactory(association=world.a)
    return InitiativeReportFactory(
        period=period, initiative=world.a_initiative, background="Gammal bakgrund."
    )


def detail(report):
    return reverse("reports:detail", args=[report.pk])


def autosave(report):
    return reverse("reports:autosave", args=[report.pk])


# --- The page ---------------------------------------------------------------------------------


def test_the_writer_sees_every_section_with_its_guiding_questions(world, client_for, report):
    body = client_for(world.manager).get(detail(report)).content.decode()
    for heading, question in (
        ("Bakgrund", "Kort beskrivning av projektets bakgrund."),
        ("Syfte", "Vad är visionen?"),
        ("Mål", "Vilka mål förväntas projektet uppnå?"),
        ("Metod/Strategi", "Vilka aktiviteter genomförs och i vilken omfattning?"),
        ("Resultat", "Vad har projektet uppnått hittills?"),
        ("framgångsfaktorer och svårigheter", "Hur har ni tacklat de svårigheter"),
        ("intag och samverkan", "Hur fungerar intag och samverkan med remittent/aktör"),
        ("måluppfyllelse", "Tror ni att projektets mål kommer att uppnås inom projektperioden?"),
    ):
        assert heading in body
        assert question in body
    assert 'name="project_name"' in body and 'value="Cresco Create"' in body
    assert "Gammal bakgrund." in body
    # Interim reports have no final-report sections.
    assert 'name="lessons_learned"' not in body
    # Every field autosaves itself.
    assert body.count(f'hx-post="{autosave(report)}"') == 3 + 8
    assert 'hx-trigger="change, keyup changed delay:2s"' in body
    assert "&quot;field&quot;: &quot;results&quot;" in body


def test_a_final_report_adds_summary_lessons_and_implementation(world, client_for):
    period = ReportingPeriodFactory(association=world.a, kind="final")
    report = InitiativeReportFactory(period=period, initiative=world.a_initiative)
    body = client_for(world.manager).get(detail(report)).content.decode()
    for name in ("summary", "lessons_learned", "implementation"):
        assert f'name="{name}"' in body
    assert "Slutrapport" in body


def test_a_sub_report_has_results_and_analysis_only(world, client_for, report):
    skovde = Municipality.objects.get(name="Skövde")
    sub = InitiativeReportFactory(
        period=report.period, initiative=report.initiative, parent=report, municipality=skovde
    )
    body = client_for(world.applicant).get(detail(sub)).content.decode()
    assert 'name="results"' in body and 'name="analysis_cooperation"' in body
    assert 'name="background"' not in body
    assert "Delrapport för Skövde" in body
    main = client_for(world.manager).get(detail(report)).content.decode()
    assert reverse("reports:detail", args=[sub.pk]) in main


# --- Autosave ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "applicant", "secretariat"])
def test_autosave_saves_that_field_only_and_says_when(world, client_for, report, role):
    response = client_for(world.user(role)).post(
        autosave(report),
        # The whole form comes along (htmx includes the enclosing form): only `field` is saved.
        {"field": "results", "results": "Fem deltagare i arbetsträning.", "background": "Ny"},
        **HTMX,
    )
    assert response.status_code == 200
    assert re.search(r"Sparat \d\d:\d\d", response.content.decode())
    report.refresh_from_db()
    assert report.results == "Fem deltagare i arbetsträning."
    assert report.background == "Gammal bakgrund."


def test_autosave_saves_a_header_field_and_an_emptied_section(world, client_for, report):
    client = client_for(world.manager)
    client.post(autosave(report), {"field": "project_period", "project_period": "2021 ut"})
    client.post(autosave(report), {"field": "background", "background": ""})
    report.refresh_from_db()
    assert report.project_period == "2021 ut"
    assert report.background == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"field": "status", "status": "approved"}, "Fältet finns inte i rapporten."),
        ({"field": "statistics_snapshot", "statistics_snapshot": "{}"}, "Fältet finns inte"),
        ({"field": "results"}, "Fältet finns inte i rapporten."),
        ({"field": "project_name", "project_name": "  "}, "Ange projektets namn."),
        ({"field": "project_name", "project_name": "x" * 201}, "Texten är för lång"),
        ({"field": "results", "results": "x" * 50_001}, "Texten är för lång"),
    ],
)
def test_autosave_refuses_bad_input_and_saves_nothing(world, client_for, report, data, message):
    before = report.updated_at
    response = client_for(world.manager).post(autosave(report), data, **HTMX)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert "Sparades inte" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.updated_at == before
    assert report.project_name == "Cresco Create"


def test_a_sub_report_does_not_autosave_main_report_sections(world, client_for, report):
    sub = InitiativeReportFactory(
        period=report.period,
        initiative=report.initiative,
        parent=report,
        municipality=Municipality.objects.get(name="Hjo"),
    )
    response = client_for(world.manager).post(
        autosave(sub), {"field": "background", "background": "x"}
    )
    assert response.status_code == 422
    sub.refresh_from_db()
    assert sub.background == ""


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.APPROVED])
@pytest.mark.parametrize("role", ["manager", "secretariat"])
def test_a_submitted_or_approved_report_is_read_only(world, client_for, report, status, role):
    report.status = status
    report.save()
    client = client_for(world.user(role))
    response = client.post(autosave(report), {"field": "results", "results": "Ändrat"})
    assert response.status_code == 422
    assert "kan inte ändras" in response.content.decode()
    assert client.post(detail(report), {**FILLED, "project_name": "X"}).status_code == 403
    report.refresh_from_db()
    assert report.results == ""
    body = client.get(detail(report)).content.decode()
    assert autosave(report) not in body
    assert 'name="results"' not in body
    assert "Gammal bakgrund." in body


def test_a_returned_report_can_be_written_again(world, client_for, report):
    report.status = ReportStatus.RETURNED
    report.save()
    response = client_for(world.manager).post(autosave(report), {"field": "goals", "goals": "Nya"})
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.goals == "Nya"


# --- The page's save button (without JavaScript) ----------------------------------------------


def test_the_save_button_saves_every_field(world, client_for, report):
    data = {**FILLED, "project_name": "Cresco Create", "owner_organisation": "Hjo kommun"}
    response = client_for(world.manager).post(detail(report), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.owner_organisation == "Hjo kommun"
    for name, value in FILLED.items():
        assert getattr(report, name) == value


def test_the_save_button_refuses_too_long_text_and_saves_nothing(world, client_for, report):
    data = {**FILLED, "project_name": "Cresco Create", "owner_organisation": "x" * 301}
    response = client_for(world.manager).post(detail(report), data)
    assert response.status_code == 200
    assert "Rapporten sparades inte." in response.content.decode()
    report.refresh_from_db()
    assert report.results == ""
    assert report.owner_organisation == "Skövde kommun"


# --- Who may write ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("registrar", 404),
        ("b_secretariat", 404),
        ("b_registrar", 404),
        ("no_role", 404),
        ("board", 404),  # drafts are not visible to the board
        ("analyst", 404),
        ("operator", 404),
    ],
)
def test_others_cannot_write_a_draft(world, client_for, report, role, status):
    client = client_for(world.user(role))
    assert client.post(autosave(report), {"field": "results", "results": "x"}).status_code == status
    assert client.post(detail(report), FILLED).status_code == status
    assert client.get(detail(report)).status_code == status
    report.refresh_from_db()
    assert report.results == ""


def test_writers_of_another_initiative_get_404(world, client_for):
    period = ReportingPeriodFactory(association=world.a)
    other = InitiativeReportFactory(period=period, initiative=world.a_other)
    for role in ("manager", "applicant"):
        client = client_for(world.user(role))
        assert client.get(detail(other)).status_code == 404
        response = client.post(autosave(other), {"field": "results", "results": "x"})
        assert response.status_code == 404


def test_the_board_reads_an_approved_report_but_cannot_write_it(world, client_for, report):
    report.status = ReportStatus.APPROVED
    report.results = "Godkänt resultat."
    report.save()
    for role in ("board", "analyst", "operator"):
        client = client_for(world.user(role))
        response = client.get(detail(report))
        assert response.status_code == 200
        body = response.content.decode()
        assert "Godkänt resultat." in body
        assert "<textarea" not in body  # no fields, and readers do not comment
        response = client.post(autosave(report), {"field": "results", "results": "x"})
        assert response.status_code == 403
