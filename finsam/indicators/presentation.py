"""How indicator figures are shown: the same texts on the pages, in the XLSX, the API's labels
and the compiled report."""

from __future__ import annotations

from django.utils.translation import gettext as _

from finsam.core.formats import rounded_percent, sv_number
from finsam.indicators.compute import POOL, SECONDARY, Figure, Rule


def small_label(minimum: int) -> str:
    """How a hidden small count is shown: "1–4" when the minimum is 5."""
    highest = minimum - 1
    return "1" if highest <= 1 else f"1–{highest}"


def n_text(figure: Figure | None, rule: Rule) -> str:
    if figure is None:
        return "–"
    if figure.hidden:
        return ".." if figure.hidden in (SECONDARY, POOL) else small_label(rule.minimum)
    return sv_number(figure.n)


def share_text(figure: Figure | None) -> str:
    if figure is None:
        return "–"
    if figure.hidden:
        return _("För få svar")
    if figure.share is None:
        return "–"
    return f"{rounded_percent(figure.positive, figure.n)} %"


def target_text(rule: Rule) -> str:
    if rule.target_share is None:
        return "–"
    value = f"{rule.target_share.normalize():f}".replace(".", ",")
    if rule.at_least:
        return _("minst %(share)s %%") % {"share": value}
    return _("högst %(share)s %%") % {"share": value}


def met_text(met: bool | None) -> str:
    if met is None:
        return "–"
    return _("Uppfyllt") if met else _("Ej uppfyllt")


def change_text(change: float | None) -> str:
    if change is None:
        return "–"
    points = round(change)
    sign = "+" if points > 0 else ("−" if points < 0 else "±")
    return _("%(sign)s%(points)s procentenheter") % {"sign": sign, "points": abs(points)}


def suppression_text(minimum: int) -> str:
    return _(
        "Indikatorer med färre än %(minimum)s räknade svar visas inte (”För få svar”), för att "
        "ingen som svarat ska kunna identifieras. Där ett dolt antal annars skulle kunna räknas "
        "fram ur en summa döljs även ett annat (visas som ”..”). ”Vet ej” räknas inte."
    ) % {"minimum": minimum}
