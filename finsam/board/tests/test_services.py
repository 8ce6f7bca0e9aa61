"""The board's services: the agenda, decisions one by one and as a batch, the minutes that make
them take effect, the grant that becomes an initiative, the agreement."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from finsam.applications.models import Application, Interest
from finsam.applications.workflow import Status
from finsam.board import services
from finsam.board.models import AgendaItem, Decision, MeetingStatus, Outcome
from finsam.board.tests.conftest import access_of
from finsam.board.tests.factories import PERIOD, MeetingFactory, recommended_application
from finsam.finance.models import CompensationModel, InitiativeBudget
from finsam.initiatives.models import Initiative
from finsam.initiatives.models import Status as InitiativeStatus

PER_WEEK = {
    "kind": "per_participant_week",
    "rate_per_week": 1500,
    "counting_rule": "enrolled_weeks",
    "caps": {"1496": 250000},
}


def _meeting_with(world, sec, count=2):
    meeting = MeetingFactory(association=world.a)
    apps = [recommended_application(world.a) for _ in range(count)]
    items = [services.agenda_add(sec, meeting, a) for a in apps]
    return meeting, items


def _grant(sec, item, **extra):
    return services.decide(
        sec,
        item,
        outcome=Outcome.GRANTED,
        amounts={2027: 300000, 2028: 150000},
        compensation=PER_WEEK,
        conditions="Rapportera deltagare i finsam.",
        **extra,
    )


def test_adding_to_the_agenda_proposes_and_numbers_the_paragraphs(world, sec):
    meeting = MeetingFactory(association=world.a, first_paragraph=12)
    a, b = recommended_application(world.a), recommended_application(world.a)
    first, second = services.agenda_add(sec, meeting, a), services.agenda_add(sec, meeting, b)
    assert (first.paragraph_label, second.paragraph_label) == ("§ 12", "§ 13")
    assert Application.objects.get(pk=a.pk).status == Status.PROPOSED
    # Twice on the agenda: refused (the application is no longer recommended).
    with pytest.raises(ValidationError):
        services.agenda_add(sec, meeting, Application.objects.get(pk=a.pk))
    services.agenda_remove(sec, first)
    assert Application.objects.get(pk=a.pk).status == Status.RECOMMENDED
    assert list(meeting.items.values_list("paragraph", flat=True)) == [12]


@pytest.mark.parametrize(
    "status",
    [s for s in Status if s != Status.RECOMMENDED],
)
def test_only_a_recommended_application_can_be_put_on_the_agenda(world, sec, status):
    meeting = MeetingFactory(association=world.a)
    application = recommended_application(world.a, status=status)
    with pytest.raises(ValidationError):
        services.agenda_add(sec, meeting, application)
    assert not AgendaItem.objects.exists()
    assert Application.objects.get(pk=application.pk).status == status


@pytest.mark.parametrize("who", ["board", "reviewer", "manager", "analyst", "b_secretariat"])
def test_only_the_secretariat_runs_meetings(world, sec, who):
    meeting, [item, _] = _meeting_with(world, sec)
    access = access_of(world.user(who), world.b if who.startswith("b_") else world.a)
    with pytest.raises((PermissionDenied, Meeting_DoesNotExist)):
        services.meeting_create(access, date=datetime.date(2027, 1, 1))
        services.decide(access, item, outcome=Outcome.REJECTED)
    with pytest.raises((PermissionDenied, Meeting_DoesNotExist)):
        services.decide(access, item, outcome=Outcome.REJECTED)
    with pytest.raises((PermissionDenied, Meeting_DoesNotExist)):
        services.approve_minutes(access, meeting, approved_on=meeting.date, adjusters="X")
    assert not Decision.objects.exists()


from finsam.board.models import Meeting  # noqa: E402

Meeting_DoesNotExist = Meeting.DoesNotExist


def test_a_decision_is_taken_once_and_illegal_steps_are_refused(world, sec, skovde):
    meeting, [item, other] = _meeting_with(world, sec)
    decision = _grant(sec, item)
    assert Application.objects.get(pk=item.application.pk).status == Status.DECIDED
    assert meeting.__class__.objects.get(pk=meeting.pk).status == MeetingStatus.HELD
    with pytest.raises(ValidationError, match="redan beslutat"):
        _grant(sec, item)
    # A decided item cannot leave the agenda.
    with pytest.raises(ValidationError):
        services.agenda_remove(sec, item)
    # Agreement before the minutes: refused.
    with pytest.raises(ValidationError):
        services.sign_agreement(sec, decision, signed_on=datetime.date(2027, 1, 10))
    with pytest.raises(ValidationError):
        services.start(sec, decision)
    # Minutes with an undecided item: refused, nothing takes effect.
    with pytest.raises(ValidationError, match="Saknar beslut"):
        services.approve_minutes(sec, meeting, approved_on=meeting.date, adjusters="Anna")
    assert Application.objects.get(pk=item.application.pk).status == Status.DECIDED
    assert not Initiative.objects.filter(diary_number=item.application.diary_number).exists()
    assert other.application.status == Status.PROPOSED


@pytest.mark.parametrize(
    "fields, key",
    [
        ({"outcome": "maybe"}, "outcome"),
        ({"outcome": "granted", "amounts": {}, "compensation": PER_WEEK}, "amounts"),
        ({"outcome": "granted", "amounts": {2027: -1}, "compensation": PER_WEEK}, "amount_2027"),
        ({"outcome": "granted", "amounts": {2031: 5}, "compensation": PER_WEEK}, "amount_2031"),
        ({"outcome": "granted", "amounts": {2027: 5}, "compensation": {}}, "kind"),
        (
            {
                "outcome": "granted",
                "amounts": {2027: 5},
                "compensation": {**PER_WEEK, "rate_per_week": 0},
            },
            "rate_per_week",
        ),
        (
            {
                "outcome": "granted",
                "amounts": {2027: 5},
                "compensation": {**PER_WEEK, "caps": {"1496": -5}},
            },
            "cap_1496",
        ),
    ],
)
def test_bad_decisions_get_a_swedish_message_and_save_nothing(world, sec, skovde, fields, key):
    meeting, [item, _] = _meeting_with(world, sec)
    with pytest.raises(ValidationError) as exc:
        services.decide(sec, item, **fields)
    assert key in exc.value.message_dict
    assert not Decision.objects.exists()
    assert Application.objects.get(pk=item.application.pk).status == Status.PROPOSED


def test_a_batch_is_all_or_nothing(world, sec, skovde):
    meeting, [a, b] = _meeting_with(world, sec)
    rows = [
        {"item": a, "outcome": Outcome.REJECTED},
        {"item": b, "outcome": Outcome.GRANTED, "amounts": {}, "compensation": PER_WEEK},
    ]
    with pytest.raises(ValidationError) as exc:
        services.decide_batch(sec, meeting, rows)
    assert b.pk in exc.value.message_dict and a.pk not in exc.value.message_dict
    assert not Decision.objects.exists()
    assert set(Application.objects.values_list("status", flat=True)) == {Status.PROPOSED}
    rows[1]["amounts"] = {2027: 100000}
    decided = services.decide_batch(sec, meeting, rows)
    assert len(decided) == 2
    assert set(Application.objects.values_list("status", flat=True)) == {Status.DECIDED}


def test_minutes_make_decisions_take_effect_once_and_a_grant_becomes_one_initiative(
    world, sec, skovde
):
    meeting, [granted, rejected] = _meeting_with(world, sec)
    tabled_app = recommended_application(world.a)
    tabled = services.agenda_add(sec, meeting, tabled_app)
    granted.application.answers = {
        **granted.application.answers,
        "municipalities": ["1496"],
        "summary": "Syftet.",
        "starting_points": "<p>Bakgrund.</p>",
    }
    Application.objects.filter(pk=granted.application.pk).update(
        answers=granted.application.answers
    )
    decision = _grant(sec, granted)
    services.decide(sec, rejected, outcome=Outcome.REJECTED)
    services.decide(sec, tabled, outcome=Outcome.TABLED)
    services.approve_minutes(sec, meeting, approved_on=meeting.date, adjusters="Anna Ek, Per Berg")
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses[granted.application.pk] == Status.GRANTED
    assert statuses[rejected.application.pk] == Status.REJECTED
    assert statuses[tabled.application.pk] == Status.RECOMMENDED
    application = Application.objects.get(pk=granted.application.pk)
    initiative = application.initiative
    assert (
        initiative.name == application.title and initiative.diary_number == application.diary_number
    )
    assert initiative.owner_organisation == application.organisation.name
    assert (initiative.start_date, initiative.end_date) == PERIOD
    assert initiative.status == InitiativeStatus.PLANNED
    assert initiative.planned_participants == 40
    # The standard form's answers become the initiative's texts.
    assert initiative.purpose == "Syftet." and initiative.background == "Bakgrund."
    assert list(initiative.municipalities.values_list("code", flat=True)) == ["1496"]
    assert dict(
        InitiativeBudget.objects.filter(initiative=initiative).values_list("year", "amount")
    ) == {
        2027: 300000,
        2028: 150000,
    }
    models = CompensationModel.objects.filter(initiative=initiative)
    assert [(m.year, m.kind, m.rate_per_week) for m in models] == [
        (2027, "per_participant_week", 1500),
        (2028, "per_participant_week", 1500),
    ]
    assert [(c.municipality.code, c.amount) for c in models[0].caps.all()] == [("1496", 250000)]
    decision.refresh_from_db()
    assert decision.took_effect_at is not None
    assert [r["kind"] for r in decision.reporting_dates] == ["interim", "interim", "final"]
    assert decision.reporting_dates[-1]["due"] == "2028-09-30"
    # Approving twice (a double click) is refused, and nothing is duplicated.
    with pytest.raises(ValidationError, match="redan justerat"):
        services.approve_minutes(sec, meeting, approved_on=meeting.date, adjusters="Anna Ek")
    assert Initiative.objects.filter(diary_number=application.diary_number).count() == 1
    assert CompensationModel.objects.filter(initiative=initiative).count() == 2
    assert application.steps.filter(transition="grant").count() == 1
    # The agreement, then the start.
    services.sign_agreement(sec, decision, signed_on=meeting.date)
    services.start(sec, decision)
    assert Application.objects.get(pk=application.pk).status == Status.RUNNING
    assert Initiative.objects.get(pk=initiative.pk).status == InitiativeStatus.ACTIVE
    with pytest.raises(ValidationError):
        services.sign_agreement(sec, decision, signed_on=meeting.date)


def test_a_clashing_name_gets_the_diary_number(world, sec, skovde):
    meeting, [item] = _meeting_with(world, sec, count=1)
    Initiative.objects.filter(pk=world.a_other.pk).update(name=item.application.title)
    _grant(sec, item)
    services.approve_minutes(sec, meeting, approved_on=meeting.date, adjusters="Anna")
    application = Application.objects.get(pk=item.application.pk)
    assert application.initiative.name == f"{application.title} ({application.diary_number})"


def test_declared_interests_are_recorded_on_the_decision(world, sec):
    meeting, [item] = _meeting_with(world, sec, count=1)
    Interest.objects.create(
        association=world.a, user=world.board, organisation=item.application.organisation
    )
    decision = services.decide(sec, item, outcome=Outcome.REJECTED)
    assert list(decision.excluded.all()) == [world.board]


def test_the_invitation_mails_the_board(world, sec, django_capture_on_commit_callbacks):
    meeting, _ = _meeting_with(world, sec, count=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_invitation(sec, meeting) == 1
    [message] = mail.outbox
    assert message.to == [world.board.email]
    assert f"/board/meetings/{meeting.pk}/" in message.body


@pytest.mark.parametrize("status", [s for s in Status if s != Status.PROPOSED])
def test_only_a_proposed_application_can_be_decided(world, sec, status):
    meeting, [item] = _meeting_with(world, sec, count=1)
    Application.objects.filter(pk=item.application.pk).update(status=status)
    item.application.refresh_from_db()
    with pytest.raises(ValidationError):
        services.decide(sec, item, outcome=Outcome.REJECTED)
    assert not Decision.objects.exists()
    assert Application.objects.get(pk=item.application.pk).status == status


@pytest.mark.parametrize("status", [s for s in Status if s not in (Status.GRANTED,)])
def test_the_agreement_is_signed_only_for_a_granted_application(world, sec, skovde, status):
    meeting, [item] = _meeting_with(world, sec, count=1)
    decision = _grant(sec, item)
    services.approve_minutes(sec, meeting, approved_on=meeting.date, adjusters="Anna")
    Application.objects.filter(pk=item.application.pk).update(status=status)
    with pytest.raises(ValidationError):
        services.sign_agreement(sec, decision, signed_on=meeting.date)
    if status != Status.AGREEMENT:
        with pytest.raises(ValidationError):
            services.start(sec, decision)
    decision.refresh_from_db()
    assert decision.agreement_signed_on is None


def test_minutes_of_a_meeting_with_a_decision_changed_behind_its_back_roll_back(world, sec, skovde):
    """If one decision cannot take effect, none does (one transaction)."""
    meeting, [a, b] = _meeting_with(world, sec)
    services.decide(sec, a, outcome=Outcome.REJECTED)
    _grant(sec, b)
    Application.objects.filter(pk=b.application.pk).update(status=Status.PROPOSED)
    with pytest.raises(ValidationError):
        services.approve_minutes(sec, meeting, approved_on=meeting.date, adjusters="Anna")
    assert Application.objects.get(pk=a.application.pk).status == Status.DECIDED
    assert not Initiative.objects.filter(diary_number=b.application.diary_number).exists()
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.HELD
