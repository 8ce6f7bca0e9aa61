"""Association pages. The current association always comes from `request.access`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from finsam.associations import selectors, services
from finsam.associations.forms import AssociationForm
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


@require("association.read")
def detail(request):
    """The association's record; its members and their shares are a section of `finance`."""
    association = selectors.get_current_association(request.access)
    context = {"association": association, "can_edit": _can_edit(request.access)}
    return render(request, "associations/detail.html", context)


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
