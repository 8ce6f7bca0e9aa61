import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from finsam.initiatives.tests.factories import InitiativeFactory
from finsam.reference.models import Municipality
from finsam.reports import selectors
from finsam.reports.models import ReportStatus
from finsam.reports.tests.reporting import InitiativeReportFactory, ReportingPeriodFactory

TODAY = timezone.localdate


def period_due_in(world, days, **kwargs):
    deadline = TODAY() + datetime.timedelta(days=days)
    return ReportingPeriodFactory(
        association=world.a,
        start_date=deadline - datetime.timedelta(days=120),
        end_date=deadline - datetime.timedelta(days=20),
        deadline=deadline,
        **kwargs,
    )


def url(period):
    return reverse("reports:period", args=[period.pk])


def rows_by_initiative(overview):
    return {row.report.initiative.name: row for row in overview.rows}


@pytest.fixture
def four(world):
    """Four initiatives' reports, one per status, in a period due in 10 days."""
    period = period_due_in(world, 10)
    reports = {}
    for status, initiative in zip(
        ReportStatus.values,
        [
            world.a_initiative,
            world.a_other,
            InitiativeFactory(association=world.a, name="Kick Off"),
            InitiativeFactory(association=world.a, name="Vara frisk!"),
        ],
        strict=True,
    ):
        reports[status] = InitiativeReportFactory(
            period=period, initiative=initiative, status=status
        )
    return period, reports


def test_the_overview_counts_statuses_and_flags_reports_not_submitted_near_the_deadline(
    world, client_for, four
):
    period, reports = four
    response = client_for(world.secretariat).get(url(period))
    overview = response.context["overview"]
    assert overview.counts == {"draft": 1, "submitted": 1, "returned": 1, "approved": 1}
    assert overview.total == 4
    assert (overview.near, overview.late) == (2, 0)
    alerts = {row.report.status: row.alert for row in overview.rows}
    assert alerts == {"draft": "near", "returned": "near", "submitted": "", "approved": ""}
    body = response.content.decode()
    assert body.count('class="table-warning"') == 2
    assert "10 dagar kvar" in body
    for report in reports.values():
        assert reverse("reports:detail", args=[report.pk]) in body


@pytest.mark.parametrize(
    ("days", "alert"),
    [(-3, "late"), (-1, "late"), (0, "near"), (14, "near"), (15, ""), (60, "")],
)
def test_the_deadline_alert(world, days, alert):
    period = period_due_in(world, days)
    draft = InitiativeReportFactory(period=period, initiative=world.a_initiative)
    submitted = InitiativeReportFactory(
        period=period, initiative=world.a_other, status=ReportStatus.SUBMITTED
    )
    access = _access(world.secretariat, world.a)
    overview = selectors.period_overview(access, period)
    rows = rows_by_initiative(overview)
    assert rows[draft.initiative.name].alert == alert
    assert rows[submitted.initiative.name].alert == ""
    assert overview.late == (1 if alert == "late" else 0)
    assert overview.near == (1 if alert == "near" else 0)


def test_a_late_report_is_shown_as_late(world, client_for):
    period = period_due_in(world, -3)
    InitiativeReportFactory(period=period, initiative=world.a_initiative)
    body = client_for(world.secretariat).get(url(period)).content.decode()
    assert "Försenad 3 dagar" in body
    assert 'class="table-danger"' in body
    assert "(passerad)" in body


def test_a_report_submitted_after_the_deadline_is_marked_late(world, client_for):
    period = period_due_in(world, -3)
    deadline_end = datetime.datetime.combine(period.deadline, datetime.time(23, 59))
    late = InitiativeReportFactory(
        period=period,
        initiative=world.a_initiative,
        status=ReportStatus.SUBMITTED,
        submitted_at=timezone.make_aware(deadline_end) + datetime.timedelta(minutes=2),
    )
    in_time = InitiativeReportFactory(
        period=period,
        initiative=world.a_other,
        status=ReportStatus.APPROVED,
        submitted_at=timezone.make_aware(deadline_end),
    )
    assert late.submitted_late and not in_time.submitted_late
    client = client_for(world.secretariat)
    assert client.get(url(period)).content.decode().count("Inlämnad för sent") == 1
    detail = client.get(reverse("reports:detail", args=[late.pk])).content.decode()
    assert ">för sent<" in detail


def test_the_overview_lists_active_initiatives_without_a_report(world, client_for):
    period = period_due_in(world, 30)
    InitiativeReportFactory(period=period, initiative=world.a_initiative)
    body = client_for(world.secretariat).get(url(period)).content.decode()
    assert "1 insats som är aktiv under perioden har ingen rapport" in body
    assert "Level Upgrade" in body


def test_sub_reports_are_listed_under_their_main_report(world, client_for):
    period = period_due_in(world, 30)
    main = InitiativeReportFactory(period=period, initiative=world.a_initiative)
    for name in ("Skövde", "Hjo"):
        InitiativeReportFactory(
            period=period,
            initiative=world.a_initiative,
            parent=main,
            municipality=Municipality.objects.get(name=name),
        )
    overview = client_for(world.secretariat).get(url(period)).context["overview"]
    assert len(overview.rows) == 1
    assert [r.report.municipality.name for r in overview.rows[0].sub_rows] == ["Hjo", "Skövde"]
    assert overview.total == 3


@pytest.mark.parametrize("role", ["board", "analyst", "operator"])
def test_readers_see_only_the_approved_reports(world, client_for, four, role):
    period, reports = four
    response = client_for(world.user(role)).get(url(period))
    assert response.status_code == 200
    overview = response.context["overview"]
    assert [row.report for row in overview.rows] == [reports["approved"]]
    assert overview.missing_initiatives == []
    assert "Skapa rapporter" not in response.content.decode()


@pytest.mark.parametrize("role", ["manager", "applicant", "registrar", "no_role"])
def test_the_overview_is_not_for_writers_or_registrars(world, client_for, four, role):
    period, _reports = four
    client = client_for(world.user(role))
    assert client.get(url(period)).status_code == 403
    assert client.get(reverse("reports:periods")).status_code == 403


@pytest.mark.parametrize("role", ["b_secretariat", "b_registrar"])
def test_another_association_cannot_see_the_overview(world, client_for, four, role):
    period, _reports = four
    assert client_for(world.user(role)).get(url(period)).status_code in (403, 404)
    if role == "b_secretariat":
        assert client_for(world.user(role)).get(url(period)).status_code == 404


def _make_reports(world, period, n):
    for i in range(n):
        initiative = InitiativeFactory(association=world.a, name=f"Insats {period.pk}-{i}")
        main = InitiativeReportFactory(
            period=period, initiative=initiative, status=ReportStatus.values[i % 4]
        )
        if i % 5 == 0:
            InitiativeReportFactory(
                period=period,
                initiative=initiative,
                parent=main,
                municipality=Municipality.objects.order_by("pk")[i],
            )


def test_the_overview_uses_the_same_number_of_queries_for_3_and_30_reports(
    world, client_for, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, large = period_due_in(world, 5, name="Liten"), period_due_in(world, 5, name="Stor")
    _make_reports(world, small, 3)
    _make_reports(world, large, 30)
    client = client_for(world.secretariat)
    client.get(url(small))  # warm up session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(small)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        response = client.get(url(large))
    assert response.status_code == 200
    assert response.context["overview"].total == 36
    assert len(many) == len(few)
    with django_assert_max_num_queries(len(few)):
        client.get(url(large))


def test_my_reports_lists_the_writers_reports_across_periods(world, client_for):
    first = period_due_in(world, -40, name="Delår 1")
    second = period_due_in(world, 7, name="Delår 2")
    old = InitiativeReportFactory(
        period=first, initiative=world.a_initiative, status=ReportStatus.APPROVED
    )
    new = InitiativeReportFactory(period=second, initiative=world.a_initiative)
    InitiativeReportFactory(period=second, initiative=world.a_other)
    InitiativeReportFactory(
        period=ReportingPeriodFactory(association=world.b), initiative=world.b_initiative
    )
    for role in ("manager", "applicant"):
        response = client_for(world.user(role)).get(reverse("reports:mine"))
        assert response.status_code == 200
        rows = response.context["rows"]
        assert [row.report for row in rows] == [new, old]
        assert [row.alert for row in rows] == ["near", ""]
        body = response.content.decode()
        assert "Level Upgrade" not in body and "Rätt Hjälp" not in body
        assert "7 dagar kvar" in body


def test_my_reports_uses_the_same_number_of_queries_for_3_and_30_reports(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.manager)
    client.get(reverse("reports:mine"))
    counts = []
    made = 0
    for n in (3, 30):
        while made < n:
            period = period_due_in(world, made, name=f"P{made}")
            InitiativeReportFactory(period=period, initiative=world.a_initiative)
            made += 1
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("reports:mine"))
        counts.append(len(queries))
        assert len(response.context["rows"]) == n
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "role", ["operator", "secretariat", "registrar", "board", "analyst", "no_role"]
)
def test_my_reports_is_for_writers(world, client_for, role):
    assert client_for(world.user(role)).get(reverse("reports:mine")).status_code == 403


def _access(user, association):
    from finsam.staff.access import build_access

    return build_access(user, association.pk)
