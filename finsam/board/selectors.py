"""Reads of the board: what waits for whom, what an application's pack entry holds."""

import datetime

from django.utils import timezone

from finsam.applications.models import Application
from finsam.applications.scoping import applications_for
from finsam.applications.workflow import Status
from finsam.board.models import MeetingStatus
from finsam.board.scoping import decisions_for, meetings_for


def upcoming_meetings(access):
    """Meetings from today on, the next first (the board's "what waits")."""
    return (
        meetings_for(access)
        .filter(date__gte=timezone.localdate())
        .exclude(status=MeetingStatus.MINUTES_APPROVED)
        .order_by("date")
        .prefetch_related("items__application__organisation")
    )


def meetings_awaiting_minutes(access):
    """Meetings held (or past) whose minutes are not approved."""
    return (
        meetings_for(access)
        .exclude(status=MeetingStatus.MINUTES_APPROVED)
        .filter(date__lte=timezone.localdate())
        .order_by("date")
    )


def granted_without_agreement(access):
    """Granted applications whose agreement is not yet signed."""
    return applications_for(access).filter(status=Status.GRANTED).order_by("diary_number")


def recommended_applications(access) -> list[Application]:
    """What the secretariat may put on an agenda."""
    return list(applications_for(access).filter(status=Status.RECOMMENDED).order_by("diary_number"))


def decision_of(access, application):
    """The decision on `application` that took effect last (None if none)."""
    return (
        decisions_for(access)
        .filter(application=application, took_effect_at__isnull=False)
        .order_by("-took_effect_at")
        .first()
    )


def applied_by_year(application) -> dict[int, int]:
    """The amounts applied for per year, as ints."""
    out = {}
    for year, amount in (application.applied_by_year or {}).items():
        try:
            out[int(year)] = int(amount or 0)
        except (TypeError, ValueError):
            continue
    return dict(sorted(out.items()))


def decision_years(application, period_start=None, period_end=None) -> list[int]:
    """The years a decision may grant money for: the period's years, else those applied for."""
    start = period_start or application.period_start
    end = period_end or application.period_end
    if start and end:
        return list(range(start.year, end.year + 1))
    years = list(applied_by_year(application))
    return years or [timezone.localdate().year]


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    # the last day of that month when the day does not exist
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError


FINAL_REPORT_MONTHS = 3


def reporting_dates(start: datetime.date, end: datetime.date | None) -> list[dict]:
    """The agreement's reporting dates: an interim report twice a year (for January–June by
    31 August, for the whole year by 28 February), and the final report within
    `FINAL_REPORT_MONTHS` months after the end."""
    if start is None:
        return []
    out = []
    last_year = end.year if end else start.year + 2
    for year in range(start.year, last_year + 1):
        for period_end, due in (
            (datetime.date(year, 6, 30), datetime.date(year, 8, 31)),
            (datetime.date(year, 12, 31), datetime.date(year + 1, 2, 28)),
        ):
            if period_end < start or (end and period_end >= end):
                continue
            out.append(
                {"kind": "interim", "covers_to": period_end.isoformat(), "due": due.isoformat()}
            )
    if end:
        out.append(
            {
                "kind": "final",
                "covers_to": end.isoformat(),
                "due": _add_months(end, FINAL_REPORT_MONTHS).isoformat(),
            }
        )
    return out
