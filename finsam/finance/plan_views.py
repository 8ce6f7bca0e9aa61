"""The operational plan pages of a year: the plan (N with plan years N+1, N+2, budget against
outcome and forecast, equity), its lines, the contribution key, closing the year, the plan as
PDF and DOCX for the board, and the SUS cost report (page and XLSX).

The board, analysts and the operator read; only the secretariat writes. A year of another
association answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from finsam.core.access import require
from finsam.core.htmx import client_redirect, wants_partial
from finsam.finance import cost_report as cost_reports
from finsam.finance import plan, selectors
from finsam.finance.equity import equity_position
from finsam.finance.models import ContributionKey
from finsam.finance.plan_document import plan_document, plan_filename
from finsam.finance.plan_forms import ContributionKeyForm, PlanLinesForm
from finsam.reference.population import populations_on, reference_dates


def _can_edit(access) -> bool:
    return access.can("finance.change")


@require_GET
@require("finance.read")
def plan_detail(request, pk):
    association_year = selectors.get_year(request.access, pk)
    operational = plan.operational_plan(association_year.association, association_year.year)
    current = operational.current
    position = equity_position(association_year, current.budget_totals["funds"])
    key = ContributionKey.objects.filter(association_year=association_year).first()
    context = {
        "year": association_year,
        "plan": operational,
        "current": current,
        "position": position,
        "key": key,
        "can_edit": _can_edit(request.access) and not current.closed,
        "can_close": _can_edit(request.access) and not current.closed,
    }
    return render(request, "finance/plan/plan_detail.html", context)


def _closed_redirect(request, association_year):
    messages.error(
        request, _("Året %(year)s är stängt och kan inte ändras.") % {"year": association_year.year}
    )
    return redirect("finance:plan", pk=association_year.pk)


@require_http_methods(["GET", "POST"])
@require("finance.change")
def plan_lines_edit(request, pk):
    association_year = selectors.get_year(request.access, pk)
    current = plan.plan_year(association_year.association, association_year.year)
    if current.closed:
        return _closed_redirect(request, association_year)
    kwargs = {"line_types": plan.line_types(), "initiatives": current.initiatives}
    if request.method == "POST":
        form = PlanLinesForm(request.POST, auto_id="plan-%s", **kwargs)
        if form.is_valid():
            try:
                plan.plan_lines_save(
                    access=request.access, association_year=association_year, **form.service_data()
                )
            except ValidationError as exc:
                form.apply_errors(exc)
            else:
                messages.success(
                    request,
                    _("Budgetposterna för %(year)s är sparade.") % {"year": association_year.year},
                )
                return redirect("finance:plan", pk=association_year.pk)
    else:
        form = PlanLinesForm(
            initial=PlanLinesForm.initial_for(current), auto_id="plan-%s", **kwargs
        )
    return render(request, "finance/plan/lines_form.html", {"year": association_year, "form": form})


@require_http_methods(["GET", "POST"])
@require("finance.change")
def contribution_key_edit(request, pk):
    association_year = selectors.get_year(request.access, pk)
    if plan.plan_year(association_year.association, association_year.year).closed:
        return _closed_redirect(request, association_year)
    members = plan.key_members(association_year)
    municipal_ids = [m.municipality_id for m in members if m.municipality_id]
    dates = reference_dates(municipal_ids)
    key = ContributionKey.objects.filter(association_year=association_year).first()
    kwargs = {"members": members, "dates": dates, "auto_id": "key-%s"}
    if request.method == "POST":
        form = ContributionKeyForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                plan.contribution_key_set(
                    access=request.access, association_year=association_year, data=form.key_input()
                )
            except ValidationError as exc:
                form.apply_errors(exc)
            else:
                messages.success(
                    request,
                    _(
                        "Fördelningsnyckeln för %(year)s är sparad och medlemmarnas bidrag är "
                        "beräknade."
                    )
                    % {"year": association_year.year},
                )
                return redirect("finance:contribution_key", pk=association_year.pk)
    else:
        initial = ContributionKeyForm.initial_for(key)
        if not initial.get("population_date") and dates:
            initial["population_date"] = dates[0].isoformat()
        form = ContributionKeyForm(initial=initial, **kwargs)
    shown_date = key.population_date if key else (dates[0] if dates else None)
    populations = populations_on(municipal_ids, shown_date) if shown_date else {}
    context = {
        "year": association_year,
        "form": form,
        "key": key,
        "lines": selectors.contribution_lines(association_year),
        "populations": [
            (m, populations.get(m.municipality_id)) for m in members if m.municipality_id
        ],
        "population_date": shown_date,
    }
    return render(request, "finance/plan/contribution_key.html", context)


@require_POST
@require("finance.change")
def year_close(request, pk):
    association_year = selectors.get_year(request.access, pk)
    try:
        plan.year_close(access=request.access, association_year=association_year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Året %(year)s är stängt. Uppgifterna kan inte längre ändras.")
            % {"year": association_year.year},
        )
    url = reverse("finance:plan", args=[association_year.pk])
    if wants_partial(request):
        return client_redirect(url)
    return redirect(url)


@require_GET
@require("finance.read")
def plan_download(request, pk, extension):
    from finsam.documents.render import render as render_document
    from finsam.documents.render import renderers

    association_year = selectors.get_year(request.access, pk)
    association = association_year.association
    document = plan_document(association, association_year.year)
    content = render_document(document, extension)
    response = HttpResponse(content, content_type=renderers()[extension].content_type)
    filename = plan_filename(association, association_year.year, extension)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@require("finance.read")
def plan_pdf(request, pk):
    return plan_download(request, pk, "pdf")


@require_GET
@require("finance.read")
def plan_docx(request, pk):
    return plan_download(request, pk, "docx")


@require_GET
@require("finance.read")
def cost_report(request, pk):
    association_year = selectors.get_year(request.access, pk)
    report = cost_reports.cost_report(association_year.association, association_year.year)
    return render(
        request,
        "finance/plan/cost_report.html",
        {
            "year": association_year,
            "report": report,
            "parts": [report.funds, report.initiatives, report.administration],
            "can_see_successor": request.access.can("finance.successor"),
        },
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@require("finance.read")
def cost_report_xlsx(request, pk):
    association_year = selectors.get_year(request.access, pk)
    association = association_year.association
    report = cost_reports.cost_report(association, association_year.year)
    response = HttpResponse(cost_reports.cost_report_xlsx(report), content_type=XLSX)
    filename = f"kostnadsrapport-{association.slug}-{association_year.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
