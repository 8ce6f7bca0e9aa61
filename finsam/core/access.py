"""Who is asking: the `Access` of a request, and the policy check every write goes through.

`Access` is a value: the principal (a staff user with roles in one association, a user of an
applicant organisation, an anonymous visitor of one association, or the holder of a one-time
respondent link), the current association and, for initiative-scoped roles, the initiatives the
user is assigned to. What each principal may do is the policy table (`finsam.core.policy`);
`Access.can` answers it and `Access.require` refuses with 403. Which objects a user sees is the
scoping of the app that owns them (`finsam.initiatives.scoping`, `finsam.participants.scoping`,
`finsam.reports.scoping`); the user's `Access` is built in `finsam.staff.access`. This module
imports no feature app (docs/access.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps

from django.core.exceptions import PermissionDenied

from finsam.core.policy import Principal, rule
from finsam.core.roles import Role

SESSION_KEY = "association_id"


class _May:
    """`access.may.report.approve` in templates: the policy answer for an action, looked up
    by its dotted name one part at a time."""

    def __init__(self, access: Access, prefix: str = ""):
        self._access = access
        self._prefix = prefix

    def __getitem__(self, part: str):
        from finsam.core.policy import POLICY

        name = f"{self._prefix}.{part}" if self._prefix else part
        if name in POLICY:
            return self._access.can(name)
        if any(action.startswith(name + ".") for action in POLICY):
            return _May(self._access, name)
        raise KeyError(name)


@dataclass(frozen=True)
class Access:
    user: object
    association: object | None = None
    roles: frozenset = frozenset()
    is_operator: bool = False
    # Initiative ids per initiative-scoped role in the current association.
    assigned: dict = field(default_factory=dict)
    available_associations: tuple = ()
    # The applicant organisation of an `Access.applicant`.
    organisation: object | None = None
    # The one-time link of an `Access.respondent`.
    token: str = ""
    # Where the request came in ("web", "api"): recorded with each change.
    channel: str = "web"

    # --- The principals without staff roles ---------------------------------------------------

    @classmethod
    def applicant(cls, user, organisation) -> Access:
        """A user of an applicant organisation: owns its applications, in the organisation's
        association, assigned to no initiative."""
        return cls(
            user=user,
            association=organisation.association,
            roles=frozenset({Principal.APPLICANT_ORGANISATION}),
            organisation=organisation,
            available_associations=(organisation.association,),
        )

    @classmethod
    def public(cls, association) -> Access:
        """An anonymous visitor of one association's public pages (association from the URL)."""
        return cls(user=None, association=association, roles=frozenset({Principal.PUBLIC}))

    @classmethod
    def respondent(cls, token: str, association=None) -> Access:
        """Whoever holds the one-time respondent link `token` (no user account)."""
        return cls(
            user=None,
            association=association,
            roles=frozenset({Principal.RESPONDENT}),
            token=token,
        )

    # --- Questions ----------------------------------------------------------------------------

    def has(self, *roles) -> bool:
        return bool(self.roles.intersection(roles))

    def assigned_to(self, role) -> frozenset:
        return self.assigned.get(role, frozenset())

    @property
    def association_id(self):
        return self.association.pk if self.association else None

    @property
    def is_staff_user(self) -> bool:
        """A user with staff roles (not one of the `Principal`s)."""
        return self.user is not None and not self.roles.intersection(Principal.values)

    @property
    def primary_role(self):
        for role in (*Role, *Principal):
            if role in self.roles:
                return role
        return None

    @property
    def may(self) -> _May:
        return _May(self)

    def can(self, action: str, *, initiative=None, association=None) -> bool:
        """Whether the policy lets this principal do `action`.

        Without an object: whether the principal holds a role that may do it at all (pages
        narrow further by the app's scoping). With `initiative` (an instance or an id): whether
        it may do it for that initiative — association-wide roles for every initiative of their
        association, initiative-scoped roles for those they are assigned to. With `association`:
        for that association only (the operator acts in every association)."""
        row = rule(action)
        if initiative is not None and association is None and hasattr(initiative, "association_id"):
            association = initiative.association_id
        if association is not None:
            association_id = getattr(association, "pk", association)
            operator_wide = self.is_operator and Role.OPERATOR in row.anywhere
            if association_id != self.association_id and not operator_wide:
                return False
        if self.roles.intersection(row.anywhere):
            return True
        scoped = self.roles.intersection(row.assigned)
        if not scoped:
            return False
        if initiative is None:
            return True
        initiative_id = getattr(initiative, "pk", initiative)
        return any(initiative_id in self.assigned_to(role) for role in scoped)

    def can_throughout(self, action: str) -> bool:
        """Whether the principal may do `action` for every object of its association (not only
        for the initiatives it is assigned to)."""
        return bool(self.roles.intersection(rule(action).anywhere))

    def require(self, action: str, *, initiative=None, association=None) -> None:
        """`can`, or `PermissionDenied` (403)."""
        if not self.can(action, initiative=initiative, association=association):
            raise PermissionDenied


ANONYMOUS = Access(user=None)


def can_see_association_statistics(access: Access) -> bool:
    """Association, region and national statistics: association-wide roles and the operator
    (initiative managers, registrars and applicants see their own initiatives' statistics)."""
    return access.association is not None and access.can("statistics.association")


def require(action: str):
    """Let the view run only for principals the policy lets do `action` (in the current
    association); the view narrows to the objects further."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            request.access.require(action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
