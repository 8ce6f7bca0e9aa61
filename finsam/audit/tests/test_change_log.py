"""The change log: every write service records who changed what, in which role and when
(groundwork issue, point 1). Append-only like the access log; never personal data."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from finsam.accounts.models import InitiativeAssignment
from finsam.audit.models import AppendOnlyError, ChangeEvent
from finsam.audit.services import diff, record_change, snapshot
from finsam.conftest import make_user
from finsam.core.roles import Role
from finsam.finance import services as finance_services
from finsam.finance.tests.factories import InitiativeBudgetFactory
from finsam.initiatives import services as initiative_services
from finsam.participants.tests.factories import EnrolmentFactory
from finsam.reports import services as report_services
from finsam.reports.models import ReportStatus
from finsam.reports.tests.reporting import InitiativeReportFactory, ReportingPeriodFactory
from finsam.staff.access import build_access

PERSONAL_NUMBER = "198112189876"
NAME = "Sigrid Testsson"


def last_event(**filters) -> ChangeEvent:
    return ChangeEvent.objects.filter(**filters).order_by("-id").first()


@pytest.fixture
def submitted_report(world):
    period = ReportingPeriodFactory(association=world.a)
    report = InitiativeReportFactory(period=period, initiative=world.a_initiative, filled=True)
    return report_services.report_submit(access=build_access(world.manager), report=report)


def test_it_shows_who_approved_a_report(world, submitted_report):
    report_services.report_approve(access=build_access(world.secretariat), report=submitted_report)

    event = last_event(action="report.approve")
    assert event.actor == world.secretariat
    assert event.actor_role == Role.SECRETARIAT
    assert event.association == world.a
    assert (event.object_type, event.object_id) == (
        "reports.initiativereport",
        str(submitted_report.pk),
    )
    assert event.changes["status"] == [ReportStatus.SUBMITTED, ReportStatus.APPROVED]
    assert event.changes["approved_at"][0] is None and event.changes["approved_at"][1]
    # And who submitted it before.
    submitted = last_event(action="report.submit")
    assert (submitted.actor, submitted.actor_role) == (world.manager, Role.INITIATIVE_MANAGER)


def test_it_shows_who_changed_a_budget_and_how(world):
    budget = InitiativeBudgetFactory(initiative=world.a_initiative, year=2021, amount=500_000)
    finance_services.budget_save(
        access=build_access(world.manager),
        initiative=world.a_initiative,
        budget=budget,
        year=2021,
        amount=Decimal("650000"),
        note="Utökad",
    )

    event = last_event(action="budget.change")
    assert (event.actor, event.actor_role) == (world.manager, Role.INITIATIVE_MANAGER)
    assert event.object_type == "finance.initiativebudget"
    assert event.object_id == str(budget.pk)
    assert event.changes == {"amount": ["500000", "650000"], "note": ["", "Utökad"]}


def test_it_shows_who_assigned_a_registrar(world):
    registrar = make_user(world.a, Role.REGISTRAR)
    assignment = initiative_services.assignment_add(
        access=build_access(world.secretariat),
        initiative=world.a_other,
        user=registrar,
        role=Role.REGISTRAR,
    )

    event = last_event(action="assignment.add")
    assert (event.actor, event.actor_role) == (world.secretariat, Role.SECRETARIAT)
    assert event.object_type == "accounts.initiativeassignment"
    assert event.object_id == str(assignment.pk)
    assert event.object_label == world.a_other.name
    assert event.changes == {
        "user": [None, registrar.pk],
        "initiative": [None, world.a_other.pk],
        "role": [None, Role.REGISTRAR],
    }

    initiative_services.assignment_remove(
        access=build_access(world.secretariat), assignment=assignment
    )
    removed = last_event(action="assignment.remove")
    assert removed.changes["user"] == [registrar.pk, None]
    assert not InitiativeAssignment.objects.filter(pk=assignment.pk).exists()


def test_a_refused_change_is_neither_made_nor_logged(world, submitted_report):
    """The service checks the policy itself: the board may not approve, whatever the page."""
    with pytest.raises(PermissionDenied):
        report_services.report_approve(access=build_access(world.board), report=submitted_report)
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.SUBMITTED
    assert not ChangeEvent.objects.filter(action="report.approve").exists()


def test_the_secretariat_of_another_association_is_refused(world):
    budget = InitiativeBudgetFactory(initiative=world.a_initiative)
    with pytest.raises(PermissionDenied):
        finance_services.budget_delete(access=build_access(world.b_secretariat), budget=budget)


def test_a_personal_objects_values_never_reach_the_log(world):
    enrolment = EnrolmentFactory(
        initiative=world.a_initiative,
        participant__personal_number=PERSONAL_NUMBER,
        participant__name=NAME,
    )
    event = record_change(
        access=build_access(world.registrar),
        obj=enrolment,
        action="enrolment.correct",
        changes={"start_date": ["2021-01-01", "2021-02-01"], "name": [NAME, "Annan"]},
    )
    event.refresh_from_db()
    assert event.changes == {"start_date": None, "name": None}
    assert event.object_label == enrolment.pseudonym
    assert NAME not in str(event.changes) and PERSONAL_NUMBER not in event.object_label


def test_diff_and_snapshot_keep_only_what_changed(world):
    before = snapshot(world.a_initiative, ["name", "start_date", "municipalities"])
    after = {**before, "name": "Nytt namn"}
    assert diff(before, after) == {"name": [world.a_initiative.name, "Nytt namn"]}
    assert isinstance(before["start_date"], str)
    assert diff({}, {"x": 1}) == {"x": [None, 1]}


def test_the_change_log_is_append_only(world, submitted_report):
    event = last_event(action="report.submit")
    event.action = "ändrat"
    for refused in (
        event.save,
        event.delete,
        lambda: ChangeEvent.objects.update(action="x"),
        lambda: ChangeEvent.objects.all().delete(),
    ):
        with pytest.raises(AppendOnlyError):
            refused()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="The trigger is PostgreSQL's.")
def test_the_database_refuses_to_change_the_change_log(world, submitted_report):
    event = last_event(action="report.submit")
    for statement in (
        "UPDATE audit_changeevent SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_changeevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])


# --- The page ---------------------------------------------------------------------------------

URL = reverse("audit:changes")


def test_the_secretariat_reads_its_associations_change_log(world, client_for, submitted_report):
    report_services.report_approve(access=build_access(world.secretariat), report=submitted_report)
    foreign = InitiativeBudgetFactory(initiative=world.b_initiative, note="Hemlig B-not")
    finance_services.budget_save(
        access=build_access(world.b_secretariat),
        initiative=world.b_initiative,
        budget=foreign,
        year=foreign.year,
        amount=Decimal("1"),
    )
    response = client_for(world.secretariat).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Godkände rapporten" in body  # the action by its name, not its code
    assert "report.approve" not in body
    assert "Inlämnad → Godkänd" in body  # a choice by its label, not its stored value
    assert world.secretariat.email in body
    assert "Ändrade en budget" not in body  # association B's change

    only_budgets = client_for(world.secretariat).get(
        URL, {"object_type": "initiatives.initiativebudget"}
    )
    assert "Godkände rapporten" not in only_budgets.content.decode()
    by_actor = client_for(world.secretariat).get(URL, {"actor": world.manager.email})
    assert "Lämnade in rapporten" in by_actor.content.decode()
    assert "Godkände rapporten" not in by_actor.content.decode()


def test_every_action_a_service_records_has_a_name():
    """The change log names each action in words: any module that records a new action adds its
    name to CHANGE_ACTIONS."""
    import pathlib
    import re

    from finsam.audit.models import CHANGE_ACTIONS

    root = pathlib.Path(__file__).resolve().parents[2]
    recorded = set()
    for path in root.rglob("*.py"):
        if {"tests", "migrations"} & set(path.parts):
            continue
        text = path.read_text(encoding="utf-8")
        recorded |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', text))
        recorded |= set(re.findall(r'_record\(\s*access,\s*\w+,\s*"([a-z_]+\.[a-z_]+)"', text))
        recorded |= set(re.findall(r'"([a-z_]+\.[a-z_]+)" if ', text))
        recorded |= set(re.findall(r' else "([a-z_]+\.[a-z_]+)"', text))
    assert {"report.approve", "budget.change", "assignment.add"} <= recorded
    assert recorded - set(CHANGE_ACTIONS) == set()


def test_a_long_text_is_shown_by_its_beginning(world, client_for, submitted_report):
    report_services.report_return(
        access=build_access(world.secretariat), report=submitted_report, comment="Komplettera."
    )
    report_services.report_update(
        access=build_access(world.manager),
        report=submitted_report,
        data={"results": "Lång text. " * 100},
    )
    body = client_for(world.secretariat).get(URL).content.decode()
    assert "Lång text. " * 5 in body
    assert "Lång text. " * 20 not in body


@pytest.mark.parametrize("role", ["manager", "registrar", "board", "applicant", "analyst"])
def test_other_roles_may_not_read_the_change_log(world, client_for, role):
    assert client_for(world.user(role)).get(URL).status_code == 403
