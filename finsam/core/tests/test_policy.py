"""The policy table and the principals (groundwork issue, point 2).

Staff roles keep exactly the rights they had; the new principals — a user of an applicant
organisation, an anonymous visitor of one association, the holder of a one-time respondent
link — are refused every existing write service and every existing page.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from finsam.accounts import services as account_services
from finsam.accounts.models import ApplicantOrganisation, InitiativeAssignment, Invitation
from finsam.accounts.tests.factories import UserFactory
from finsam.associations import services as association_services
from finsam.associations.tests.factories import MemberFactory
from finsam.audit.models import ChangeEvent
from finsam.core.access import Access
from finsam.core.policy import POLICY, Principal
from finsam.core.roles import Role
from finsam.finance import services as finance_services
from finsam.finance.tests.factories import AssociationYearFactory, InitiativeBudgetFactory
from finsam.initiatives import services as initiative_services
from finsam.participants import services as participant_services
from finsam.participants.tests.factories import EnrolmentFactory
from finsam.reports import services as report_services
from finsam.reports.tests.reporting import InitiativeReportFactory, ReportingPeriodFactory
from finsam.staff.access import build_access

OWN_ROWS = {
    Principal.APPLICANT_ORGANISATION: "application.own",
    Principal.PUBLIC: "public.read",
    Principal.RESPONDENT: "questionnaire.answer",
}


@pytest.fixture
def organisation(world):
    organisation = ApplicantOrganisation.objects.create(association=world.a, name="Föreningen Bro")
    organisation.members.add(UserFactory(email="sokande-org@example.se"))
    return organisation


@pytest.fixture
def principals(world, organisation):
    return {
        Principal.APPLICANT_ORGANISATION: build_access(organisation.members.get()),
        Principal.PUBLIC: Access.public(world.a),
        Principal.RESPONDENT: Access.respondent("engångslänk", world.a),
    }


def test_a_member_of_an_applicant_organisation_logs_in_as_that_organisation(world, organisation):
    access = build_access(organisation.members.get())
    assert access.roles == {Principal.APPLICANT_ORGANISATION}
    assert access.organisation == organisation
    assert access.association == world.a
    assert access.assigned == {}  # owns applications, assigned to no initiative
    assert not access.is_staff_user


@pytest.mark.parametrize("principal", list(OWN_ROWS))
def test_each_principal_may_do_its_own_row_only(principals, principal):
    access = principals[principal]
    allowed = {action for action in POLICY if access.can(action)}
    assert allowed == {OWN_ROWS[principal]}


def test_initiative_scoped_rows_hold_for_assigned_initiatives_only(world):
    manager = build_access(world.manager)
    assert manager.can("budget.change", initiative=world.a_initiative)
    assert not manager.can("budget.change", initiative=world.a_other)
    assert manager.can("budget.change")  # holds a role that may, somewhere
    assert not manager.can_throughout("budget.change")
    secretariat = build_access(world.secretariat)
    assert secretariat.can("budget.change", initiative=world.a_other)
    assert not secretariat.can("budget.change", initiative=world.b_initiative)
    assert not build_access(world.board).can("budget.change", initiative=world.a_initiative)


def test_identity_is_for_the_assigned_registrar_only(world):
    assert build_access(world.registrar).can("identity.read", initiative=world.a_initiative)
    assert not build_access(world.registrar).can("identity.read", initiative=world.a_other)
    for who in ("secretariat", "manager", "board", "operator"):
        assert not build_access(world.user(who)).can("identity.read", initiative=world.a_initiative)


def test_an_unknown_action_is_a_programming_error(world):
    with pytest.raises(KeyError, match="No policy row"):
        build_access(world.secretariat).can("initiative.delete")


def _write_services(world):
    """Every write service that changes something of association A, as one call each."""
    period = ReportingPeriodFactory(association=world.a)
    report = InitiativeReportFactory(period=period, initiative=world.a_initiative, filled=True)
    budget = InitiativeBudgetFactory(initiative=world.a_initiative)
    year = AssociationYearFactory(association=world.a, year=2021)
    member = MemberFactory(association=world.a)
    assignment = InitiativeAssignment.objects.get(user=world.manager)
    enrolment = EnrolmentFactory(initiative=world.a_initiative)
    invitation = Invitation.objects.create(
        association=world.a,
        email="ny@example.se",
        role=Role.BOARD,
        token="t",
        invited_by=world.secretariat,
        expires_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
    )
    day = datetime.date(2021, 3, 1)
    return {
        "initiative_create": lambda a: initiative_services.initiative_create(
            access=a, association=world.a, name="X", owner_organisation="Y", start_date=day
        ),
        "initiative_update": lambda a: initiative_services.initiative_update(
            access=a, initiative=world.a_initiative, data={"name": "X"}
        ),
        "budget_save": lambda a: finance_services.budget_save(
            access=a, initiative=world.a_initiative, year=2021, amount=Decimal(1)
        ),
        "budget_delete": lambda a: finance_services.budget_delete(access=a, budget=budget),
        "head_count_save": lambda a: initiative_services.head_count_save(
            access=a, initiative=world.a_initiative, month=day, women=1, men=1, other=0
        ),
        "assignment_add": lambda a: initiative_services.assignment_add(
            access=a, initiative=world.a_other, user=world.registrar, role=Role.REGISTRAR
        ),
        "assignment_remove": lambda a: initiative_services.assignment_remove(
            access=a, assignment=assignment
        ),
        "period_create": lambda a: report_services.period_create(
            access=a, association=world.a, name="P", start_date=day, end_date=day, deadline=day
        ),
        "period_update": lambda a: report_services.period_update(
            access=a, period=period, data={"name": "P"}
        ),
        "reports_create_for_period": lambda a: report_services.reports_create_for_period(
            access=a, period=period
        ),
        "report_autosave": lambda a: report_services.report_autosave(
            access=a, report=report, field="results", value="x"
        ),
        "report_update": lambda a: report_services.report_update(
            access=a, report=report, data={"results": "x"}
        ),
        "report_insert_summary": lambda a: report_services.report_insert_summary(
            access=a, report=report
        ),
        "report_submit": lambda a: report_services.report_submit(access=a, report=report),
        "report_return": lambda a: report_services.report_return(
            access=a, report=report, comment="x"
        ),
        "report_approve": lambda a: report_services.report_approve(access=a, report=report),
        "report_comment_add": lambda a: report_services.report_comment_add(
            access=a, report=report, text="x"
        ),
        "association_year_create": lambda a: finance_services.association_year_create(
            access=a, association=world.a, year=2022
        ),
        "association_year_update": lambda a: finance_services.association_year_update(
            access=a,
            association_year=year,
            equity_at_start=None,
            equity_at_end=None,
            admin_cost_budget=None,
            admin_cost_outcome=None,
        ),
        "association_year_delete": lambda a: finance_services.association_year_delete(
            access=a, association_year=year
        ),
        "equity_band_set": lambda a: finance_services.equity_band_set(
            access=a, association=world.a, year=2021, lower=10, upper=20
        ),
        "association_create": lambda a: association_services.association_create(
            access=a,
            name="N",
            slug="n",
            org_number="2220001834",
            start_date=day,
            municipalities=[],
        ),
        "association_update": lambda a: association_services.association_update(
            access=a,
            association=world.a,
            name="N",
            slug="n",
            org_number="2220001834",
            municipalities=[],
        ),
        "member_save": lambda a: finance_services.member_save(
            access=a, association=world.a, kind="forsakringskassan", contribution_share=1
        ),
        "member_delete": lambda a: finance_services.member_delete(access=a, member=member),
        "invitation_create": lambda a: account_services.invitation_create(
            access=a, email="x@example.se", role=Role.BOARD
        ),
        "invitation_cancel": lambda a: account_services.invitation_cancel(
            access=a, invitation=invitation
        ),
        "role_remove": lambda a: account_services.role_remove(
            access=a, user=world.board, role=Role.BOARD
        ),
        "enrolment_register": lambda a: participant_services.enrolment_register(
            access=a,
            initiative=world.a_initiative,
            data=participant_services.EnrolmentInput(start_date=day),
        ),
        "enrolment_exit": lambda a: participant_services.enrolment_exit(
            access=a,
            enrolment=enrolment,
            data=participant_services.ExitInput(end_date=day, exit_reason=None),
        ),
        "enrolment_correct": lambda a: participant_services.enrolment_correct(
            access=a, enrolment=enrolment, changes={}, reason="x"
        ),
        "consent_withdraw": lambda a: participant_services.consent_withdraw(
            access=a, enrolment=enrolment, withdrawn_on=day
        ),
        "participant_protect_identity": lambda a: participant_services.participant_protect_identity(
            access=a, enrolment=enrolment
        ),
    }


@pytest.mark.parametrize("principal", list(OWN_ROWS))
def test_every_write_service_refuses_the_new_principals(world, principals, principal):
    access = principals[principal]
    calls = _write_services(world)
    for name, call in calls.items():
        with pytest.raises(PermissionDenied):
            call(access)
            pytest.fail(f"{name} let {principal} through")
    assert not ChangeEvent.objects.exists()


def test_every_write_service_refuses_the_board(world):
    """A role with read rights only: the services themselves refuse it (pages and API share
    this one enforcement)."""
    for name, call in _write_services(world).items():
        with pytest.raises(PermissionDenied):
            call(build_access(world.board))
            pytest.fail(f"{name} let the board through")


# --- Pages (and the walk of every page: finsam/core/tests/test_permission_walk.py) -------------


def test_an_applicant_organisations_user_has_no_api(organisation, client, client_for):
    client_for(organisation.members.get())
    assert client.get(reverse("api:me", kwargs={"version": "v1"})).status_code == 403
