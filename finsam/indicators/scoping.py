"""Which indicator results a user may see (policy "indicators.read").

- the association: the current association, for the association-wide roles and the operator;
  compared with its region (the associations with a member municipality in its counties) and the
  whole installation;
- an initiative: of the association, for the same roles and the initiative's assigned managers.

An initiative outside the user's association (or not assigned to a manager) is 404; a user
without the action at all gets 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

ACTION = "indicators.read"


@dataclass(frozen=True)
class IndicatorScope:
    kind: str  # "association" | "initiative"
    label: str
    association: object
    initiative: object | None = None

    @property
    def obj_id(self):
        return self.initiative.pk if self.initiative is not None else self.association.pk


def may_read(access) -> bool:
    return access.association is not None and access.can(ACTION)


def may_read_association(access) -> bool:
    return access.association is not None and access.can_throughout(ACTION)


def readable_initiatives(access):
    """The initiatives whose indicators the user may see."""
    from finsam.initiatives.models import Initiative

    if access.association is None or not access.can(ACTION):
        return Initiative.objects.none()
    qs = Initiative.objects.filter(association=access.association)
    if access.can_throughout(ACTION):
        return qs
    from finsam.core.policy import rule

    ids = set()
    for role in access.roles.intersection(rule(ACTION).assigned):
        ids |= access.assigned_to(role)
    return qs.filter(pk__in=ids)


def scope_for(access, kind: str, obj_id) -> IndicatorScope:
    if not may_read(access):
        raise PermissionDenied
    if kind == "association":
        if not may_read_association(access):
            raise PermissionDenied
        if str(obj_id) != str(access.association_id):
            raise Http404
        return IndicatorScope("association", access.association.name, access.association)
    if kind == "initiative":
        initiative = readable_initiatives(access).filter(pk=obj_id).first()
        if initiative is None:
            raise Http404
        return IndicatorScope("initiative", initiative.name, access.association, initiative)
    raise Http404


def available_scopes(access) -> list[tuple[str, int, str]]:
    scopes = []
    if may_read_association(access):
        scopes.append(("association", access.association_id, access.association.name))
    scopes += [
        ("initiative", pk, name)
        for pk, name in readable_initiatives(access).order_by("name").values_list("pk", "name")
    ]
    return scopes
