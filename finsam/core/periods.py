"""The period rules, in one place, for every record that runs from `start_date` to `end_date`
(an empty end date: still running): enrolments and initiatives.

- *active in* [first, last]: started on or before the last day and not ended before the first
  day, `start_date <= last and (end_date is NULL or end_date >= first)`. Both ends count: an
  enrolment that ends on the period's first day, or starts on its last, was active in it. With
  no `last` (an open period) only the end date is compared: the overlap check of R2 between an
  open enrolment and the others of the person.
- *started in* [first, last]: `first <= start_date <= last` (no `first`: started by `last`).
- *ended in* [first, last]: `first <= end_date <= last`; the statistics' "exited".
- *ongoing after* a day: no end date, or an end date after the day. Not "active on the day": an
  enrolment that ends on the period's last day has exited in the period and is not ongoing at its
  end, so that the active in a period are exactly the exited plus the ongoing at its end.

Querysets expose them as `active_in`, `started_in`, `ended_in` and `ongoing_after`
(`EnrolmentQuerySet`, `InitiativeQuerySet`); the `*_q` functions give the same rules as Q objects
for a related model (`prefix="enrolments__"`) or an aggregate's filter. Each takes a period as
(`first`, `last`) or as one object with `start_date` and `end_date` (a reporting period).
"""

from __future__ import annotations

import datetime

from django.db.models import Q


def bounds(first, last=None) -> tuple[datetime.date | None, datetime.date | None]:
    """(first, last) from two dates, or from one period object with start_date and end_date."""
    if hasattr(first, "start_date") and hasattr(first, "end_date"):
        if last is not None:
            raise TypeError("Give a period object or two dates, not both.")
        return first.start_date, first.end_date
    return first, last


def active_in_q(first, last=None, *, prefix: str = "") -> Q:
    """Running at some time in [first, last] (both days included); no `last`: an open period."""
    first, last = bounds(first, last)
    q = Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": first})
    if last is not None:
        q = Q(**{f"{prefix}start_date__lte": last}) & q
    return q


def started_in_q(first, last=None, *, prefix: str = "") -> Q:
    """Started in [first, last]; no `first`: started on or before `last`."""
    first, last = bounds(first, last)
    q = Q()
    if first is not None:
        q &= Q(**{f"{prefix}start_date__gte": first})
    if last is not None:
        q &= Q(**{f"{prefix}start_date__lte": last})
    return q


def ended_in_q(first, last=None, *, prefix: str = "") -> Q:
    """Ended in [first, last]; no `first`: ended on or before `last`."""
    first, last = bounds(first, last)
    q = Q(**{f"{prefix}end_date__isnull": False}) if first is None and last is None else Q()
    if first is not None:
        q &= Q(**{f"{prefix}end_date__gte": first})
    if last is not None:
        q &= Q(**{f"{prefix}end_date__lte": last})
    return q


def ongoing_after_q(day: datetime.date, *, prefix: str = "") -> Q:
    """Not ended on or before `day`: still running after it."""
    return Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": day})


def month_in_q(first, last=None, *, prefix: str = "") -> Q:
    """A monthly figure (its `month` is the month's first day) of a month that overlaps
    [first, last]: the month of `first` counts even when the period starts mid-month."""
    first, last = bounds(first, last)
    return Q(**{f"{prefix}month__gte": first.replace(day=1), f"{prefix}month__lte": last})


class PeriodQuerySet:
    """Mixin for the querysets of models with `start_date` and `end_date`."""

    def active_in(self, first, last=None):
        return self.filter(active_in_q(first, last))

    def started_in(self, first, last=None):
        return self.filter(started_in_q(first, last))

    def ended_in(self, first, last=None):
        return self.filter(ended_in_q(first, last))

    def ongoing_after(self, day: datetime.date):
        return self.filter(ongoing_after_q(day))
