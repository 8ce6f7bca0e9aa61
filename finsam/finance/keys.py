"""The members' contributions of a year from the association's total (finance-law-privacy.md
§2.1, §2.3): the state 50 % (Försäkringskassan and Arbetsförmedlingen, split between them by
their shares as members), the region(s) 25 % (by their shares), the municipalities 25 % split by
the key the association chooses for the year — population, population 16–64, equal, fixed
shares, or a mix of these (weights that add up to 100 %).

Every split is the largest remainder (`contributions.largest_remainder`): the parts are whole
kronor and always add up to the whole. Pure functions: no database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finsam.associations.models import MemberKind
from finsam.core.formats import sv_percent_trimmed
from finsam.finance.contributions import PARTY_OF_KIND, PARTY_SHARES, largest_remainder

POPULATION, POPULATION_16_64, EQUAL, FIXED = "population", "population_16_64", "equal", "fixed"
BASES = (POPULATION, POPULATION_16_64, EQUAL, FIXED)
BASIS_LABELS = {
    POPULATION: gettext_lazy("folkmängd"),
    POPULATION_16_64: gettext_lazy("folkmängd 16–64 år"),
    EQUAL: gettext_lazy("lika delar"),
    FIXED: gettext_lazy("fasta andelar"),
}
HUNDRED = Decimal("100")


class KeySplitError(ValueError):
    """The key cannot split the municipalities' part; `problems` maps a field to messages."""

    def __init__(self, problems: dict[str, list[str]]):
        super().__init__("; ".join(m for ms in problems.values() for m in ms))
        self.problems = problems


@dataclass(frozen=True)
class MemberRef:
    """What the split needs of a member (a `Member` or a stand-in in tests)."""

    pk: int
    kind: str
    contribution_share: Decimal = Decimal("0")
    municipality_id: int | None = None
    name: str = ""


@dataclass
class KeySpec:
    """The municipal key: weights in % per basis (adding up to 100) and, when FIXED has a
    weight, each municipal member's fixed share in % (adding up to 100)."""

    weights: dict[str, Decimal] = field(default_factory=lambda: {POPULATION: HUNDRED})
    fixed_shares: dict[int, Decimal] = field(default_factory=dict)  # member pk → %

    def used(self) -> list[str]:
        return [b for b in BASES if self.weights.get(b, 0)]


@dataclass(frozen=True)
class Population:
    total: int
    aged_16_64: int | None


def key_problems(
    spec: KeySpec,
    municipal_members: Sequence[MemberRef],
    populations: Mapping[int, Population],
) -> dict[str, list[str]]:
    """What is wrong with `spec` for these members and figures (field → messages; empty: ok)."""
    problems: dict[str, list[str]] = {}

    def add(name, message):
        problems.setdefault(name, []).append(message)

    for basis in BASES:
        weight = spec.weights.get(basis)
        if weight is not None and weight < 0:
            add(f"weight_{basis}", _("Vikten kan inte vara negativ."))
    total = sum((w for w in spec.weights.values() if w), Decimal("0"))
    if total != HUNDRED:
        add(
            "__all__",
            _("Nyckelns vikter är tillsammans %(total)s; de ska vara 100 %%.")
            % {"total": sv_percent_trimmed(total)},
        )
    if not municipal_members:
        add("__all__", _("Förbundet har inga kommuner som medlemmar det här året."))
        return problems
    for basis, attr in ((POPULATION, "total"), (POPULATION_16_64, "aged_16_64")):
        if not spec.weights.get(basis):
            continue
        missing = [
            m.name
            for m in municipal_members
            if populations.get(m.municipality_id) is None
            or getattr(populations[m.municipality_id], attr) is None
        ]
        if missing:
            add(
                "population_date",
                _("Folkmängd (%(basis)s) saknas för %(names)s på det valda referensdatumet.")
                % {"basis": BASIS_LABELS[basis], "names": ", ".join(missing)},
            )
        elif sum(getattr(populations[m.municipality_id], attr) for m in municipal_members) <= 0:
            add("population_date", _("Folkmängden är noll; välj ett annat referensdatum."))
    if spec.weights.get(FIXED):
        shares = spec.fixed_shares
        for m in municipal_members:
            share = shares.get(m.pk)
            if share is None:
                add(f"fixed_{m.pk}", _("Ange kommunens andel i procent."))
            elif share < 0:
                add(f"fixed_{m.pk}", _("Andelen kan inte vara negativ."))
        given = [s for s in (shares.get(m.pk) for m in municipal_members) if s is not None]
        fixed_total = sum(given, Decimal("0"))
        if fixed_total > HUNDRED:
            add(
                "__all__",
                _("De fasta andelarna är tillsammans %(total)s; de får inte överstiga 100 %%.")
                % {"total": sv_percent_trimmed(fixed_total)},
            )
        elif len(given) == len(municipal_members) and fixed_total != HUNDRED:
            add(
                "__all__",
                _("De fasta andelarna är tillsammans %(total)s; de ska vara 100 %%.")
                % {"total": sv_percent_trimmed(fixed_total)},
            )
    return problems


def municipal_weights(
    spec: KeySpec,
    municipal_members: Sequence[MemberRef],
    populations: Mapping[int, Population],
) -> dict[int, Fraction]:
    """Each municipal member's exact share (a fraction of 1) of the municipalities' part:
    Σ over the bases of weight × the member's share of that basis."""
    problems = key_problems(spec, municipal_members, populations)
    if problems:
        raise KeySplitError(problems)
    n = len(municipal_members)
    shares = {m.pk: Fraction(0) for m in municipal_members}
    for basis in spec.used():
        weight = Fraction(spec.weights[basis]) / 100
        if basis == EQUAL:
            part = {m.pk: Fraction(1, n) for m in municipal_members}
        elif basis == FIXED:
            part = {m.pk: Fraction(spec.fixed_shares[m.pk]) / 100 for m in municipal_members}
        else:
            attr = "total" if basis == POPULATION else "aged_16_64"
            values = {
                m.pk: getattr(populations[m.municipality_id], attr) for m in municipal_members
            }
            whole = sum(values.values())
            part = {pk: Fraction(v, whole) for pk, v in values.items()}
        for pk, value in part.items():
            shares[pk] += weight * value
    return shares


def _by_share(total: int, members: Sequence[MemberRef]) -> dict[int, int]:
    """`total` split by the members' shares as members (equal when they have none)."""
    weights = {m.pk: Fraction(m.contribution_share or 0) for m in members}
    if sum(weights.values()) <= 0:
        weights = dict.fromkeys(weights, Fraction(1))
    return largest_remainder(total, weights)


def party_amounts(total: int) -> dict[str, int]:
    """The total split 50/25/25 between the state, the region(s) and the municipalities."""
    return largest_remainder(total, PARTY_SHARES)


def split_contributions(
    total: int,
    members: Sequence[MemberRef],
    spec: KeySpec,
    populations: Mapping[int, Population],
) -> dict[int, int]:
    """{member pk: contribution in whole kronor} for `total`; the parts add up to `total`.

    Raises `KeySplitError` when a party has no member or the key does not fit."""
    if total < 0:
        raise KeySplitError({"total": [_("Beloppet kan inte vara negativt.")]})
    by_party: dict[str, list[MemberRef]] = {party: [] for party in PARTY_SHARES}
    for m in members:
        by_party[PARTY_OF_KIND[m.kind]].append(m)
    problems: dict[str, list[str]] = {}
    if not by_party["state"]:
        problems.setdefault("__all__", []).append(
            _("Förbundet saknar Försäkringskassan eller Arbetsförmedlingen som medlem.")
        )
    if not by_party["region"]:
        problems.setdefault("__all__", []).append(_("Förbundet saknar en region som medlem."))
    municipal = by_party["municipalities"]
    try:
        weights = municipal_weights(spec, municipal, populations)
    except KeySplitError as exc:
        for name, messages in exc.problems.items():
            problems.setdefault(name, []).extend(messages)
    if problems:
        raise KeySplitError(problems)
    parties = party_amounts(total)
    result = {}
    result.update(_by_share(parties["state"], by_party["state"]))
    result.update(_by_share(parties["region"], by_party["region"]))
    result.update(largest_remainder(parties["municipalities"], weights))
    return result


def member_ref(member) -> MemberRef:
    return MemberRef(
        pk=member.pk,
        kind=member.kind,
        contribution_share=member.contribution_share or Decimal("0"),
        municipality_id=member.municipality_id if member.kind == MemberKind.MUNICIPALITY else None,
        name=member.name,
    )
