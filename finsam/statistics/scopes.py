"""Which statistics a user may see (contract A), decided through `finsam.core.access`.

- initiative: any initiative of `visible_initiatives(access)`, not suppressed;
- association: the current association, for the association-wide roles and the operator, not
  suppressed (the participants' own association);
- region (associations with any member municipality in the county) and national (every
  association): same roles, always suppressed, because the tables leave the association.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from finsam.core.access import can_see_association_statistics
from finsam.initiatives.scoping import get_initiative, visible_initiatives
from finsam.statistics.engine import Scope

KINDS = ("initiative", "association", "region", "national")


def _region_associations(region) -> frozenset:
    from finsam.associations.models import Association

    return frozenset(
        Association.objects.filter(municipalities__region=region)
        .values_list("pk", flat=True)
        .distinct()
    )


def scope_for(access, kind: str, obj_id: int | None) -> Scope:
    """The Scope of `kind` and `obj_id` if the user may see it; Http404 for unknown or foreign
    objects, PermissionDenied for a kind outside the user's role."""
    from finsam.reference.models import Region

    if kind == "initiative":
        return Scope.of_initiative(get_initiative(access, obj_id))
    if kind not in KINDS:
        raise Http404
    if not can_see_association_statistics(access):
        raise PermissionDenied
    if kind == "association":
        if obj_id is not None and str(obj_id) != str(access.association_id):
            raise Http404
        return Scope.of_association(access.association)
    if kind == "region":
        try:
            region = Region.objects.get(pk=obj_id)
        except (Region.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404 from exc
        return Scope.of_region(region, _region_associations(region))
    if obj_id not in (None, "", 0, "0"):
        raise Http404
    return Scope.national()


def available_scopes(access) -> list[tuple[str, int | None, str]]:
    """(kind, id, label) of every scope the user may choose: their visible initiatives, then (for
    association-wide roles and the operator) the association, the regions that have
    associations (the user's own first) and the whole country."""
    from finsam.reference.models import Region

    scopes: list[tuple[str, int | None, str]] = [
        ("initiative", pk, name)
        for pk, name in visible_initiatives(access).order_by("name").values_list("pk", "name")
    ]
    if not can_see_association_statistics(access):
        return scopes
    scopes.append(("association", access.association_id, access.association.name))
    regions = list(
        Region.objects.filter(municipalities__associations__isnull=False)
        .distinct()
        .order_by("code")
    )
    own = set(
        Region.objects.filter(municipalities__associations=access.association)
        .values_list("pk", flat=True)
        .distinct()
    )
    regions.sort(key=lambda r: (r.pk not in own, r.code))
    scopes.extend(("region", r.pk, r.name) for r in regions)
    scopes.append(("national", None, _("Hela landet")))
    return scopes
