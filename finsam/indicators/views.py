"""Indicator pages: the association's (compared with its region and all associations) and an
initiative's, for one measurement year against the year before; `?export=xlsx` downloads the
same figures in the shape of the national aggregated report."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from finsam.indicators import presentation as p
from finsam.indicators import scoping, selectors
from finsam.indicators.charts import indicator_chart_svg
from finsam.indicators.exports import indicators_xlsx
from finsam.questionnaires.models import RespondentGroup

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def scope_url(kind, obj_id) -> str:
    return reverse("indicators:scope", kwargs={"kind": kind, "obj_id": obj_id})


@require_GET
def index(request):
    scopes = scoping.available_scopes(request.access)
    if not scopes:
        if not scoping.may_read(request.access):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return render(request, "indicators/no_scope.html")
    kind, obj_id, _label = scopes[0]
    return redirect(scope_url(kind, obj_id))


def chosen_year(request, years: list[int]) -> tuple[int, str]:
    """The year asked for (`?year=`), else the latest with answers, else this year; and an error
    message for a year that is not a year."""
    default = years[0] if years else timezone.localdate().year
    raw = request.GET.get("year", "").strip()
    if not raw:
        return default, ""
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw), ""
    return default, _("Ange året som fyra siffror, till exempel 2026.")


def rows_for(found) -> list[dict]:
    rows = []
    for indicator, result in found.pairs():
        rule = result.rule
        rows.append(
            {
                "indicator": indicator,
                "name": indicator.text(translation.get_language() or "sv"),
                "n": p.n_text(result.total, rule),
                "share": p.share_text(result.total),
                "hidden": bool(result.total.hidden),
                "target": p.target_text(rule),
                "met": result.met,
                "met_text": p.met_text(result.met),
                "genders": [
                    (p.n_text(result.by_gender[g], rule), p.share_text(result.by_gender[g]))
                    for g in ("woman", "man", "other")
                ],
                "previous": p.share_text(result.previous) if result.previous.n else "–",
                "change": p.change_text(result.change),
                "region": p.share_text(result.region) if result.region is not None else "",
                "installation": (
                    p.share_text(result.installation) if result.installation is not None else ""
                ),
                "groups": [
                    (p.n_text(result.by_group[g], rule), p.share_text(result.by_group[g]))
                    for g in found.groups
                ],
            }
        )
    return rows


@require_GET
def scope_page(request, kind, obj_id):
    access = request.access
    scope = scoping.scope_for(access, kind, obj_id)
    initiative_id = scope.initiative.pk if scope.initiative is not None else None
    years = selectors.years_with_answers(scope.association.pk, initiative_id)
    year, year_error = chosen_year(request, years)
    found = selectors.results(association=scope.association, year=year, initiative=scope.initiative)
    title = _("Indikatorer %(year)s: %(scope)s") % {"year": year, "scope": scope.label}
    if request.GET.get("export") == "xlsx":
        response = HttpResponse(indicators_xlsx(found, title=title), content_type=XLSX)
        name = f"indikatorer-{slugify(scope.label) or kind}-{year}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    page_url = scope_url(kind, obj_id)
    minimum = min((r.rule.minimum for r in found.results), default=5)
    context = {
        "scope": scope,
        "year": year,
        "years": sorted(set(years) | {year}, reverse=True),
        "year_error": year_error,
        "found": found,
        "rows": rows_for(found),
        "group_labels": [RespondentGroup(g).label for g in found.groups],
        "chart": mark_safe(indicator_chart_svg(found)),  # noqa: S308 (our own escaped labels)
        "page_url": page_url,
        "xlsx_url": f"{page_url}?year={year}&export=xlsx",
        "suppression_text": p.suppression_text(minimum),
        "scopes": [
            {"label": label, "url": scope_url(k, pk), "current": (k, pk) == (kind, scope.obj_id)}
            for k, pk, label in scoping.available_scopes(access)
        ],
        "any_answers": any(r.total.n for r in found.results),
        "unverified": any(not i.verified for i in found.indicators),
    }
    return render(request, "indicators/page.html", context)
