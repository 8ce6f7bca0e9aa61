"""Diary numbers (diarienummer): "2026/012", gap-free per association and year.

The number is taken in the submitting transaction under a row lock on the year's counter: two
submissions at once wait for each other and get consecutive numbers, and a submission that
rolls back gives its number back with it. Never reused.
"""

from django.db import IntegrityError, transaction

from finsam.applications.models import DiaryCounter

# The format of a diary number: year and a three-digit sequence.
FORMAT = "{year}/{sequence:03d}"


def format_diary_number(year: int, sequence: int) -> str:
    return FORMAT.format(year=year, sequence=sequence)


def take_diary_number(association_id: int, year: int) -> tuple[int, str]:
    """The next sequence of the association's year and its diary number. Call inside the
    transaction that stores it on the application."""
    assert transaction.get_connection().in_atomic_block, "take a diary number inside a transaction"
    try:
        with transaction.atomic():
            DiaryCounter.objects.get_or_create(association_id=association_id, year=year)
    except IntegrityError:  # another submission created the year's counter at the same moment
        pass
    counter = DiaryCounter.objects.select_for_update().get(association_id=association_id, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, format_diary_number(year, counter.last)
