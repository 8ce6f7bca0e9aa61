"""Reads of the catalogue: the public lists, the filter options, the open feed's grants, and what
it shows of the applications (the open rounds, the amount applied for, the decision's date)."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.db.models import Count, Max, Min, Q, Sum
from django.urls import reverse

from finsam.applications import selectors as applications_selectors
from finsam.applications.models import Application
from finsam.associations.models import Association
from finsam.board.models import Decision
from finsam.catalogue import search
from finsam.catalogue.models import CatalogueEntry, PublicStatus
from finsam.catalogue.scoping import published_entries
from finsam.core.periods import active_in_q
from finsam.initiatives.models import Initiative, Status
from finsam.reference.models import Code, Municipality


def open_rounds(association) -> list[dict]:
    """The application rounds of `association` open today, for the catalogue page's box
    "Öppna ansökningsomgångar": name, closing date (None: continuous) and where an applicant
    registers to apply."""
    register = reverse("applications:register", args=[association.slug])
    return [
        {"name": r.title, "closes_on": r.closes_on, "url": register}
        for r in applications_selectors.open_rounds(association)
    ]


def applied_amount(initiative):
    """The amount applied for in the application the initiative was granted from (the feed's
    `amountAppliedFor`), or None for an initiative that did not come from an application."""
    return (
        Application.objects.filter(initiative=initiative)
        .values_list("amount_applied", flat=True)
        .first()
    )


def award_date(initiative):
    """The date of the board's decision that granted the initiative (in effect once its minutes
    were approved), else the initiative's start (one that did not come through finsam)."""
    decided = (
        Decision.objects.filter(application__initiative=initiative, took_effect_at__isnull=False)
        .order_by("-decided_on")
        .values_list("decided_on", flat=True)
        .first()
    )
    return decided or initiative.start_date


def catalogue_associations():
    """Associations with at least one published entry, with the number of them."""
    return (
        Association.objects.annotate(
            published_count=Count(
                "initiatives__catalogue_entry",
                filter=Q(initiatives__catalogue_entry__published=True),
            )
        )
        .filter(published_count__gt=0)
        .order_by("name")
    )


def filter_options(association) -> dict:
    """What the filters of an association's catalogue offer: only values some published entry
    has (nothing to choose that finds nothing). Cached until the catalogue changes."""
    key = f"catalogue:options:{association.pk}:{search.version()}"
    options = cache.get(key)
    if options is None:
        options = _filter_options(association)
        cache.set(key, options, timeout=3600)
    return options


def _filter_options(association) -> dict:
    entries = published_entries(association)
    initiative_ids = entries.values("initiative_id")
    municipalities = Municipality.objects.filter(initiatives__in=initiative_ids).distinct()
    target_groups = Code.objects.filter(
        pk__in=Initiative.target_groups.through.objects.filter(
            initiative_id__in=initiative_ids
        ).values("code_id")
    ).order_by("sort_order", "code")
    owners = (
        entries.order_by("initiative__owner_organisation")
        .values_list("initiative__owner_organisation", flat=True)
        .distinct()
    )
    span = entries.aggregate(first=Min("initiative__start_date"), last=Max("initiative__end_date"))
    this_year = datetime.date.today().year
    first = span["first"].year if span["first"] else this_year
    last = span["last"].year if span["last"] else this_year
    if entries.filter(initiative__end_date__isnull=True).exists():
        last = max(last, this_year)  # an open-ended initiative runs this year too
    return {
        "municipalities": list(municipalities.order_by("name")),
        "target_groups": list(target_groups),
        "owners": list(owners),
        "years": list(range(last, first - 1, -1)),
    }


def catalogue_search(
    association,
    *,
    query="",
    municipality=None,
    target_group=None,
    year=None,
    owner="",
    status="",
    ranked=True,
    hits=None,
):
    """The published entries of `association` matching the query and the filters, best first
    (by name without a query). `ranked=False`: unordered, to count them cheaply; `hits`: their
    number if known (`search.search`)."""
    qs = published_entries(association)
    if municipality is not None:
        qs = qs.filter(initiative__municipalities=municipality)
    if target_group is not None:
        qs = qs.filter(initiative__target_groups=target_group)
    if year is not None:
        qs = qs.filter(
            active_in_q(
                datetime.date(year, 1, 1), datetime.date(year, 12, 31), prefix="initiative__"
            )
        )
    if owner:
        qs = qs.filter(initiative__owner_organisation=owner)
    if status == PublicStatus.FINISHED:
        qs = qs.filter(initiative__status=Status.ENDED)
    elif status == PublicStatus.RUNNING:
        qs = qs.exclude(initiative__status=Status.ENDED)
    if query:
        return search.search(qs, query, ranked=ranked, hits=hits)
    return qs.order_by("initiative__name", "pk") if ranked else qs


def entry_for(initiative) -> CatalogueEntry | None:
    return CatalogueEntry.objects.filter(initiative=initiative).first()


def grants(association=None):
    """The published entries as funded grants (the open feed), with the amount awarded (the sum
    of the initiative's yearly budgets), oldest first."""
    return (
        published_entries(association)
        .annotate(amount_awarded=Sum("initiative__budgets__amount"))
        .prefetch_related("initiative__municipalities")
        .order_by("initiative__start_date", "pk")
    )
