"""The estimates section of an initiative's page (`initiatives` cannot import this app)."""

from django import template

from finsam.socioeconomics import selectors

register = template.Library()


@register.filter
def kr_round(value) -> str:
    """An estimate's amount in whole kronor, rounded half up: 1831043.63 → "1 831 044"."""
    return selectors.amount(value)


@register.inclusion_tag("socioeconomics/_section.html", takes_context=True)
def estimates_section(context, initiative):
    """The initiative's socioeconomic estimates, for those who may read them."""
    access = context["request"].access
    if not access.can("estimate.read", initiative=initiative):
        return {"show": False}
    return {
        "show": True,
        "initiative": initiative,
        "can_edit": access.can("estimate.change", initiative=initiative),
        **selectors.section(initiative),
    }
