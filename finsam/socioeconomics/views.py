"""The socioeconomic estimate's pages: the association's assumptions, and an initiative's
estimates (a section of the initiative's page, a page per estimate).

The secretariat changes; the board, analysts and the operator read. An estimate of another
association's initiative answers 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from finsam.core import formats
from finsam.core.access import require
from finsam.documents.render import renderers
from finsam.initiatives.scoping import get_initiative
from finsam.socioeconomics import charts, scoping, selectors, services
from finsam.socioeconomics import documents as estimate_documents
from finsam.socioeconomics.forms import AssumptionForm, EstimateForm
from finsam.socioeconomics.models import AssumptionKey, CostSource, EstimateMode, LeaverSource
from finsam.socioeconomics.services import ESTIMATE_FIELDS


def _association_or_404(request):
    if request.access.association is None:
        raise Http404
    return request.access.association


@require_GET
@require("estimate.read")
def assumption_list(request):
    association = _association_or_404(request)
    context = {
        "association": association,
        "assumptions": list(selectors.assumptions(association).values()),
        "history": selectors.assumption_history(association),
        "labels": dict(AssumptionKey.choices),
        "can_edit": request.access.can("estimate.change"),
    }
    return render(request, "socioeconomics/assumption_list.html", context)


@require_http_methods(["GET", "POST"])
@require("estimate.change")
def assumption_edit(request):
    association = _association_or_404(request)
    key = request.GET.get("key", "")
    if key not in AssumptionKey.values:
        return redirect("socioeconomics:assumptions")
    current = selectors.assumptions(association)[key]
    initial = {
        "value": current.value,
        "source": current.source,
        "source_url": current.source_url,
        "source_date": current.source_date,
        "is_assumption": current.is_assumption,
    }
    form = AssumptionForm(request.POST or None, initial=initial, auto_id="assumption-%s")
    if request.method == "POST" and form.is_valid():
        try:
            services.assumption_set(
                access=request.access, association=association, key=key, **form.cleaned_data
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Antagandet är sparat."))
            return redirect("socioeconomics:assumptions")
    context = {"assumption": current, "form": form}
    return render(request, "socioeconomics/assumption_form.html", context)


@require_GET
@require("estimate.read")
def estimate_detail(request, pk, estimate_pk):
    initiative, estimate = scoping.get_initiative_estimate(request.access, pk, estimate_pk)
    result = selectors.result(estimate)
    context = {
        "initiative": initiative,
        "estimate": estimate,
        "result": result,
        "chart": charts.chart_svg(result),
        "can_edit": request.access.can("estimate.change", initiative=initiative),
        "arithmetic": selectors.arithmetic(result),
        "sensitivity": _sensitivity_rows(result),
    }
    return render(request, "socioeconomics/estimate_detail.html", context)


def _sensitivity_rows(result) -> list[dict]:
    labels = {
        "base": _("Grundantaganden"),
        "share": _("Andel som står utan ersättning år 1"),
        "years": _("Antal år"),
        "cost_per_person": _("Kostnad per person och år"),
        "discount_rate": _("Diskonteringsränta"),
        "cost": _("Insatsens kostnad"),
    }
    rows = []
    for v in result.sensitivity:
        if v.parameter == "base":
            display = "–"
        elif v.parameter in ("share", "discount_rate"):
            display = formats.sv_percent_value(v.value * 100)
        elif v.parameter == "years":
            display = str(v.value)
        else:  # a factor
            display = f"{round((v.value - 1) * 100):+d} %"
        rows.append(
            {
                "label": labels[v.parameter],
                "display": display,
                "gain": v.gain,
                "net": v.net,
                "break_even_municipality": v.break_even_municipality,
                "break_even_state": v.break_even_state,
                "is_base": v.is_base,
            }
        )
    return rows


def _save(request, initiative, form, estimate=None):
    try:
        saved = services.estimate_save(
            access=request.access,
            initiative=initiative,
            estimate=estimate,
            **form.service_data(),
        )
    except ValidationError as exc:
        form.apply_errors(exc)
        return None
    messages.success(request, _("Uppskattningen är sparad."))
    return redirect("socioeconomics:estimate_detail", pk=initiative.pk, estimate_pk=saved.pk)


def _form_page(request, initiative, form, estimate=None):
    context = {
        "initiative": initiative,
        "estimate": estimate,
        "form": form,
        "budget_cost": selectors.budget_cost(initiative)[0],
        "leavers": selectors.leavers_from_exits(initiative),
    }
    return render(request, "socioeconomics/estimate_form.html", context)


@require_http_methods(["GET", "POST"])
@require("estimate.change")
def estimate_add(request, pk):
    initiative = get_initiative(request.access, pk)
    request.access.require("estimate.change", initiative=initiative)
    initial = {
        "mode": EstimateMode.INITIATIVE,
        "cost_source": CostSource.BUDGETS,
        "leaver_source": LeaverSource.ENTERED,
        "leavers_municipality": 0,
        "leavers_state": 0,
        "years": 5,
    }
    form = EstimateForm(request.POST or None, initial=initial, auto_id="estimate-%s")
    if request.method == "POST" and form.is_valid():
        response = _save(request, initiative, form)
        if response is not None:
            return response
    return _form_page(request, initiative, form)


@require_http_methods(["GET", "POST"])
@require("estimate.change")
def estimate_edit(request, pk, estimate_pk):
    initiative, estimate = scoping.get_initiative_estimate(request.access, pk, estimate_pk)
    request.access.require("estimate.change", initiative=initiative)
    initial = {name: getattr(estimate, name) for name in ESTIMATE_FIELDS}
    form = EstimateForm(request.POST or None, initial=initial, auto_id="estimate-%s")
    if request.method == "POST" and form.is_valid():
        response = _save(request, initiative, form, estimate)
        if response is not None:
            return response
    return _form_page(request, initiative, form, estimate)


@require_POST
@require("estimate.change")
def estimate_delete(request, pk, estimate_pk):
    initiative, estimate = scoping.get_initiative_estimate(request.access, pk, estimate_pk)
    services.estimate_delete(access=request.access, estimate=estimate)
    messages.success(request, _("Uppskattningen är borttagen."))
    return redirect("initiatives:detail", pk=initiative.pk)


@require_GET
@require("estimate.read")
def estimate_export(request, pk, estimate_pk, fmt):
    """The estimate as a PDF or DOCX document (small: rendered at once, not as a job)."""
    if fmt not in ("pdf", "docx"):
        raise Http404
    initiative, estimate = scoping.get_initiative_estimate(request.access, pk, estimate_pk)
    result = selectors.result(estimate)
    document = estimate_documents.estimate_document(result, _sensitivity_rows(result))
    renderer = renderers()[fmt]
    response = HttpResponse(renderer.render(document), content_type=renderer.content_type)
    name = estimate_documents.filename(estimate, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
