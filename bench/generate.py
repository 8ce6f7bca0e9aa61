"""Generate national-scale data: 75 associations, 3 000 initiatives, 1 000 000 enrolments.

    python bench/generate.py [--scale 0.01] [--reset]

Writes into the benchmark database (see `bench/common.py`): on PostgreSQL with COPY
(psycopg `cursor.copy`), on SQLite with executemany. Participants, consents and the income-source
rows (many-to-many) are generated with the enrolments. Shortcuts, all for speed:

- Identities come from a pool (about 12 000 at full scale) whose personal identity numbers and
  names are encrypted once; each association reuses the pool, so the same ciphertext appears in
  several associations (never twice in one: a person is unique per association). Encryption with
  Fernet is the costly part of writing a participant; the benchmarks of the service layer and the
  API below encrypt every row for real.
- Rows get their ids client-side and the sequences are moved on afterwards (PostgreSQL).
- No history (django-simple-history) and no audit rows are written for generated data.

One initiative of the first association, "Bench 2000", gets exactly 2 000 enrolments and a
registrar (registrator@bench.finsam.se) for the registrar list-page benchmark.
"""

from __future__ import annotations

import argparse
import datetime
import math
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

NATIONAL = {"associations": 75, "initiatives": 3000, "enrolments": 1_000_000}
TARGET_NAME = "Bench 2000"
TARGET_ENROLMENTS = 2000
REGISTRAR_EMAIL = "registrator@bench.finsam.se"
ANONYMOUS_SHARE = 0.10
REUSE_SHARE = 0.15  # enrolments of a person already known to the association
EXIT_SHARE = 0.6
PSEUDONYM_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def sizes_for(scale: float) -> dict[str, int]:
    associations = max(2, round(NATIONAL["associations"] * scale))
    initiatives = max(associations * 2, round(NATIONAL["initiatives"] * scale))
    enrolments = max(TARGET_ENROLMENTS + 500, round(NATIONAL["enrolments"] * scale))
    return {"associations": associations, "initiatives": initiatives, "enrolments": enrolments}


def split(total: int, weights: list[float]) -> list[int]:
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[
        : total - sum(parts)
    ]:
        parts[i] += 1
    return parts


def pseudonym(n: int) -> str:
    """Distinct pseudonyms for distinct n < 30**7 (a multiplicative permutation mod 30**7)."""
    x = (n * 1_000_003) % (30**7)
    chars = []
    for _ in range(7):
        x, r = divmod(x, 30)
        chars.append(PSEUDONYM_ALPHABET[r])
    return "B-" + "".join(chars)


class Sink:
    """Writes rows with explicit ids: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, connection):
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.rows = 0

    def write(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        self.rows += len(rows)
        if self.postgres:
            raw = self.connection.connection
            statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = (
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join(['%s'] * len(columns))})"
            )
            with self.connection.cursor() as cursor:
                cursor.executemany(sql, [tuple(self._sqlite(v) for v in row) for row in rows])

    @staticmethod
    def _sqlite(value):
        if isinstance(value, uuid.UUID):
            return value.hex
        if isinstance(value, datetime.datetime):
            return value.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(value, datetime.date):
            return value.isoformat()
        return value

    def next_id(self, table: str) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            return cursor.fetchone()[0] + 1

    def finish(self, tables: list[str]) -> None:
        if not self.postgres:
            return
        with self.connection.cursor() as cursor:
            for table in tables:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )
            cursor.execute("ANALYZE")


def columns_of(model, expected: list[str]) -> list[str]:
    """The columns we write, checked against the model (fails loudly if the schema moved)."""
    actual = [f.column for f in model._meta.concrete_fields]
    if sorted(actual) != sorted(expected):
        raise SystemExit(f"{model.__name__}: columns changed: model {actual}, bench {expected}")
    return expected


def identity_pool(size: int, rng: random.Random):
    """(gender, birth_date, birth_year, hash, encrypted number, encrypted name) × size."""
    from finsam.demo.identities import NameMaker, personal_number
    from finsam.participants.identity import lookup_hash
    from finsam.participants.models import Participant

    names = NameMaker(seed=2026)
    number_field = Participant._meta.get_field("personal_number")
    name_field = Participant._meta.get_field("name")
    seen, pool = set(), []
    while len(pool) < size:
        gender = rng.choice(("woman", "man"))
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(46 * 365))
        number = personal_number(birth, gender, rng).replace("-", "")
        if number in seen:
            continue
        seen.add(number)
        pool.append(
            (
                gender,
                birth,
                birth.year,
                lookup_hash(number),
                number_field.get_prep_value(number),
                name_field.get_prep_value(names.name(gender)),
            )
        )
    return pool


def _skip_constraint_triggers(connection) -> None:
    """Skip the foreign-key triggers for this transaction (the rows are consistent by
    construction). Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, so otherwise COMMIT
    checks ~4 million rows one by one (about four minutes at full scale). Needs a superuser;
    without one the checks simply run."""
    from django.db import DatabaseError, transaction

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        print("  foreign-key triggers skipped for the load (session_replication_role = replica)")
    except DatabaseError:
        print("  not a superuser: foreign keys are checked at COMMIT (slower)")


def reset_data() -> None:
    from django.core.management import call_command

    from finsam.reference.loading import sync_reference_data

    call_command("flush", interactive=False, verbosity=0)
    sync_reference_data()


def generate(scale: float, *, reset: bool = False, seed: int = 1) -> dict:
    from django.db import connection, transaction
    from django.utils import timezone

    from finsam.participants.models import Enrolment

    sizes = sizes_for(scale)
    existing = Enrolment.objects.count()
    if existing and not reset:
        print(f"The benchmark database already holds {existing} enrolments; --reset to redo.")
        return {"sizes": sizes, "enrolments": existing, "seconds": 0.0, "skipped": True}
    if existing:
        reset_data()
    started = time.monotonic()
    with transaction.atomic():
        stats = _generate(sizes, seed, connection, timezone.now())
    stats["seconds"] = round(time.monotonic() - started, 1)
    print(
        f"Generated {stats['enrolments']} enrolments, {stats['participants']} participants, "
        f"{stats['consents']} consents, {stats['code_rows']} income-source rows in "
        f"{sizes['associations']} associations / {sizes['initiatives']} initiatives "
        f"in {stats['seconds']} s ({stats['rows']} rows)."
    )
    return {"sizes": sizes, **stats}


def _generate(sizes, seed, connection, now) -> dict:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import generate_totp_secret
    from allauth.mfa.utils import encrypt

    from finsam.accounts.models import InitiativeAssignment, RoleAssignment, User
    from finsam.associations.models import Association, Member, MemberKind
    from finsam.associations.validators import luhn_check_digit
    from finsam.core.roles import Role
    from finsam.initiatives.models import Initiative
    from finsam.participants.models import Consent, Enrolment, Participant
    from finsam.reference.models import Code, Municipality

    rng = random.Random(seed)
    today = datetime.date.today()
    sink = Sink(connection)
    if sink.postgres:
        _skip_constraint_triggers(connection)
    t0 = time.monotonic()

    # --- Associations, members, initiatives (ORM, small) ---------------------------------------
    municipalities = list(Municipality.objects.select_related("region").order_by("code"))
    rng.shuffle(municipalities)
    n_assoc = sizes["associations"]
    groups = [municipalities[i::n_assoc] for i in range(n_assoc)]
    associations = []
    for i in range(n_assoc):
        base = f"2299{i + 10:05d}"
        digits = base + str(luhn_check_digit(base))
        associations.append(
            Association(
                name=f"Benchförbund {i + 1:02d} ({groups[i][0].name})",
                slug=f"bench-{i + 1:02d}",
                org_number=f"{digits[:6]}-{digits[6:]}",
                start_date=datetime.date(2010, 1, 1),
            )
        )
    associations = Association.objects.bulk_create(associations)
    through = Association.municipalities.through
    through.objects.bulk_create(
        through(association_id=a.pk, municipality_id=m.pk)
        for a, group in zip(associations, groups, strict=True)
        for m in group
    )
    members = []
    for a, group in zip(associations, groups, strict=True):
        members += [
            Member(
                association=a,
                kind=MemberKind.FORSAKRINGSKASSAN,
                name="Försäkringskassan",
                contribution_share=25,
            ),
            Member(
                association=a,
                kind=MemberKind.ARBETSFORMEDLINGEN,
                name="Arbetsförmedlingen",
                contribution_share=25,
            ),
            Member(
                association=a,
                kind=MemberKind.REGION,
                name=group[0].region.name,
                region=group[0].region,
                contribution_share=25,
            ),
        ]
        shares = split(25_000, [1.0] * len(group))
        members += [
            Member(
                association=a,
                kind=MemberKind.MUNICIPALITY,
                name=f"{m.name} kommun",
                municipality=m,
                contribution_share=share / 1000,
            )
            for m, share in zip(group, shares, strict=True)
        ]
    Member.objects.bulk_create(members)

    per_assoc = split(sizes["initiatives"], [1.0] * n_assoc)
    initiatives = []
    for a, n, group in zip(associations, per_assoc, groups, strict=True):
        for j in range(n):
            start = datetime.date(2018, 1, 1) + datetime.timedelta(days=rng.randrange(5 * 365))
            name = (
                TARGET_NAME if (a is associations[0] and j == 0) else f"Insats {a.slug}-{j + 1:03d}"
            )
            initiatives.append(
                Initiative(
                    association=a,
                    name=name,
                    owner_organisation=f"{rng.choice(group).name} kommun",
                    start_date=datetime.date(2018, 1, 1) if name == TARGET_NAME else start,
                )
            )
    initiatives = Initiative.objects.bulk_create(initiatives, batch_size=1000)
    # One to three target groups each (the statistics' target-group table and filter).
    target_groups = list(
        Code.objects.filter(code_list="target_group", active=True).values_list("pk", flat=True)
    )
    groups_through = Initiative.target_groups.through
    groups_through.objects.bulk_create(
        (
            groups_through(initiative_id=ini.pk, code_id=code)
            for ini in initiatives
            for code in rng.sample(target_groups, rng.randint(1, 3))
        ),
        batch_size=5000,
    )
    by_assoc: dict[int, list] = {}
    for ini in initiatives:
        by_assoc.setdefault(ini.association_id, []).append(ini)

    # Enrolments per association, then per initiative (skewed sizes; the target gets 2 000).
    per_assoc_enrolments = split(sizes["enrolments"], [1.0] * n_assoc)
    plan = {}
    for a, total in zip(associations, per_assoc_enrolments, strict=True):
        inis = by_assoc[a.pk]
        if a is associations[0]:
            rest = split(total - TARGET_ENROLMENTS, [rng.lognormvariate(0, 1) for _ in inis[1:]])
            plan[a.pk] = [TARGET_ENROLMENTS, *rest]
        else:
            plan[a.pk] = split(total, [rng.lognormvariate(0, 1) for _ in inis])
    pool_size = max(math.ceil(total * (1 - ANONYMOUS_SHARE)) for total in per_assoc_enrolments)
    t1 = time.monotonic()
    pool = identity_pool(pool_size, rng)
    print(f"  identity pool: {pool_size} identities encrypted in {time.monotonic() - t1:.1f} s")

    # --- Codes ----------------------------------------------------------------------------------
    codes: dict[str, dict[str, int]] = {}
    for c in Code.objects.filter(active=True):
        codes.setdefault(c.code_list, {})[c.code] = c.pk
    income = [v for k, v in codes["income_source"].items() if k != "uppgift-saknas"]
    occupation = list(codes["occupation"].values())
    education = list(codes["education"].values())
    time_outside = list(codes["time_outside_work"].values())
    referrer = list(codes["referrer"].values())
    exits = [v for k, v in codes["exit_reason"].items() if k != "felregistrering"]
    wrong = codes["exit_reason"]["felregistrering"]

    participant_cols = columns_of(
        Participant,
        [
            "id",
            "created_at",
            "updated_at",
            "association_id",
            "pseudonym",
            "personal_number",
            "personal_number_hash",
            "name",
            "birth_year",
            "gender",
        ],
    )
    enrolment_cols = columns_of(
        Enrolment,
        [
            "id",
            "created_at",
            "updated_at",
            "uuid",
            "initiative_id",
            "participant_id",
            "anonymous_reason",
            "gender",
            "age_at_start",
            "home_municipality_id",
            "start_date",
            "occupation_before_id",
            "occupation_extent_before",
            "education_id",
            "time_outside_work_id",
            "referrer_id",
            "end_date",
            "exit_reason_id",
            "occupation_after_id",
            "occupation_extent_after",
            "code_versions",
        ],
    )
    consent_cols = columns_of(
        Consent,
        [
            "id",
            "created_at",
            "updated_at",
            "enrolment_id",
            "given_on",
            "method",
            "form_version",
            "language",
            "collected_by_id",
            "withdrawn_on",
        ],
    )
    before_table = Enrolment.income_sources_before.through._meta.db_table
    after_table = Enrolment.income_sources_after.through._meta.db_table
    m2m_cols = ["id", "enrolment_id", "code_id"]
    tables = {
        "participant": Participant._meta.db_table,
        "enrolment": Enrolment._meta.db_table,
        "consent": Consent._meta.db_table,
        "before": before_table,
        "after": after_table,
    }
    next_id = {k: sink.next_id(t) for k, t in tables.items()}
    stats = {"enrolments": 0, "participants": 0, "consents": 0, "code_rows": 0}
    pseudonym_n = rng.randrange(10**6)

    for a in associations:
        muni_ids = [m.pk for m in groups[associations.index(a)]]
        participants, enrolments, consents, before, after = [], [], [], [], []
        known: list[tuple[int, int]] = []  # (participant id, pool index)
        in_initiative: dict[int, set[int]] = {}
        next_new = 0
        for ini, n in zip(by_assoc[a.pk], plan[a.pk], strict=True):
            earliest = max(ini.start_date, datetime.date(2019, 1, 1))
            span = max(1, (today - earliest).days - 1)
            for _ in range(n):
                eid = next_id["enrolment"]
                next_id["enrolment"] += 1
                start = earliest + datetime.timedelta(days=rng.randrange(span))
                pid = None
                anonymous = ""
                if rng.random() < ANONYMOUS_SHARE:
                    anonymous = "no_consent"
                    gender = rng.choice(("woman", "man"))
                    age = rng.randint(18, 64)
                else:
                    reuse = None
                    if known and rng.random() < REUSE_SHARE:
                        candidate = known[rng.randrange(len(known))]
                        if ini.pk not in in_initiative[candidate[0]]:
                            reuse = candidate
                    if reuse is None:
                        pid = next_id["participant"]
                        next_id["participant"] += 1
                        index = next_new
                        next_new += 1
                        g, birth, year, digest, enc_number, enc_name = pool[index]
                        pseudonym_n += 1
                        participants.append(
                            (
                                pid,
                                now,
                                now,
                                a.pk,
                                pseudonym(pseudonym_n),
                                enc_number,
                                digest,
                                enc_name,
                                year,
                                g,
                            )
                        )
                        known.append((pid, index))
                        in_initiative[pid] = set()
                    else:
                        pid, index = reuse
                    in_initiative[pid].add(ini.pk)
                    gender, birth = pool[index][0], pool[index][1]
                    age = (
                        start.year
                        - birth.year
                        - ((start.month, start.day) < (birth.month, birth.day))
                    )
                    consents.append(
                        (
                            next_id["consent"],
                            now,
                            now,
                            eid,
                            start,
                            "paper",
                            "FK 9443",
                            "svenska",
                            None,
                            None,
                        )
                    )
                    next_id["consent"] += 1
                end = reason = occ_after = extent_after = None
                if rng.random() < EXIT_SHARE and (today - start).days > 14:
                    end = start + datetime.timedelta(
                        days=rng.randint(14, min(400, (today - start).days))
                    )
                    reason = wrong if rng.random() < 0.005 else rng.choice(exits)
                    occ_after = rng.choice(occupation)
                    after.append((next_id["after"], eid, rng.choice(income)))
                    next_id["after"] += 1
                enrolments.append(
                    (
                        eid,
                        now,
                        now,
                        uuid.uuid4(),
                        ini.pk,
                        pid,
                        anonymous,
                        gender,
                        age,
                        rng.choice(muni_ids),
                        start,
                        rng.choice(occupation),
                        None,
                        rng.choice(education),
                        rng.choice(time_outside),
                        rng.choice(referrer),
                        end,
                        reason,
                        occ_after,
                        extent_after,
                        "{}",  # code_versions: generated rows name no list versions
                    )
                )
                for code in {rng.choice(income) for _ in range(1 if rng.random() < 0.85 else 2)}:
                    before.append((next_id["before"], eid, code))
                    next_id["before"] += 1
        sink.write(tables["participant"], participant_cols, participants)
        sink.write(tables["enrolment"], enrolment_cols, enrolments)
        sink.write(tables["consent"], consent_cols, consents)
        sink.write(before_table, m2m_cols, before)
        sink.write(after_table, m2m_cols, after)
        stats["enrolments"] += len(enrolments)
        stats["participants"] += len(participants)
        stats["consents"] += len(consents)
        stats["code_rows"] += len(before) + len(after)
        done = associations.index(a) + 1
        if done % 10 == 0 or done == n_assoc:
            print(
                f"  {done}/{n_assoc} associations, {stats['enrolments']} enrolments, "
                f"{time.monotonic() - t0:.0f} s"
            )
    sink.finish(list(tables.values()))

    # --- The registrar of the 2 000-enrolment initiative ----------------------------------------
    target = next(i for i in initiatives if i.name == TARGET_NAME)
    user, _ = User.objects.get_or_create(email=REGISTRAR_EMAIL, defaults={"first_name": "Bench"})
    RoleAssignment.objects.get_or_create(
        user=user, association_id=target.association_id, role=Role.REGISTRAR
    )
    InitiativeAssignment.objects.get_or_create(user=user, initiative=target, role=Role.REGISTRAR)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        Authenticator.objects.create(
            user=user,
            type=Authenticator.Type.TOTP,
            data={"secret": encrypt(generate_totp_secret())},
        )
    stats["rows"] = sink.rows
    stats["database"] = connection.vendor
    return stats


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=None, help="1.0 = national scale")
    parser.add_argument("--reset", action="store_true", help="empty the database first")
    parser.add_argument("--any-database", action="store_true")
    args = parser.parse_args(argv)
    common.setup(any_database=args.any_database)
    scale = args.scale if args.scale is not None else common.default_scale()
    generate(scale, reset=args.reset)


if __name__ == "__main__":
    main()
