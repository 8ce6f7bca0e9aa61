"""The board's parts of other apps' pages: an application's decision letter and agreement
(`application_documents`), an initiative's reporting dates (`reporting_schedule`)."""

from django import template

from finsam.board.models import Decision
from finsam.board.scoping import decisions_for
from finsam.finance import compensation as compensation_rules

register = template.Library()


@register.inclusion_tag("board/_application_documents.html", takes_context=True)
def application_documents(context, application):
    access = context["request"].access
    decision = (
        decisions_for(access)
        .filter(application=application, took_effect_at__isnull=False)
        .order_by("-took_effect_at")
        .first()
    )
    return {"decision": decision}


@register.inclusion_tag("board/_reporting_schedule.html")
def reporting_schedule(initiative):
    decision = (
        Decision.objects.filter(application__initiative=initiative, took_effect_at__isnull=False)
        .order_by("-took_effect_at")
        .first()
    )
    return {"dates": decision.reporting_dates if decision else []}


@register.filter
def compensation_lines(decision):
    from finsam.reference.models import Municipality

    names = dict(Municipality.objects.values_list("code", "name"))
    return compensation_rules.describe(decision.compensation, names)
