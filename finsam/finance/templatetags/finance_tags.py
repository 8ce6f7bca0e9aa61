"""Amounts in kronor and percentages as Swedish readers write them (finsam.core.formats)."""

from django import template

from finsam.core import formats

register = template.Library()


@register.filter
def kr(value) -> str:
    """3000000 → "3 000 000" (grouped, no decimals); None → "–"."""
    return formats.sv_amount(value)


@register.filter
def pct(value) -> str:
    """26.4 → "26,4 %"; None → "–"."""
    return formats.sv_percent_value(value)
