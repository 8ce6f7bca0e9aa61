"""The members' contributions from the total: 50/25/25 and the municipal key, every split to
the krona (hypothesis), and the messages for a key that does not fit."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsam.associations.models import MemberKind
from finsam.finance import keys
from finsam.finance.keys import EQUAL, FIXED, POPULATION, POPULATION_16_64, KeySpec, MemberRef


def _members(n_municipalities, *, state_shares=(25, 25), region_shares=(25,)):
    members = [
        MemberRef(
            pk=1, kind=MemberKind.FORSAKRINGSKASSAN, contribution_share=Decimal(state_shares[0])
        ),
        MemberRef(
            pk=2, kind=MemberKind.ARBETSFORMEDLINGEN, contribution_share=Decimal(state_shares[1])
        ),
    ]
    for i, share in enumerate(region_shares):
        members.append(
            MemberRef(pk=10 + i, kind=MemberKind.REGION, contribution_share=Decimal(share))
        )
    for i in range(n_municipalities):
        members.append(
            MemberRef(
                pk=100 + i, kind=MemberKind.MUNICIPALITY, municipality_id=1000 + i, name=f"K{i}"
            )
        )
    return members


def test_the_worked_example_of_the_domain_notes():
    """§2.3: municipalities' 1 988 250 kr by population 56 000 / 33 000 / 11 000."""
    members = _members(3)
    populations = {
        1000: keys.Population(56_000, 30_000),
        1001: keys.Population(33_000, 20_000),
        1002: keys.Population(11_000, 6_000),
    }
    amounts = keys.split_contributions(7_953_000, members, KeySpec(), populations)
    assert amounts[100] == 1_113_420
    assert amounts[101] == 656_123
    assert amounts[102] == 218_707
    assert amounts[1] + amounts[2] == 3_976_500
    assert amounts[10] == 1_988_250
    assert sum(amounts.values()) == 7_953_000


weights_strategy = st.fixed_dictionaries(
    {b: st.integers(min_value=0, max_value=100) for b in keys.BASES}
).filter(lambda w: sum(w.values()) > 0)


@given(
    total=st.integers(min_value=0, max_value=10**11),
    n=st.integers(min_value=1, max_value=15),
    raw_weights=weights_strategy,
    pops=st.lists(st.integers(min_value=1, max_value=10**6), min_size=15, max_size=15),
    fixed=st.lists(st.integers(min_value=0, max_value=1000), min_size=15, max_size=15),
    state=st.tuples(st.integers(0, 50), st.integers(0, 50)),
)
def test_contributions_always_add_up_to_the_total_for_any_key(
    total, n, raw_weights, pops, fixed, state
):
    members = _members(n, state_shares=state)
    # Weights scaled so that they add up to exactly 100 (the key's rule), remainder to the first.
    raw_sum = sum(raw_weights.values())
    weights = {b: Decimal(w * 100) / raw_sum for b, w in raw_weights.items()}
    weights = {b: w.quantize(Decimal("0.1")) for b, w in weights.items()}
    heaviest = max(weights, key=weights.get)
    weights[heaviest] += Decimal(100) - sum(weights.values())
    fixed_raw = fixed[:n]
    if sum(fixed_raw) == 0:
        fixed_raw = [1] * n
    fixed_shares = {
        100 + i: (Decimal(f * 100) / sum(fixed_raw)).quantize(Decimal("0.001"))
        for i, f in enumerate(fixed_raw)
    }
    largest = max(fixed_shares, key=fixed_shares.get)
    fixed_shares[largest] += Decimal(100) - sum(fixed_shares.values())
    populations = {1000 + i: keys.Population(pops[i], pops[i] // 2 + 1) for i in range(n)}
    spec = KeySpec(weights=weights, fixed_shares=fixed_shares)
    amounts = keys.split_contributions(total, members, spec, populations)
    assert sum(amounts.values()) == total
    assert all(isinstance(a, int) and a >= 0 for a in amounts.values())
    parties = keys.party_amounts(total)
    assert amounts[1] + amounts[2] == parties["state"]
    assert amounts[10] == parties["region"]
    assert sum(amounts[100 + i] for i in range(n)) == parties["municipalities"]
    assert sum(parties.values()) == total
    # 50/25/25 to within a krona each.
    assert abs(parties["state"] * 2 - total) <= 2
    assert abs(parties["region"] * 4 - total) <= 4


@given(st.integers(min_value=0, max_value=10**12))
def test_the_party_split_is_50_25_25_to_the_krona(total):
    parts = keys.party_amounts(total)
    assert sum(parts.values()) == total
    assert parts["state"] >= parts["region"] and parts["state"] >= parts["municipalities"]


def test_equal_key_gives_equal_parts_within_a_krona():
    amounts = keys.split_contributions(1_000_003, _members(3), KeySpec({EQUAL: Decimal(100)}), {})
    municipal = [amounts[100], amounts[101], amounts[102]]
    assert max(municipal) - min(municipal) <= 1
    assert sum(amounts.values()) == 1_000_003


def test_mixed_key_weighs_the_bases():
    populations = {1000: keys.Population(300, 100), 1001: keys.Population(100, 100)}
    spec = KeySpec({POPULATION: Decimal(50), EQUAL: Decimal(50)})
    amounts = keys.split_contributions(400_000, _members(2), spec, populations)
    # municipalities 100 000: A = 50 % × 3/4 + 50 % × 1/2 = 62,5 %.
    assert amounts[100] == 62_500
    assert amounts[101] == 37_500


@pytest.mark.parametrize(
    ("spec", "populations", "message"),
    [
        (KeySpec({POPULATION: Decimal(60)}), {}, "vikter är tillsammans 60"),
        (
            KeySpec({FIXED: Decimal(100)}, {100: Decimal(70), 101: Decimal(40)}),
            {},
            "fasta andelarna är tillsammans 110",
        ),
        (KeySpec({FIXED: Decimal(100)}, {100: Decimal(70)}), {}, "Ange kommunens andel"),
        (
            KeySpec({POPULATION_16_64: Decimal(100)}),
            {1000: keys.Population(10, 5)},
            "saknas för K1",
        ),
        (KeySpec({EQUAL: Decimal(-10), POPULATION: Decimal(110)}), {}, "negativ"),
    ],
)
def test_a_key_that_does_not_fit_is_refused_in_swedish(spec, populations, message):
    with pytest.raises(keys.KeySplitError) as exc:
        keys.split_contributions(100_000, _members(2), spec, populations)
    assert message in str(exc.value)


def test_a_negative_total_and_missing_parties_are_refused():
    with pytest.raises(keys.KeySplitError, match="negativt"):
        keys.split_contributions(-1, _members(2), KeySpec({EQUAL: Decimal(100)}), {})
    only_municipalities = [m for m in _members(2) if m.kind == MemberKind.MUNICIPALITY]
    with pytest.raises(keys.KeySplitError, match="saknar en region"):
        keys.split_contributions(10, only_municipalities, KeySpec({EQUAL: Decimal(100)}), {})
