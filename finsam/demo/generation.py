"""Planning the generated participants of the demo data (no database access).

`plan_association()` turns one association of `data/skaraborg.json` into planned people and
enrolments; `finsam.demo.loading` writes them. The plan is deterministic (seeded by the
association's slug), so a rerun on an empty database gives the same people.

Per initiative, the JSON's `participants` block has one or more groups, each with a `total`
(enrolments that started on or before the association's snapshot date `as_of`), optionally the
exact `women`/`men`, how many are still `active` on `as_of`, known `exits` (reason, count or
women/men, a date window `between`, occupation and income after, `transfer_to` another
initiative), exact `age_bands` counts and exact `income_before` counts. Whatever a group does not
fix is drawn from plausible distributions. About 10 % of the enrolments are anonymous (no
consent), never those whose figures are tied to a person (transfers).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from finsam.core.dates import age_on
from finsam.demo.identities import NameMaker, birth_date_for_age, personal_number
from finsam.finance.contributions import largest_remainder

ANONYMOUS_SHARE = 0.1
PROTECTED_IDENTITY_SHARE = 0.05  # of the anonymous enrolments
SECOND_INCOME_SOURCE_SHARE = 0.15
CONSENT_FORM_VERSION = "FK 9443"

DEFAULT_INCOME_PROFILE = {"forsorjningsstod": 0.5, "sjukpenning": 0.3, "aktivitetsstod": 0.2}
DEFAULT_REFERRERS = {
    "kommun-socialtjanst": 0.35,
    "forsakringskassan": 0.3,
    "arbetsformedlingen": 0.2,
    "region-halso-och-sjukvard": 0.1,
    "egen-anmalan": 0.05,
}
DEFAULT_EXIT_REASONS = {
    "avslutad-enligt-plan": 0.35,
    "overgang-annan-insats": 0.2,
    "arbete": 0.12,
    "studier": 0.08,
    "arbetssokande": 0.07,
    "avbruten-av-deltagaren": 0.08,
    "avbruten-ohalsa": 0.07,
    "flyttat": 0.02,
    "annan-orsak": 0.01,
}
EDUCATION = {
    "forgymnasial-kortare-an-9-ar": 0.08,
    "forgymnasial-9-ar": 0.3,
    "gymnasial": 0.42,
    "eftergymnasial-kortare-an-3-ar": 0.08,
    "eftergymnasial-3-ar-eller-langre": 0.07,
    "okand": 0.05,
}
TIME_OUTSIDE_WORK = {
    "under-1-ar": 0.15,
    "1-2-ar": 0.25,
    "3-4-ar": 0.2,
    "5-9-ar": 0.2,
    "10-ar-eller-mer": 0.12,
    "okand": 0.08,
}
OCCUPATION_BEFORE = {
    "ingen-sysselsattning": 0.6,
    "arbetsmarknadspolitiskt-program": 0.2,
    "aktivt-arbetssokande": 0.1,
    "arbete-subventionerat": 0.05,
    "studier": 0.05,
}
CONSENT_METHODS = {"paper": 0.6, "digital": 0.3, "uploaded": 0.1}
NO_PUBLIC_SUPPORT = "ingen-offentlig-forsorjning"
# Exits after the snapshot date (the demo running on to today): about 25 % work, 15 % studies,
# 30 % completed as planned or moved on to another initiative, the rest job seeking, discontinued,
# moved or other.
LIVE_EXIT_REASONS = {
    "arbete": 0.25,
    "studier": 0.15,
    "avslutad-enligt-plan": 0.18,
    "overgang-annan-insats": 0.12,
    "arbetssokande": 0.10,
    "avbruten-av-deltagaren": 0.08,
    "avbruten-ohalsa": 0.07,
    "flyttat": 0.03,
    "annan-orsak": 0.02,
}
# In-registration fields a registrar may not have filled in yet (continuation only).
MISSING_BEFORE = (
    "education",
    "time_outside_work",
    "referrer",
    "occupation_before",
    "income_before",
)
# Activity compensation is paid from 19 to 29, sickness compensation from 30.
AGE_LIMITED_SOURCES = {"aktivitetsersattning": (19, 29), "sjukersattning": (30, 64)}
EARLY_EXITS = ("avbruten-av-deltagaren", "avbruten-ohalsa", "flyttat", "annan-orsak")


def parse_date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def parse_month(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value + "-01")


@dataclass
class PlannedPerson:
    key: int
    gender: str
    birth_date: datetime.date
    personal_number: str  # YYYYMMDD-NNNC
    name: str


@dataclass
class PlannedEnrolment:
    gender: str
    birth_date: datetime.date
    start_date: datetime.date
    home_municipality: str
    person_key: int | None = None  # None: anonymous
    anonymous_reason: str = ""
    end_date: datetime.date | None = None
    exit_reason: str | None = None
    income_before: list[str] = field(default_factory=list)
    occupation_before: str | None = None
    extent_before: int | None = None
    education: str | None = None
    time_outside_work: str | None = None
    referrer: str | None = None
    income_after: list[str] = field(default_factory=list)
    occupation_after: str | None = None
    extent_after: int | None = None
    consent_on: datetime.date | None = None
    consent_method: str = ""
    # Planning only.
    exit_spec: dict | None = None
    fixed: bool = False  # carried over from another initiative (transfer)

    @property
    def age_at_start(self) -> int:
        return age_on(self.birth_date, self.start_date)


@dataclass
class PlannedHeadCount:
    month: datetime.date
    women: int
    men: int


@dataclass
class AssociationPlan:
    persons: dict[int, PlannedPerson] = field(default_factory=dict)
    enrolments: dict[str, list[PlannedEnrolment]] = field(default_factory=dict)
    head_counts: dict[str, list[PlannedHeadCount]] = field(default_factory=dict)


@dataclass
class _Transfer:
    person_key: int
    gender: str
    birth_date: datetime.date
    start_date: datetime.date
    home_municipality: str


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _uniform_date(rng: random.Random, low: datetime.date, high: datetime.date) -> datetime.date:
    if high <= low:
        return low
    return low + datetime.timedelta(days=rng.randrange((high - low).days + 1))


def _clamp(day, low, high):
    return max(low, min(day, high))


@dataclass(frozen=True)
class _Window:
    """When a group's participants may enrol, and the day nothing may be after (`limit`)."""

    ini_start: datetime.date
    enrol_from: datetime.date
    enrol_to: datetime.date
    limit: datetime.date

    @classmethod
    def of(cls, ini, spec, group, as_of) -> _Window:
        ini_start = parse_date(ini["start_date"])
        ini_end = parse_date(ini["end_date"]) if ini.get("end_date") else None
        limit = min(as_of, ini_end) if ini_end else as_of
        enrol_from = max(
            [ini_start]
            + [parse_date(v) for v in (spec.get("enrol_from"), group.get("enrol_from")) if v]
        )
        enrol_to = min(limit, parse_date(group["enrol_to"])) if group.get("enrol_to") else limit
        return cls(ini_start, enrol_from, enrol_to, limit)


def _transferred(t) -> PlannedEnrolment:
    """The slot of a participant transferred in from another initiative (fixed dates)."""
    return PlannedEnrolment(
        gender=t.gender,
        birth_date=t.birth_date,
        start_date=t.start_date,
        home_municipality=t.home_municipality,
        person_key=t.person_key,
        fixed=True,
    )


def status_on(start: datetime.date, end: datetime.date | None, today: datetime.date) -> str:
    """An initiative's status from its dates: planned, active, or ended once its end date passed."""
    if start > today:
        return "planned"
    if end is not None and end < today:
        return "ended"
    return "active"


def exit_after_snapshot(
    rng: random.Random,
    slot: PlannedEnrolment,
    *,
    earliest: datetime.date,
    latest: datetime.date,
    stay_weeks: tuple[int, int] = (8, 52),
) -> None:
    """Exit an enrolment that was open on the snapshot date, between `earliest` and `latest`.

    The exit date follows the usual stay (shorter for discontinued ones) when it falls in the
    window; someone whose stay would have ended earlier leaves in the first weeks after the
    snapshot, someone whose stay would outlast the initiative leaves in its last weeks.
    """
    reason = _weighted(rng, LIVE_EXIT_REASONS)
    low, high = stay_weeks
    stay = datetime.timedelta(days=rng.randint(low * 7, high * 7))
    if reason in EARLY_EXITS:
        stay = stay * rng.uniform(0.2, 0.8)
    end = slot.start_date + stay
    if end < earliest:
        end = _uniform_date(rng, earliest, min(latest, earliest + datetime.timedelta(days=75)))
    elif end > latest:
        end = _uniform_date(rng, max(earliest, latest - datetime.timedelta(days=45)), latest)
    slot.end_date = max(end, slot.start_date)
    slot.exit_reason = reason
    slot.exit_spec = {"reason": reason}
    out_registration(rng, slot)


class _Planner:
    def __init__(self, spec: dict, salt: str = ""):
        self.spec = spec
        self.rng = random.Random(f"finsam-demo:{spec['slug']}" + (f":{salt}" if salt else ""))
        self.names = NameMaker(seed=sum(map(ord, spec["slug"] + salt)))
        self.as_of = parse_date(spec["as_of"])
        self.population = {
            m["name"]: m.get("population_2020_approx", 1) for m in spec["municipalities"]
        }
        self.plan = AssociationPlan()
        self.transfers: dict[str, list[_Transfer]] = {}
        self.used_numbers: set[str] = set()
        self.next_key = 1

    # --- Whole association ------------------------------------------------------------------

    def run(self) -> AssociationPlan:
        initiatives = self.spec["initiatives"]
        targets = {
            exit_spec["transfer_to"]
            for ini in initiatives
            for group in (ini.get("participants") or {}).get("groups", [])
            for exit_spec in group.get("exits", [])
            if exit_spec.get("transfer_to")
        }
        # Initiatives that receive transfers go last, after the ones they come from.
        ordered = [i for i in initiatives if i["name"] not in targets] + [
            i for i in initiatives if i["name"] in targets
        ]
        for ini in ordered:
            if ini.get("follow_up") == "volume":
                if ini.get("head_counts"):
                    self.plan.head_counts[ini["name"]] = self.head_counts(ini)
            elif ini.get("participants"):
                self.plan.enrolments[ini["name"]] = self.initiative(ini)
        return self.plan

    # --- Individual follow-up ---------------------------------------------------------------

    def initiative(self, ini: dict) -> list[PlannedEnrolment]:
        spec = ini["participants"]
        transfers = self.transfers.pop(ini["name"], [])
        out = []
        for index, group in enumerate(spec["groups"]):
            out += self.group(ini, spec, group, transfers if index == 0 else [])
        return out

    def group(self, ini, spec, group, transfers_in) -> list[PlannedEnrolment]:
        rng = self.rng
        total = group["total"]
        if total == 0:
            return []
        opt = {**spec, **group}  # a group's own settings win
        window = _Window.of(ini, spec, group, self.as_of)
        slots = [_transferred(t) for t in transfers_in]
        free = self.free_slots(group, opt, total, transfers_in)
        slots += free
        self.plan_exits(ini, group, total, free)
        for slot in free:
            self.dates(slot, window, opt.get("stay_weeks", [8, 52]))

        # Ages (exact band counts where given) → birth dates.
        bands = opt.get("age_bands") or [{"min": 18, "max": 64, "share": 1.0}]
        ages = self.ages(bands, len(slots), [s for s in slots if s.fixed])
        for slot, age in zip(free, ages, strict=True):
            slot.birth_date = birth_date_for_age(age, slot.start_date, rng)

        # Who is anonymous: never a transfer (in or out).
        candidates = [s for s in free if not (s.exit_spec or {}).get("transfer_to")]
        for slot in rng.sample(candidates, min(len(candidates), round(total * ANONYMOUS_SHARE))):
            slot.anonymous_reason = (
                "protected_identity" if rng.random() < PROTECTED_IDENTITY_SHARE else "no_consent"
            )

        self.incomes_before(slots, opt)
        homes = (
            group.get("home_municipalities") or ini.get("municipalities") or list(self.population)
        )
        referrers = opt.get("referrers", DEFAULT_REFERRERS)
        for slot in slots:
            self.registrations(slot, homes, referrers, window.ini_start)
        slots.sort(key=lambda s: (s.start_date, s.gender))
        return slots

    def free_slots(self, group, opt, total, transfers_in) -> list[PlannedEnrolment]:
        """The group's slots besides the transfers in, their genders exact when given,
        otherwise drawn."""
        rng = self.rng
        if "women" in group:
            women, men = group["women"], group["men"]
        else:
            share = opt.get("women_share", 0.5)
            women = sum(rng.random() < share for _ in range(total))
            men = total - women
        for t in transfers_in:
            if t.gender == "woman":
                women -= 1
            else:
                men -= 1
        genders = ["woman"] * women + ["man"] * men
        rng.shuffle(genders)
        return [
            PlannedEnrolment(
                gender=g,
                birth_date=datetime.date.min,
                start_date=datetime.date.min,
                home_municipality="",
            )
            for g in genders
        ]

    def plan_exits(self, ini, group, total, free) -> None:
        """Give slots their exits: gender-bound ones first, then the rest, then the unspecified
        remainder."""
        rng = self.rng
        exits = []
        for e in group.get("exits", []):
            if "women" in e or "men" in e:
                exits += [(e, "woman")] * e.get("women", 0) + [(e, "man")] * e.get("men", 0)
            else:
                exits += [(e, e.get("gender"))] * e["count"]
        active = group.get("active", total)
        remainder = total - active - len(exits)
        if remainder < 0:
            raise ValueError(f"{ini['name']}: more exits than enrolments minus active")
        exits += [({"reason": None}, None)] * remainder
        exits.sort(key=lambda pair: pair[1] is None)
        available = list(free)
        rng.shuffle(available)
        for exit_spec, gender in exits:
            slot = next((s for s in available if gender is None or s.gender == gender), None)
            if slot is None:
                raise ValueError(f"{ini['name']}: no {gender} left for exit {exit_spec}")
            available.remove(slot)
            reason = exit_spec.get("reason") or _weighted(rng, DEFAULT_EXIT_REASONS)
            slot.exit_spec = {**exit_spec, "reason": reason}

    def dates(self, slot, window: _Window, stay_weeks) -> None:
        """A slot's start date, and its end date if it exits."""
        rng = self.rng
        stay_low, stay_high = stay_weeks
        enrol_from, enrol_to, limit = window.enrol_from, window.enrol_to, window.limit
        if slot.exit_spec is None:
            earliest = max(enrol_from, self.as_of - datetime.timedelta(weeks=stay_high))
            low = earliest if earliest <= enrol_to else enrol_from
            slot.start_date = _uniform_date(rng, low, enrol_to)
            return
        e = slot.exit_spec
        stay = datetime.timedelta(days=rng.randint(stay_low * 7, stay_high * 7))
        if e["reason"] in EARLY_EXITS:
            stay = stay * rng.uniform(0.2, 0.8)
        if e.get("between"):
            low, high = (parse_date(d) for d in e["between"])
            end = _uniform_date(rng, max(low, enrol_from), min(high, limit))
            slot.start_date = _clamp(end - stay, enrol_from, min(enrol_to, end))
            slot.end_date = end
        else:
            slot.start_date = _uniform_date(
                rng, enrol_from, min(enrol_to, limit - datetime.timedelta(days=7))
            )
            end = slot.start_date + stay
            if end > limit:
                end = _uniform_date(
                    rng, min(slot.start_date + datetime.timedelta(days=7), limit), limit
                )
            slot.end_date = max(end, slot.start_date)
        slot.exit_reason = e["reason"]

    def registrations(self, slot, homes, referrers, ini_start) -> None:
        """A slot's in- and out-registration, person, consent and transfer out."""
        rng = self.rng
        self.in_registration(slot, homes, referrers)
        if slot.exit_reason:
            self.out_registration(slot)
        if not slot.anonymous_reason and slot.person_key is None:
            slot.person_key = self.new_person(slot.gender, slot.birth_date)
        if not slot.anonymous_reason:
            slot.consent_on = max(
                slot.start_date - datetime.timedelta(days=rng.randint(0, 14)),
                ini_start - datetime.timedelta(days=30),
            )
            slot.consent_method = _weighted(rng, CONSENT_METHODS)
        target = (slot.exit_spec or {}).get("transfer_to")
        if target:
            self.transfers.setdefault(target, []).append(
                _Transfer(
                    slot.person_key,
                    slot.gender,
                    slot.birth_date,
                    min(slot.end_date + datetime.timedelta(days=rng.randint(1, 14)), self.as_of),
                    slot.home_municipality,
                )
            )

    def ages(self, bands, total, fixed) -> list[int]:
        """Ages for the non-fixed slots; exact counts per band where the band has a count."""
        rng = self.rng
        counts = {i: b["count"] for i, b in enumerate(bands) if "count" in b}
        for slot in fixed:
            age = slot.age_at_start
            index = next(
                (i for i, b in enumerate(bands) if b["min"] <= age <= b["max"]),
                min(
                    range(len(bands)),
                    key=lambda i: min(abs(bands[i]["min"] - age), abs(bands[i]["max"] - age)),
                ),
            )
            if index in counts:
                counts[index] -= 1
        ages = []
        for index, count in counts.items():
            b = bands[index]
            ages += [rng.randint(b["min"], b["max"]) for _ in range(count)]
        shares = {i: b.get("share", 0) for i, b in enumerate(bands) if "count" not in b}
        if len(ages) < total - len(fixed) and not shares:
            raise ValueError("age band counts do not add up to the group total")
        while len(ages) < total - len(fixed):
            b = bands[_weighted(rng, shares)]
            # Younger ages are a little more common among participants.
            ages.append(b["min"] + int((b["max"] - b["min"] + 1) * rng.random() ** 1.3))
        rng.shuffle(ages)
        return ages

    def incomes_before(self, slots, opt) -> None:
        rng = self.rng
        exact = opt.get("income_before")
        if exact:
            self.exact_incomes(slots, exact)
            return
        profile = opt.get("income_profile", DEFAULT_INCOME_PROFILE)
        for slot in slots:
            sources = [_weighted(rng, profile)]
            if sources[0] != NO_PUBLIC_SUPPORT and rng.random() < SECOND_INCOME_SOURCE_SHARE:
                other = {
                    k: v for k, v in profile.items() if k not in (sources[0], NO_PUBLIC_SUPPORT)
                }
                if other:
                    sources.append(_weighted(rng, other))
            slot.income_before = [_fit_age(s, slot.age_at_start) for s in dict.fromkeys(sources)]
            slot.income_before = list(dict.fromkeys(slot.income_before))

    def exact_incomes(self, slots, counts: dict) -> None:
        """Hand out exactly `counts[source]` sources; everyone gets at least one."""
        rng = self.rng
        order = sorted(slots, key=lambda s: rng.random())
        pool = dict(counts)
        # Age-limited sources first, to people of the right age.
        for source, (low, high) in AGE_LIMITED_SOURCES.items():
            eligible = [s for s in order if low <= s.age_at_start <= high and not s.income_before]
            n = pool.pop(source, 0)
            if n > len(eligible):
                raise ValueError(f"not enough people aged {low}–{high} for {n} × {source}")
            for slot in eligible[:n]:
                slot.income_before.append(source)
        n_none = pool.pop(NO_PUBLIC_SUPPORT, 0)
        for slot in [s for s in order if not s.income_before][:n_none]:
            slot.income_before.append(NO_PUBLIC_SUPPORT)
        items = [source for source, n in pool.items() for _ in range(n)]
        rng.shuffle(items)
        without = [s for s in order if not s.income_before]
        for slot in without:
            slot.income_before.append(items.pop())
        for source in items:
            slot = next(
                s
                for s in order
                if source not in s.income_before
                and NO_PUBLIC_SUPPORT not in s.income_before
                and len(s.income_before) < 2
            )
            slot.income_before.append(source)
            order.remove(slot)
            order.append(slot)

    def in_registration(self, slot, homes, referrers) -> None:
        rng = self.rng
        if not slot.home_municipality:
            slot.home_municipality = _weighted(rng, {m: self.population.get(m, 1) for m in homes})
        slot.occupation_before = _weighted(rng, OCCUPATION_BEFORE)
        if slot.occupation_before in ("arbetsmarknadspolitiskt-program", "arbete-subventionerat"):
            slot.extent_before = rng.choice((25, 50))
        elif slot.occupation_before == "studier":
            slot.extent_before = 50
        slot.education = _weighted(rng, EDUCATION)
        slot.time_outside_work = _weighted(rng, TIME_OUTSIDE_WORK)
        slot.referrer = _weighted(rng, referrers)

    def out_registration(self, slot) -> None:
        out_registration(self.rng, slot)

    def new_person(self, gender: str, birth_date: datetime.date) -> int:
        number = personal_number(birth_date, gender, self.rng)
        while number in self.used_numbers:
            number = personal_number(birth_date, gender, self.rng)
        self.used_numbers.add(number)
        key = self.next_key
        self.next_key += 1
        self.plan.persons[key] = PlannedPerson(
            key, gender, birth_date, number, self.names.name(gender)
        )
        return key

    # --- Continuation after the snapshot (one initiative runs on to today) ------------------

    def continuation(self, ini: dict, today: datetime.date) -> list[PlannedEnrolment]:
        """A steady flow of new participants from the snapshot date to `today`.

        Starts per month are drawn from `starts_per_month`, plus `recent_starts` in the last
        three weeks; each stays `stay_weeks` (shorter when discontinued) and is exited with the
        live exit reasons if that is before today, otherwise still active. Some recent
        registrations lack an in-registration field and a few recent exits lack the
        out-registration, as in a real register.
        """
        rng = self.rng
        spec = ini["continuation"]
        opt = {**(ini.get("participants") or {}), **spec}
        first = parse_date(spec["from"]) if spec.get("from") else self.as_of
        first = max(first, self.as_of + datetime.timedelta(days=1))
        if first > today:
            return []
        stay_low, stay_high = opt.get("stay_weeks", [20, 80])
        low, high = spec["starts_per_month"]
        starts = []
        month = first.replace(day=1)
        while month <= today:
            next_month = (month + datetime.timedelta(days=32)).replace(day=1)
            window = (max(month, first), min(next_month - datetime.timedelta(days=1), today))
            starts += [_uniform_date(rng, *window) for _ in range(rng.randint(low, high))]
            month = next_month
        recent_from = max(first, today - datetime.timedelta(days=20))
        starts += [
            _uniform_date(rng, recent_from, today) for _ in range(spec.get("recent_starts", 0))
        ]
        starts.sort()
        share = opt.get("women_share", 0.5)
        slots = [
            PlannedEnrolment(
                gender="woman" if rng.random() < share else "man",
                birth_date=datetime.date.min,
                start_date=start,
                home_municipality="",
            )
            for start in starts
        ]
        bands = opt.get("age_bands") or [{"min": 18, "max": 64, "share": 1.0}]
        # Exact counts belong to the snapshot; here they only weigh the bands.
        bands = [
            {"min": b["min"], "max": b["max"], "share": b.get("share", b.get("count", 1))}
            for b in bands
        ]
        for slot, age in zip(slots, self.ages(bands, len(slots), []), strict=True):
            slot.birth_date = birth_date_for_age(age, slot.start_date, rng)
        for slot in rng.sample(slots, round(len(slots) * ANONYMOUS_SHARE)):
            slot.anonymous_reason = (
                "protected_identity" if rng.random() < PROTECTED_IDENTITY_SHARE else "no_consent"
            )
        self.incomes_before(slots, {k: v for k, v in opt.items() if k != "income_before"})
        homes = ini.get("municipalities") or list(self.population)
        referrers = opt.get("referrers", DEFAULT_REFERRERS)
        for slot in slots:
            self.in_registration(slot, homes, referrers)
            reason = _weighted(rng, LIVE_EXIT_REASONS)
            stay = datetime.timedelta(days=rng.randint(stay_low * 7, stay_high * 7))
            if reason in EARLY_EXITS:
                stay = stay * rng.uniform(0.2, 0.8)
            end = slot.start_date + stay
            if end < today:
                slot.end_date, slot.exit_reason = end, reason
                slot.exit_spec = {"reason": reason}
                out_registration(rng, slot)
            self.leave_gaps(slot, today, spec)
            if not slot.anonymous_reason:
                slot.person_key = self.new_person(slot.gender, slot.birth_date)
                slot.consent_on = slot.start_date - datetime.timedelta(days=rng.randint(0, 14))
                slot.consent_method = _weighted(rng, CONSENT_METHODS)
        return slots

    def leave_gaps(self, slot: PlannedEnrolment, today: datetime.date, spec: dict) -> None:
        """Leave out what a registrar has not filled in yet (recent registrations and exits)."""
        rng = self.rng
        if slot.end_date is None:
            recent = (today - slot.start_date).days <= 60
            if rng.random() < spec.get("missing_share_recent" if recent else "missing_share", 0):
                for name in rng.sample(MISSING_BEFORE, rng.randint(1, 2)):
                    setattr(slot, name, [] if name == "income_before" else None)
                    if name == "occupation_before":
                        slot.extent_before = None
        elif (today - slot.end_date).days <= 180 and rng.random() < spec.get(
            "missing_share_exit", 0
        ):
            slot.occupation_after, slot.extent_after, slot.income_after = None, None, []

    # --- Volume initiatives -----------------------------------------------------------------

    def head_counts(self, ini: dict) -> list[PlannedHeadCount]:
        rng = self.rng
        spec = ini["head_counts"]
        first = parse_month(spec["from"])
        last_day = self.as_of
        if spec.get("to"):
            last_day = min(last_day, parse_month(spec["to"]))
        if ini.get("end_date"):
            last_day = min(last_day, parse_date(ini["end_date"]))
        pauses = [(parse_month(a), parse_month(b)) for a, b in spec.get("pause", [])]
        months = []
        month = first
        while month <= last_day:
            if not any(a <= month <= b for a, b in pauses):
                months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        if spec.get("total"):
            weights = {month: rng.uniform(0.5, 1.5) for month in months}
            totals = list(largest_remainder(spec["total"], weights).values())
        else:
            low, high = spec["per_month"]
            totals = [rng.randint(low, high) for _ in months]
        share = spec.get("women_share", 0.5)
        out = []
        for month, count in zip(months, totals, strict=True):
            women = sum(rng.random() < share for _ in range(count))
            out.append(PlannedHeadCount(month, women, count - women))
        return out


def out_registration(rng: random.Random, slot: PlannedEnrolment) -> None:
    """Occupation, extent and income sources after, from the exit reason (or the exit spec)."""
    e = slot.exit_spec
    reason = slot.exit_reason
    occupation, extent = e.get("occupation_after"), e.get("extent_after")
    if occupation is None:
        if reason == "arbete":
            occupation = rng.choice(("arbete-subventionerat", "arbete-osubventionerat"))
            extent = rng.choice((50, 75, 100))
        elif reason == "studier":
            occupation, extent = "studier", 100
        elif reason == "arbetssokande":
            occupation = "aktivt-arbetssokande"
        elif reason == "overgang-annan-insats":
            occupation, extent = "arbetsmarknadspolitiskt-program", rng.choice((25, 50))
        elif reason == "avslutad-enligt-plan":
            occupation = _weighted(
                rng,
                {
                    "arbetsmarknadspolitiskt-program": 0.4,
                    "aktivt-arbetssokande": 0.3,
                    "ingen-sysselsattning": 0.3,
                },
            )
            if occupation == "arbetsmarknadspolitiskt-program":
                extent = rng.choice((25, 50, 75))
        elif reason == "flyttat":
            occupation = "uppgift-saknas"
        else:
            occupation = "ingen-sysselsattning"
    slot.occupation_after, slot.extent_after = occupation, extent
    income = e.get("income_after")
    if income is None:
        if reason == "arbete":
            income = ["lon"]
        elif reason == "studier":
            income = ["studiemedel"]
        elif reason == "arbetssokande":
            income = [rng.choice(("aktivitetsstod", "arbetsloshetsersattning"))]
        elif reason == "flyttat":
            income = ["uppgift-saknas"]
        else:
            income = list(slot.income_before)
    slot.income_after = list(income)


def _fit_age(source: str, age: int) -> str:
    """Swap activity and sickness compensation when the age does not fit the benefit."""
    if source == "aktivitetsersattning" and age >= 30:
        return "sjukersattning"
    if source == "sjukersattning" and age < 30:
        return "aktivitetsersattning" if age >= 19 else "forsorjningsstod"
    if source == "aktivitetsersattning" and age < 19:
        return "forsorjningsstod"
    return source


def plan_association(spec: dict) -> AssociationPlan:
    """Plan the people, enrolments and head counts of one association of the demo JSON."""
    return _Planner(spec).run()


def plan_continuation(spec: dict, initiative_name: str, *, today: datetime.date, taken=frozenset()):
    """Plan the participants of `initiative_name` after the association's snapshot date.

    `taken` holds personal identity numbers (YYYYMMDDNNNC) already used in the association.
    Seeded by the association and initiative, so a fresh database gets the same flow on the
    same day.
    """
    planner = _Planner(spec, salt=f"live:{initiative_name}")
    planner.used_numbers = set(taken)
    ini = next(i for i in spec["initiatives"] if i["name"] == initiative_name)
    planner.plan.enrolments[initiative_name] = planner.continuation(ini, today)
    return planner.plan


def live_head_counts(
    spec: dict, ini: dict, *, after: datetime.date, today: datetime.date
) -> list[PlannedHeadCount]:
    """Monthly head counts of a volume initiative after the snapshot month, within its period
    (up to its end date, the `to` month of its spec, and today)."""
    hc = ini["head_counts"]
    if hc.get("total"):
        return []  # a fixed total is spread over its own months only
    rng = random.Random(f"finsam-demo:{spec['slug']}:live:{ini['name']}")
    last_day = today
    if hc.get("to"):
        last_day = min(last_day, parse_month(hc["to"]))
    if ini.get("end_date"):
        last_day = min(last_day, parse_date(ini["end_date"]))
    pauses = [(parse_month(a), parse_month(b)) for a, b in hc.get("pause", [])]
    month = (after.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    low, high = hc["per_month"]
    share = hc.get("women_share", 0.5)
    out = []
    while month <= last_day:
        if not any(a <= month <= b for a, b in pauses):
            count = rng.randint(low, high)
            women = sum(rng.random() < share for _ in range(count))
            out.append(PlannedHeadCount(month, women, count - women))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return out
