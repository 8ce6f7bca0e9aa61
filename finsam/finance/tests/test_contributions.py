"""The 50/25/25 split and the 100 % check of the members' shares (finance.contributions)."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from finsam.associations.models import Member, MemberKind
from finsam.finance.contributions import largest_remainder, share_check

DAY = datetime.date(2025, 6, 1)


def member(kind, share, **kwargs):
    return Member(kind=kind, contribution_share=Decimal(share), **kwargs)


def test_a_correct_split_with_two_regions_and_many_municipalities_is_ok():
    members = [
        member(MemberKind.FORSAKRINGSKASSAN, "50"),
        member(MemberKind.ARBETSFORMEDLINGEN, "0"),
        member(MemberKind.REGION, "12.5"),
        member(MemberKind.REGION, "12.5"),
        *[member(MemberKind.MUNICIPALITY, "3.125") for _ in range(8)],
    ]
    check = share_check(members, DAY)
    assert check.ok
    assert check.total == 100
    assert check.parties == {"state": 50, "region": 25, "municipalities": 25}


def test_it_names_every_party_that_is_off():
    check = share_check(
        [member(MemberKind.FORSAKRINGSKASSAN, "60"), member(MemberKind.REGION, "12.5")], DAY
    )
    assert not check.ok
    assert check.problems == [
        "Medlemmarnas andelar är tillsammans 72,5 %, inte 100 %.",
        "Andelen för staten (Försäkringskassan och Arbetsförmedlingen) är 60 %; "
        "enligt finsamlagen ska den vara 50 %.",
        "Andelen för region(er) är 12,5 %; enligt finsamlagen ska den vara 25 %.",
        "Andelen för kommuner är 0 %; enligt finsamlagen ska den vara 25 %.",
    ]


def test_it_counts_only_members_valid_on_the_day():
    members = [
        member(MemberKind.FORSAKRINGSKASSAN, "50"),
        member(MemberKind.REGION, "25"),
        member(MemberKind.MUNICIPALITY, "25", valid_to=datetime.date(2024, 12, 31)),
        member(MemberKind.MUNICIPALITY, "25", valid_from=datetime.date(2025, 1, 1)),
        member(MemberKind.MUNICIPALITY, "25", valid_from=datetime.date(2026, 1, 1)),
    ]
    assert share_check(members, DAY).ok


def test_an_empty_association_is_flagged():
    assert not share_check([], DAY).ok


def test_a_sum_split_by_shares_adds_up_to_the_krona():
    shares = {1: Decimal("50"), 2: Decimal("25"), 3: Decimal("12.5"), 4: Decimal("12.5")}
    assert largest_remainder(1_000_001, shares) == {1: 500_001, 2: 250_000, 3: 125_000, 4: 125_000}
    thirds = largest_remainder(100, {"a": 1, "b": 1, "c": 1})
    assert thirds == {"a": 34, "b": 33, "c": 33}
    for total in (0, 1, 7, 7_953_000, 10**9 + 7):
        for weights in (
            {1: 3.125, 2: 0.1, 3: 96.775},
            {1: Decimal("33.333"), 2: Decimal("66.667")},
        ):
            parts = largest_remainder(total, weights)
            assert sum(parts.values()) == total
            assert all(part >= 0 for part in parts.values())


@given(
    total=st.integers(min_value=0, max_value=10**12),
    weights=st.lists(
        st.decimals(min_value=0, max_value=100, places=3).filter(lambda d: d > 0),
        min_size=1,
        max_size=40,
    ),
)
def test_the_parts_always_add_up_to_the_whole(total, weights):
    parts = largest_remainder(total, dict(enumerate(weights)))
    assert sum(parts.values()) == total
    whole = sum(weights)
    for key, weight in enumerate(weights):
        # Each part is its exact share rounded down or up.
        assert abs(parts[key] - total * weight / whole) < 1
