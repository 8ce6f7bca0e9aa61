"""The board's objects of the permission walk (finsam/core/tests/walk.py): a meeting with an
agenda item, a decision that took effect (granted) on another application."""

import datetime

from django.utils import timezone

from finsam.applications.tests.factories import ApplicationFactory
from finsam.applications.workflow import Status
from finsam.board.models import (
    AgendaItem,
    Decision,
    DecisionAmount,
    Meeting,
    MeetingStatus,
    Outcome,
)


def objects(world, side, association, initiative):
    organisation = world.a_organisation if side == "own" else None
    extra = {"organisation": organisation} if organisation else {}
    meeting = Meeting.objects.create(
        association=association, date=timezone.localdate() + datetime.timedelta(days=3)
    )
    proposed = ApplicationFactory(
        round__association=association, status=Status.PROPOSED, diary_number="2026/050", **extra
    )
    item = AgendaItem.objects.create(meeting=meeting, application=proposed, paragraph=1)
    held = Meeting.objects.create(
        association=association,
        date=timezone.localdate() - datetime.timedelta(days=10),
        status=MeetingStatus.MINUTES_APPROVED,
        minutes_approved_on=timezone.localdate(),
        adjusters="Anna Ek",
    )
    granted = ApplicationFactory(
        round__association=association, status=Status.GRANTED, diary_number="2026/051", **extra
    )
    decided_item = AgendaItem.objects.create(meeting=held, application=granted, paragraph=1)
    decision = Decision.objects.create(
        item=decided_item,
        application=granted,
        outcome=Outcome.GRANTED,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
        compensation={"kind": "fixed", "fixed_amount": 100000, "fixed_period": "year"},
        decided_on=held.date,
        took_effect_at=timezone.now(),
    )
    DecisionAmount.objects.create(decision=decision, year=2027, amount=100000)
    return {"meeting": meeting, "item": item, "decision": decision}


OBJECT_KWARGS = {
    **{
        f"board:{name}": (lambda o: {"pk": o["meeting"].pk})
        for name in ("meeting", "agenda_add", "decide_batch", "approve_minutes", "invite")
    },
    "board:pack": lambda o: {"pk": o["meeting"].pk, "extension": "pdf"},
    "board:minutes": lambda o: {"pk": o["meeting"].pk, "extension": "pdf"},
    "board:agenda_remove": lambda o: {"pk": o["item"].pk},
    "board:decide": lambda o: {"pk": o["item"].pk},
    **{
        f"board:{name}": (lambda o: {"pk": o["decision"].pk})
        for name in ("decision", "decision_letter", "sign_agreement", "start")
    },
    "board:agreement": lambda o: {"pk": o["decision"].pk, "extension": "pdf"},
}
