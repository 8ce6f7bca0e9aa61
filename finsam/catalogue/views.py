"""The public catalogue (no login: `Access.public`) and the secretariat's entry pages.

Public pages show published entries only, found through `finsam.catalogue.scoping`; an
unpublished entry answers 404 like a missing one. The secretariat reaches an entry through its
initiative (`get_initiative`: 404 outside the user's scope) and writes it through the services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from finsam.catalogue import scoping, search, selectors, services
from finsam.catalogue.forms import EntryForm, SearchForm
from finsam.catalogue.models import CatalogueEntry
from finsam.core.access import Access
from finsam.core.htmx import render_partial_or_page, wants_partial
from finsam.initiatives.scoping import get_initiative

PAGE_SIZE = 20
# What a row of the results shows (a narrow row keeps sorting the hits by rank cheap).
LIST_FIELDS = (
    "summary",
    "initiative__name",
    "initiative__owner_organisation",
    "initiative__start_date",
    "initiative__end_date",
    "initiative__status",
    "initiative__association__slug",
)


class CountedPaginator(Paginator):
    """A paginator told the number of objects (counted by a cheaper query than the page's)."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


def _public(association) -> Access:
    access = Access.public(association)
    access.require("public.read", association=association)
    return access


# --- Public ------------------------------------------------------------------------------------


@login_not_required
@transaction.non_atomic_requests
@require_GET
def catalogue_index(request):
    return render(
        request,
        "catalogue/index.html",
        {"associations": selectors.catalogue_associations()},
    )


@login_not_required
@transaction.non_atomic_requests
@require_GET
def catalogue_association(request, slug):
    association = scoping.get_public_association(slug)
    _public(association)
    form = SearchForm(request.GET or None, options=selectors.filter_options(association))
    criteria = form.criteria() if form.is_bound else {"query": ""}
    with search.using_the_index():
        count = selectors.catalogue_search(association, ranked=False, **criteria).count()
        entries = (
            selectors.catalogue_search(association, hits=count, **criteria)
            .only(*LIST_FIELDS)
            .prefetch_related("initiative__municipalities")
        )
        page = CountedPaginator(entries, PAGE_SIZE, count).get_page(request.GET.get("page"))
        list(page.object_list)  # evaluated (and its municipalities fetched) here
    context = {
        "association": association,
        "form": form,
        "page": page,
        "entries": page.object_list,
        "count": page.paginator.count,
        "query": criteria["query"],
        "open_rounds": selectors.open_rounds(association),
        "oob": wants_partial(request),
    }
    return render_partial_or_page(
        request, "catalogue/_results.html", "catalogue/association.html", context
    )


@login_not_required
@transaction.non_atomic_requests
@require_GET
def catalogue_entry(request, slug, pk):
    association = scoping.get_public_association(slug)
    _public(association)
    entry = scoping.get_published_entry(association, pk)
    return render(
        request,
        "catalogue/entry.html",
        {"association": association, "entry": entry, "initiative": entry.initiative},
    )


@login_not_required
@transaction.non_atomic_requests
@require_GET
def final_report(request, slug, pk):
    association = scoping.get_public_association(slug)
    _public(association)
    entry = scoping.get_published_entry(association, pk)
    if not entry.has_final_report:
        raise Http404
    data = CatalogueEntry.objects.values_list("final_report", flat=True).get(pk=entry.pk)
    response = HttpResponse(bytes(data), content_type=entry.final_report_type)
    response["Content-Disposition"] = _attachment(entry.final_report_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _attachment(name: str) -> str:
    return content_disposition_header(as_attachment=True, filename=name)


# --- The secretariat -----------------------------------------------------------------------------


def _editable_initiative(request, pk, action="catalogue.edit"):
    initiative = get_initiative(request.access, pk)
    if not request.access.can(action, initiative=initiative):
        raise PermissionDenied
    return initiative


@require_http_methods(["GET", "POST"])
def entry_edit(request, pk):
    initiative = _editable_initiative(request, pk)
    entry = selectors.entry_for(initiative)
    form = EntryForm(request.POST or None, request.FILES or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_save(
                access=request.access,
                initiative=initiative,
                data=form.service_data(),
                final_report=form.cleaned_data.get("final_report"),
                remove_final_report=form.cleaned_data.get("remove_final_report", False),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Katalogposten är sparad."))
            return redirect("catalogue:edit", pk=initiative.pk)
    return render(
        request,
        "catalogue/edit.html",
        {
            "form": form,
            "initiative": initiative,
            "entry": selectors.entry_for(initiative),
            "can_publish": request.access.can("catalogue.publish", initiative=initiative),
        },
    )


@require_POST
def entry_publish(request, pk):
    initiative = _editable_initiative(request, pk, "catalogue.publish")
    published = request.POST.get("published") == "1"
    try:
        services.entry_publish(access=request.access, initiative=initiative, published=published)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Insatsen är publicerad i katalogen.")
            if published
            else _("Insatsen är borttagen från katalogen."),
        )
    return redirect("catalogue:edit", pk=initiative.pk)
