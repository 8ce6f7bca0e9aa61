"""Numbers, kronor, percentages and dates as Swedish readers write them: the one place for them.

Used by the statistics engine's texts, documents (PDF, DOCX, XLSX) and the templates' filters
(`finance_tags.kr`/`pct`, `association_tags.percent`), so the same value reads the same
everywhere.

Thousands are grouped with a no-break space (U+00A0), as Swedish typography does and as Django's
`sv` locale formats numbers: "1 234 567" never breaks across lines in a document or on a page.
`sv_number(n, space=" ")` keeps the plain space where a text has always been written with it
(statistics sentences frozen in report snapshots, SUS spreadsheets, chart labels); those call
sites say so explicitly.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

NBSP = "\u00a0"
# Shown for an amount or share that is not known.
MISSING = "–"

MONTHS_SV = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def sv_number(n: int, *, space: str = NBSP) -> str:
    """1234567 → "1 234 567" (grouped by three with a no-break space, or `space`)."""
    return f"{n:,}".replace(",", space)


def sv_amount(value) -> str:
    """An amount in whole kronor, grouped as the active locale groups (Swedish: no-break
    space), without the unit: 3000000 → "3 000 000"; None or "" → "–"."""
    from django.utils.formats import number_format

    if value is None or value == "":
        return MISSING
    return number_format(Decimal(str(value)), decimal_pos=0, use_l10n=True, force_grouping=True)


def sv_kronor(value) -> str:
    """12345 → "12 345 kr" (no-break spaces); None → "–"."""
    amount = sv_amount(value)
    return amount if amount == MISSING else f"{amount}{NBSP}kr"


def sv_percent_value(value, *, decimals: int = 1) -> str:
    """A percentage given as a number: 26.4 → "26,4 %"; None or "" → "–"."""
    from django.utils.formats import number_format

    if value is None or value == "":
        return MISSING
    return f"{number_format(Decimal(str(value)), decimal_pos=decimals, use_l10n=True)} %"


def sv_percent_trimmed(value) -> str:
    """12.500 → "12,5 %" (as many decimals as it needs, none when whole); None or "" → ""."""
    from django.utils.formats import number_format

    if value is None or value == "":
        return ""
    value = Decimal(value)
    places = max(0, -value.normalize().as_tuple().exponent)
    return f"{number_format(value, decimal_pos=places)} %"


def rounded_percent(part: int, whole: int) -> int:
    """`part` of `whole` as a whole percent, rounded half up (0 when `whole` is 0)."""
    if not whole:
        return 0
    return (200 * part + whole) // (2 * whole)  # half up, integer arithmetic


def sv_share(part: int, whole: int) -> str:
    """Share as a rounded whole percent in Swedish style: "71 %"."""
    return f"{rounded_percent(part, whole)} %"


_SV_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"})


def swedish_sort_key(text: str) -> str:
    """Sort key putting å, ä, ö after z, as Swedish readers expect (the database does not)."""
    return text.casefold().translate(_SV_ORDER)


def sv_date(day: datetime.date) -> str:
    """2021-08-31 → "31 augusti 2021"."""
    return f"{day.day} {MONTHS_SV[day.month - 1]} {day.year}"


def sv_date_range(start: datetime.date, end: datetime.date) -> str:
    """ "1 januari 2021 – 31 augusti 2021"."""
    return f"{sv_date(start)} – {sv_date(end)}"
