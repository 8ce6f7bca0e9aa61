"""Initiative pages. Thin: the form parses, the service acts, the view renders.

Objects outside the user's scope answer 404 (`get_initiative`), actions outside the user's role
answer 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from finsam.core.access import require
from finsam.core.htmx import client_redirect, render_partial_or_page, wants_partial
from finsam.initiatives import selectors, services
from finsam.initiatives.filters import SORT_FIELDS, InitiativeFilter
from finsam.initiatives.forms import AssignmentForm, HeadCountForm, InitiativeForm
from finsam.initiatives.models import Initiative
from finsam.initiatives.scoping import can_see_identity, follow_up_initiatives, get_initiative

PAGE_SIZE = 50


def _editable_or_403(request, initiative: Initiative) -> None:
    if not selectors.initiative_is_editable(access=request.access, initiative=initiative):
        raise PermissionDenied


# --- List ------------------------------------------------------------------------------------


@require_GET
def initiative_list(request):
    access = request.access
    filterset = InitiativeFilter(
        request.GET,
        queryset=selectors.initiative_list(access=access).order_by("name", "pk"),
        association=access.association,
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    current = filterset.ordering
    sort_keys = {key for _field, key in SORT_FIELDS}
    columns = {}
    for key in sort_keys:
        columns[key] = {
            "next": f"-{key}" if current == key else key,
            "state": "asc" if current == key else "desc" if current == f"-{key}" else "",
        }
    context = {
        "filter": filterset,
        "page": page,
        "initiatives": page.object_list,
        "columns": columns,
        "can_create": access.can("initiative.create"),
    }
    return render_partial_or_page(
        request, "initiatives/_table.html", "initiatives/list.html", context
    )


# --- Create / edit ---------------------------------------------------------------------------


@require("initiative.create")
@require_http_methods(["GET", "POST"])
def initiative_create(request):
    association = request.access.association
    form = InitiativeForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.initiative_create(
                access=request.access, association=association, **form.service_data()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Insatsen är skapad."))
            return redirect("initiatives:detail", pk=initiative.pk)
    return render(request, "initiatives/form.html", {"form": form, "initiative": None})


@require_http_methods(["GET", "POST"])
def initiative_edit(request, pk):
    initiative = get_initiative(request.access, pk)
    _editable_or_403(request, initiative)
    locked = selectors.initiative_has_registrations(initiative=initiative)
    form = InitiativeForm(
        request.POST or None,
        instance=initiative,
        association=request.access.association,
        locked=locked,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_update(
                access=request.access, initiative=initiative, data=form.service_data()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("initiatives:detail", pk=initiative.pk)
    # The form may have changed the instance in memory: show the stored name in the heading.
    stored = Initiative.objects.only("name").get(pk=initiative.pk)
    return render(
        request, "initiatives/form.html", {"form": form, "initiative": stored, "locked": locked}
    )


@require_GET
def specific_orientation_options(request):
    """HTMX: the <option>s of the specific orientation select for the chosen orientation."""
    codes = selectors.specific_orientation_codes(orientation=request.GET.get("orientation"))
    return render(request, "initiatives/_specific_orientation_options.html", {"codes": codes})


# --- Detail ----------------------------------------------------------------------------------


def _assignment_context(request, initiative, *, can_edit, error=None):
    assigned = selectors.initiative_assignments(initiative=initiative)
    candidates = selectors.assignable_users(initiative=initiative) if can_edit else {}
    groups = [
        {
            "role": role,
            "label": role.label,
            "assigned": assigned[role],
            "candidates": candidates.get(role, []),
        }
        for role in selectors.ASSIGNABLE_ROLES
    ]
    return {
        "initiative": initiative,
        "can_edit": can_edit,
        "assignment_groups": groups,
        "assignment_error": error,
    }


@require_GET
def initiative_detail(request, pk):
    initiative = get_initiative(request.access, pk)
    initiative = (
        Initiative.objects.select_related("specific_orientation", "association")
        .prefetch_related("target_groups", "municipalities")
        .get(pk=initiative.pk)
    )
    can_edit = selectors.initiative_is_editable(access=request.access, initiative=initiative)
    context = {
        "initiative": initiative,
        "can_edit": can_edit,
        "can_register": not initiative.is_volume
        and can_see_identity(request.access, initiative.pk),
        "can_follow_up": not initiative.is_volume
        and follow_up_initiatives(request.access).filter(pk=initiative.pk).exists(),
        "figures": selectors.initiative_key_figures(initiative=initiative),
        "head_counts": selectors.head_count_summary(initiative=initiative)
        if initiative.is_volume
        else None,
        "history": selectors.initiative_history(initiative=initiative),
        **_assignment_context(request, initiative, can_edit=can_edit),
    }
    return render(request, "initiatives/detail.html", context)


# --- Head counts (volume initiatives only) ---------------------------------------------------


@require_http_methods(["GET", "POST"])
def head_counts(request, pk):
    initiative = get_initiative(request.access, pk)
    if not initiative.is_volume:
        raise Http404
    can_edit = selectors.initiative_is_editable(access=request.access, initiative=initiative)
    summary = selectors.head_count_summary(initiative=initiative)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = HeadCountForm(request.POST)
        if form.is_valid():
            try:
                services.head_count_save(
                    access=request.access, initiative=initiative, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Antal för %(month)s är sparat.")
                    % {"month": form.cleaned_data["month"].strftime("%Y-%m")},
                )
                return redirect("initiatives:head_counts", pk=initiative.pk)
    else:
        initial = {}
        chosen = request.GET.get("month")
        if chosen:
            row = next((m for m in summary.months if m.month.strftime("%Y-%m") == chosen), None)
            initial = {"month": chosen, "women": 0, "men": 0, "other": 0}
            if row is not None:
                initial.update(women=row.women, men=row.men, other=row.other)
        form = HeadCountForm(initial=initial)
    context = {"initiative": initiative, "can_edit": can_edit, "form": form, "summary": summary}
    return render(request, "initiatives/head_counts.html", context)


# --- Assignments -----------------------------------------------------------------------------


def _assignments_response(request, initiative, *, error=None):
    if wants_partial(request):
        context = _assignment_context(request, initiative, can_edit=True, error=error)
        return render(request, "initiatives/_assignments.html", context)
    if error:
        messages.error(request, error)
    return redirect("initiatives:detail", pk=initiative.pk)


@require_POST
def assignment_add(request, pk):
    initiative = get_initiative(request.access, pk)
    _editable_or_403(request, initiative)
    form = AssignmentForm(request.POST, association=request.access.association)
    error = None
    if form.is_valid():
        try:
            services.assignment_add(
                access=request.access, initiative=initiative, **form.cleaned_data
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Välj en användare och en roll.")
    return _assignments_response(request, initiative, error=error)


@require_POST
def assignment_remove(request, pk, assignment_pk):
    from finsam.accounts.models import InitiativeAssignment

    initiative = get_initiative(request.access, pk)
    _editable_or_403(request, initiative)
    assignment = get_object_or_404(InitiativeAssignment, pk=assignment_pk, initiative=initiative)
    removed_self = assignment.user_id == request.user.pk
    services.assignment_remove(access=request.access, assignment=assignment)
    if removed_self and not request.access.can_throughout("initiative.edit"):
        # The user may no longer see the initiative: leave its page.
        messages.info(request, _("Du är inte längre knuten till insatsen."))
        if wants_partial(request):
            return client_redirect(reverse("initiatives:list"))
        return redirect("initiatives:list")
    return _assignments_response(request, initiative)
