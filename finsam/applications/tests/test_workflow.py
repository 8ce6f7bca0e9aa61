"""The workflow: every declared transition from its sources, every other one refused, who may
take which, the history and the mails."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from finsam.applications import services
from finsam.applications.models import Application, Step
from finsam.applications.tests.factories import ApplicationFactory, RoundFactory
from finsam.applications.workflow import BY_APPLICANT, BY_SECRETARIAT, Status
from finsam.audit.models import ChangeEvent
from finsam.staff.access import build_access

# Every transition of the workflow, its sources and target.
TRANSITIONS = {
    t.name: t for t in Application._meta.get_field("status").get_all_transitions(Application)
}


def _pairs():
    """(transition name, source status) for every name and every status."""
    return [(name, status) for name in sorted(TRANSITIONS) for status in Status]


def _sources(name):
    return {
        t.source
        for t in Application._meta.get_field("status").get_all_transitions(Application)
        if t.name == name
    }


def _call(name, access, application):
    """Take transition `name` through the service that takes it."""
    if name == "submit":
        return services.submit(access, application)
    if name == "accept_late":
        return services.accept_late(access, application, reason="Posten var sen.")
    if name == "supplement":
        return services.supplement(access, application)
    return services.transition(access, application, name)


@pytest.fixture
def own(world):
    return ApplicationFactory(
        round=RoundFactory(association=world.a), organisation=world.a_organisation
    )


def test_the_declared_workflow_is_the_one_of_the_issue():
    """draft → submitted → formal check → preparation (⇄ supplement) → recommendation →
    proposal → decision → minutes approved → agreement → running → final report → finished."""
    path = [
        ("submit", Status.DRAFT, Status.SUBMITTED),
        ("start_formal_check", Status.SUBMITTED, Status.FORMAL_CHECK),
        ("start_preparation", Status.FORMAL_CHECK, Status.PREPARATION),
        ("request_supplement", Status.PREPARATION, Status.SUPPLEMENT_REQUESTED),
        ("supplement", Status.SUPPLEMENT_REQUESTED, Status.PREPARATION),
        ("recommend", Status.PREPARATION, Status.RECOMMENDED),
        ("propose", Status.RECOMMENDED, Status.PROPOSED),
        ("decide", Status.PROPOSED, Status.DECIDED),
        ("grant", Status.DECIDED, Status.GRANTED),
        ("sign_agreement", Status.GRANTED, Status.AGREEMENT),
        ("start", Status.AGREEMENT, Status.RUNNING),
        ("receive_final_report", Status.RUNNING, Status.FINAL_REPORT),
        ("finish", Status.FINAL_REPORT, Status.FINISHED),
    ]
    for name, source, target in path:
        assert source in _sources(name), name
        assert TRANSITIONS[name].target == target
    assert TRANSITIONS["reject"].target == Status.REJECTED
    assert TRANSITIONS["table"].target == Status.RECOMMENDED
    assert _sources("withdraw") == {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.FORMAL_CHECK,
        Status.PREPARATION,
        Status.SUPPLEMENT_REQUESTED,
        Status.RECOMMENDED,
        Status.PROPOSED,
    }


@pytest.mark.parametrize(("name", "status"), _pairs())
def test_every_transition_is_taken_from_its_sources_and_refused_from_every_other_status(
    world, own, name, status
):
    Application.objects.filter(pk=own.pk).update(status=status)
    own.refresh_from_db()
    by = TRANSITIONS[name].custom["by"]
    user = world.applicant_org if by == BY_APPLICANT else world.secretariat
    access = build_access(user, world.a.pk)
    allowed = status in _sources(name)
    call = lambda: _call(name, access, own)  # noqa: E731
    if allowed:
        call()
        own.refresh_from_db()
        assert own.status == TRANSITIONS[name].target
        assert Step.objects.filter(application=own, transition=name).count() == 1
    else:
        with pytest.raises(ValidationError):
            call()
        own.refresh_from_db()
        assert own.status == status
        assert not Step.objects.filter(application=own).exists()


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_only_the_taker_of_a_transition_may_take_it(world, own, name):
    """An applicant's step is refused to the secretariat and the reverse; the board, the
    preparation group and another association's secretariat take none."""
    source = sorted(_sources(name))[0]
    Application.objects.filter(pk=own.pk).update(status=source)
    own.refresh_from_db()
    by = TRANSITIONS[name].custom["by"]
    refused = [world.board, world.reviewer, world.analyst, world.registrar]
    refused.append(world.secretariat if by == BY_APPLICANT else world.applicant_org)
    for user in refused:
        with pytest.raises(PermissionDenied):
            _call(name, build_access(user, world.a.pk), own)
    own.refresh_from_db()
    assert own.status == source
    if by == BY_SECRETARIAT:
        with pytest.raises((PermissionDenied, Application.DoesNotExist)):
            services.transition(build_access(world.b_secretariat, world.b.pk), own, name)


def test_a_step_records_history_change_and_mails_the_applicants(
    world, own, django_capture_on_commit_callbacks
):
    access = build_access(world.applicant_org, world.a.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(access, own)
    own.refresh_from_db()
    step = own.steps.get()
    assert (step.from_status, step.to_status, step.by) == (
        Status.DRAFT,
        Status.SUBMITTED,
        world.applicant_org,
    )
    assert ChangeEvent.objects.filter(action="application.submit", object_id=str(own.pk)).exists()
    to = sorted(address for message in mail.outbox for address in message.to)
    assert to == ["ansokan@example.se", "kansli@example.se"]
    assert own.diary_number in mail.outbox[0].subject
    assert "Inlämnad" in mail.outbox[0].subject


def test_submit_gives_a_diary_number_and_a_revision_and_refuses_a_second_submit(world, own):
    access = build_access(world.applicant_org, world.a.pk)
    services.submit(access, own)
    own.refresh_from_db()
    year = timezone.localdate().year
    assert own.diary_number == f"{year}/001"
    assert own.revisions.get().answers == own.answers
    with pytest.raises(ValidationError, match="redan inlämnad"):
        services.submit(access, own)
    second = ApplicationFactory(round=own.round, organisation=world.a_organisation)
    services.submit(access, second)
    second.refresh_from_db()
    assert second.diary_number == f"{year}/002"


def test_an_incomplete_application_is_not_submitted(world, own):
    own.answers = {"background": "  "}
    own.save()
    with pytest.raises(ValidationError) as caught:
        services.submit(build_access(world.applicant_org, world.a.pk), own)
    assert "Fyll i Bakgrund." in str(caught.value)
    assert "Fyll i Mål." in str(caught.value)
    own.refresh_from_db()
    assert (own.status, own.diary_number) == (Status.DRAFT, "")


def test_after_the_deadline_only_the_secretariat_takes_it_in_with_a_reason(world, own):
    round_ = own.round
    round_.opens_on = timezone.localdate() - datetime.timedelta(days=60)
    round_.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    round_.save()
    with pytest.raises(ValidationError, match="stängde"):
        services.submit(build_access(world.applicant_org, world.a.pk), own)
    secretariat = build_access(world.secretariat, world.a.pk)
    with pytest.raises(ValidationError):
        services.accept_late(secretariat, own, reason=" ")
    services.accept_late(secretariat, own, reason="Inlämnad i tid per post.")
    own.refresh_from_db()
    assert own.status == Status.SUBMITTED
    assert own.late_reason == "Inlämnad i tid per post."
    assert own.steps.get().comment == "Inlämnad i tid per post."


def test_the_closing_day_counts_whole_and_a_continuous_round_never_closes(world):
    today = timezone.localdate()
    assert RoundFactory.build(opens_on=today, closes_on=today).is_open(today)
    assert not RoundFactory.build(opens_on=today, closes_on=today).is_open(
        today + datetime.timedelta(days=1)
    )
    assert not RoundFactory.build(opens_on=today, closes_on=None).is_open(
        today - datetime.timedelta(days=1)
    )
    assert RoundFactory.build(opens_on=today, closes_on=None).is_open(
        today + datetime.timedelta(days=3650)
    )


def test_a_co_applicant_with_edit_rights_may_submit_one_with_comment_rights_may_not(world, own):
    from finsam.applications.tests.factories import CoApplicantFactory

    co = CoApplicantFactory(
        application=own, user=world.co_applicant, accepted_at=timezone.now(), permission="comment"
    )
    access = build_access(world.co_applicant, world.a.pk)
    with pytest.raises(PermissionDenied):
        services.submit(access, own)
    co.permission = "edit"
    co.save()
    services.submit(access, own)
    own.refresh_from_db()
    assert own.status == Status.SUBMITTED


def test_every_transition_has_a_name_in_the_change_log():
    from finsam.audit.models import CHANGE_ACTIONS

    assert {f"application.{name}" for name in TRANSITIONS} | {"application.create"} <= set(
        CHANGE_ACTIONS
    )
