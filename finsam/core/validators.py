"""Input rules shared by model fields, forms, services and API serializers.

Defined once so that the pages and the API accept exactly the same text and dates:

- text: no control characters; long texts (`TextField`s) may hold line breaks and tabs;
- dates: from 1900-01-01 to `DATE_MAX_YEARS_AHEAD` years after today (a planned initiative may
  start a few years ahead; dates of events that have happened, like an enrolment's start, an exit
  or a consent, have their stricter "not in the future" rule in the participant services);
- ids given in forms: within the range of the database's id column.

Model fields carry `TEXT_VALIDATORS` / `LONG_TEXT_VALIDATORS` / `DATE_VALIDATORS`, so ModelForms
and services calling `full_clean()` apply them; serializers use the same lists.
"""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX_YEARS_AHEAD = 10
# Largest value of a 64-bit id column (BigAutoField); larger numbers cannot name a row.
DATABASE_ID_MAX = 2**63 - 1

# C0 and C1 control characters and DEL; long texts keep tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_EXCEPT_LINE_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@deconstructible
class NoControlCharacters:
    """Rejects control characters; `multiline` allows tab and line breaks."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value) -> None:
        pattern = _CONTROL_EXCEPT_LINE_BREAKS if self.multiline else _CONTROL
        if isinstance(value, str) and pattern.search(value):
            raise ValidationError(
                _("Texten innehåller otillåtna tecken (styrtecken)."), code="control_character"
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, NoControlCharacters) and other.multiline == self.multiline


def latest_date(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + DATE_MAX_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + DATE_MAX_YEARS_AHEAD, day=28)


def validate_date_in_range(value) -> None:
    """No date before 1900 or more than `DATE_MAX_YEARS_AHEAD` years ahead."""
    if not isinstance(value, datetime.date):
        return
    if isinstance(value, datetime.datetime):
        value = value.date()
    if value < DATE_MIN:
        raise ValidationError(_("Datumet kan inte vara före år 1900."), code="date_too_early")
    if value > latest_date():
        raise ValidationError(
            _("Datumet kan inte ligga mer än %(years)s år fram i tiden.")
            % {"years": DATE_MAX_YEARS_AHEAD},
            code="date_too_late",
        )


TEXT_VALIDATORS = [NoControlCharacters()]
LONG_TEXT_VALIDATORS = [NoControlCharacters(multiline=True)]
DATE_VALIDATORS = [validate_date_in_range]


def is_database_id(value) -> bool:
    try:
        number = int(str(value).strip())
    except ValueError:
        return False
    return 0 < number <= DATABASE_ID_MAX


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows by id that rejects ids outside the id column's range as invalid
    choices (SQLite cannot even compare them: an `__in` lookup with one raises OverflowError)."""

    def _check_values(self, value):
        for pk in value:
            if not is_database_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


def luhn_check_digit(digits: str) -> int:
    """The Luhn check digit for `digits` (weights 2, 1, 2, 1 … from the left), as the last digit
    of personal identity numbers (over YYMMDDNNN) and organisation numbers."""
    total = 0
    for i, ch in enumerate(digits):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10
