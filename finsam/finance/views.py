"""The money pages: the association's years (allocated funds per member, equity against the
band the association set, administration costs), and the members' shares and the initiatives'
budgets, which are sections of the association's and the initiatives' pages.

Only the association's secretariat changes the years and the equity band; the board, analysts and
the operator read. A year of another association answers 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from finsam.associations import selectors as association_selectors
from finsam.core.access import require
from finsam.core.htmx import client_redirect, render_partial_or_page, wants_partial
from finsam.finance import selectors, services
from finsam.finance.closing import is_closed
from finsam.finance.forms import BudgetForm, EquityBandForm, MemberForm, YearAddForm, YearForm
from finsam.initiatives.scoping import get_initiative
from finsam.initiatives.selectors import initiative_is_editable


def _can_edit(access) -> bool:
    return access.can("finance.change")


def _can_see_successor(access) -> bool:
    return access.can("finance.successor")


def _association_or_404(request):
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
        "default_band": selectors.DEFAULT_EQUITY_BAND,
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
    closed = is_closed(association_year.association_id, association_year.year)
    return {
        "detail": detail,
        "year": association_year,
        "closed": closed,
        "can_edit": _can_edit(request.access) and not closed,
        "can_see_successor": _can_see_successor(request.access),
        "form": form,
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


@require_http_methods(["GET", "POST"])
@require("finance.change")
def equity_band_edit(request, pk):
    """Set the band the equity should lie in from this year on."""
    association_year = selectors.get_year(request.access, pk)
    band = selectors.year_band(association_year)
    form = EquityBandForm(
        request.POST or None,
        initial={"lower": band.lower, "upper": band.upper},
        auto_id="equity-band-%s",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.equity_band_set(
                access=request.access,
                association=association_year.association,
                year=association_year.year,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(
                request,
                _("Intervallet för eget kapital från %(year)s är sparat.")
                % {"year": association_year.year},
            )
            return redirect("finance:year_detail", pk=association_year.pk)
    context = {"year": association_year, "band": band, "form": form}
    return render(request, "finance/equity_band_form.html", context)


@require_POST
@require("finance.change")
def year_delete(request, pk):
    association_year = selectors.get_year(request.access, pk)
    year = association_year.year
    try:
        services.association_year_delete(access=request.access, association_year=association_year)
    except ValidationError as exc:  # a closed year
        messages.error(request, " ".join(exc.messages))
        url = reverse("finance:year_detail", args=[association_year.pk])
        return client_redirect(url) if wants_partial(request) else redirect(url)
    messages.success(request, _("Uppgifterna för %(year)s är borttagna.") % {"year": year})
    url = reverse("finance:years")
    if wants_partial(request):
        return client_redirect(url)
    return redirect(url)


# --- Members and their shares, a section of the association's page (HTMX: a table row swaps
# to a form and back) ----------------------------------------------------------------------------


def _members_section(request, association, error=None):
    """After a change: re-render the whole members section (table and share check)."""
    context = {
        "association": association,
        "can_edit": request.access.can("association.change"),
        "error": error,
        **selectors.member_section(association),
    }
    response = render(request, "finance/_members.html", context)
    return reswap(retarget(response, "#members"), "outerHTML")


def _member_form_response(request, form, member=None):
    context = {"form": form, "member": member}
    if request.htmx:
        return render(request, "finance/_member_form_row.html", context)
    return render(request, "finance/member_form.html", context)


def _member_form(request, member=None, **kwargs):
    # Ids stay unique when several rows are open as forms at once.
    auto_id = f"member-{member.pk if member else 'new'}-%s"
    return MemberForm(request.POST if request.method == "POST" else None, auto_id=auto_id, **kwargs)


def _save_member(request, form, association, member=None):
    if form.is_valid():
        try:
            services.member_save(
                access=request.access, association=association, member=member, **form.cleaned_data
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            if request.htmx:
                return _members_section(request, association)
            messages.success(request, _("Medlemmen är sparad."))
            return redirect("associations:detail")
    return _member_form_response(request, form, member)


@require("association.change")
def member_add(request):
    association = association_selectors.get_current_association(request.access)
    if request.method == "POST":
        return _save_member(request, _member_form(request), association)
    if request.GET.get("cancel") and request.htmx:
        return HttpResponse("")
    return _member_form_response(request, _member_form(request))


@require("association.change")
def member_edit(request, pk):
    member = association_selectors.get_member(request.access, pk)
    if request.method == "POST":
        return _save_member(request, MemberForm(request.POST), member.association, member)
    return _member_form_response(
        request, MemberForm(initial=MemberForm.initial_for(member)), member
    )


@require("association.read")
def member_row(request, pk):
    """The display row of one member (used to cancel an inline edit)."""
    member = association_selectors.get_member(request.access, pk)
    return render(
        request,
        "finance/_member_row.html",
        {"member": member, "can_edit": request.access.can("association.change")},
    )


@require_POST
@require("association.change")
def member_delete(request, pk):
    member = association_selectors.get_member(request.access, pk)
    association = member.association
    try:
        services.member_delete(access=request.access, member=member)
    except ValidationError as exc:
        if request.htmx:
            return _members_section(request, association, error=" ".join(exc.messages))
        messages.error(request, " ".join(exc.messages))
        return redirect("associations:detail")
    if request.htmx:
        return _members_section(request, association)
    messages.success(request, _("Medlemmen är borttagen."))
    return redirect("associations:detail")


# --- Initiative budgets, a section of the initiative's page (HTMX; plain forms work too) -----


def _editable_initiative(request, pk):
    """The initiative within the user's reach (else 404) that the user may change (else 403)."""
    initiative = get_initiative(request.access, pk)
    if not initiative_is_editable(access=request.access, initiative=initiative):
        raise PermissionDenied
    return initiative


def _budget_context(initiative, *, editing=None, form=None):
    return {
        "initiative": initiative,
        "can_edit": True,
        "editing": editing,
        "budget_form": form,
        **selectors.budget_section(initiative),
    }


def _budgets_response(request, initiative, **kwargs):
    if wants_partial(request):
        return render(request, "finance/_budgets.html", _budget_context(initiative, **kwargs))
    return None


@require_http_methods(["GET", "POST"])
def budget_add(request, pk):
    initiative = _editable_initiative(request, pk)
    form = BudgetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_save(access=request.access, initiative=initiative, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _budgets_response(request, initiative) or redirect(
                "initiatives:detail", pk=initiative.pk
            )
    context = _budget_context(initiative, editing="new", form=form)
    return render_partial_or_page(
        request, "finance/_budgets.html", "finance/budget_form.html", context
    )


@require_http_methods(["GET", "POST"])
def budget_edit(request, pk, budget_pk):
    initiative = _editable_initiative(request, pk)
    budget = selectors.get_budget(initiative, budget_pk)
    form = BudgetForm(request.POST or None, instance=budget)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_save(
                access=request.access,
                initiative=initiative,
                budget=selectors.get_budget(initiative, budget.pk),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _budgets_response(request, initiative) or redirect(
                "initiatives:detail", pk=initiative.pk
            )
    context = _budget_context(initiative, editing=budget.pk, form=form)
    return render_partial_or_page(
        request, "finance/_budgets.html", "finance/budget_form.html", context
    )


@require_POST
def budget_delete(request, pk, budget_pk):
    initiative = _editable_initiative(request, pk)
    budget = selectors.get_budget(initiative, budget_pk)
    services.budget_delete(access=request.access, budget=budget)
    return _budgets_response(request, initiative) or redirect(
        "initiatives:detail", pk=initiative.pk
    )
