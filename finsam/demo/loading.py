"""`manage.py load_demo`: the two Skaraborg associations of the seeds, with generated participants.

Idempotent: associations, members, initiatives, budgets and users are matched on their natural
keys and only changed when they differ from `data/skaraborg.json`; participants are generated only
for an initiative that has no enrolments yet, head counts only for a volume initiative without
any. Everything runs in one transaction.

Two steps per association. First the seed state on its snapshot date (`as_of`), reproducing the
seed figures. Then the demo runs on to today, like a live system (`_run_on`): an initiative's
status follows from its dates, everyone still enrolled in an ended initiative is exited on or
before its end date (never before the snapshot), volume initiatives get head counts to the end of
their period, and the one initiative with a `continuation` (Stärka individen in Samordningsförbundet
Skaraborg, a documented demo assumption) gets new participants up to today. Each of these is done
once: a rerun, or a rerun on a database loaded by an older version, finds nothing left to do.

The generated rows are written in bulk (one INSERT per table and initiative) rather than through
`finsam.participants.services`: the services check a registrar's access and today's date for
every call, whereas the demo writes history as of the seed documents' dates. The plan in
`finsam.demo.generation` keeps the same rules (valid personal identity numbers, consent for every
identified enrolment and none for anonymous ones, age and gender derived from the number, exit
reason with every exit).
"""

from __future__ import annotations

import datetime
import json
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from finsam.accounts.models import InitiativeAssignment, RoleAssignment, User
from finsam.associations.models import Association, Member
from finsam.core import data_version
from finsam.core.keys import lookup_hash
from finsam.core.roles import Role
from finsam.demo.application_path import load_application_path
from finsam.demo.applications import load_applications
from finsam.demo.catalogue import load_catalogue
from finsam.demo.finance import load_finance_years
from finsam.demo.generation import (
    CONSENT_FORM_VERSION,
    AssociationPlan,
    PlannedEnrolment,
    exit_after_snapshot,
    live_head_counts,
    parse_date,
    plan_association,
    plan_continuation,
    status_on,
)
from finsam.demo.invoicing import load_invoicing
from finsam.demo.questionnaires import load_questionnaires
from finsam.demo.reports import load_reporting_periods
from finsam.demo.socioeconomics import load_estimates
from finsam.finance.models import InitiativeBudget
from finsam.initiatives.models import (
    INITIATIVE_TEXT_FIELDS,
    HeadCount,
    Initiative,
)
from finsam.participants.identity import new_pseudonym
from finsam.participants.models import Consent, Enrolment, Participant
from finsam.reference.loading import sync_reference_data
from finsam.reference.models import Code, Municipality, Region
from finsam.staff.access import build_access

DATA_FILE = Path(__file__).resolve().parent / "data" / "skaraborg.json"
# Published demo credentials (README); load_demo refuses to run in production without --force.
PASSWORD = "finsam-demo-2026"  # noqa: S105
# Fixed TOTP secrets (base32) so that the demo registrar and operator can add them to an
# authenticator app: the registrar sees personal data, the operator uses the admin.
REGISTRAR_TOTP_SECRET = "FINSAMDEMOREGISTRATORSKARABORG22"  # noqa: S105
OPERATOR_TOTP_SECRET = "FINSAMDEMOOPERATORSYSTEMFORVALT2"  # noqa: S105
CHANGE_REASON = "Demodata (seed 002/003)"
CHANGE_REASON_LIVE = "Demodata (efter rapportdatum)"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    association: str  # slug; "" for the operator
    initiatives: tuple[str, ...] = ()
    first_name: str = ""
    last_name: str = ""
    totp_secret: str = ""  # logs in with two factors


# One login per role (and a secretariat for Östra Skaraborg).
LOGINS = (
    DemoLogin(
        "operator@demo.finsam.se",
        Role.OPERATOR,
        "",
        (),
        "Olle",
        "Operatör",
        OPERATOR_TOTP_SECRET,
    ),
    DemoLogin(
        "kansli@skaraborg.demo.finsam.se", Role.SECRETARIAT, "skaraborg", (), "Karin", "Kansli"
    ),
    DemoLogin(
        "insatsansvarig@skaraborg.demo.finsam.se",
        Role.INITIATIVE_MANAGER,
        "skaraborg",
        ("Cresco Create", "Level Upgrade", "Kick Off", "Stoppa våldet"),
        "Ingrid",
        "Insatsansvarig",
    ),
    DemoLogin(
        "registrator@skaraborg.demo.finsam.se",
        Role.REGISTRAR,
        "skaraborg",
        ("Cresco Create", "Prerehab Gullspång", "Startgrid", "Stärka individen"),
        "Rasmus",
        "Registrator",
        REGISTRAR_TOTP_SECRET,
    ),
    DemoLogin(
        "styrelse@skaraborg.demo.finsam.se", Role.BOARD, "skaraborg", (), "Stina", "Styrelse"
    ),
    DemoLogin(
        "sokande@skaraborg.demo.finsam.se",
        Role.APPLICANT,
        "skaraborg",
        ("Rörsås Lantliv",),
        "Sara",
        "Sökande",
    ),
    DemoLogin(
        "analytiker@skaraborg.demo.finsam.se", Role.ANALYST, "skaraborg", (), "Anna", "Analytiker"
    ),
    DemoLogin(
        "kansli@ostraskaraborg.demo.finsam.se",
        Role.SECRETARIAT,
        "ostra-skaraborg",
        (),
        "Östen",
        "Kansli",
    ),
    # Invoicing (finsam.demo.invoicing): the association's finance and the owner's report writer.
    DemoLogin(
        "ekonomi@ostraskaraborg.demo.finsam.se",
        Role.FINANCE,
        "ostra-skaraborg",
        (),
        "Eva",
        "Ekonomi",
    ),
    DemoLogin(
        "agare@ostraskaraborg.demo.finsam.se",
        Role.APPLICANT,
        "ostra-skaraborg",
        ("Stärka individen",),
        "Åsa",
        "Ägare",
    ),
)


@dataclass
class DemoResult:
    created: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    logins: tuple[DemoLogin, ...] = LOGINS

    def add(self, name: str, n: int = 1) -> None:
        self.created[name] = self.created.get(name, 0) + n


def read_data(path: Path = DATA_FILE) -> dict:
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def _sync(obj, values: dict) -> bool:
    """Set the fields that differ and save only then (no history rows for a no-op rerun)."""
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    for k in changed:
        setattr(obj, k, values[k])
    if changed:
        obj.save(update_fields=[*changed, "updated_at"] if hasattr(obj, "updated_at") else changed)
    return bool(changed)


def _get_or_create(model, result: DemoResult, lookup: dict, values: dict):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        result.add(model._meta.model_name)
    else:
        _sync(obj, values)
    return obj


@transaction.atomic
def load_demo(
    *,
    data: dict | None = None,
    today: datetime.date | None = None,
    reports_and_finance: bool = True,
) -> DemoResult:
    """Load the demo, running on from the seeds' snapshot dates to `today` (default: today).

    `reports_and_finance=False` leaves out the reporting periods and finance years (tests of the
    registrations that do not need them run faster)."""
    started = time.monotonic()
    today = today or timezone.localdate()
    result = DemoResult()
    sync_reference_data()
    data = data or read_data()
    codes = {(c.code_list, c.code): c for c in Code.objects.all()}
    municipalities = {m.code: m for m in Municipality.objects.all()}
    associations: dict[str, Association] = {}
    initiatives: dict[tuple[str, str], Initiative] = {}
    for spec in data["associations"]:
        association = _association(spec, municipalities, result)
        associations[spec["slug"]] = association
        by_name = {m["name"]: municipalities[m["code"]] for m in spec["municipalities"]}
        for ini_spec in spec["initiatives"]:
            initiative = _initiative(association, ini_spec, codes, by_name, today, result)
            initiatives[(spec["slug"], ini_spec["name"])] = initiative
    users = _users(associations, initiatives, result)
    registrar = users["registrator@skaraborg.demo.finsam.se"]
    for spec in data["associations"]:
        association = associations[spec["slug"]]
        plan = plan_association(spec)
        by_name = {m["name"]: municipalities[m["code"]] for m in spec["municipalities"]}
        _participants(
            association,
            plan,
            {name: initiatives[(spec["slug"], name)] for name in plan.enrolments},
            codes,
            by_name,
            registrar,
            result,
        )
        _head_counts(
            plan, {name: initiatives[(spec["slug"], name)] for name in plan.head_counts}, result
        )
        _run_on(
            spec,
            association,
            {i["name"]: initiatives[(spec["slug"], i["name"])] for i in spec["initiatives"]},
            codes,
            by_name,
            registrar,
            today,
            result,
        )
    # Reports and finance last: submitting a report freezes statistics of the registrations.
    secretariats = {
        login.association: users[login.email] for login in LOGINS if login.role == Role.SECRETARIAT
    }
    writer = users["insatsansvarig@skaraborg.demo.finsam.se"]
    for spec in data["associations"] if reports_and_finance else []:
        association = associations[spec["slug"]]
        secretariat = secretariats[spec["slug"]]
        load_finance_years(
            spec, association, access=build_access(secretariat, association.pk), result=result
        )
        load_estimates(
            association,
            {i["name"]: initiatives[(spec["slug"], i["name"])] for i in spec["initiatives"]},
            access=build_access(secretariat, association.pk),
            result=result,
        )
        load_reporting_periods(
            spec, association, secretariat=secretariat, writer=writer, result=result
        )
    load_applications(result, today)
    load_application_path(result)
    # The public catalogue: the projects of seeds 000 and 001, and the running initiatives above.
    for name, n in load_catalogue().items():
        result.add(f"catalogue {name}", n)
    if reports_and_finance:
        load_invoicing(today=today, result=result)
    load_questionnaires(result)
    # Enrolments and head counts were bulk-inserted (no signals): the statistics must count again.
    data_version.changed([a.pk for a in associations.values()])
    result.seconds = time.monotonic() - started
    return result


# --- Associations, members, initiatives ---------------------------------------------------------


def _association(spec, municipalities, result) -> Association:
    association = _get_or_create(
        Association,
        result,
        {"slug": spec["slug"]},
        {
            "name": spec["name"],
            "org_number": spec["org_number"],
            "start_date": parse_date(spec["start_date"]),
            "description": spec["description"],
        },
    )
    wanted = {municipalities[m["code"]].pk for m in spec["municipalities"]}
    have = set(association.municipalities.values_list("pk", flat=True))
    if wanted != have:
        association.municipalities.set(wanted)
    regions = {r.code: r for r in Region.objects.all()}
    for m in spec["members"]:
        municipality = municipalities.get(m.get("municipality_code"))
        # A municipality is found by its code, so that a corrected name replaces the old one.
        key, other = ("municipality", "name") if municipality else ("name", "municipality")
        given = {"municipality": municipality, "name": m["name"]}
        _get_or_create(
            Member,
            result,
            {"association": association, key: given[key]},
            {
                other: given[other],
                "kind": m["kind"],
                "region": regions.get(m.get("region_code")),
                "contribution_share": Decimal(str(m["contribution_share"])).quantize(
                    Decimal("0.001")
                ),
                "is_financier": True,
            },
        )
    return association


def _initiative(association, spec, codes, municipalities, today, result) -> Initiative:
    sections = spec.get("sections", {})
    start = parse_date(spec["start_date"])
    end = parse_date(spec["end_date"]) if spec.get("end_date") else None
    values = {
        "owner_organisation": spec["owner_organisation"],
        "orientation": spec["orientation"],
        "follow_up": spec["follow_up"],
        "specific_orientation": codes.get(("specific_orientation", spec["specific_orientation"])),
        "start_date": start,
        "end_date": end,
        "status": status_on(start, end, today),
        "planned_participants": spec.get("planned_participants"),
        **{name: sections.get(name, "") for name in INITIATIVE_TEXT_FIELDS},
    }
    initiative = _get_or_create(
        Initiative, result, {"association": association, "name": spec["name"]}, values
    )
    targets = {codes[("target_group", c)].pk for c in spec.get("target_groups", [])}
    if targets != set(initiative.target_groups.values_list("pk", flat=True)):
        initiative.target_groups.set(targets)
    munis = {municipalities[m].pk for m in spec.get("municipalities", [])}
    if munis != set(initiative.municipalities.values_list("pk", flat=True)):
        initiative.municipalities.set(munis)
    for budget in spec.get("budgets", []):
        _get_or_create(
            InitiativeBudget,
            result,
            {"initiative": initiative, "year": budget["year"]},
            {
                "amount": Decimal(budget["amount"]),
                "rate_per_participant_week": Decimal(budget["rate_per_participant_week"])
                if budget.get("rate_per_participant_week")
                else None,
                "planned_participants": budget.get("planned_participants"),
                "note": budget.get("note", ""),
            },
        )
    return initiative


# --- Users ------------------------------------------------------------------------------------


def _users(associations, initiatives, result) -> dict[str, User]:
    """One user per demo login. A password is set when the user is created (one hash shared by
    all demo users: hashing is deliberately slow); a rerun leaves existing passwords alone."""
    users = {}
    password_hash = None
    for login in LOGINS:
        user = User.objects.filter(email=login.email).first()
        if user is None:
            password_hash = password_hash or make_password(PASSWORD)
            user = User(
                email=login.email,
                password=password_hash,
                first_name=login.first_name,
                last_name=login.last_name,
                organisation="Demo",
            )
            user.save()
            result.add("user")
        association = associations.get(login.association)
        _, created = RoleAssignment.objects.get_or_create(
            user=user, association=association, role=login.role
        )
        result.add("roleassignment", int(created))
        for name in login.initiatives:
            _, created = InitiativeAssignment.objects.get_or_create(
                user=user, initiative=initiatives[(login.association, name)], role=login.role
            )
            result.add("initiativeassignment", int(created))
        if login.totp_secret:
            _totp(user, login.totp_secret, result)
        users[login.email] = user
    return users


def _totp(user, secret: str, result) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt, encrypt

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        Authenticator.objects.create(
            user=user,
            type=Authenticator.Type.TOTP,
            data={"secret": encrypt(secret)},
        )
        result.add("authenticator")
    elif decrypt(authenticator.data["secret"]) != secret:
        authenticator.data = {"secret": encrypt(secret)}
        authenticator.save(update_fields=["data"])


def current_totp_code(secret: str = REGISTRAR_TOTP_SECRET) -> str:
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def totp_uri(email: str, secret: str = REGISTRAR_TOTP_SECRET) -> str:
    from urllib.parse import quote

    return f"otpauth://totp/finsam:{quote(email)}?secret={secret}&issuer=finsam"


# --- Participants and head counts -------------------------------------------------------------


def _participants(
    association, plan: AssociationPlan, initiatives, codes, municipalities, registrar, result
):
    todo = {
        name: initiative
        for name, initiative in initiatives.items()
        if plan.enrolments[name] and not initiative.enrolments.exists()
    }
    if todo:
        _insert_enrolments(association, plan, todo, codes, municipalities, registrar, result)


def _insert_enrolments(association, plan, todo, codes, municipalities, registrar, result):
    """Write the planned people and enrolments of the initiatives in `todo` (name → initiative)."""
    registrar_initiatives = set(
        InitiativeAssignment.objects.filter(user=registrar, role=Role.REGISTRAR).values_list(
            "initiative_id", flat=True
        )
    )
    needed = {e.person_key for name in todo for e in plan.enrolments[name] if e.person_key}
    persons = {key: plan.persons[key] for key in needed}
    hashes = {key: lookup_hash(p.personal_number.replace("-", "")) for key, p in persons.items()}
    existing = dict(
        Participant.objects.filter(
            association=association, personal_number_hash__in=hashes.values()
        ).values_list("personal_number_hash", "pk")
    )
    new = [
        Participant(
            association=association,
            pseudonym=new_pseudonym(),
            personal_number=p.personal_number.replace("-", ""),
            personal_number_hash=hashes[key],
            name=p.name,
            birth_year=p.birth_date.year,
            gender=p.gender,
        )
        for key, p in persons.items()
        if hashes[key] not in existing
    ]
    for participant in Participant.objects.bulk_create(new):
        existing[participant.personal_number_hash] = participant.pk
    result.add("participant", len(new))
    participant_ids = {key: existing[h] for key, h in hashes.items()}

    def code(code_list, value):
        return codes[(code_list, value)] if value else None

    rows, planned = [], []
    for name, initiative in todo.items():
        for e in plan.enrolments[name]:
            rows.append(
                Enrolment(
                    initiative=initiative,
                    participant_id=participant_ids.get(e.person_key) if e.person_key else None,
                    anonymous_reason=e.anonymous_reason,
                    gender=e.gender,
                    age_at_start=e.age_at_start,
                    home_municipality=municipalities[e.home_municipality],
                    start_date=e.start_date,
                    occupation_before=code("occupation", e.occupation_before),
                    occupation_extent_before=e.extent_before,
                    education=code("education", e.education),
                    time_outside_work=code("time_outside_work", e.time_outside_work),
                    referrer=code("referrer", e.referrer),
                    end_date=e.end_date,
                    exit_reason=code("exit_reason", e.exit_reason),
                    occupation_after=code("occupation", e.occupation_after),
                    occupation_extent_after=e.extent_after,
                )
            )
            planned.append(e)
    rows = bulk_create_with_history(
        rows, Enrolment, batch_size=500, default_change_reason=CHANGE_REASON
    )
    result.add("enrolment", len(rows))
    before = Enrolment.income_sources_before.through
    after = Enrolment.income_sources_after.through
    before.objects.bulk_create(
        before(enrolment_id=row.pk, code_id=codes[("income_source", s)].pk)
        for row, e in zip(rows, planned, strict=True)
        for s in e.income_before
    )
    after.objects.bulk_create(
        after(enrolment_id=row.pk, code_id=codes[("income_source", s)].pk)
        for row, e in zip(rows, planned, strict=True)
        for s in e.income_after
        if e.end_date
    )
    consents = [
        Consent(
            enrolment_id=row.pk,
            given_on=e.consent_on,
            method=e.consent_method,
            form_version=CONSENT_FORM_VERSION,
            language="svenska",
            collected_by=registrar if row.initiative_id in registrar_initiatives else None,
        )
        for row, e in zip(rows, planned, strict=True)
        if e.person_key
    ]
    bulk_create_with_history(consents, Consent, batch_size=500, default_change_reason=CHANGE_REASON)
    result.add("consent", len(consents))


def _head_counts(plan: AssociationPlan, initiatives, result) -> None:
    rows = [
        HeadCount(initiative=initiative, month=hc.month, women=hc.women, men=hc.men)
        for name, initiative in initiatives.items()
        if not initiative.head_counts.exists()
        for hc in plan.head_counts[name]
    ]
    HeadCount.objects.bulk_create(rows)
    result.add("headcount", len(rows))


# --- After the snapshot: the demo runs on to today ------------------------------------------


def _run_on(spec, association, initiatives, codes, municipalities, registrar, today, result):
    """Bring the association from its snapshot date (`as_of`) to `today`. Idempotent: open
    enrolments of ended initiatives are exited once, a continuing initiative gets its later
    participants once (when it has none started after the snapshot), a volume initiative its
    later head counts once. A handful of queries per association whatever its size."""
    as_of = parse_date(spec["as_of"])
    volume = [i for i in spec["initiatives"] if initiatives[i["name"]].is_volume]
    counted = set(
        HeadCount.objects.filter(
            initiative__in=[initiatives[i["name"]] for i in volume], month__gt=as_of
        ).values_list("initiative_id", flat=True)
    )
    rows = [
        HeadCount(initiative=initiatives[ini["name"]], month=hc.month, women=hc.women, men=hc.men)
        for ini in volume
        if ini.get("head_counts") and initiatives[ini["name"]].pk not in counted
        for hc in live_head_counts(spec, ini, after=as_of, today=today)
    ]
    HeadCount.objects.bulk_create(rows)
    result.add("headcount", len(rows))

    individual = [i for i in spec["initiatives"] if not initiatives[i["name"]].is_volume]
    _exit_after_snapshot(spec, individual, initiatives, codes, as_of, today, result)
    for ini in individual:
        initiative = initiatives[ini["name"]]
        if (
            ini.get("continuation")
            and not initiative.enrolments.filter(start_date__gt=as_of).exists()
        ):
            numbers = Participant.objects.filter(association=association).values_list(
                "personal_number", flat=True
            )
            plan = plan_continuation(
                spec, ini["name"], today=today, taken={f"{n[:8]}-{n[8:]}" for n in numbers}
            )
            _insert_enrolments(
                association,
                plan,
                {ini["name"]: initiative},
                codes,
                municipalities,
                registrar,
                result,
            )


def _exit_after_snapshot(spec, specs, initiatives, codes, as_of, today, result) -> None:
    """Exit everyone still enrolled in an ended initiative (on or before its end date, never
    before the snapshot date), and in a continuing one everyone enrolled before the snapshot."""
    closing = {
        initiatives[ini["name"]].pk: ini
        for ini in specs
        if initiatives[ini["name"]].end_date is None or initiatives[ini["name"]].end_date < today
    }
    open_rows = (
        Enrolment.objects.filter(initiative_id__in=closing, end_date=None)
        .order_by("start_date", "id")
        .prefetch_related("income_sources_before")
    )
    by_initiative: dict[int, list[Enrolment]] = {}
    for row in open_rows:
        by_initiative.setdefault(row.initiative_id, []).append(row)
    updated, after = [], []
    for initiative_id, ini in closing.items():
        end = initiatives[ini["name"]].end_date
        rows = by_initiative.get(initiative_id, [])
        if end is None:  # continuing: only those of the snapshot leave
            rows = [row for row in rows if row.start_date <= as_of]
        if not rows:
            continue
        rng = random.Random(f"finsam-demo:{spec['slug']}:exit:{ini['name']}")
        stay_weeks = tuple((ini.get("participants") or {}).get("stay_weeks", (8, 52)))
        latest = end if end is not None else today - datetime.timedelta(days=1)
        for row in rows:
            slot = PlannedEnrolment(
                gender=row.gender,
                birth_date=datetime.date.min,
                start_date=row.start_date,
                home_municipality="",
                income_before=[c.code for c in row.income_sources_before.all()],
            )
            earliest = max(row.start_date, min(as_of + datetime.timedelta(days=1), latest))
            exit_after_snapshot(
                rng, slot, earliest=earliest, latest=max(latest, earliest), stay_weeks=stay_weeks
            )
            row.end_date = slot.end_date
            row.exit_reason = codes[("exit_reason", slot.exit_reason)]
            row.occupation_after = codes.get(("occupation", slot.occupation_after))
            row.occupation_extent_after = slot.extent_after
            after += [(row.pk, codes[("income_source", s)].pk) for s in slot.income_after]
            updated.append(row)
    if not updated:
        return
    fields = ["end_date", "exit_reason", "occupation_after", "occupation_extent_after"]
    bulk_update_with_history(
        updated, Enrolment, fields, batch_size=500, default_change_reason=CHANGE_REASON_LIVE
    )
    through = Enrolment.income_sources_after.through
    through.objects.bulk_create(through(enrolment_id=e, code_id=c) for e, c in after)
    result.add("exit", len(updated))
