"""Progression pages.

- the association's dimensions (the secretariat): list, add, change, add the example set;
- one participant's ratings (the registrars of the initiative only; every read and write in the
  access log): the charts with their data tables, record, change and remove an occasion;
- an initiative's summary (secretariat, initiative manager, board, analyst, registrar):
  aggregates only, small counts suppressed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from finsam.core.access import require
from finsam.initiatives.scoping import get_initiative
from finsam.progression import charts, scoping, selectors, services
from finsam.progression.forms import DimensionForm, OccasionForm, PeriodForm
from finsam.progression.models import RatedBy, Rater
from finsam.progression.services import DIMENSION_FIELDS


def _association_or_404(request):
    if request.access.association is None:
        raise Http404
    return request.access.association


# --- Dimensions ---------------------------------------------------------------------------------


@require_GET
@require("progression.configure")
def dimension_list(request):
    _association_or_404(request)
    context = {"dimensions": scoping.association_dimensions(request.access)}
    return render(request, "progression/dimension_list.html", context)


@require_POST
@require("progression.configure")
def dimension_examples(request):
    association = _association_or_404(request)
    added = services.dimensions_add_examples(access=request.access, association=association)
    if added:
        messages.success(request, _("Exempeldimensionerna är tillagda."))
    else:
        messages.info(request, _("Exempeldimensionerna fanns redan."))
    return redirect("progression:dimensions")


def _dimension_form_page(request, form, dimension=None):
    association = _association_or_404(request)
    if request.method == "POST" and form.is_valid():
        try:
            services.dimension_save(
                access=request.access,
                association=association,
                dimension=dimension,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Dimensionen är sparad."))
            return redirect("progression:dimensions")
    context = {
        "form": form,
        "dimension": dimension,
        "has_ratings": dimension is not None and dimension.ratings.exists(),
    }
    return render(request, "progression/dimension_form.html", context)


@require_http_methods(["GET", "POST"])
@require("progression.configure")
def dimension_add(request):
    initial = {
        "scale_min": 1,
        "scale_max": 10,
        "rated_by": RatedBy.BOTH,
        "improvement_step": 1,
        "is_active": True,
    }
    form = DimensionForm(request.POST or None, initial=initial, auto_id="dimension-%s")
    return _dimension_form_page(request, form)


@require_http_methods(["GET", "POST"])
@require("progression.configure")
def dimension_edit(request, pk):
    dimension = scoping.get_dimension(request.access, pk)
    initial = {name: getattr(dimension, name) for name in DIMENSION_FIELDS}
    form = DimensionForm(request.POST or None, initial=initial, auto_id="dimension-%s")
    return _dimension_form_page(request, form, dimension)


# --- One participant's ratings ------------------------------------------------------------------


@require_GET
def enrolment_ratings(request, enrolment_uuid):
    access = request.access
    enrolment = scoping.get_rating_enrolment(access, enrolment_uuid)
    ratings = selectors.enrolment_ratings(access, enrolment)
    charted = [
        {
            "ratings": d,
            "svg": charts.rating_chart_svg(d, chart_id=f"progression-chart-{d.dimension.pk}"),
        }
        for d in ratings.dimensions
        if d.has_ratings
    ]
    context = {
        "enrolment": enrolment,
        "initiative": enrolment.initiative,
        "ratings": ratings,
        "charted": charted,
        "rows": ratings.table(),
        "closed": enrolment.anonymous_reason in services.CLOSED_REASONS,
    }
    return render(request, "progression/enrolment_ratings.html", context)


def _occasion_page(request, enrolment, occasion=None):
    access = request.access
    rated = set(occasion.ratings.values_list("dimension_id", flat=True)) if occasion else set()
    dimensions = selectors.used_dimensions(enrolment.initiative.association_id, rated)
    if occasion is not None:
        values = dict(occasion.ratings.values_list("dimension_id", "value"))
        initial = {"rated_on": occasion.rated_on, "rater": occasion.rater}
        initial.update({services.dimension_field(pk): v for pk, v in values.items()})
    else:
        initial = {"rated_on": timezone.localdate(), "rater": Rater.SELF}
    form = OccasionForm(
        request.POST or None, initial=initial, dimensions=dimensions, auto_id="occasion-%s"
    )
    if request.method == "POST":
        valid = form.is_valid()
        data = form.service_data()
        arguments = {"access": access, "enrolment": enrolment, **data, "occasion": occasion}
        try:
            if valid:
                services.occasion_record(**arguments)
            else:
                errors = services.occasion_check(**arguments)
                for name in list(errors):
                    if name in form.errors:
                        errors.pop(name)
                if errors:
                    raise ValidationError(errors)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            if valid:
                messages.success(request, _("Skattningen är sparad."))
                return redirect("progression:enrolment", enrolment.uuid)
    context = {
        "enrolment": enrolment,
        "initiative": enrolment.initiative,
        "occasion": occasion,
        "form": form,
    }
    return render(request, "progression/occasion_form.html", context)


@require_http_methods(["GET", "POST"])
def occasion_add(request, enrolment_uuid):
    enrolment = scoping.get_rating_enrolment(request.access, enrolment_uuid)
    if enrolment.anonymous_reason in services.CLOSED_REASONS:
        messages.info(
            request, _("Deltagandet är avidentifierat: inga nya skattningar registreras.")
        )
        return redirect("progression:enrolment", enrolment.uuid)
    return _occasion_page(request, enrolment)


@require_http_methods(["GET", "POST"])
def occasion_edit(request, enrolment_uuid, occasion_uuid):
    enrolment, occasion = scoping.get_occasion(request.access, enrolment_uuid, occasion_uuid)
    return _occasion_page(request, enrolment, occasion)


@require_POST
def occasion_delete(request, enrolment_uuid, occasion_uuid):
    enrolment, occasion = scoping.get_occasion(request.access, enrolment_uuid, occasion_uuid)
    services.occasion_delete(access=request.access, occasion=occasion)
    messages.success(request, _("Skattningen är borttagen."))
    return redirect("progression:enrolment", enrolment.uuid)


# --- An initiative's summary --------------------------------------------------------------------


@require_GET
@require("progression.read")
def initiative_summary(request, initiative_id):
    access = request.access
    initiative = get_initiative(access, initiative_id)
    access.require("progression.read", initiative=initiative)
    period_form = PeriodForm(request.GET or None, auto_id="period-%s")
    period = period_form.period() if request.GET else None
    summary = selectors.progression_summary(initiative, period)
    context = {
        "initiative": initiative,
        "summary": summary,
        "small_cell_label": selectors.small_cell_label(),
        "limit": selectors.small_cell_limit(),
        "column_labels": [_("Totalt"), _("Kvinnor"), _("Män"), _("Annat/ej angivet")],
        "period_form": period_form,
    }
    return render(request, "progression/initiative_summary.html", context)
