"""Closed years are read-only: every service that writes to an association's year calls
`ensure_open` first (a clear Swedish message, nothing saved)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from finsam.finance.models import YearClosure


def is_closed(association_id: int, year: int) -> bool:
    return YearClosure.objects.filter(
        association_year__association_id=association_id, association_year__year=year
    ).exists()


def ensure_open(association_id: int, year: int) -> None:
    """Raise when the association's `year` is closed."""
    if year is not None and is_closed(association_id, year):
        raise ValidationError(
            _("Året %(year)s är stängt och kan inte ändras.") % {"year": year},
            code="closed",
        )
