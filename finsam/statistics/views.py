"""Statistics pages: an initiative, the association, a region or the whole country.

Thin views over the engine (`finsam.statistics.engine`): the scope comes from
`scopes.scope_for` (404 for objects outside the user's reach, 403 for a kind outside their role),
the filter form parses the query string, the engine counts, the page shows headline figures and
one card per table (chart, table, downloads). An HTMX request gets only the results and the
canonical URL of the filters to push; downloads are the same URL with `export=xlsx|csv`.
"""

from __future__ import annotations

import hashlib

from django.core.cache import caches
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_htmx.http import push_url

from finsam.core import formats
from finsam.core.access import can_see_association_statistics
from finsam.core.htmx import vary_on_htmx, wants_partial
from finsam.initiatives.scoping import get_initiative
from finsam.statistics import engine, exports, selectors
from finsam.statistics.charts import table_chart_svg
from finsam.statistics.forms import PERIOD_END, PERIOD_START, PRESET, StatsFilterForm
from finsam.statistics.scopes import available_scopes, scope_for

EXPORT = "export"
CHART = "chart"
CHART_CACHE_SECONDS = 60 * 60
# Drawn charts are kept per process (settings.CACHES): the shared default cache is for throttling.
cache = caches["charts"]
TABLE = "table"
ALL_TABLES = "all"
HEADLINE = "headline"
FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def kind_labels() -> dict[str, str]:
    return {
        "initiative": _("Insats"),
        "association": _("Förbund"),
        "region": _("Region"),
        "national": _("Hela landet"),
    }


def scope_url(kind: str, obj_id) -> str:
    if kind == "national":
        return reverse("statistics:national")
    return reverse("statistics:scope", kwargs={"kind": kind, "obj_id": obj_id})


def default_scope(access, scopes):
    """The association for association-wide roles, else the first visible initiative."""
    if can_see_association_statistics(access):
        for scope in scopes:
            if scope[0] == "association":
                return scope
    return next((s for s in scopes if s[0] == "initiative"), scopes[0] if scopes else None)


# --- Pages ---------------------------------------------------------------------------------


@require_GET
def index(request):
    scopes = available_scopes(request.access)
    chosen = default_scope(request.access, scopes)
    if chosen is None:
        return render(request, "statistics/no_scope.html")
    url = scope_url(chosen[0], chosen[1])
    if request.GET:
        url += "?" + request.GET.urlencode()
    return redirect(url)


@require_GET
def scope_page(request, kind, obj_id=None):
    access = request.access
    scope = scope_for(access, kind, obj_id)
    form = StatsFilterForm(request.GET, scope=scope)
    if EXPORT in request.GET:
        return download(request, scope, form)
    if CHART in request.GET:
        return chart(request, scope, form)
    page_url = scope_url(kind, obj_id)
    context = {
        "scope": scope,
        "kind": kind,
        "kind_label": kind_labels()[kind],
        "form": form,
        "page_url": page_url,
        "suppression_text": engine.SUPPRESSION_TEXT,
    }
    if form.is_valid():
        context.update(results_context(access, kind, obj_id, scope, form, page_url))
    context["scope_menu"] = scope_menu(access, kind, obj_id, form)
    context["quick_picks"] = form.quick_picks()
    if wants_partial(request):
        # The period inputs change only when a quick pick chose the dates.
        context["partial"] = True
        context["oob_period"] = PRESET in request.GET
        response = render(request, "statistics/_results.html", context)
        if form.is_valid():
            push_url(response, context["canonical_url"])
    else:
        response = render(request, "statistics/page.html", context)
    return vary_on_htmx(response)


def results_context(access, kind, obj_id, scope, form, page_url) -> dict:
    flt = form.to_filter()
    tables = selectors.all_tables(scope, flt)
    query = form.canonical_query()
    base = query.urlencode()
    summary = None
    if kind == "initiative":
        initiative = get_initiative(access, obj_id)
        summary = engine.summary_sentence(
            initiative=initiative, period_start=flt.period_start, on_date=flt.period_end
        )
    return {
        "headline": headline_tiles(tables[0]),
        "headline_table": tables[0],
        "cards": [
            table_card(t, page_url, base, by_gender=not form.wants_totals_only) for t in tables[1:]
        ],
        "summary": summary,
        "totals_only": form.wants_totals_only,
        "canonical_url": f"{page_url}?{base}",
        "all_xlsx_url": export_url(page_url, base, "xlsx", ALL_TABLES),
        "headline_xlsx_url": export_url(page_url, base, "xlsx", HEADLINE),
        "headline_csv_url": export_url(page_url, base, "csv", HEADLINE),
        "filters_text": form.filters_text(),
        "period_text": form.period_text(),
    }


def export_url(page_url: str, base_query: str, fmt: str, table: str) -> str:
    return f"{page_url}?{base_query}&{EXPORT}={fmt}&{TABLE}={table}"


# The groups of the scope menus, in their order, with their headings.
SCOPE_GROUPS = (
    ("association", gettext_lazy("Förbund")),
    ("initiative", gettext_lazy("Insatser")),
    ("region", gettext_lazy("Regioner (län)")),
    ("national", gettext_lazy("Nationellt")),
)


def group_scopes(scopes) -> list[tuple[str, list]]:
    """(heading, [(kind, id, label), …]) for each kind among `scopes`, in menu order."""
    return [
        (heading, items)
        for kind, heading in SCOPE_GROUPS
        if (items := [scope for scope in scopes if scope[0] == kind])
    ]


def scope_menu(access, kind, obj_id, form) -> list[dict]:
    """The scopes the user may switch to, grouped by kind; links keep the period."""
    period = ""
    if form.is_valid():
        period = (
            f"?{PERIOD_START}={form.cleaned_data[PERIOD_START].isoformat()}"
            f"&{PERIOD_END}={form.cleaned_data[PERIOD_END].isoformat()}"
        )
    return [
        {
            "label": heading,
            "items": [
                {
                    "label": label,
                    "url": scope_url(scope_kind, scope_id) + period,
                    "current": scope_kind == kind and str(scope_id or "") == str(obj_id or ""),
                }
                for scope_kind, scope_id, label in items
            ],
        }
        for heading, items in group_scopes(available_scopes(access))
    ]


# --- Presentation ----------------------------------------------------------------------------


def share(row: engine.Row, table: engine.Table) -> str:
    """The row's share of the table's total, when both are shown."""
    part, whole = row.total.value, table.total.total.value
    if part is None or not whole:
        return ""
    return formats.sv_share(part, whole)


def row_view(row: engine.Row, table: engine.Table, *, with_share=True) -> dict:
    return {
        "key": row.key,
        "label": row.label,
        "cells": [
            {"text": cell.display, "suppressed": cell.suppressed, "gender": index < 3}
            for index, cell in enumerate(row.cells)
        ],
        "share": share(row, table) if with_share else "",
    }


def table_card(table: engine.Table, page_url: str, base_query: str, *, by_gender=True) -> dict:
    empty = table.total.total.value == 0
    return {
        "table": table,
        "rows": [row_view(r, table) for r in table.rows],
        "total": row_view(table.total, table, with_share=False),
        # A chart takes matplotlib a few hundred milliseconds: the page inlines the ones drawn
        # before and lets the browser fetch the others (`?chart=<dimension>`) after showing the
        # figures.
        "chart": None if empty else cache.get(chart_cache_key(table, by_gender=by_gender)),
        "chart_url": f"{page_url}?{base_query}&{CHART}={table.dimension}",
        "empty": empty,
        "xlsx_url": export_url(page_url, base_query, "xlsx", table.dimension),
        "csv_url": export_url(page_url, base_query, "csv", table.dimension),
    }


def headline_tiles(table: engine.Table) -> list[dict]:
    return [
        {
            "key": row.key,
            "label": row.label,
            "total": row.total.display,
            "women": row.women.display,
            "men": row.men.display,
            "other": row.other.display,
            "show_other": row.other.value != 0,
        }
        for row in table.rows
    ]


# --- Charts ----------------------------------------------------------------------------------


def chart_cache_key(table: engine.Table, *, by_gender: bool) -> str:
    """The chart depends only on what the table shows (suppressed cells included as shown),
    whether it is split by gender and the language of its labels."""
    shown = [
        (row.key, row.label, [(c.value, c.secondary, c.display) for c in row.cells])
        for row in [*table.rows, table.total]
    ]
    payload = repr((get_language(), by_gender, table.dimension, table.title, shown))
    return "statistics-chart:" + hashlib.sha256(payload.encode()).hexdigest()


def chart_svg(table: engine.Table, *, by_gender: bool = True) -> str:
    key = chart_cache_key(table, by_gender=by_gender)
    svg = cache.get(key)
    if svg is None:
        svg = table_chart_svg(table, by_gender=by_gender)
        cache.set(key, svg, CHART_CACHE_SECONDS)
    return svg


def chart(request, scope, form):
    """One table's chart as an HTML fragment (the cards load theirs after the page)."""
    name = request.GET.get(CHART, "")
    if name not in engine.DIMENSIONS:
        raise Http404
    if not form.is_valid():
        return HttpResponseBadRequest()
    table = selectors.stats_table(scope, form.to_filter(), name)
    svg = chart_svg(table, by_gender=not form.wants_totals_only)
    svg = mark_safe(svg)  # noqa: S308 (drawn by matplotlib from our own labels)
    return render(request, "statistics/_chart.html", {"chart": svg, "table": table})


# --- Downloads -------------------------------------------------------------------------------


def tables_for_export(scope, flt, name: str) -> list[engine.Table]:
    if name == ALL_TABLES:
        return selectors.all_tables(scope, flt)
    if name == HEADLINE or name in engine.DIMENSIONS:
        return [selectors.stats_table(scope, flt, name)]
    raise Http404


def download_filename(scope, form, name: str, fmt: str) -> str:
    start = form.cleaned_data[PERIOD_START].isoformat()
    end = form.cleaned_data[PERIOD_END].isoformat()
    label = slugify(scope.label) or scope.kind
    suffix = "" if name == ALL_TABLES else f"-{name.replace('_', '-')}"
    return f"statistik-{label}-{start}-{end}{suffix}.{fmt}"


def download(request, scope, form):
    fmt = request.GET.get(EXPORT, "")
    name = request.GET.get(TABLE, ALL_TABLES)
    if fmt not in FORMATS or (fmt == "csv" and name == ALL_TABLES):
        raise Http404
    if not form.is_valid():
        messages = [m for errors in form.errors.values() for m in errors]
        return HttpResponseBadRequest(
            (_("Filtret är ogiltigt:") + " " + " ".join(messages)).encode(),
            content_type="text/plain; charset=utf-8",
        )
    tables = tables_for_export(scope, form.to_filter(), name)
    if fmt == "csv":
        content = exports.table_csv(tables[0])
    else:
        content = exports.table_xlsx(
            tables,
            title=_("Statistik: %(scope)s") % {"scope": scope.label},
            filters_text=form.filters_text(),
        )
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    filename = download_filename(scope, form, name, fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
