"""Personal identity numbers: validation and pseudonyms (their look-up hash is
`finsam.core.keys.lookup_hash`).

Specific to the field (personnummer and samordningsnummer); the check-digit arithmetic comes from
the `personnummer` library. Error messages are Swedish because registrars read them.
"""

from __future__ import annotations

import datetime
import re
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from personnummer.personnummer import Personnummer, PersonnummerException

from finsam.core.dates import age_on

_FORMAT = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})$")
# Unambiguous alphabet for pseudonyms: no 0/O, 1/I/L, U.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True)
class PersonalNumber:
    normalized: str  # twelve digits, YYYYMMDDNNNC
    birth_date: datetime.date
    is_coordination_number: bool
    legal_gender: str  # "woman" | "man"

    def age_on(self, day: datetime.date) -> int:
        return age_on(self.birth_date, day)


def parse_personal_number(raw: str) -> PersonalNumber:
    """Validate format, date and check digit; raise ValidationError with a Swedish message."""
    value = (raw or "").strip().replace(" ", "")
    match = _FORMAT.match(value)
    if not match:
        raise ValidationError(
            _("Ange personnumret som ÅÅÅÅMMDD-NNNN (12 siffror), t.ex. 19811218-9876."),
            code="format",
        )
    century, _yy, month, day, _sep, _tail = match.groups()
    if century is None:
        raise ValidationError(
            _("Ange hela födelseåret med fyra siffror: ÅÅÅÅMMDD-NNNN."), code="format"
        )
    day_number = int(day)
    coordination = day_number > 60
    if coordination:
        day_number -= 60
    try:
        datetime.date(int(value[:4]), int(month), day_number)
    except ValueError as exc:
        raise ValidationError(
            _("Datumet i personnumret finns inte (%(date)s).")
            % {"date": f"{value[:4]}-{month}-{day}"},
            code="date",
        ) from exc
    try:
        number = Personnummer(value)
    except PersonnummerException as exc:
        raise ValidationError(
            _("Kontrollsiffran stämmer inte. Kontrollera att personnumret är rätt skrivet."),
            code="check_digit",
        ) from exc
    birth_date = number.get_date()
    if birth_date > datetime.date.today():
        raise ValidationError(_("Födelsedatumet ligger i framtiden."), code="date")
    return PersonalNumber(
        normalized=number.format(long_format=True),
        birth_date=birth_date,
        is_coordination_number=number.is_coordination_number(),
        legal_gender="woman" if number.is_female() else "man",
    )


def new_pseudonym() -> str:
    return "D-" + "".join(secrets.choice(_ALPHABET) for _ in range(7))
