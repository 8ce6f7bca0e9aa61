"""Reads for associations and their members."""

from __future__ import annotations

import datetime

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from finsam.associations.models import Association, Member, MemberKind
from finsam.reference.models import Municipality, Region


def _count(queryset, fk: str):
    """A correlated COUNT subquery: one column, no row multiplication between the counts."""
    counted = (
        queryset.filter(**{fk: OuterRef("pk")})
        .order_by()
        .values(fk)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def association_list() -> QuerySet[Association]:
    """All associations with their municipality, member and initiative counts (one query)."""
    from finsam.initiatives.models import Initiative

    return Association.objects.annotate(
        municipality_count=_count(Association.municipalities.through.objects, "association"),
        member_count=_count(Member.objects, "association"),
        initiative_count=_count(Initiative.objects, "association"),
    ).order_by("name")


def get_current_association(access) -> Association:
    """The request's current association with its municipalities, or 404."""
    if access.association is None:
        raise Http404
    return Association.objects.prefetch_related(
        Prefetch(
            "municipalities",
            queryset=Municipality.objects.select_related("region").order_by("region__code", "name"),
        )
    ).get(pk=access.association.pk)


KIND_ORDER = [
    MemberKind.FORSAKRINGSKASSAN,
    MemberKind.ARBETSFORMEDLINGEN,
    MemberKind.REGION,
    MemberKind.MUNICIPALITY,
]


def member_list(association: Association) -> list[Member]:
    """Members in the order of the law: FK, AF, region(s), municipalities."""
    kind_order = Case(
        *[When(kind=kind, then=Value(i)) for i, kind in enumerate(KIND_ORDER)],
        output_field=IntegerField(),
    )
    return list(
        Member.objects.filter(association=association)
        .select_related("municipality", "region")
        .order_by(kind_order, "name")
    )


def get_member(access, pk) -> Member:
    """A member of the current association, or 404 (another association's member is 404)."""
    if access.association is None:
        raise Http404
    try:
        return Member.objects.select_related("association", "municipality", "region").get(
            association=access.association, pk=pk
        )
    except (ValueError, Member.DoesNotExist) as exc:
        raise Http404 from exc


def is_valid_on(member: Member, day: datetime.date) -> bool:
    return (member.valid_from is None or member.valid_from <= day) and (
        member.valid_to is None or member.valid_to >= day
    )


def municipalities_by_region() -> list[tuple[Region, list[Municipality]]]:
    """All municipalities grouped by county, for the municipality picker (one query)."""
    groups: dict[int, tuple[Region, list[Municipality]]] = {}
    for municipality in Municipality.objects.select_related("region").order_by(
        "region__code", "name"
    ):
        groups.setdefault(municipality.region_id, (municipality.region, []))[1].append(municipality)
    return list(groups.values())
