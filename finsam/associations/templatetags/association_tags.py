from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value) -> str:
    """12.500 → "12,5 %" (no trailing zeros, localised decimal separator)."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    places = max(0, -value.normalize().as_tuple().exponent)
    return f"{number_format(value, decimal_pos=places)} %"
