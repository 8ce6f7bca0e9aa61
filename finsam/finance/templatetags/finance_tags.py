"""Amounts in kronor and percentages as Swedish readers write them."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def kr(value) -> str:
    """3000000 → "3 000 000" (grouped, no decimals); None → "–"."""
    if value is None or value == "":
        return "–"
    return number_format(Decimal(str(value)), decimal_pos=0, use_l10n=True, force_grouping=True)


@register.filter
def pct(value) -> str:
    """26.4 → "26,4 %"; None → "–"."""
    if value is None or value == "":
        return "–"
    return f"{number_format(Decimal(str(value)), decimal_pos=1, use_l10n=True)} %"
