"""The board's part of the demo: a meeting that decides the recommended applications, with the
minutes approved so that the grants become initiatives. Wired into `make demo` by the lead
(after `preparation` has brought the applications to RECOMMENDED)."""

from __future__ import annotations

import datetime

from django.db import transaction

from finsam.accounts.models import RoleAssignment
from finsam.board import services
from finsam.board.models import Meeting, Outcome
from finsam.core.roles import Role
from finsam.staff.access import build_access


def _key(application):
    return application.pk


@transaction.atomic
def demo_board(
    association,
    applications_recommended: list,
    secretariat,
    board_members: list,
    meeting_date: datetime.date,
    grant_amounts: dict,
) -> Meeting:
    """Plan a meeting on `meeting_date`, put `applications_recommended` on its agenda, send the
    invitation, decide and approve the minutes. An application found in `grant_amounts` (keyed by
    the application or its pk, valued {year: amount}) is granted: the first per participant-week
    (1 500 kr a week, a cap for the association's first municipality), the others as a fixed
    grant per year; the rest are rejected. `board_members` get the board role if they lack it."""
    for user in board_members:
        RoleAssignment.objects.get_or_create(user=user, association=association, role=Role.BOARD)
    access = build_access(secretariat, association.pk)
    amounts = {getattr(k, "pk", k): v for k, v in grant_amounts.items()}
    meeting = services.meeting_create(
        access, date=meeting_date, place="Förbundets kansli", first_paragraph=1
    )
    items = [services.agenda_add(access, meeting, a) for a in applications_recommended]
    if board_members:
        services.send_invitation(access, meeting)
    first_municipality = association.municipalities.order_by("name").first()
    per_week_given = False
    for item in items:
        granted = amounts.get(item.application_id)
        if granted is None:
            services.decide(
                access,
                item,
                outcome=Outcome.REJECTED,
                conditions="",
            )
            continue
        if not per_week_given:
            compensation = {
                "kind": "per_participant_week",
                "rate_per_week": 1500,
                "counting_rule": "enrolled_weeks",
                "caps": {first_municipality.code: 300000} if first_municipality else {},
            }
            per_week_given = True
        else:
            compensation = {
                "kind": "fixed",
                "fixed_amount": max(granted.values()),
                "fixed_period": "year",
            }
        services.decide(
            access,
            item,
            outcome=Outcome.GRANTED,
            amounts=granted,
            compensation=compensation,
            conditions="Deltagare registreras i finsam. Delrapport två gånger per år.",
        )
    meeting = services.approve_minutes(
        access,
        meeting,
        approved_on=meeting_date + datetime.timedelta(days=7),
        adjusters="Ordförande och en justerare",
    )
    return meeting
