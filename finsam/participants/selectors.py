"""Reading enrolments: the registrar's overview, enrolment lists with "what is missing", and the
correction history. Every list runs a constant number of queries whatever its length.

"What is missing" is computed by the database (one boolean per rule and row), so that the
per-row list and the per-initiative counts can never disagree.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finsam.audit.models import Action
from finsam.audit.services import log_access
from finsam.core.keys import lookup_hash
from finsam.initiatives.scoping import registrar_initiatives
from finsam.participants import variables
from finsam.participants.identity import parse_personal_number
from finsam.participants.models import AnonymousReason, Enrolment, Gender
from finsam.participants.services import (
    EXIT_FIELDS,
    IN_FIELDS,
    M2M_FIELDS,
    months_before,
    registration_closed_reason,
)
from finsam.reference.counting import counted_q
from finsam.reference.models import Code, Municipality

LONG_RUNNING_MONTHS = 12
PAGE_SIZE = 100

STATUS_ACTIVE = "active"
STATUS_EXITED = "exited"
STATUS_ALL = "all"
STATUSES = {
    STATUS_ACTIVE: _("Pågående"),
    STATUS_EXITED: _("Avslutade"),
    STATUS_ALL: _("Alla"),
}


@dataclass(frozen=True)
class MissingRule:
    key: str
    label: str
    condition: Q


def _no_codes(field_name: str):
    through = getattr(Enrolment, field_name).through
    return ~Exists(through.objects.filter(enrolment_id=OuterRef("pk")))


def _missing_variable(variable: variables.Variable, exited: Q) -> MissingRule:
    """A variable not filled in; one registered at exit only once the enrolment has ended."""
    empty = Q(_no_codes(variable.name)) if variable.multiple else Q(**{variable.name: None})
    condition = exited & empty if variable.phase == variables.OUT else empty
    return MissingRule(variable.name, str(variable.missing_label), condition)


def missing_rules(today: datetime.date) -> list[MissingRule]:
    """What a registrar should still fill in. Wrong registrations never miss anything."""
    exited = Q(end_date__isnull=False)
    rules = [
        MissingRule("home_municipality", _("hemkommun"), Q(home_municipality__isnull=True)),
        *(_missing_variable(v, exited) for v in variables.VARIABLES if v.missing_label),
        MissingRule(
            "long_running",
            _("inget avslut efter %(months)s månader") % {"months": LONG_RUNNING_MONTHS},
            Q(end_date__isnull=True, start_date__lte=months_before(today, LONG_RUNNING_MONTHS)),
        ),
    ]
    return [MissingRule(r.key, r.label, r.condition & counted_q()) for r in rules]


def _any(rules) -> Q:
    q = Q()
    for rule in rules:
        q |= rule.condition
    return q


# --- The registrar's overview -----------------------------------------------------------------


@dataclass
class InitiativeOverview:
    initiative: object
    active: int = 0
    exited_this_year: int = 0
    incomplete: int = 0
    missing: list = field(default_factory=list)  # [(label, count)] with count > 0
    closed_reason: str = ""  # why nobody can be registered in today ("" if they can)


def registrar_overview(*, access, today: datetime.date | None = None) -> list[InitiativeOverview]:
    """Per initiative the user registers in: active participants, exits this year and how many
    current enrolments (active, or exited this year) still miss something. Two queries."""
    today = today or timezone.localdate()
    initiatives = list(registrar_initiatives(access).order_by("name"))
    rules = missing_rules(today)
    year_start = datetime.date(today.year, 1, 1)
    # Current: active, or exited this year (an open enrolment has no exit reason, so counts).
    rows = (
        Enrolment.objects.filter(initiative__in=[i.pk for i in initiatives])
        .counted()
        .active_in(year_start)
        .order_by()
        .values("initiative_id")
        .annotate(
            active=Count("pk", filter=Q(end_date__isnull=True)),
            exited=Count("pk", filter=Q(end_date__isnull=False)),
            incomplete=Count("pk", filter=_any(rules)),
            **{f"missing_{r.key}": Count("pk", filter=r.condition) for r in rules},
        )
    )
    by_initiative = {row["initiative_id"]: row for row in rows}
    result = []
    for initiative in initiatives:
        row = by_initiative.get(initiative.pk)
        overview = InitiativeOverview(
            initiative, closed_reason=registration_closed_reason(initiative, today)
        )
        if row:
            overview.active = row["active"]
            overview.exited_this_year = row["exited"]
            overview.incomplete = row["incomplete"]
            overview.missing = [
                (r.label, row[f"missing_{r.key}"]) for r in rules if row[f"missing_{r.key}"]
            ]
        result.append(overview)
    return result


# --- Enrolment lists --------------------------------------------------------------------------


def enrolment_list(
    initiative, *, status: str = STATUS_ACTIVE, with_identity: bool = False, today=None
):
    """The initiative's enrolments with one `missing_<rule>` boolean per rule.

    Without `with_identity` the encrypted identity fields are not even loaded.
    Use `describe(rows)` on the page of rows shown to add `missing` and `days_enrolled`.
    """
    today = today or timezone.localdate()
    qs = Enrolment.objects.filter(initiative=initiative)
    if status == STATUS_ACTIVE:
        qs = qs.filter(end_date__isnull=True)
    elif status == STATUS_EXITED:
        qs = qs.filter(end_date__isnull=False)
    qs = qs.select_related("participant", "home_municipality", "exit_reason")
    if not with_identity:
        qs = qs.defer("participant__personal_number", "participant__name")
    qs = qs.annotate(
        **{
            f"missing_{r.key}": ExpressionWrapper(r.condition, output_field=BooleanField())
            for r in missing_rules(today)
        }
    )
    return qs.order_by("-start_date", "-id")


def describe(rows, *, today=None) -> list:
    """Add `missing` (labels) and `days_enrolled` to each row of `enrolment_list`."""
    today = today or timezone.localdate()
    rules = missing_rules(today)
    rows = list(rows)
    for row in rows:
        row.missing = [r.label for r in rules if getattr(row, f"missing_{r.key}", False)]
        row.days_enrolled = ((row.end_date or today) - row.start_date).days
    return rows


def missing_for(enrolment, *, today=None) -> list[str]:
    """The "what is missing" labels of one enrolment (one query)."""
    row = enrolment_list(enrolment.initiative, status=STATUS_ALL, today=today).get(pk=enrolment.pk)
    return describe([row], today=today)[0].missing


_PSEUDONYM = re.compile(r"^[DA]-[0-9A-Z]{4,}$", re.IGNORECASE)
_LOOKS_LIKE_NUMBER = re.compile(r"^[\d\s+-]{6,}$")


@dataclass
class Search:
    """How a registrar's search term was understood."""

    kind: str = ""  # "" | pseudonym | personal_number | name | invalid_number
    error: str = ""


def search_enrolments(qs, term: str, *, with_identity: bool):
    """Filter `qs` by pseudonym, or (registrars only) by personal identity number through the
    keyed hash or by name. Names are encrypted, so they are matched after decryption."""
    term = (term or "").strip()
    if not term:
        return qs, Search()
    if _PSEUDONYM.match(term):
        term = term.upper()
        if term.startswith("A-"):
            return qs.filter(participant__isnull=True, uuid__istartswith=term[2:]), Search(
                "pseudonym"
            )
        return qs.filter(participant__pseudonym=term), Search("pseudonym")
    if not with_identity:
        return qs.none(), Search("pseudonym", str(_("Sök på pseudonym, t.ex. D-7K3MQ2P.")))
    if _LOOKS_LIKE_NUMBER.match(term):
        try:
            number = parse_personal_number(term)
        except ValidationError as exc:
            return qs.none(), Search("invalid_number", exc.messages[0])
        return qs.filter(participant__personal_number_hash=lookup_hash(number.normalized)), Search(
            "personal_number"
        )
    needle = term.casefold()
    ids = [
        pk
        for pk, name in qs.filter(participant__isnull=False)
        .order_by()
        .values_list("pk", "participant__name")
        if name and needle in name.casefold()
    ]
    return qs.filter(pk__in=ids), Search("name")


def status_counts(initiative) -> dict:
    """Active / exited / all counts for the filter tabs (one query)."""
    row = Enrolment.objects.filter(initiative=initiative).aggregate(
        active=Count("pk", filter=Q(end_date__isnull=True)),
        exited=Count("pk", filter=Q(end_date__isnull=False)),
        all=Count("pk"),
    )
    return row


# --- History ----------------------------------------------------------------------------------

# Fields shown in the correction history, in form order. The participant link is never shown.
HISTORY_FIELDS = ("anonymous_reason", *IN_FIELDS, *EXIT_FIELDS)
_CODE_FKS = {v.name for v in variables.VARIABLES if v.is_code and not v.multiple}
_M2M = M2M_FIELDS


@dataclass
class HistoryChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: datetime.datetime
    user: object
    reason: str
    kind: str  # "+" registered, "~" changed
    changes: list


def enrolment_history(enrolment) -> list[HistoryEntry]:
    """Who changed what and when (newest first): field names and code labels, never identity.

    Four queries whatever the length of the history.
    """
    records = list(
        enrolment.history.select_related("history_user").order_by("history_date", "history_id")
    )
    values = _HistoryValues.load(type(enrolment).history.model, records)
    entries = []
    previous = None
    for record in records:
        entries.append(
            HistoryEntry(
                at=record.history_date,
                user=record.history_user,
                reason=record.history_change_reason or "",
                kind="+" if previous is None else "~",
                changes=[] if previous is None else values.changes(previous, record),
            )
        )
        previous = record
    entries.reverse()
    return entries


@dataclass
class _HistoryValues:
    """The shown values of an enrolment's history records: codes and municipalities by their
    labels, the many-to-many codes of each record (`snapshots`), loaded once for all records."""

    snapshots: dict  # history id -> {m2m field name: set of code ids}
    codes: dict
    municipalities: dict

    @classmethod
    def load(cls, history_model, records) -> _HistoryValues:
        snapshots = {r.history_id: {name: set() for name in _M2M} for r in records}
        for name in _M2M:
            m2m_model = getattr(history_model, name).model
            for history_id, code_id in m2m_model.objects.filter(
                history_id__in=list(snapshots)
            ).values_list("history_id", "code_id"):
                snapshots[history_id][name].add(code_id)
        code_ids = set()
        municipality_ids = set()
        for r in records:
            code_ids |= {getattr(r, f"{n}_id") for n in _CODE_FKS} - {None}
            code_ids |= snapshots[r.history_id]["income_sources_before"]
            code_ids |= snapshots[r.history_id]["income_sources_after"]
            if r.home_municipality_id:
                municipality_ids.add(r.home_municipality_id)
        codes = {c.pk: str(c) for c in Code.objects.filter(pk__in=code_ids)} if code_ids else {}
        municipalities = (
            dict(Municipality.objects.filter(pk__in=municipality_ids).values_list("pk", "name"))
            if municipality_ids
            else {}
        )
        return cls(snapshots, codes, municipalities)

    def changes(self, previous, record) -> list[HistoryChange]:
        changes = []
        for name in HISTORY_FIELDS:
            old, new = self.value(previous, name), self.value(record, name)
            if old != new:
                label = str(Enrolment._meta.get_field(name).verbose_name)
                changes.append(HistoryChange(label, old, new))
        return changes

    def value(self, record, name) -> str:
        if name in _M2M:
            labels = sorted(
                self.codes.get(pk, "?") for pk in self.snapshots[record.history_id][name]
            )
            return ", ".join(labels) or "–"
        if name in _CODE_FKS:
            pk = getattr(record, f"{name}_id")
            return self.codes.get(pk, "?") if pk else "–"
        if name == "home_municipality":
            pk = record.home_municipality_id
            return self.municipalities.get(pk, "?") if pk else "–"
        return _plain_value(name, getattr(record, name))


def _plain_value(name: str, raw) -> str:
    if raw in (None, ""):
        if name == "anonymous_reason":
            return str(_("med personuppgifter"))
        return "–"
    if name == "gender":
        return str(Gender(raw).label)
    if name == "anonymous_reason":
        return str(AnonymousReason(raw).label)
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    return str(raw)


# --- Reads of identity (logged here, where the identities are loaded) ---------------------------


def registrar_rows(access, initiative, enrolments, *, lookup: bool = False, fields: str = ""):
    """The rows of the registrar's list (`describe`), with masked personal identity numbers;
    the read is logged as one access event naming the participants shown (a search by personal
    identity number is logged as a lookup even when it finds nobody)."""
    rows = describe(enrolments)
    for row in rows:
        if row.participant_id:
            row.masked_number = f"{row.participant.personal_number[:8]}-****"
    shown = [row.participant.pseudonym for row in rows if row.participant_id]
    if shown or lookup:
        log_access(
            access=access,
            action=Action.LOOKUP if lookup else Action.LIST,
            initiative=initiative,
            pseudonyms=shown,
            fields=fields,
        )
    return rows


def read_identity(access, enrolment, *, fields: str, channel: str = "web"):
    """The participant (identity) of an enrolment loaded with it, its read logged; None for an
    anonymous enrolment (nothing to read, nothing logged)."""
    if not enrolment.participant_id:
        return None
    log_identity_read(
        access,
        enrolment.initiative,
        [enrolment],
        action=Action.VIEW,
        fields=fields,
        channel=channel,
    )
    return enrolment.participant


def log_identity_read(access, initiative, enrolments, *, action, fields: str, channel: str):
    """One access event for the identities of `enrolments` read together (by pseudonym; the
    annotation `participant_pseudonym` spares loading the participants)."""
    pseudonyms = [
        getattr(e, "participant_pseudonym", None) or e.participant.pseudonym
        for e in enrolments
        if e.participant_id is not None
    ]
    if pseudonyms:
        log_access(
            access=access,
            action=action,
            initiative=initiative,
            pseudonyms=pseudonyms,
            fields=fields,
            channel=channel,
        )
