"""The 50/25/25 split and the 100 % check of the members' shares (finance.contributions)."""

import datetime
from decimal import Decimal

from finsam.associations.models import Member, MemberKind
from finsam.finance.contributions import share_check

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
