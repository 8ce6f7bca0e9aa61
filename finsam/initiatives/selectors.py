"""Reads for initiatives. Every function starts from the scoping helpers in
`finsam.core.access` or from an initiative already fetched through them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from finsam.core.access import Access
from finsam.core.roles import Role
from finsam.initiatives.models import FollowUp, HeadCount, Initiative
from finsam.initiatives.scoping import editable_initiatives, visible_initiatives
from finsam.reference.counting import counted_q
from finsam.reference.models import Code, CodeList

# Enrolments that count: wrong registrations (R6) are never counted.
_COUNTED = counted_q(prefix="enrolments__")


def initiative_list(*, access: Access) -> QuerySet[Initiative]:
    """Initiatives visible to the user, with what the list shows, in a constant number of queries.

    `active_participants` is the number of active enrolments (not ended, not wrong registrations)
    for individual initiatives and the latest month's head count for volume initiatives.
    """
    latest_head_count = (
        HeadCount.objects.filter(initiative=OuterRef("pk"))
        .order_by("-month")
        .annotate(total=F("women") + F("men") + F("other"))
        .values("total")[:1]
    )
    return (
        visible_initiatives(access)
        .select_related("specific_orientation")
        .prefetch_related("target_groups")
        .annotate(
            active_enrolments=Count(
                "enrolments", filter=Q(enrolments__end_date__isnull=True) & _COUNTED
            ),
            latest_head_count=Subquery(latest_head_count, output_field=IntegerField()),
        )
        .annotate(
            active_participants=Case(
                When(
                    follow_up=FollowUp.VOLUME,
                    then=Coalesce(F("latest_head_count"), Value(0)),
                ),
                default=F("active_enrolments"),
                output_field=IntegerField(),
            )
        )
    )


def initiative_is_editable(*, access: Access, initiative: Initiative) -> bool:
    """May the user change this initiative (description, budgets, head counts, assignments)?"""
    return editable_initiatives(access).filter(pk=initiative.pk).exists()


def initiative_has_registrations(*, initiative: Initiative) -> bool:
    """True when enrolments or head counts exist (then R11 fixes orientation, follow-up method
    and ESF flag)."""
    if initiative.pk is None:
        return False
    return (
        initiative.enrolments.exists()
        or HeadCount.objects.filter(initiative_id=initiative.pk).exists()
    )


def specific_orientation_codes(*, orientation: str | None) -> QuerySet[Code]:
    """The specific orientations of one orientation (Code.category is the orientation)."""
    codes = Code.objects.of(CodeList.SPECIFIC_ORIENTATION)
    if not orientation:
        return codes.none()
    return codes.filter(category=orientation)


@dataclass
class KeyFigures:
    active: int = 0
    active_women: int = 0
    active_men: int = 0
    active_other: int = 0
    total: int = 0
    exited: int = 0


def initiative_key_figures(*, initiative: Initiative) -> KeyFigures:
    """Aggregates of the initiative's enrolments, never names: one query."""
    active = Q(end_date__isnull=True)
    row = initiative.enrolments.counted().aggregate(
        active=Count("pk", filter=active),
        active_women=Count("pk", filter=active & Q(gender="woman")),
        active_men=Count("pk", filter=active & Q(gender="man")),
        active_other=Count("pk", filter=active & Q(gender="other")),
        total=Count("pk"),
        exited=Count("pk", filter=Q(end_date__isnull=False)),
    )
    return KeyFigures(**row)


@dataclass
class HeadCountSummary:
    months: list = field(default_factory=list)
    women: int = 0
    men: int = 0
    other: int = 0
    latest: HeadCount | None = None

    @property
    def total(self) -> int:
        return self.women + self.men + self.other


def head_count_summary(*, initiative: Initiative) -> HeadCountSummary:
    """The months entered (newest first) with the sums over them."""
    months = list(HeadCount.objects.filter(initiative=initiative).order_by("-month"))
    return HeadCountSummary(
        months=months,
        women=sum(m.women for m in months),
        men=sum(m.men for m in months),
        other=sum(m.other for m in months),
        latest=months[0] if months else None,
    )


ASSIGNABLE_ROLES = (Role.INITIATIVE_MANAGER, Role.REGISTRAR, Role.APPLICANT)


def initiative_assignments(*, initiative: Initiative) -> dict:
    """Assigned users per initiative-scoped role, in ASSIGNABLE_ROLES order."""
    from finsam.accounts.models import InitiativeAssignment

    grouped = defaultdict(list)
    rows = (
        InitiativeAssignment.objects.filter(initiative=initiative)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__email")
    )
    for row in rows:
        grouped[row.role].append(row)
    return {role: grouped.get(role, []) for role in ASSIGNABLE_ROLES}


def assignable_users(*, initiative: Initiative) -> dict:
    """Per role: the association's users holding it who are not yet assigned to the initiative."""
    from finsam.accounts.models import InitiativeAssignment, RoleAssignment

    assigned = set(
        InitiativeAssignment.objects.filter(initiative=initiative).values_list("user_id", "role")
    )
    rows = (
        RoleAssignment.objects.filter(
            association_id=initiative.association_id, role__in=ASSIGNABLE_ROLES
        )
        .select_related("user")
        .filter(user__is_active=True)
        .order_by("user__last_name", "user__first_name", "user__email")
    )
    result = {role: [] for role in ASSIGNABLE_ROLES}
    for row in rows:
        if (row.user_id, row.role) not in assigned:
            result[row.role].append(row.user)
    return result


@dataclass
class HistoryEntry:
    when: object
    who: object
    kind: str  # "+" created, "~" changed
    fields: list


def initiative_history(*, initiative: Initiative, limit: int = 20) -> list[HistoryEntry]:
    """Who changed what and when, newest first, in a fixed number of queries.

    Plain fields are compared by simple-history's diff; the many-to-many fields by comparing the
    historical rows fetched in one query per field.
    """
    records = list(
        initiative.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    history_model = type(initiative).history.model
    m2m = {}
    for name in ("target_groups", "municipalities"):
        through = getattr(history_model, name).model
        target = "code_id" if name == "target_groups" else "municipality_id"
        sets = defaultdict(set)
        rows = through.objects.filter(history_id__in=[r.history_id for r in records]).values_list(
            "history_id", target
        )
        for history_id, related_id in rows:
            sets[history_id].add(related_id)
        m2m[name] = sets

    def label(name):
        return str(Initiative._meta.get_field(name).verbose_name)

    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changed = []
        if previous is not None and record.history_type != "+":
            delta = record.diff_against(previous, excluded_fields=list(m2m))
            changed = list(delta.changed_fields)
            for name, sets in m2m.items():
                if sets[record.history_id] != sets[previous.history_id]:
                    changed.append(name)
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                kind="+" if previous is None or record.history_type == "+" else "~",
                fields=sorted(label(name) for name in changed),
            )
        )
    return entries
