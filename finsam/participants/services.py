"""Registering participants in and out of initiatives (participant-follow-up.md §2.6–2.10).

The contract other parts call (bulk import, API, demo data) is `enrolment_register` and
`enrolment_exit` with the input dataclasses below; the pages also use the corrections, consent
withdrawal, protected identity and the retention job.

Every writer checks the caller's access first (`PermissionDenied`), validates everything before
writing anything, and raises `ValidationError({field: [Swedish message, ...]})` keyed by the input
field names ("__all__" for cross-field errors), so that forms and the importer can place each
message. Each writer runs in one transaction and logs the personal data it touched
(`log_access`). The `*_check` functions run exactly the same validation without writing, for the
validate-as-you-type endpoints.

Decisions where the domain pages are silent (see the report and the tests):

- Consent: dated no later than today (personal data may only be stored once the consent exists)
  and no more than `CONSENT_MAX_DAYS_BEFORE_START` days before the start date (R3: a new consent for
  every enrolment, so an old form is most likely the previous enrolment's). It may be dated after
  the start date: the form is often signed at the first meetings.
- Anonymous enrolments never store a personal identity number or a name: the services refuse them
  (the form drops them). They keep the non-identifying facts (gender, age, dates, code values).
- A person cannot have two overlapping enrolments in one initiative; wrong registrations
  (`felregistrering`) do not count.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, make_dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.audit.models import AccessEvent, Action
from finsam.audit.services import log_access, record_events
from finsam.core import data_version
from finsam.core.dates import months_before, retention_day
from finsam.core.history import save_with_history as _save_with_history
from finsam.core.keys import lookup_hash
from finsam.core.validators import TEXT_VALIDATORS
from finsam.initiatives.models import Status
from finsam.initiatives.scoping import can_see_identity
from finsam.participants import variables
from finsam.participants.identity import PersonalNumber, new_pseudonym, parse_personal_number
from finsam.participants.models import (
    AnonymousReason,
    Consent,
    ConsentMethod,
    Enrolment,
    Gender,
    Participant,
)
from finsam.reference import codes
from finsam.reference.counting import is_counted
from finsam.reference.models import Code, Municipality

CONSENT_MAX_DAYS_BEFORE_START = 90
IDENTITY_FIELDS = "personnummer, namn"
REGISTRATION_ANONYMOUS_REASONS = (AnonymousReason.NO_CONSENT, AnonymousReason.PROTECTED_IDENTITY)
MAX_AGE = 120


# --- Input ------------------------------------------------------------------------------------


@dataclass
class ConsentInput:
    given_on: datetime.date
    method: str  # ConsentMethod value: "paper" | "digital" | "uploaded"
    form_version: str
    language: str = "svenska"


def _with_variables(base: type, phase: str) -> type:
    """The dataclass `base` plus one keyword attribute per registration variable of `phase`
    (`finsam.participants.variables`): a list of `Code`s, a `Code` or an extent (int), empty
    by default; a required variable has no default."""

    def attribute(variable: variables.Variable):
        if variable.multiple:
            return variable.name, list, field(default_factory=list, kw_only=True)
        kind = Code if variable.is_code else int
        if variable.required:
            return variable.name, kind, field(kw_only=True)
        return variable.name, kind | None, field(default=None, kw_only=True)

    name = base.__name__.removeprefix("_")
    attributes = [attribute(v) for v in variables.of_phase(phase)]
    return make_dataclass(name, attributes, bases=(base,), module=__name__)


@dataclass
class _EnrolmentInput:
    start_date: datetime.date
    personal_number: str = ""  # raw as typed; required unless anonymous_reason is set
    name: str = ""
    anonymous_reason: str = ""  # AnonymousReason value; "" = identified
    gender: str = ""  # Gender value; "" = from the personal number (required if anonymous)
    age_at_start: int | None = None  # only for anonymous enrolments (derived otherwise)
    home_municipality: Municipality | None = None
    consent: ConsentInput | None = None  # required when identified


@dataclass
class _ExitInput:
    end_date: datetime.date


# In-registration: the fields above and the variables registered at enrolment
# (income_sources_before, occupation_before, ...).
EnrolmentInput = _with_variables(_EnrolmentInput, variables.IN)
# Out-registration: the end date and the variables registered at exit (exit_reason, ...).
ExitInput = _with_variables(_ExitInput, variables.OUT)


# The code list each code field draws from.
CODE_FIELDS = {v.name: v.code_list for v in variables.VARIABLES if v.is_code}
M2M_FIELDS = tuple(v.name for v in variables.VARIABLES if v.multiple)
EXIT_FIELDS = ("end_date", *(v.name for v in variables.of_phase(variables.OUT)))
IN_FIELDS = (
    "start_date",
    "gender",
    "age_at_start",
    "home_municipality",
    *(v.name for v in variables.of_phase(variables.IN)),
)
CORRECTABLE_FIELDS = frozenset((*IN_FIELDS, *EXIT_FIELDS, "name"))


# --- Small helpers ----------------------------------------------------------------------------


class _Errors:
    def __init__(self):
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, key: str, message, code: str | None = None) -> None:
        """`code` names the part of a compound key a message is about (the consent's
        `ConsentInput` field), for a form to point at the input."""
        self.by_field.setdefault(key, []).append(ValidationError(str(message), code=code))

    def __contains__(self, key) -> bool:
        return key in self.by_field

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _today() -> datetime.date:
    return timezone.localdate()


def _fmt(day: datetime.date) -> str:
    return day.isoformat()


def _require_registrar(access, initiative) -> None:
    """The initiative must be in `registrar_initiatives(access)` (no query needed: the access
    object already holds the assignments of the current association).

    The initiative's association is then the access's current association: it is put on the
    initiative if not loaded yet, so the rules reading it (start date) need no query.
    """
    if not (
        access is not None
        and access.association_id == initiative.association_id
        and can_see_identity(access, initiative.pk)
    ):
        raise PermissionDenied
    if not type(initiative).association.is_cached(initiative):
        initiative.association = access.association


def _check_code(errors: _Errors, key: str, value) -> None:
    if value is None:
        return
    code_list = CODE_FIELDS[key]
    if not isinstance(value, Code) or value.code_list != code_list:
        errors.add(
            key,
            _("Välj ett värde ur kodlistan ”%(list)s”.") % {"list": codes.list_name(code_list)},
        )
    elif not value.active:
        errors.add(key, _("Koden ”%(label)s” används inte längre.") % {"label": value})


def _stamp_code_versions(enrolment: Enrolment, values: dict) -> None:
    """Keep on the enrolment the national version of each code list it was registered with: the
    version of the list's first code chosen for it (the codes carry it: no query). Later codes of
    the same list (income after, a correction) show in that version's wording where it has them;
    a code's meaning is the same in every version."""
    for key, value in values.items():
        if key not in CODE_FIELDS:
            continue
        for code in value if key in M2M_FIELDS else [value]:
            if isinstance(code, Code):
                enrolment.code_versions.setdefault(code.code_list, code.version)


def _check_codes(errors: _Errors, key: str, values) -> None:
    for value in values or ():
        _check_code(errors, key, value)
        if key in errors:
            return


def _check_extent(errors: _Errors, key: str, value) -> None:
    if value is not None and not (isinstance(value, int) and 0 <= value <= 100):
        errors.add(key, _("Ange omfattningen i procent av heltid, 0–100."))


def _check_variable(errors: _Errors, variable: variables.Variable, value) -> None:
    """The value of one registration variable: codes of its list, or an extent."""
    if variable.multiple:
        _check_codes(errors, variable.name, value)
    elif variable.is_code:
        _check_code(errors, variable.name, value)
    else:
        _check_extent(errors, variable.name, value)


def _check_municipality(errors: _Errors, value) -> None:
    if value is not None and not isinstance(value, Municipality):
        errors.add("home_municipality", _("Välj en kommun ur listan."))


def _check_gender(errors: _Errors, value: str, *, required: bool) -> None:
    if not value:
        if required:
            errors.add("gender", _("Ange kön."))
    elif value not in Gender.values:
        errors.add("gender", _("Välj kvinna, man eller annat/ej angivet."))


def _check_age(errors: _Errors, age) -> None:
    """An age given by hand (anonymous participants)."""
    if age is not None and not (isinstance(age, int) and 0 <= age <= MAX_AGE):
        errors.add("age_at_start", _("Ange en ålder mellan 0 och %(max)s år.") % {"max": MAX_AGE})


def _age_from_number(errors: _Errors, personal_number: PersonalNumber, start_date):
    """The age on `start_date` from the personal identity number; None, with the error, if the
    start date lies before the birth date in the number."""
    if start_date < personal_number.birth_date:
        errors.add("start_date", _("Startdatumet ligger före födelsedatumet i personnumret."))
        return None
    return personal_number.age_on(start_date)


def _check_start_date(errors: _Errors, start_date, initiative, today) -> None:
    if start_date is None:
        errors.add("start_date", _("Ange startdatum."))
        return
    association_start = initiative.association.start_date
    if start_date > today:
        errors.add("start_date", _("Startdatumet får inte ligga i framtiden."))
    if start_date < association_start:
        errors.add(
            "start_date",
            _(
                "Startdatumet ligger före förbundets startdatum (%(date)s). Inget kan "
                "registreras före det."
            )
            % {"date": _fmt(association_start)},
        )
    if start_date < initiative.start_date:
        errors.add(
            "start_date",
            _("Startdatumet ligger före insatsens start (%(date)s).")
            % {"date": _fmt(initiative.start_date)},
        )
    if initiative.end_date and start_date > initiative.end_date:
        errors.add(
            "start_date",
            _("Startdatumet ligger efter insatsens slut (%(date)s).")
            % {"date": _fmt(initiative.end_date)},
        )


def _check_end_date(errors: _Errors, end_date, start_date, today) -> None:
    if end_date is None:
        errors.add("end_date", _("Ange slutdatum."))
        return
    if end_date > today:
        errors.add("end_date", _("Slutdatumet får inte ligga i framtiden."))
    if start_date is not None and end_date < start_date:
        errors.add(
            "end_date",
            _("Slutdatumet ligger före startdatumet (%(date)s).") % {"date": _fmt(start_date)},
        )


def _check_consent(errors: _Errors, consent: ConsentInput | None, start_date, today) -> None:
    if consent is None:
        errors.add(
            "consent",
            _(
                "Samtycke krävs innan personuppgifter registreras. Utan samtycke registreras "
                "deltagaren anonymt."
            ),
        )
        return
    if consent.given_on is None:
        errors.add("consent", _("Ange datum för samtycket."), "given_on")
    elif consent.given_on > today:
        errors.add(
            "consent",
            _(
                "Samtycket kan inte vara daterat i framtiden: personuppgifter får registreras "
                "först när samtycket finns."
            ),
            "given_on",
        )
    elif start_date and consent.given_on < start_date - datetime.timedelta(
        days=CONSENT_MAX_DAYS_BEFORE_START
    ):
        errors.add(
            "consent",
            _(
                "Samtycket är daterat mer än %(days)s dagar före startdatumet. Varje deltagande "
                "kräver ett nytt samtycke."
            )
            % {"days": CONSENT_MAX_DAYS_BEFORE_START},
            "given_on",
        )
    if consent.method not in ConsentMethod.values:
        errors.add(
            "consent",
            _("Ange hur samtycket lämnades (på papper, digitalt eller inskannat)."),
            "method",
        )
    form_version = (consent.form_version or "").strip()
    if not form_version:
        errors.add("consent", _("Ange samtyckesblankettens version."), "form_version")
    elif len(form_version) > 50:
        errors.add("consent", _("Blankettversionen får vara högst 50 tecken."), "form_version")
    language = (consent.language or "").strip()
    if not language:
        errors.add("consent", _("Ange på vilket språk samtycket lämnades."), "language")
    elif len(language) > 32:
        errors.add("consent", _("Språket får vara högst 32 tecken."), "language")
    _check_text(errors, "consent", form_version, "form_version")
    _check_text(errors, "consent", language, "language")


def _check_text(errors: _Errors, key: str, value: str, code: str | None = None) -> None:
    """The shared text rule (`finsam.core.validators`: no control characters)."""
    for validator in TEXT_VALIDATORS:
        try:
            validator(value)
        except ValidationError as exc:
            errors.add(key, exc.messages[0], code)


def _overlapping(participant_id, initiative, start, end, *, exclude_pk=None):
    """Another counted enrolment of the person in the initiative that overlaps [start, end]."""
    qs = Enrolment.objects.counted().filter(participant_id=participant_id, initiative=initiative)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.active_in(start, end).order_by("start_date").first()


def _overlap_message(other) -> str:
    if other.end_date is None:
        return _(
            "Personen har redan ett pågående deltagande i insatsen (%(pseudonym)s, från "
            "%(start)s). Registrera ut det först."
        ) % {"pseudonym": other.pseudonym, "start": _fmt(other.start_date)}
    return _(
        "Personen har redan ett deltagande i insatsen under samma tid (%(pseudonym)s, "
        "%(start)s–%(end)s)."
    ) % {"pseudonym": other.pseudonym, "start": _fmt(other.start_date), "end": _fmt(other.end_date)}


def _new_unique_pseudonym() -> str:
    for _attempt in range(10):
        pseudonym = new_pseudonym()
        if not Participant.objects.filter(pseudonym=pseudonym).exists():
            return pseudonym
    raise RuntimeError("Could not find a free pseudonym")  # pragma: no cover


def _locked(enrolment) -> Enrolment:
    """A fresh, locked copy: decisions must not rest on a stale object."""
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("initiative__association", "participant", "exit_reason")
        .get(pk=enrolment.pk)
    )


def _locked_for_exit(access, enrolment) -> Enrolment:
    """`_locked` with only what an exit needs, checking the caller's access on it.

    The participant's pseudonym (for the access log) is read instead of the participant and its
    decrypted identity; the initiative is the caller's if it came with the enrolment, otherwise
    read with the locked row rather than by a query of its own.
    """
    known = Enrolment.initiative.is_cached(enrolment)
    queryset = Enrolment.objects.select_for_update(of=("self",)).annotate(
        participant_pseudonym=F("participant__pseudonym")
    )
    if not known:
        queryset = queryset.select_related("initiative")
    locked = queryset.get(pk=enrolment.pk)
    if known and locked.initiative_id == enrolment.initiative_id:
        locked.initiative = enrolment.initiative
    _require_registrar(access, locked.initiative)
    return locked


# --- Register in ------------------------------------------------------------------------------


def registration_closed_reason(initiative, today: datetime.date) -> str:
    """Why nobody can be registered in to `initiative` today, or "" if they can: only a running
    initiative with individual follow-up takes registrations."""
    if initiative.is_volume:
        return _(
            "Insatsen är en volyminsats. Där registreras antal deltagare per månad, inte "
            "enskilda personer."
        )
    if initiative.status == Status.PLANNED:
        return _("Insatsen har inte startat ännu. Deltagare registreras in när den pågår.")
    if initiative.status == Status.ENDED or (
        initiative.end_date is not None and initiative.end_date < today
    ):
        return _("Insatsen är avslutad. Nya deltagare kan bara registreras in i pågående insatser.")
    return ""


@dataclass
class _Registration:
    personal_number: PersonalNumber | None
    hash: str
    participant: Participant | None
    gender: str
    age_at_start: int | None
    name: str
    pseudonym_taken: bool = False


def _check_registration(
    initiative, data: EnrolmentInput, today, *, pseudonym: str = "", known=None
) -> _Registration:
    """Validate a registration; find the person among the association's participants.

    `pseudonym`, a candidate for a new participant, is looked for in the same query
    (`pseudonym_taken`), so that registering a new person needs no query of its own for it.
    `known` (`KnownPeople`, for a batch): the people looked up beforehand, no query here.
    """
    errors = _Errors()
    closed = registration_closed_reason(initiative, today)
    if closed:
        errors.add("__all__", closed)
        errors.raise_if_any()
    _check_start_date(errors, data.start_date, initiative, today)
    name = (data.name or "").strip()
    if data.anonymous_reason:
        personal_number = None
        gender, age = _check_anonymous_person(errors, data, name)
    else:
        personal_number, gender, age = _check_identified_person(errors, data, name, today)
    _check_background(errors, data)
    participant, digest, pseudonym_taken = None, "", False
    if personal_number is not None and known is not None:
        digest = lookup_hash(personal_number.normalized)
        participant, pseudonym_taken = known.find(digest, pseudonym)
        other = known.overlapping(participant, data.start_date)
        if other is not None:
            errors.add("personal_number", _overlap_message(other))
    elif personal_number is not None:
        digest = lookup_hash(personal_number.normalized)
        participant, pseudonym_taken = _find_participant(initiative, digest, pseudonym)
        if participant is not None and data.start_date is not None:
            other = _overlapping(participant.pk, initiative, data.start_date, None)
            if other is not None:
                errors.add("personal_number", _overlap_message(other))
    errors.raise_if_any()
    return _Registration(personal_number, digest, participant, gender, age, name, pseudonym_taken)


def _check_anonymous_person(errors: _Errors, data: EnrolmentInput, name: str):
    """An anonymous registration: a reason, no identity, the gender and age given.
    Returns (gender, age at start)."""
    if data.anonymous_reason not in REGISTRATION_ANONYMOUS_REASONS:
        errors.add(
            "anonymous_reason",
            _("Välj anonym registrering för samtycke saknas eller skyddade personuppgifter."),
        )
    if (data.personal_number or "").strip():
        errors.add(
            "personal_number",
            _("Anonyma deltagare registreras utan personnummer. Ta bort personnumret."),
        )
    if name:
        errors.add("name", _("Anonyma deltagare registreras utan namn. Ta bort namnet."))
    gender = data.gender or ""
    _check_gender(errors, gender, required=True)
    _check_age(errors, data.age_at_start)
    return gender, data.age_at_start


def _check_identified_person(errors: _Errors, data: EnrolmentInput, name: str, today):
    """A registration with identity: the number, the name, the consent; the gender (from the
    number unless given) and the age at start come from the number.
    Returns (personal number or None, gender, age at start)."""
    personal_number = None
    if not (data.personal_number or "").strip():
        errors.add(
            "personal_number",
            _("Ange personnummer eller samordningsnummer, eller välj anonym registrering."),
        )
    else:
        try:
            personal_number = parse_personal_number(data.personal_number)
        except ValidationError as exc:
            for message in exc.messages:
                errors.add("personal_number", message)
    if len(name) > 200:
        errors.add("name", _("Namnet får vara högst 200 tecken."))
    _check_text(errors, "name", name)
    _check_consent(errors, data.consent, data.start_date, today)
    gender = data.gender or ""
    _check_gender(errors, gender, required=False)
    age = None
    if personal_number is not None:
        gender = gender or personal_number.legal_gender
        if data.start_date is not None:
            age = _age_from_number(errors, personal_number, data.start_date)
    return personal_number, gender, age


def _check_background(errors: _Errors, data: EnrolmentInput) -> None:
    """The situation before the initiative: municipality, codes, extent of occupation."""
    _check_municipality(errors, data.home_municipality)
    for variable in variables.of_phase(variables.IN):
        _check_variable(errors, variable, getattr(data, variable.name))


def _find_participant(initiative, digest: str, pseudonym: str):
    """The association's participant with the look-up hash `digest` (or None), and whether
    `pseudonym` is taken; one query. Returns (participant, pseudonym taken)."""
    participant = None
    pseudonym_taken = False
    wanted = Q(association_id=initiative.association_id, personal_number_hash=digest)
    if pseudonym:
        wanted |= Q(pseudonym=pseudonym)
    for found in Participant.objects.filter(wanted):
        ours = found.association_id == initiative.association_id
        if ours and found.personal_number_hash == digest:
            participant = found
        pseudonym_taken = pseudonym_taken or found.pseudonym == pseudonym
    return participant, pseudonym_taken


def enrolment_register_check(*, access, initiative, data: EnrolmentInput) -> None:
    """Validate a registration exactly as `enrolment_register` would, writing nothing."""
    _require_registrar(access, initiative)
    _check_registration(initiative, data, _today())


class RegistrationConflict(ValidationError):
    """Someone else registered the person in the initiative between our check and our write.

    A `ValidationError` (the pages and the importer show it like any other); the API answers
    it with 409 Conflict.
    """

    def __init__(self):
        super().__init__(
            {"__all__": [_("Personen registrerades nyss i den här insatsen av någon annan.")]}
        )


def enrolment_register(
    *, access, initiative, data: EnrolmentInput, channel: str = "web"
) -> Enrolment:
    """Register a participant into an initiative (inregistrering).

    Two registrations of one person may run at the same time (two registrars, the page and an
    import). The database's unique constraints decide: one look-up hash per association, one
    active enrolment per person and initiative. The writes run in a savepoint; if a constraint
    refuses them, the person is looked up again: registered meanwhile in this initiative, the
    caller gets `RegistrationConflict`; registered meanwhile only as a participant (in another
    initiative), the enrolment is written for that participant. The database's message (which
    names the look-up hash) is dropped, never logged or shown.
    """
    _require_registrar(access, initiative)
    if transaction.get_connection().in_atomic_block:
        # The caller's transaction keeps the check and the writes together; the writes have
        # their savepoint below (one savepoint, not two: issue 9).
        return _register(access, initiative, data, channel)
    with transaction.atomic():
        return _register(access, initiative, data, channel)


def _register(access, initiative, data: EnrolmentInput, channel: str) -> Enrolment:
    """`enrolment_register` in a transaction: the check reads, only the writes need a savepoint
    (a refused write is undone without undoing the caller's work)."""
    pseudonym = new_pseudonym()
    checked = _check_registration(initiative, data, _today(), pseudonym=pseudonym)
    _new_participant(initiative, checked, pseudonym)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return _write_registration(access, initiative, data, checked, channel)
        except IntegrityError:
            if checked.personal_number is None:
                # Anonymous: no participant, so nothing another registration collided with.
                raise
        # Outside the `except` block, so that the database's error is not chained to ours.
        checked.participant = _registered_meanwhile(initiative, checked, data.start_date)
    raise RegistrationConflict()


def _registered_meanwhile(initiative, checked: _Registration, start_date) -> Participant:
    """The participant another transaction created since our check; `RegistrationConflict` if
    it also enrolled the person in this initiative (or something else refused the write)."""
    participant = Participant.objects.filter(
        association_id=initiative.association_id, personal_number_hash=checked.hash
    ).first()
    if participant is None or _overlapping(participant.pk, initiative, start_date, None):
        raise RegistrationConflict()
    return participant


def _write_registration(
    access, initiative, data: EnrolmentInput, checked: _Registration, channel: str
) -> Enrolment:
    user = access.user
    participant = checked.participant
    if participant is not None:
        if participant.pk is None:
            participant.save()
        elif _refresh_participant(participant, checked):
            participant.save(update_fields=["name", "gender", "updated_at"])
    enrolment = _new_enrolment(initiative, data, checked)
    _save_with_history(
        enrolment,
        user=user,
        reason=_("Inregistrering"),
        m2m={
            v.name: list(getattr(data, v.name) or [])
            for v in variables.of_phase(variables.IN)
            if v.multiple
        },
    )
    if participant is not None:
        consent = _new_consent(enrolment, data, user)
        consent.save()
        log_access(
            access=access,
            action=Action.CREATE,
            initiative=initiative,
            pseudonyms=[participant.pseudonym],
            fields=IDENTITY_FIELDS,
            channel=channel,
        )
    return enrolment


def _refresh_participant(participant: Participant, checked: _Registration) -> bool:
    """The latest registration knows the person's current name (and gender): take them over.
    Whether anything changed."""
    if not (checked.name and checked.name != participant.name) and (
        checked.gender == participant.gender
    ):
        return False
    participant.name = checked.name or participant.name
    participant.gender = checked.gender
    return True


def _new_enrolment(initiative, data: EnrolmentInput, checked: _Registration) -> Enrolment:
    """The unsaved enrolment of a checked registration, with the code-list versions it is
    registered with."""
    participant = checked.participant
    enrolment = Enrolment(
        initiative=initiative,
        participant=participant,
        anonymous_reason="" if participant else data.anonymous_reason,
        gender=checked.gender,
        age_at_start=checked.age_at_start,
        home_municipality=data.home_municipality,
        start_date=data.start_date,
        **{
            v.name: getattr(data, v.name)
            for v in variables.of_phase(variables.IN)
            if not v.multiple
        },
    )
    _stamp_code_versions(
        enrolment, {key: getattr(data, key) for key in CODE_FIELDS if key not in EXIT_FIELDS}
    )
    # Relations and constraints were checked above (with Swedish messages) and are enforced
    # by the database; full_clean checks the plain values.
    enrolment.full_clean(
        exclude=["initiative", "participant", *CODE_FIELDS, "home_municipality"],
        validate_unique=False,
        validate_constraints=False,
    )
    return enrolment


def _new_consent(enrolment: Enrolment, data: EnrolmentInput, user) -> Consent:
    """The unsaved consent of an identified registration, collected by `user`."""
    consent = Consent(
        enrolment=enrolment,
        given_on=data.consent.given_on,
        method=data.consent.method,
        form_version=data.consent.form_version.strip(),
        language=(data.consent.language or "").strip(),
        collected_by=user,
    )
    consent.full_clean(exclude=["enrolment", "collected_by"], validate_unique=False)
    consent._history_user = user
    return consent


# --- Register in many at once (the bulk import) ------------------------------------------------


@dataclass
class KnownPeople:
    """The participants a batch of registrations concerns and their counted enrolments in the
    initiative, looked up for the whole batch at once (`_known_people`: three queries)."""

    participants: dict  # look-up hash → Participant
    enrolments: dict  # participant id → its counted enrolments in the initiative, by start
    taken_pseudonyms: set

    def find(self, digest: str, pseudonym: str) -> tuple[Participant | None, bool]:
        return self.participants.get(digest), pseudonym in self.taken_pseudonyms

    def overlapping(self, participant, start):
        """As `_overlapping(participant, initiative, start, None)`."""
        if participant is None or start is None:
            return None
        return next(
            (
                e
                for e in self.enrolments.get(participant.pk, ())
                if e.end_date is None or e.end_date >= start
            ),
            None,
        )


def _known_people(initiative, items, pseudonyms) -> KnownPeople:
    digests = set()
    for data in items:
        if data.anonymous_reason or not (data.personal_number or "").strip():
            continue
        try:
            digests.add(lookup_hash(parse_personal_number(data.personal_number).normalized))
        except ValidationError:
            continue  # reported by the check
    participants = {
        p.personal_number_hash: p
        for p in Participant.objects.filter(
            association_id=initiative.association_id, personal_number_hash__in=digests
        )
    }
    by_id = {p.pk: p for p in participants.values()}
    enrolments = defaultdict(list)
    if by_id:
        for enrolment in (
            Enrolment.objects.counted()
            .filter(initiative=initiative, participant_id__in=by_id)
            .order_by("start_date")
        ):
            enrolment.participant = by_id[enrolment.participant_id]
            enrolments[enrolment.participant_id].append(enrolment)
    taken = set(
        Participant.objects.filter(pseudonym__in=pseudonyms).values_list("pseudonym", flat=True)
    )
    return KnownPeople(participants, dict(enrolments), taken)


def enrolments_register_many(
    *, access, initiative, items: list[EnrolmentInput], channel: str = "import"
) -> list:
    """`enrolment_register` for many registrations of different people, written together.

    Each registration is validated exactly as `enrolment_register` does (the people are looked
    up for all of them at once); the valid ones are written with a few INSERTs per table
    whatever their number, with the same rows: participant, enrolment, code set, one history
    record each (with its code set), consent and its history, one access-log event each.
    Returns, per item, the `Enrolment` written or the `ValidationError` it failed with. The
    caller decides whether to keep what was written (the import rolls back if anything failed).
    The same person twice, or a registration by someone else meanwhile (a unique constraint),
    falls back to `enrolment_register` one by one.
    """
    _require_registrar(access, initiative)
    today = _today()
    pseudonyms = [new_pseudonym() for _item in items]
    with transaction.atomic():
        known = _known_people(initiative, items, pseudonyms)
        results: list = []
        for data, pseudonym in zip(items, pseudonyms, strict=True):
            try:
                checked = _check_registration(
                    initiative, data, today, pseudonym=pseudonym, known=known
                )
                _new_participant(initiative, checked, pseudonym)
                results.append(checked)
            except ValidationError as exc:
                results.append(exc)
        hashes = [r.hash for r in results if isinstance(r, _Registration) and r.hash]
        if len(hashes) != len(set(hashes)):
            return _register_one_by_one(access, initiative, items, channel)
        try:
            with transaction.atomic():
                return _write_registrations(access, initiative, items, results, channel)
        except IntegrityError:
            pass
        return _register_one_by_one(access, initiative, items, channel)


def _register_one_by_one(access, initiative, items, channel) -> list:
    results: list = []
    for data in items:
        try:
            results.append(
                enrolment_register(access=access, initiative=initiative, data=data, channel=channel)
            )
        except ValidationError as exc:
            results.append(exc)
    return results


def _new_participant(initiative, checked: _Registration, pseudonym: str) -> None:
    """The participant a registration of a person not yet known creates (as in
    `enrolment_register`), on `checked.participant`."""
    if checked.personal_number is None or checked.participant is not None:
        return
    if checked.pseudonym_taken:
        pseudonym = _new_unique_pseudonym()
    checked.participant = Participant(
        association_id=initiative.association_id,
        pseudonym=pseudonym,
        personal_number=checked.personal_number.normalized,
        personal_number_hash=checked.hash,
        name=checked.name,
        birth_year=checked.personal_number.birth_date.year,
        gender=checked.gender,
    )
    checked.participant.full_clean(
        exclude=["association"], validate_unique=False, validate_constraints=False
    )


def _write_registrations(access, initiative, items, results, channel) -> list:
    """Write the valid registrations of `results` (as `_write_registration` does, in bulk)."""
    user = access.user
    valid = [
        (data, checked)
        for data, checked in zip(items, results, strict=True)
        if isinstance(checked, _Registration)
    ]
    new = [c.participant for _d, c in valid if c.participant and c.participant.pk is None]
    Participant.objects.bulk_create(new)
    created = {id(p) for p in new}
    changed = []
    now = timezone.now()
    for _data, checked in valid:
        participant = checked.participant
        if participant is None or id(participant) in created:
            continue
        if _refresh_participant(participant, checked):
            participant.updated_at = now
            changed.append(participant)
    Participant.objects.bulk_update(changed, ["name", "gender", "updated_at"])
    written = {}
    for data, checked in valid:
        enrolment = _new_enrolment(initiative, data, checked)
        enrolment._history_user = user
        enrolment._change_reason = _("Inregistrering")[:100]
        written[id(checked)] = enrolment
    enrolments = Enrolment.objects.bulk_create(list(written.values()))
    data_version.changed([initiative.association_id])  # bulk_create sends no signals
    code_sets = _write_code_sets(valid, written)
    _write_histories(enrolments, code_sets, user)
    _write_consents(valid, written, user)
    log = [
        (_access_event(access, initiative, channel), [c.participant.pseudonym])
        for _d, c in valid
        if c.participant is not None
    ]
    record_events(log)
    return [written.get(id(r), r) for r in results]


def _write_code_sets(valid, written) -> dict:
    """The code sets registered at enrolment (the multi-valued "in" variables) of every new
    enrolment: field name → enrolment id → through rows."""
    code_sets = {}
    for variable in variables.of_phase(variables.IN):
        if not variable.multiple:
            continue
        through = Enrolment._meta.get_field(variable.name).remote_field.through
        rows = [
            through(enrolment_id=written[id(checked)].pk, code_id=pk)
            for data, checked in valid
            for pk in dict.fromkeys(code.pk for code in getattr(data, variable.name) or [])
        ]
        through.objects.bulk_create(rows)
        if any(row.pk is None for row in rows):  # the database did not return the ids
            rows = list(through.objects.filter(enrolment_id__in=[e.pk for e in written.values()]))
        by_enrolment = defaultdict(list)
        for row in rows:
            by_enrolment[row.enrolment_id].append(row)
        code_sets[variable.name] = by_enrolment
    return code_sets


def _write_histories(enrolments, code_sets, user) -> None:
    """One "+" history record per new enrolment with its code sets, as `_save_with_history`."""
    records = Enrolment.history.bulk_history_create(enrolments, default_user=user)
    if any(record.pk is None for record in records):
        records = list(
            Enrolment.history.filter(id__in=[e.pk for e in enrolments], history_type="+").order_by(
                "history_id"
            )
        )
    by_id = {record.id: record for record in records}
    lean = Enrolment._lean_history
    for m2m_field, m2m_model in lean.m2m_models.items():
        if m2m_field.name not in code_sets:
            continue  # an "out" code set is empty on a new enrolment
        m2m_model.objects.bulk_create(
            m2m_model(
                history=by_id[row.enrolment_id],
                id=row.pk,
                enrolment_id=row.enrolment_id,
                code_id=row.code_id,
            )
            for enrolment in enrolments
            for row in code_sets[m2m_field.name].get(enrolment.pk, ())
        )


def _write_consents(valid, written, user) -> None:
    consents = []
    for data, checked in valid:
        if checked.participant is not None:
            consents.append(_new_consent(written[id(checked)], data, user))
    Consent.objects.bulk_create(consents)
    Consent.history.bulk_history_create(consents, default_user=user, default_change_reason=None)


def _access_event(access, initiative, channel) -> AccessEvent:
    """The unsaved event `log_access` writes for a registration."""
    return AccessEvent(
        actor=access.user,
        actor_role=str(access.primary_role or ""),
        association_id=initiative.association_id,
        initiative=initiative,
        action=Action.CREATE,
        fields=IDENTITY_FIELDS,
        channel=channel,
    )


# --- Register out -----------------------------------------------------------------------------


def _check_exit(enrolment: Enrolment, data: ExitInput, today) -> None:
    errors = _Errors()
    if not enrolment.is_active:
        errors.add(
            "__all__",
            _("Deltagandet är redan utregistrerat (%(date)s). Rätta utregistreringen i stället.")
            % {"date": _fmt(enrolment.end_date)},
        )
        errors.raise_if_any()
    _check_end_date(errors, data.end_date, enrolment.start_date, today)
    if data.exit_reason is None:
        errors.add("exit_reason", _("Ange avslutsanledning."))
    for variable in variables.of_phase(variables.OUT):
        _check_variable(errors, variable, getattr(data, variable.name))
    errors.raise_if_any()


def enrolment_exit_check(*, access, enrolment, data: ExitInput) -> None:
    """Validate an exit exactly as `enrolment_exit` would, writing nothing."""
    _require_registrar(access, enrolment.initiative)
    _check_exit(enrolment, data, _today())


def enrolment_exit(*, access, enrolment, data: ExitInput, channel: str = "web") -> Enrolment:
    """Register a participant out of the initiative (utregistrering)."""
    # Nothing read or locked for a caller who is not a registrar of the initiative (a user's
    # registrar initiatives all belong to its current association); checked in full on the
    # locked row, whose initiative need not have been loaded by the caller.
    if not (access is not None and can_see_identity(access, enrolment.initiative_id)):
        raise PermissionDenied
    with transaction.atomic():
        enrolment = _locked_for_exit(access, enrolment)
        _check_exit(enrolment, data, _today())
        enrolment.end_date = data.end_date
        out = variables.of_phase(variables.OUT)
        for variable in out:
            if not variable.multiple:
                setattr(enrolment, variable.name, getattr(data, variable.name))
        _stamp_code_versions(
            enrolment,
            {key: getattr(data, key) for key in CODE_FIELDS if key in EXIT_FIELDS},
        )
        enrolment.full_clean(
            exclude=["initiative", "participant", *CODE_FIELDS, "home_municipality"],
            validate_unique=False,
            validate_constraints=False,
        )
        _save_with_history(
            enrolment,
            user=access.user,
            reason=_("Utregistrering"),
            m2m={v.name: list(getattr(data, v.name) or []) for v in out if v.multiple},
        )
        if enrolment.participant_id is not None:
            log_access(
                access=access,
                action=Action.EXIT,
                initiative=enrolment.initiative,
                pseudonyms=[enrolment.participant_pseudonym],
                fields=_("utregistrering"),
                channel=channel,
            )
    return enrolment


# --- Corrections ------------------------------------------------------------------------------


def _field_label(name: str) -> str:
    if name == "name":
        return str(Participant._meta.get_field("name").verbose_name)
    return str(Enrolment._meta.get_field(name).verbose_name)


def _same(enrolment: Enrolment, name: str, value) -> bool:
    if name == "name":
        return (value or "") == (enrolment.participant.name or "")
    if name in M2M_FIELDS:
        current = {c.pk for c in getattr(enrolment, name).all()}
        return current == {c.pk for c in value or ()}
    return getattr(enrolment, name) == value


def _check_correction(enrolment: Enrolment, changes: dict, reason: str, today) -> dict:
    """Validate; return the changes that really change something (reopening included)."""
    errors = _Errors()
    _check_correction_reason(errors, reason)
    _check_correctable(errors, changes)
    changes, reopen = _effective_changes(enrolment, changes)
    if not changes:
        errors.add("__all__", _("Inga ändringar att spara."))
        errors.raise_if_any()
    start, end = _check_corrected_dates(errors, enrolment, changes, reopen, today)
    _check_corrected_person(errors, enrolment, changes)
    _check_corrected_codes(errors, changes, reopen)
    if enrolment.participant_id is not None:
        _check_identified_correction(errors, enrolment, changes, start, end)
    errors.raise_if_any()
    return changes


def _check_correction_reason(errors: _Errors, reason: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        errors.add("reason", _("Ange varför uppgifterna rättas."))
    elif len(reason) > 100:
        errors.add("reason", _("Skälet får vara högst 100 tecken."))


def _check_correctable(errors: _Errors, changes: dict) -> None:
    """Only `CORRECTABLE_FIELDS` are corrected; any other stops the check here."""
    for key in changes:
        if key == "personal_number":
            errors.add(
                key,
                _(
                    "Ett felaktigt personnummer rättas genom att registrera ut deltagandet med "
                    "avslutsanledningen felregistrering och registrera in personen på nytt."
                ),
            )
        elif key not in CORRECTABLE_FIELDS:
            errors.add(key, _("Uppgiften kan inte rättas."))
    if set(changes) - CORRECTABLE_FIELDS:
        errors.raise_if_any()


def _effective_changes(enrolment: Enrolment, changes: dict) -> tuple[dict, bool]:
    """The changes that differ from the enrolment, and whether they reopen it: an empty end
    date on an exited enrolment clears the whole exit."""
    reopen = (
        "end_date" in changes and changes["end_date"] is None and enrolment.end_date is not None
    )
    if reopen:
        changes = {k: v for k, v in changes.items() if k not in EXIT_FIELDS}
        changes.update(
            end_date=None,
            exit_reason=None,
            income_sources_after=[],
            occupation_after=None,
            occupation_extent_after=None,
        )
    return {k: v for k, v in changes.items() if not _same(enrolment, k, v)}, reopen


def _check_corrected_dates(errors: _Errors, enrolment: Enrolment, changes: dict, reopen, today):
    """The exit of an active enrolment is not corrected; the dates keep their rules.
    Returns the (start, end) the enrolment would have."""
    if enrolment.is_active and not reopen:
        for key in EXIT_FIELDS:
            if key in changes:
                errors.add(
                    key,
                    _(
                        "Deltagandet pågår. Registrera ut det i stället för att rätta "
                        "utregistreringen."
                    ),
                )
    start = changes.get("start_date", enrolment.start_date)
    end = changes.get("end_date", enrolment.end_date)
    if "start_date" in changes:
        _check_start_date(errors, start, enrolment.initiative, today)
    if "end_date" in changes and not reopen and not enrolment.is_active:
        _check_end_date(errors, end, start, today)
    elif "start_date" in changes and end is not None and start and end < start:
        errors.add(
            "start_date",
            _("Startdatumet ligger efter slutdatumet (%(date)s).") % {"date": _fmt(end)},
        )
    return start, end


def _check_corrected_person(errors: _Errors, enrolment: Enrolment, changes: dict) -> None:
    """Gender, age and name: the age of an identified participant comes from the number, an
    anonymous one has no name. The name is stored stripped."""
    identified = enrolment.participant_id is not None
    if "gender" in changes:
        _check_gender(errors, changes["gender"], required=True)
    if "age_at_start" in changes:
        if identified:
            errors.add("age_at_start", _("Åldern räknas fram ur personnumret."))
        else:
            _check_age(errors, changes["age_at_start"])
    if "name" in changes:
        name = (changes["name"] or "").strip()
        if not identified:
            errors.add("name", _("Anonyma deltagare registreras utan namn."))
        elif len(name) > 200:
            errors.add("name", _("Namnet får vara högst 200 tecken."))
        _check_text(errors, "name", name)
        changes["name"] = name
    if "home_municipality" in changes:
        _check_municipality(errors, changes["home_municipality"])


def _check_corrected_codes(errors: _Errors, changes: dict, reopen: bool) -> None:
    """Codes and extents; an exit keeps its reason unless the enrolment is reopened."""
    for variable in variables.VARIABLES:
        key = variable.name
        if key not in changes:
            continue
        if key == "exit_reason" and changes[key] is None and not reopen:
            errors.add(key, _("Ange avslutsanledning."))
        else:
            _check_variable(errors, variable, changes[key])


def _check_identified_correction(errors: _Errors, enrolment: Enrolment, changes, start, end):
    """For an identified participant: a new start date gives a new age (from the number), and
    the corrected time may not overlap another counted enrolment in the initiative."""
    if "start_date" in changes and start:
        personal_number = parse_personal_number(enrolment.participant.personal_number)
        age = _age_from_number(errors, personal_number, start)
        if age is not None:
            changes["age_at_start"] = age
    timing = {"start_date", "end_date", "exit_reason"}.intersection(changes)
    counted = is_counted(changes.get("exit_reason", enrolment.exit_reason))
    if timing and counted and start and not errors.by_field:
        other = _overlapping(
            enrolment.participant_id, enrolment.initiative, start, end, exclude_pk=enrolment.pk
        )
        if other is not None:
            errors.add("__all__", _overlap_message(other))


def enrolment_correct_check(*, access, enrolment, changes: dict, reason: str) -> None:
    """Validate a correction exactly as `enrolment_correct` would, writing nothing."""
    _require_registrar(access, enrolment.initiative)
    _check_correction(enrolment, dict(changes), reason, _today())


def enrolment_correct(
    *, access, enrolment, changes: dict, reason: str, channel: str = "web"
) -> Enrolment:
    """Correct in- or out-registration fields, keeping the history (who, when, why, what).

    `changes` maps field names (those of `EnrolmentInput`/`ExitInput`, plus `name`) to new
    values. `{"end_date": None}` on an exited enrolment reopens it (undoes a wrong exit). The
    personal identity number is never corrected in place (see the message).
    """
    _require_registrar(access, enrolment.initiative)
    with transaction.atomic():
        enrolment = _locked(enrolment)
        changes = _check_correction(enrolment, dict(changes), reason, _today())
        name = changes.pop("name", None)
        m2m = {key: list(changes.pop(key)) for key in M2M_FIELDS if key in changes}
        for key, value in changes.items():
            setattr(enrolment, key, value)
        _stamp_code_versions(enrolment, {**changes, **m2m})
        enrolment.full_clean(
            exclude=["initiative", "participant", *CODE_FIELDS, "home_municipality"],
            validate_unique=False,
            validate_constraints=False,
        )
        _save_with_history(enrolment, user=access.user, reason=reason.strip(), m2m=m2m)
        if name is not None:
            enrolment.participant.name = name
            enrolment.participant.save(update_fields=["name", "updated_at"])
        if enrolment.participant_id is not None:
            changed = [*changes, *m2m] + (["name"] if name is not None else [])
            log_access(
                access=access,
                action=Action.UPDATE,
                initiative=enrolment.initiative,
                pseudonyms=[enrolment.participant.pseudonym],
                fields=", ".join(_field_label(k) for k in changed)[:200],
                channel=channel,
            )
    return enrolment


# --- Stripping identity -----------------------------------------------------------------------


def _anonymise(enrolments, *, anonymous_reason: str, user, change_reason: str) -> None:
    """Turn identified enrolments anonymous and delete participants no enrolment refers to.

    The identity link is also removed from the enrolments' earlier history rows, so the
    history cannot lead back to a person either.
    """
    participant_ids = {e.participant_id for e in enrolments}
    for enrolment in enrolments:
        enrolment.participant = None
        enrolment.anonymous_reason = anonymous_reason
        _save_with_history(enrolment, user=user, reason=change_reason)
    Enrolment.history.filter(id__in=[e.pk for e in enrolments]).update(participant=None)
    Participant.objects.filter(pk__in=participant_ids).exclude(
        Exists(Enrolment.objects.filter(participant=OuterRef("pk")))
    ).delete()


def _check_identified(enrolment) -> None:
    if enrolment.participant_id is None:
        raise ValidationError({"__all__": [_("Deltagandet är redan anonymt.")]})


def consent_withdraw(
    *, access, enrolment, withdrawn_on: datetime.date, channel: str = "web"
) -> Enrolment:
    """The participant withdrew consent: record it and strip the identity from the enrolment.

    The enrolment stays (anonymous, reason consent_withdrawn) so that statistics keep it; the
    participant record is deleted when no other enrolment still refers to it.
    """
    _require_registrar(access, enrolment.initiative)
    with transaction.atomic():
        enrolment = _locked(enrolment)
        _check_identified(enrolment)
        errors = _Errors()
        consent = Consent.objects.filter(enrolment=enrolment).first()
        if consent is None:
            errors.add("__all__", _("Det finns inget samtycke att återkalla."))
        elif withdrawn_on is None:
            errors.add("withdrawn_on", _("Ange datum då samtycket återkallades."))
        elif withdrawn_on > _today():
            errors.add("withdrawn_on", _("Datumet får inte ligga i framtiden."))
        elif withdrawn_on < consent.given_on:
            errors.add(
                "withdrawn_on",
                _("Datumet ligger före samtyckets datum (%(date)s).")
                % {"date": _fmt(consent.given_on)},
            )
        errors.raise_if_any()
        consent.withdrawn_on = withdrawn_on
        consent._history_user = access.user
        consent._change_reason = _("Samtycket återkallat")
        consent.save(update_fields=["withdrawn_on", "updated_at"])
        pseudonym = enrolment.participant.pseudonym
        _anonymise(
            [enrolment],
            anonymous_reason=AnonymousReason.CONSENT_WITHDRAWN,
            user=access.user,
            change_reason=_("Samtycket återkallat"),
        )
        log_access(
            access=access,
            action=Action.ANONYMISE,
            initiative=enrolment.initiative,
            pseudonyms=[pseudonym],
            fields=IDENTITY_FIELDS,
            channel=channel,
        )
    return enrolment


def participant_protect_identity(*, access, enrolment, channel: str = "web") -> Enrolment:
    """The person got protected identity: anonymise ALL their enrolments (§2.10), in every
    initiative of the association, and delete the participant record."""
    _require_registrar(access, enrolment.initiative)
    with transaction.atomic():
        enrolment = _locked(enrolment)
        _check_identified(enrolment)
        pseudonym = enrolment.participant.pseudonym
        enrolments = list(
            Enrolment.objects.select_for_update(of=("self",))
            .filter(participant_id=enrolment.participant_id)
            .select_related("initiative")
            .order_by("pk")
        )
        _anonymise(
            enrolments,
            anonymous_reason=AnonymousReason.PROTECTED_IDENTITY,
            user=access.user,
            change_reason=_("Skyddade personuppgifter"),
        )
        initiatives = {e.initiative_id: e.initiative for e in enrolments}
        for initiative in initiatives.values():
            log_access(
                access=access,
                action=Action.ANONYMISE,
                initiative=initiative,
                pseudonyms=[pseudonym],
                fields=IDENTITY_FIELDS,
                channel=channel,
            )
        enrolment.refresh_from_db()
    return enrolment


def expired_participants(*, today: datetime.date):
    """Participants whose identity is past `IDENTITY_RETENTION_MONTHS`: no active enrolment,
    and the last exit at least that long before `today`."""
    cutoff = months_before(today, settings.IDENTITY_RETENTION_MONTHS)
    return (
        Participant.objects.annotate(
            has_active=Exists(
                Enrolment.objects.filter(participant=OuterRef("pk"), end_date__isnull=True)
            ),
            last_exit=Max("enrolments__end_date"),
        )
        .filter(has_active=False, last_exit__lte=cutoff)
        .order_by("pk")
    )


def expired_identity_counts(*, today: datetime.date) -> list[tuple[str, str, int, int]]:
    """What `anonymise_expired_identities` would remove as of `today`: (association name,
    initiative name, participants, enrolments) per initiative."""
    expired = expired_participants(today=today).values("pk")
    return list(
        Enrolment.objects.filter(participant__in=expired)
        .values_list("initiative__association__name", "initiative__name")
        .annotate(participants=Count("participant", distinct=True), enrolments=Count("id"))
        .order_by("initiative__association__name", "initiative__name")
    )


def anonymise_expired_identities(
    *, today: datetime.date | None = None, batch_size: int = 500
) -> int:
    """Pseudonymise identities `IDENTITY_RETENTION_MONTHS` after the person's last exit.

    A participant without any active enrolment whose last exit is that old loses the identity:
    all their enrolments become anonymous (retention_ended) and the participant row is deleted.
    One access-log event per initiative names the participants removed (actor: the system).
    `today` may be an earlier day than today, never a later one (`ValueError`). Returns the
    number of participants removed.
    """
    today = retention_day(today, _today())
    expired_qs = expired_participants(today=today)
    expired = list(expired_qs.values_list("pk", flat=True))
    removed = 0
    now = timezone.now()
    for start in range(0, len(expired), batch_size):
        chunk = expired[start : start + batch_size]
        with transaction.atomic():
            # Re-check inside the transaction: someone may have re-entered meanwhile.
            chunk = list(expired_qs.filter(pk__in=chunk).values_list("pk", flat=True))
            enrolments = Enrolment.objects.filter(participant_id__in=chunk)
            # One event per initiative naming the participants removed from it (actor: the
            # system).
            removed_from = defaultdict(list)
            for pseudonym, initiative_id, association_id in (
                enrolments.values_list(
                    "participant__pseudonym", "initiative_id", "initiative__association_id"
                )
                .order_by("initiative_id", "participant_id")
                .distinct()
            ):
                removed_from[(initiative_id, association_id)].append(pseudonym)
            events = [
                (
                    AccessEvent(
                        actor=None,
                        actor_role="",
                        association_id=association_id,
                        initiative_id=initiative_id,
                        action=Action.ANONYMISE,
                        fields=IDENTITY_FIELDS,
                        channel="system",
                    ),
                    pseudonyms,
                )
                for (initiative_id, association_id), pseudonyms in removed_from.items()
            ]
            ids = list(enrolments.values_list("pk", flat=True))
            Enrolment.objects.filter(pk__in=ids).update(
                participant=None,
                anonymous_reason=AnonymousReason.RETENTION_ENDED,
                updated_at=now,
            )
            Enrolment.history.filter(id__in=ids).update(participant=None)
            Participant.objects.filter(pk__in=chunk).delete()
            record_events(events)
            removed += len(chunk)
    return removed
