from django import template

from finsam.core import formats

register = template.Library()


@register.filter
def percent(value) -> str:
    """12.500 → "12,5 %" (no trailing zeros, localised decimal separator)."""
    return formats.sv_percent_trimmed(value)
