"""The catalogue's section of an initiative's page (a lower app's page includes it here)."""

from django import template

from finsam.catalogue import selectors

register = template.Library()


@register.inclusion_tag("catalogue/_section.html")
def catalogue_section(initiative, access):
    """Whether the initiative is in the public catalogue, and the link to its entry page."""
    return {
        "initiative": initiative,
        "entry": selectors.entry_for(initiative),
        "can_edit": access.can("catalogue.edit", initiative=initiative),
    }
