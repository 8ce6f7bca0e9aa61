"""Association pages. The current association always comes from `request.access`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from finsam.associations import selectors, services
from finsam.associations.forms import AssociationForm, MemberForm
from finsam.core.access import require


def _can_edit(access) -> bool:
    return access.can("association.change")


# --- Operator: all associations ----------------------------------------------------------------


@require("association.list")
def association_list(request):
    return render(
        request,
        "associations/list.html",
        {"associations": selectors.association_list()},
    )


@require("association.create")
def association_create(request):
    form = AssociationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            association = services.association_create(access=request.access, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(
                request, _("Samordningsförbundet %(name)s är skapat.") % {"name": association.name}
            )
            return redirect("associations:list")
    return render(
        request,
        "associations/form.html",
        {"form": form, "title": _("Nytt samordningsförbund"), "cancel_url": "associations:list"},
    )


# --- The current association ---------------------------------------------------------------


def _members_context(request, association):
    members = selectors.member_list(association)
    return {
        "association": association,
        "members": members,
        "share_check": selectors.share_check(members),
        "can_edit": _can_edit(request.access),
    }


@require("association.read")
def detail(request):
    association = selectors.get_current_association(request.access)
    return render(request, "associations/detail.html", _members_context(request, association))


@require("association.change")
def edit(request):
    association = selectors.get_current_association(request.access)
    can_change_start_date = request.access.can("association.change_start_date")
    form = AssociationForm(
        request.POST or None,
        initial=AssociationForm.initial_for(association),
        can_change_start_date=can_change_start_date,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.association_update(
                access=request.access, association=association, **form.cleaned_data
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Uppgifterna om förbundet är sparade."))
            return redirect("associations:detail")
    return render(
        request,
        "associations/form.html",
        {
            "form": form,
            "association": association,
            "title": _("Ändra %(name)s") % {"name": association.name},
            "cancel_url": "associations:detail",
        },
    )


# --- Members (HTMX: a table row swaps to a form and back) ----------------------------------------


def _members_section(request, association, error=None):
    """After a change: re-render the whole members section (table and share check)."""
    context = {**_members_context(request, association), "error": error}
    response = render(request, "associations/includes/members.html", context)
    return reswap(retarget(response, "#members"), "outerHTML")


def _member_form_response(request, form, member=None):
    context = {"form": form, "member": member}
    if request.htmx:
        return render(request, "associations/includes/member_form_row.html", context)
    return render(request, "associations/member_form.html", context)


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
    association = selectors.get_current_association(request.access)
    if request.method == "POST":
        return _save_member(request, _member_form(request), association)
    if request.GET.get("cancel") and request.htmx:
        return HttpResponse("")
    return _member_form_response(request, _member_form(request))


@require("association.change")
def member_edit(request, pk):
    member = selectors.get_member(request.access, pk)
    if request.method == "POST":
        return _save_member(request, MemberForm(request.POST), member.association, member)
    return _member_form_response(
        request, MemberForm(initial=MemberForm.initial_for(member)), member
    )


@require("association.read")
def member_row(request, pk):
    """The display row of one member (used to cancel an inline edit)."""
    member = selectors.get_member(request.access, pk)
    return render(
        request,
        "associations/includes/member_row.html",
        {"member": member, "can_edit": _can_edit(request.access)},
    )


@require_POST
@require("association.change")
def member_delete(request, pk):
    member = selectors.get_member(request.access, pk)
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
