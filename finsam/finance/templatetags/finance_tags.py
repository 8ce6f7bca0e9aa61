"""Amounts in kronor and percentages as Swedish readers write them (finsam.core.formats), and the
money sections of the association's and the initiatives' pages."""

from django import template

from finsam.core import formats
from finsam.finance import selectors

register = template.Library()


@register.filter
def kr(value) -> str:
    """3000000 → "3 000 000" (grouped, no decimals); None → "–"."""
    return formats.sv_amount(value)


@register.filter
def pct(value) -> str:
    """26.4 → "26,4 %"; None → "–"."""
    return formats.sv_percent_value(value)


# The money sections of pages that belong to lower apps (the association's page, an initiative's
# page): those apps cannot import `finance`, their templates include the section here.


@register.inclusion_tag("finance/_members.html")
def members_section(association, can_edit):
    """The association's members with their contribution shares and the check of the split."""
    return {
        "association": association,
        "can_edit": can_edit,
        **selectors.member_section(association),
    }


@register.inclusion_tag("finance/_budgets.html")
def budgets_section(initiative, can_edit):
    """The initiative's budget per year with the totals."""
    return {"initiative": initiative, "can_edit": can_edit, **selectors.budget_section(initiative)}
