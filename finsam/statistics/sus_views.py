"""Pages for the SUS reports (initiative report, participant report).

The SUS pages are a selection screen (scope within the user's rights, period, filters, variables or
report types) above the report. The scope comes from `scopes.scope_for` (404 for objects outside
reach, 403 for a kind outside the role), the filters from the statistics filter form, the figures
from `sus` (which counts through the engine). `?export=xlsx` downloads what the page shows.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from finsam.finance.templatetags.finance_tags import kr
from finsam.initiatives.scoping import visible_initiatives
from finsam.reference.models import Code, CodeList
from finsam.statistics import engine, sus
from finsam.statistics.charts import table_chart_svg
from finsam.statistics.forms import PERIOD_END, PERIOD_START, PRESET, StatsFilterForm
from finsam.statistics.scopes import available_scopes, scope_for
from finsam.statistics.views import group_scopes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCOPE = "scope"
VARIABLE = "variable"
REPORT = "report"
INCOME_BEFORE = "income_before"
EXPORT = "export"


# --- Selection -------------------------------------------------------------------------------


def scope_value(kind: str, obj_id) -> str:
    """ "association", "national", "initiative-12", "region-3"."""
    return kind if kind in ("association", "national") else f"{kind}-{obj_id}"


def parse_scope_value(value: str) -> tuple[str, int | None]:
    kind, _sep, obj_id = value.partition("-")
    if kind in ("association", "national") and not obj_id:
        return kind, None
    if kind in ("initiative", "region") and obj_id.isdigit():
        return kind, int(obj_id)
    raise Http404


def _default_scope_value(access, scopes) -> str:
    for kind, obj_id, _label in scopes:
        if kind == "association":
            return scope_value(kind, obj_id)
    kind, obj_id, _label = scopes[0]
    return scope_value(kind, obj_id)


def _selection(request):
    """The scopes the user may choose, the chosen one and the filter form."""
    access = request.access
    scopes = available_scopes(access)
    if not scopes:
        raise PermissionDenied
    value = request.GET.get(SCOPE) or _default_scope_value(access, scopes)
    kind, obj_id = parse_scope_value(value)
    scope = scope_for(access, kind, obj_id)
    form = StatsFilterForm(request.GET, scope=scope)
    scope_groups = [
        (heading, [(scope_value(k, i), label) for k, i, label in items])
        for heading, items in group_scopes(scopes)
    ]
    return {
        "scope": scope,
        "scope_value": scope_value(kind, obj_id),
        "scope_groups": scope_groups,
        "form": form,
        "quick_picks": form.quick_picks(),
        "suppression_text": engine.SUPPRESSION_TEXT,
    }


def _filters_text(context) -> str:
    return _("Urval: %(scope)s. %(filters)s") % {
        "scope": context["scope"].label,
        "filters": context["form"].filters_text(),
    }


def _xlsx_export(form, report, make_xlsx, title: str, stem: str, context: dict):
    """A report as an Excel download; 400 with the form's errors when there is none."""
    if report is None:
        return _bad_filter(form)
    content = make_xlsx(report, title=title, filters_text=_filters_text(context))
    return xlsx_response(content, _file_stem(stem, context) + ".xlsx")


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _bad_filter(form) -> HttpResponse:
    messages = [m for errors in form.errors.values() for m in errors]
    return HttpResponseBadRequest(
        (_("Urvalet är ogiltigt:") + " " + " ".join(messages)).encode(),
        content_type="text/plain; charset=utf-8",
    )


def _file_stem(prefix: str, context) -> str:
    form = context["form"]
    start = form.cleaned_data[PERIOD_START].isoformat()
    end = form.cleaned_data[PERIOD_END].isoformat()
    return f"{prefix}-{slugify(context['scope'].label) or context['scope'].kind}-{start}-{end}"


# --- Insatsrapport ---------------------------------------------------------------------------


@require_GET
def initiative_report(request):
    context = _selection(request)
    form = context["form"]
    chosen = [v for v in request.GET.getlist(VARIABLE) if v in sus.VARIABLE_KEYS]
    report = None
    if form.is_valid():
        flt = form.to_filter()
        if sus.one_month_or_longer(flt):
            report = sus.initiative_report(context["scope"], flt, chosen)
        else:
            form.add_error(None, _("Perioden ska vara minst en månad, som i SUS."))
    if request.GET.get(EXPORT) == "xlsx":
        title = _("Insatsrapport: %(scope)s") % {"scope": context["scope"].label}
        return _xlsx_export(
            form, report, sus.initiative_report_xlsx, title, "insatsrapport", context
        )
    linkable = set()
    if report is not None:
        ids = [line.initiative.pk for line in report.lines]
        linkable = set(
            visible_initiatives(request.access).filter(pk__in=ids).values_list("pk", flat=True)
        )
    context.update(
        {
            "report": report,
            "variables": [
                (key, str(label), key in chosen) for key, label in sus.INITIATIVE_VARIABLES
            ],
            "rows": _initiative_rows(report, linkable) if report else [],
            "total_cells": _initiative_totals(report) if report else [],
            "columns": _initiative_columns(report) if report else [],
            "count_variables": sus.COUNT_VARIABLES,
            "export_url": _export_url(request, form),
        }
    )
    return render(request, "statistics/sus_initiative_report.html", context)


def _export_url(request, form) -> str:
    """The page's own query with the resolved period (a quick pick is turned into its dates)."""
    query = request.GET.copy()
    query.pop(PRESET, None)
    if form.is_valid():
        query[PERIOD_START] = form.cleaned_data[PERIOD_START].isoformat()
        query[PERIOD_END] = form.cleaned_data[PERIOD_END].isoformat()
    query[EXPORT] = "xlsx"
    return f"{request.path}?{query.urlencode()}"


def _initiative_columns(report) -> list[dict]:
    return [
        {
            "key": key,
            "label": sus.variable_label(key),
            "counted": key in sus.COUNT_VARIABLES,
            "numeric": key in ("planned_participants", "budget", "outcome"),
        }
        for key in report.variables
    ]


def _display(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal | int):
        return kr(value)
    return str(value)


def _initiative_rows(report, linkable) -> list[dict]:
    rows = []
    for line in report.lines:
        cells = []
        for key in report.variables:
            if key in sus.COUNT_VARIABLES:
                cells.append({"counted": True, "row": line.counts[key]})
            elif key == "description":
                cells.append({"text": line.initiative.purpose, "description": True})
            else:
                value = sus.initiative_value(line, key)
                cells.append(
                    {
                        "text": _display(value),
                        "numeric": key in ("planned_participants", "budget", "outcome"),
                        "nowrap": not isinstance(value, str),
                        "small": key == "target_groups",
                    }
                )
        rows.append(
            {"initiative": line.initiative, "link": line.initiative.pk in linkable, "cells": cells}
        )
    return rows


def _initiative_totals(report) -> list[dict]:
    sums = {
        "planned_participants": report.planned_total,
        "budget": report.budget_total,
        "outcome": report.outcome_total,
    }
    cells = []
    for key in report.variables:
        if key in sus.COUNT_VARIABLES:
            cells.append({"counted": True, "row": report.totals[key]})
        elif key in sums:
            cells.append({"text": _display(sums[key]), "numeric": True})
        else:
            cells.append({"text": ""})
    return cells


# --- Standardrapport deltagare ----------------------------------------------------------------


@require_GET
def participant_report(request):
    context = _selection(request)
    form = context["form"]
    chosen = [r for r in request.GET.getlist(REPORT) if r in sus.REPORT_KEYS]
    income_codes = list(Code.objects.of(CodeList.INCOME_SOURCE).order_by("sort_order", "code"))
    wanted = request.GET.get(INCOME_BEFORE) or sus.DEFAULT_TRANSITION_CODE
    transition_code = next((c for c in income_codes if c.code == wanted), None)
    if transition_code is None:
        form.add_error(None, _("Välj en försörjningskälla i listan."))
    report = None
    if form.is_valid():
        report = sus.participant_report(
            context["scope"], form.to_filter(), chosen, transition_code=transition_code
        )
    if request.GET.get(EXPORT) == "xlsx":
        title = _("Standardrapport deltagare: %(scope)s") % {"scope": context["scope"].label}
        return _xlsx_export(
            form, report, sus.participant_report_xlsx, title, "deltagarrapport", context
        )
    context.update(
        {
            "report": report,
            "sections": _participant_sections(report) if report else [],
            "report_choices": [
                (key, str(label), key in chosen) for key, label in sus.PARTICIPANT_REPORTS
            ],
            "income_codes": income_codes,
            "income_before": wanted,
            "export_url": _export_url(request, form),
        }
    )
    return render(request, "statistics/sus_participant_report.html", context)


def _participant_sections(report) -> list[dict]:
    labels = dict(sus.PARTICIPANT_REPORTS)
    sections = []
    for key in report.reports:
        value = getattr(report, key)
        section = {"key": key, "title": str(labels[key])}
        if isinstance(value, sus.Comparison):
            section.update(
                comparison=value,
                chart=None if value.empty else mark_safe(sus.comparison_chart_svg(value)),  # noqa: S308
            )
        elif isinstance(value, sus.Transition):
            table = value.table
            section.update(
                transition=value,
                table=table,
                chart=None if not table.total.total.value else mark_safe(table_chart_svg(table)),  # noqa: S308
            )
        else:
            section.update(
                table=value,
                chart=None if not value.total.total.value else mark_safe(table_chart_svg(value)),  # noqa: S308
            )
        sections.append(section)
    return sections
