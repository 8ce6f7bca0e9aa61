"""Organisation numbers (organisationsnummer): NNNNNN-NNNN, the last digit a Luhn check digit."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from finsam.core.validators import luhn_check_digit

_ORG_NUMBER = re.compile(r"^(\d{6})-?(\d{4})$")


def normalize_org_number(value: str) -> str:
    """Return the number as NNNNNN-NNNN, or raise ValidationError with a message for the user."""
    value = (value or "").strip().replace(" ", "")
    match = _ORG_NUMBER.match(value)
    if not match:
        raise ValidationError(
            _("Organisationsnumret ska ha tio siffror i formen NNNNNN-NNNN."), code="format"
        )
    digits = match.group(1) + match.group(2)
    if luhn_check_digit(digits[:9]) != int(digits[9]):
        raise ValidationError(
            _("Organisationsnumret är inte giltigt: kontrollsiffran (sista siffran) stämmer inte."),
            code="check_digit",
        )
    return f"{digits[:6]}-{digits[6:]}"


def validate_org_number(value: str) -> None:
    """Model-field validator: only the normalised form NNNNNN-NNNN is accepted."""
    if normalize_org_number(value) != value:
        raise ValidationError(
            _("Organisationsnumret ska ha tio siffror i formen NNNNNN-NNNN."), code="format"
        )
