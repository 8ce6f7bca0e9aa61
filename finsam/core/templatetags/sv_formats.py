"""Swedish number, kronor, percentage and date filters for templates (finsam.core.formats).

{% load sv_formats %}{{ total|sv_number }} · {{ amount|kronor }} · {{ day|sv_date }}
"""

from django import template

from finsam.core import formats

register = template.Library()


@register.filter
def sv_number(value) -> str:
    """1234567 → "1 234 567" (no-break spaces); None or "" → "–"."""
    if value is None or value == "":
        return formats.MISSING
    return formats.sv_number(int(value))


@register.filter
def kronor(value) -> str:
    """12345 → "12 345 kr"; None → "–"."""
    return formats.sv_kronor(value)


@register.filter
def sv_date(value) -> str:
    """2021-08-31 → "31 augusti 2021"; None → ""."""
    return "" if value is None else formats.sv_date(value)
