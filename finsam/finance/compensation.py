"""The compensation model's rules: what a model of each kind needs, checked with Swedish
messages, and the counting rules a per-participant-week model may name.

A model is passed around as plain data (the board's decision stores it, granting copies it to
`CompensationModel` rows through `finsam.finance.services.compensation_models_set`):

    {"kind": "per_participant_week", "fixed_amount": None, "fixed_period": "",
     "rate_per_week": 1500, "counting_rule": "enrolled_weeks", "caps": {"1280": 200000},
     "unit_name": "", "unit_price": None}

Amounts are whole kronor; `caps` maps municipality codes to the most paid per year.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finsam.finance.models import CompensationKind, FixedPeriod

# The counting rules a participant-week may be counted by. Every one applies the counting rule
# of the registrations (`finsam.reference.counting`, R6): a wrong registration never counts.
COUNTING_RULES = {
    "enrolled_weeks": gettext_lazy(
        "Inskrivna veckor (påbörjad vecka räknas, felregistrering räknas inte)"
    ),
    "full_weeks": gettext_lazy("Hela inskrivna veckor (felregistrering räknas inte)"),
}
EMPTY = {
    "kind": "",
    "fixed_amount": None,
    "fixed_period": "",
    "rate_per_week": None,
    "counting_rule": "",
    "caps": {},
    "unit_name": "",
    "unit_price": None,
}
MAX_AMOUNT = Decimal("999999999999")


def _whole(value, field: str, errors: dict, *, positive: bool) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace("\u00a0", "").replace(" ", "").replace(",", "."))
    except InvalidOperation:
        errors[field] = _("Ange ett belopp i hela kronor.")
        return None
    if not number.is_finite() or number != number.to_integral_value() or abs(number) > MAX_AMOUNT:
        errors[field] = _("Ange ett belopp i hela kronor.")
        return None
    if positive and number <= 0:
        errors[field] = _("Beloppet ska vara större än noll.")
        return None
    if number < 0:
        errors[field] = _("Beloppet kan inte vara negativt.")
        return None
    return int(number)


def clean(data: dict, *, municipality_codes=None) -> dict:
    """The model `data` checked and normalised (only the fields its kind uses are kept), or a
    ValidationError keyed by field. `municipality_codes`: the codes a cap may name."""
    errors: dict[str, str] = {}
    kind = (data.get("kind") or "").strip()
    out = dict(EMPTY, caps={})
    if kind not in CompensationKind.values:
        raise ValidationError({"kind": _("Välj en ersättningsmodell.")})
    out["kind"] = kind
    if kind in (CompensationKind.FIXED, CompensationKind.MIXED):
        out["fixed_amount"] = _whole(
            data.get("fixed_amount"), "fixed_amount", errors, positive=False
        )
        if out["fixed_amount"] is None and "fixed_amount" not in errors:
            errors["fixed_amount"] = _("Ange det fasta beloppet.")
        period = data.get("fixed_period") or ""
        if period not in FixedPeriod.values:
            errors["fixed_period"] = _("Välj vilken period det fasta beloppet gäller.")
        out["fixed_period"] = period
    if kind in (CompensationKind.PER_PARTICIPANT_WEEK, CompensationKind.MIXED):
        out["rate_per_week"] = _whole(
            data.get("rate_per_week"), "rate_per_week", errors, positive=True
        )
        if out["rate_per_week"] is None and "rate_per_week" not in errors:
            errors["rate_per_week"] = _("Ange ersättningen per deltagarvecka.")
        rule = data.get("counting_rule") or ""
        if rule not in COUNTING_RULES:
            errors["counting_rule"] = _("Välj hur deltagarveckor räknas.")
        out["counting_rule"] = rule
        for code, amount in (data.get("caps") or {}).items():
            if municipality_codes is not None and code not in municipality_codes:
                errors[f"cap_{code}"] = _("Kommunen ingår inte i förbundet.")
                continue
            value = _whole(amount, f"cap_{code}", errors, positive=False)
            if value is not None:
                out["caps"][code] = value
    if kind == CompensationKind.PER_UNIT:
        out["unit_name"] = (data.get("unit_name") or "").strip()[:100]
        if not out["unit_name"]:
            errors["unit_name"] = _("Ange vilken enhet som ersätts.")
        out["unit_price"] = _whole(data.get("unit_price"), "unit_price", errors, positive=True)
        if out["unit_price"] is None and "unit_price" not in errors:
            errors["unit_price"] = _("Ange priset per enhet.")
    if errors:
        raise ValidationError(errors)
    return out


def describe(data: dict, municipality_names: dict | None = None) -> list[str]:
    """The model in plain Swedish lines, for decisions, minutes and agreements."""
    from finsam.core.formats import sv_kronor

    if not data or not data.get("kind"):
        return []
    lines = [str(CompensationKind(data["kind"]).label)]
    if data.get("fixed_amount") is not None:
        lines.append(
            _("Fast belopp: %(amount)s %(period)s")
            % {
                "amount": sv_kronor(data["fixed_amount"]),
                "period": FixedPeriod(data["fixed_period"]).label
                if data.get("fixed_period")
                else "",
            }
        )
    if data.get("rate_per_week") is not None:
        lines.append(
            _("Ersättning per deltagarvecka: %(amount)s")
            % {"amount": sv_kronor(data["rate_per_week"])}
        )
        if data.get("counting_rule") in COUNTING_RULES:
            lines.append(
                _("Räkneregel: %(rule)s") % {"rule": COUNTING_RULES[data["counting_rule"]]}
            )
        names = municipality_names or {}
        for code, amount in sorted((data.get("caps") or {}).items()):
            lines.append(
                _("Tak för %(municipality)s: %(amount)s per år")
                % {"municipality": names.get(code, code), "amount": sv_kronor(amount)}
            )
    if data.get("unit_price") is not None:
        lines.append(
            _("Ersättning per %(unit)s: %(amount)s")
            % {"unit": data.get("unit_name", ""), "amount": sv_kronor(data["unit_price"])}
        )
    return lines
