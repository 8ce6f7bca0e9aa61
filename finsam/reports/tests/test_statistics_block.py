import datetime

import pytest
from django.db.models import F
from django.urls import reverse

from finsam.participants.models import Gender
from finsam.participants.tests.factories import EnrolmentFactory
from finsam.reference.models import Code, CodeList, Municipality
from finsam.reports import selectors, services
from finsam.reports.models import ReportStatus
from finsam.reports.tests.reporting import InitiativeReportFactory, ReportingPeriodFactory
from finsam.staff.access import build_access

HTMX = {"HTTP_HX_REQUEST": "true"}
# Since the start of the initiative (the 2019 enrolment too), as report writers count.
SUMMARY_START = "Den 31 augusti 2021 hade Cresco Create 4 deltagare totalt"


@pytest.fixture
def municipalities():
    return {name: Municipality.objects.get(name=name) for name in ("Skövde", "Hjo")}


@pytest.fixture
def registrations(world, municipalities):
    """Cresco Create in 2021: two women in Skövde, one man in Hjo (exited to work in June);
    one enrolment before the period and one in another initiative are not counted."""
    initiative = world.a_initiative

    def enrol(**kwargs):
        return EnrolmentFactory(initiative=initiative, anonymous=True, **kwargs)

    enrol(
        gender=Gender.WOMAN,
        age_at_start=22,
        home_municipality=municipalities["Skövde"],
        start_date=datetime.date(2021, 2, 1),
    )
    enrol(
        gender=Gender.WOMAN,
        age_at_start=31,
        home_municipality=municipalities["Skövde"],
        start_date=datetime.date(2020, 11, 1),
    )
    enrol(
        gender=Gender.MAN,
        age_at_start=45,
        home_municipality=municipalities["Hjo"],
        start_date=datetime.date(2021, 3, 1),
        end_date=datetime.date(2021, 6, 15),
        exit_reason=Code.objects.get(code_list=CodeList.EXIT_REASON, code="arbete"),
    )
    enrol(
        gender=Gender.MAN,
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2019, 6, 1),
        exit_reason=Code.objects.get(code_list=CodeList.EXIT_REASON, code="arbete"),
    )
    EnrolmentFactory(initiative=world.a_other, anonymous=True, start_date=datetime.date(2021, 2, 1))


@pytest.fixture
def report(world, registrations):
    period = ReportingPeriodFactory(
        association=world.a,
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2021, 8, 31),
        deadline=datetime.date(2021, 9, 30),
    )
    return InitiativeReportFactory(period=period, initiative=world.a_initiative, filled=True)


@pytest.fixture
def skovde_report(report, municipalities):
    return InitiativeReportFactory(
        period=report.period,
        initiative=report.initiative,
        parent=report,
        municipality=municipalities["Skövde"],
        results="Skövdes resultat.",
    )


def detail(report):
    return reverse("reports:detail", args=[report.pk])


def headline(block):
    table = next(t for t in block.tables if t.dimension == "headline")
    return {row.key: row.total.value for row in table.rows}


def test_the_report_page_shows_the_tables_charts_and_summary(world, client_for, report):
    response = client_for(world.manager).get(detail(report))
    body = response.content.decode()
    block = response.context["statistics"]
    assert [t.dimension for t in block.tables] == [
        "headline",
        "gender",
        "age_group",
        "income_before",
        "exit_reason",
        "outcome",
    ]
    assert headline(block)["active"] == 3
    assert headline(block)["new"] == 2
    assert headline(block)["exited"] == 1
    assert headline(block)["active_at_end"] == 2
    gender = next(t for t in block.tables if t.dimension == "gender")
    assert (gender.total.women.value, gender.total.men.value) == (2, 1)
    assert body.count("<svg") >= 6
    assert block.summary.startswith(SUMMARY_START)
    assert SUMMARY_START in body
    assert "Infoga sammanfattning i Resultat" in body
    assert not block.frozen
    assert "låses när rapporten lämnas in" in body


def test_a_sub_report_counts_the_participants_living_in_its_municipality(
    world, client_for, skovde_report
):
    response = client_for(world.applicant).get(detail(skovde_report))
    block = response.context["statistics"]
    assert headline(block)["active"] == 2
    assert headline(block)["exited"] == 0
    assert "deltagare som bor i Skövde" in response.content.decode()
    # The summary sentence describes the whole initiative: not offered on a sub-report.
    assert block.summary == ""
    assert "Infoga sammanfattning" not in response.content.decode()


def test_insert_summary_appends_the_sentence_to_the_results_with_htmx(world, client_for, report):
    client = client_for(world.manager)
    response = client.post(
        reverse("reports:insert_summary", args=[report.pk]),
        {"results": "Egen text.", "goals": "Ändrade mål."},
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="section-results"' in body
    assert "Egen text.\n\n" + SUMMARY_START in body
    report.refresh_from_db()
    assert report.results.startswith("Egen text.\n\n" + SUMMARY_START)
    # What the form held was saved first: nothing typed is lost.
    assert report.goals == "Ändrade mål."


def test_insert_summary_without_javascript_redirects_back(world, client_for, report):
    report.results = ""
    report.save()
    client = client_for(world.secretariat)
    response = client.post(reverse("reports:insert_summary", args=[report.pk]))
    assert response.status_code == 302
    assert (
        "Sammanfattningen är infogad i Resultat."
        in client.get(response["Location"]).content.decode()
    )
    report.refresh_from_db()
    assert report.results.startswith(SUMMARY_START)


def test_insert_summary_is_refused_on_a_submitted_report(world, client_for, report):
    services.report_submit(access=build_access(world.manager), report=report)
    response = client_for(world.manager).post(
        reverse("reports:insert_summary", args=[report.pk]), **HTMX
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#saved-results"
    report.refresh_from_db()
    assert SUMMARY_START not in report.results


def test_submission_freezes_the_statistics(world, client_for, report):
    services.report_submit(access=build_access(world.manager), report=report)
    report.refresh_from_db()
    snapshot = report.statistics_snapshot
    assert snapshot["version"] == 1
    assert snapshot["period_start"] == "2021-01-01"
    assert snapshot["period_end"] == "2021-08-31"
    assert snapshot["municipality"] is None
    assert snapshot["summary"].startswith(SUMMARY_START)
    assert [t["dimension"] for t in snapshot["tables"]][0] == "headline"
    active = next(r for r in snapshot["tables"][0]["rows"] if r["key"] == "active")
    assert (active["women"], active["men"], active["total"]) == (2, 1, 3)

    # Registrations made after the submission do not change what was submitted.
    EnrolmentFactory(
        initiative=world.a_initiative, anonymous=True, start_date=datetime.date(2021, 5, 1)
    )
    response = client_for(world.secretariat).get(detail(report))
    block = response.context["statistics"]
    assert block.frozen
    assert headline(block)["active"] == 3
    assert block.summary == snapshot["summary"]
    assert "Som vid inlämningen" in response.content.decode()
    assert response.content.decode().count("<svg") >= 6

    # Returned for changes: the figures are live again and frozen anew at the next submission.
    services.report_return(
        access=build_access(world.secretariat), report=report, comment="Uppdatera."
    )
    report.refresh_from_db()
    assert headline(selectors.report_statistics(report=report))["active"] == 4
    services.report_submit(access=build_access(world.manager), report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert headline(selectors.report_statistics(report=report))["active"] == 4


def test_the_snapshot_of_a_sub_report_is_its_municipalitys(world, skovde_report):
    services.report_submit(access=build_access(world.manager), report=skovde_report)
    skovde_report.refresh_from_db()
    snapshot = skovde_report.statistics_snapshot
    assert snapshot["municipality"] == "Skövde"
    assert snapshot["summary"] == ""
    active = next(r for r in snapshot["tables"][0]["rows"] if r["key"] == "active")
    assert active["total"] == 2


def test_snapshot_tables_read_back_equal_the_live_tables(report):
    live = selectors.live_statistics_tables(report=report)
    back = selectors.tables_from_snapshot(selectors.statistics_snapshot(report=report))
    assert [selectors.table_to_dict(t) for t in back] == [selectors.table_to_dict(t) for t in live]
    assert back[0].rows[0].women.display == live[0].rows[0].women.display
    assert back[0].column_labels == live[0].column_labels


def test_frozen_statistics_are_read_in_the_readers_language(report):
    from django.utils import translation

    with translation.override("en"):  # submitted by someone using English: stored in Swedish
        snapshot = selectors.statistics_snapshot(report=report)
    assert snapshot["tables"][0]["title"] == "Deltagare under perioden"
    with translation.override("en"):
        tables = selectors.tables_from_snapshot(snapshot)
    assert tables[0].title == "Participants during the period"
    assert tables[0].total.label == "Total"
    labels = {row.label for table in tables for row in table.rows}
    code = (
        Code.objects.filter(
            labels__sv__in=[r["label"] for t in snapshot["tables"] for r in t["rows"]]
        )
        .exclude(labels__en=F("labels__sv"))
        .first()
    )
    assert code is not None and code.label_en in labels and code.label_sv not in labels
