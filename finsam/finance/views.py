"""The association's years: allocated funds per member, equity and administration costs.

Only the association's secretariat changes them; the board, analysts and the operator read.
A year of another association answers 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from finsam.core.access import require
from finsam.core.htmx import client_redirect, render_partial_or_page, wants_partial
from finsam.finance import selectors, services
from finsam.finance.forms import YearAddForm, YearForm


def _can_edit(access) -> bool:
    return access.can("finance.change")


def _can_see_successor(access) -> bool:
    return access.can("finance.successor")


def _association_or_404(request):
    from django.http import Http404

    if request.access.association is None:
        raise Http404
    return request.access.association


@require_GET
@require("finance.read")
def year_list(request):
    association = _association_or_404(request)
    context = {
        "association": association,
        "rows": selectors.year_rows(association),
        "can_edit": _can_edit(request.access),
        "can_see_successor": _can_see_successor(request.access),
        "add_form": YearAddForm(auto_id="year-add-%s"),
        "band_min": selectors.EQUITY_BAND_MIN,
        "band_max": selectors.EQUITY_BAND_MAX,
    }
    return render(request, "finance/year_list.html", context)


@require_http_methods(["GET", "POST"])
@require("finance.change")
def year_add(request):
    association = _association_or_404(request)
    form = YearAddForm(request.POST or None, auto_id="year-add-%s")
    if request.method == "POST" and form.is_valid():
        try:
            year = services.association_year_create(
                access=request.access, association=association, year=form.cleaned_data["year"]
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Året %(year)s är upplagt.") % {"year": year.year})
            url = reverse("finance:year_detail", args=[year.pk])
            if wants_partial(request):
                return client_redirect(url)
            return redirect(url)
    return render_partial_or_page(
        request, "finance/_year_add.html", "finance/year_add.html", {"add_form": form}
    )


def _section_context(request, association_year, *, form=None):
    detail = selectors.year_detail(association_year)
    return {
        "detail": detail,
        "year": association_year,
        "can_edit": _can_edit(request.access),
        "can_see_successor": _can_see_successor(request.access),
        "form": form,
        "band_min": selectors.EQUITY_BAND_MIN,
        "band_max": selectors.EQUITY_BAND_MAX,
    }


@require_GET
@require("finance.read")
def year_detail(request, pk):
    association_year = selectors.get_year(request.access, pk)
    return render(request, "finance/year_detail.html", _section_context(request, association_year))


@require_http_methods(["GET", "POST"])
@require("finance.change")
def year_edit(request, pk):
    association_year = selectors.get_year(request.access, pk)
    detail = selectors.year_detail(association_year)
    members = [line.member for line in detail.lines]
    if request.method == "POST":
        form = YearForm(request.POST, members=members)
        if form.is_valid():
            try:
                services.association_year_update(
                    access=request.access, association_year=association_year, **form.service_data()
                )
            except ValidationError as exc:
                form.apply_errors(exc)
            else:
                if wants_partial(request):
                    return render(
                        request,
                        "finance/_year_section.html",
                        _section_context(request, association_year),
                    )
                messages.success(
                    request,
                    _("Uppgifterna för %(year)s är sparade.") % {"year": association_year.year},
                )
                return redirect("finance:year_detail", pk=association_year.pk)
    else:
        form = YearForm(initial=YearForm.initial_for(detail), members=members)
    context = _section_context(request, association_year, form=form)
    return render_partial_or_page(
        request, "finance/_year_section.html", "finance/year_detail.html", context
    )


@require_POST
@require("finance.change")
def year_delete(request, pk):
    association_year = selectors.get_year(request.access, pk)
    year = association_year.year
    services.association_year_delete(access=request.access, association_year=association_year)
    messages.success(request, _("Uppgifterna för %(year)s är borttagna.") % {"year": year})
    url = reverse("finance:years")
    if wants_partial(request):
        return client_redirect(url)
    return redirect(url)
