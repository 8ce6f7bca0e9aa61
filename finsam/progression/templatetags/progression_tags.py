"""The progression section of an initiative's page and the link on an enrolment's page
(`initiatives` and `participants` cannot import this app)."""

from django import template

register = template.Library()


@register.inclusion_tag("progression/_section.html", takes_context=True)
def progression_section(context, initiative):
    """A link to the initiative's progression summary, for those who may read it."""
    access = context["request"].access
    return {
        "show": not initiative.is_volume and access.can("progression.read", initiative=initiative),
        "initiative": initiative,
    }


@register.inclusion_tag("progression/_enrolment_link.html", takes_context=True)
def progression_link(context, enrolment):
    """The button to the participant's ratings, for the initiative's registrars."""
    access = context["request"].access
    return {
        "show": access.can("progression.rate", initiative=enrolment.initiative),
        "enrolment": enrolment,
    }
