"""The members and their contribution shares (finance.services.member_save, member_delete)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from finsam.associations.models import Member, MemberKind
from finsam.associations.tests.factories import AssociationFactory, MemberFactory
from finsam.core.access import Access
from finsam.core.roles import Role
from finsam.finance.services import member_delete, member_save
from finsam.reference.models import Municipality, Region

# The operator, as the services see the caller.
OPERATOR = Access(user=None, roles=frozenset({Role.OPERATOR}), is_operator=True)

pytestmark = pytest.mark.django_db


def error_of(exc_info, field):
    return exc_info.value.message_dict[field]


@pytest.fixture
def association():
    return AssociationFactory()


def save(association, **kwargs):
    kwargs.setdefault("kind", MemberKind.FORSAKRINGSKASSAN)
    kwargs.setdefault("contribution_share", Decimal("25"))
    return member_save(access=OPERATOR, association=association, **kwargs)


def test_it_adds_the_four_kinds_of_member_with_default_names(association):
    skovde = Municipality.objects.get(code="1496")
    falkoping = Municipality.objects.get(code="1499")
    vg = Region.objects.get(code="14")

    fk = save(association, kind=MemberKind.FORSAKRINGSKASSAN)
    af = save(association, kind=MemberKind.ARBETSFORMEDLINGEN)
    region = save(association, kind=MemberKind.REGION, region=vg, name="Västra Götalandsregionen")
    m1 = save(association, kind=MemberKind.MUNICIPALITY, municipality=skovde, contribution_share=15)
    m2 = save(
        association, kind=MemberKind.MUNICIPALITY, municipality=falkoping, contribution_share=10
    )

    assert (fk.name, af.name) == ("Försäkringskassan", "Arbetsförmedlingen")
    assert region.region == vg and region.municipality is None
    assert (m1.name, m2.name) == ("Skövde kommun", "Falköpings kommun")
    assert sum(m.contribution_share for m in association.members.all()) == 100


def test_it_clears_place_fields_that_do_not_fit_the_kind(association):
    member = save(
        association,
        kind=MemberKind.FORSAKRINGSKASSAN,
        municipality=Municipality.objects.get(code="1496"),
        region=Region.objects.get(code="14"),
    )
    assert member.municipality is None and member.region is None


@pytest.mark.parametrize(
    "kwargs, field, message",
    [
        ({"kind": MemberKind.MUNICIPALITY}, "municipality", "måste ha en kommun"),
        ({"kind": MemberKind.REGION, "name": "Regionen"}, "region", "måste ha en region"),
        ({"contribution_share": Decimal("-1")}, "contribution_share", "mellan 0 och 100"),
        ({"contribution_share": Decimal("100.5")}, "contribution_share", "mellan 0 och 100"),
        ({"kind": "bank"}, "kind", "giltig medlemstyp"),
        (
            {"valid_from": datetime.date(2024, 1, 1), "valid_to": datetime.date(2023, 1, 1)},
            "valid_to",
            "före giltig från",
        ),
    ],
)
def test_it_refuses_bad_member_input_and_saves_nothing(association, kwargs, field, message):
    with pytest.raises(ValidationError) as exc:
        save(association, **kwargs)
    assert message in " ".join(error_of(exc, field))
    assert not Member.objects.exists()


def test_it_keeps_the_total_at_most_100_percent(association):
    save(association, kind=MemberKind.FORSAKRINGSKASSAN, contribution_share=50)
    save(association, kind=MemberKind.ARBETSFORMEDLINGEN, contribution_share=40)

    with pytest.raises(ValidationError) as exc:
        save(
            association,
            kind=MemberKind.REGION,
            region=Region.objects.get(code="14"),
            name="Västra Götalandsregionen",
            contribution_share=Decimal("10.5"),
        )

    assert error_of(exc, "contribution_share") == [
        "Medlemmarnas andelar blir tillsammans 100,5 %; de får inte överstiga 100 %."
    ]
    assert association.members.count() == 2


def test_the_total_counts_only_members_valid_at_the_same_time(association):
    skovde = Municipality.objects.get(code="1496")
    save(association, contribution_share=75)
    old = save(
        association,
        kind=MemberKind.MUNICIPALITY,
        municipality=skovde,
        contribution_share=25,
        valid_to=datetime.date(2023, 12, 31),
    )
    # The successor starts when the old member ends: fine.
    save(
        association,
        kind=MemberKind.MUNICIPALITY,
        municipality=Municipality.objects.get(code="1499"),
        contribution_share=25,
        valid_from=datetime.date(2024, 1, 1),
    )
    # Extending the old member into the successor's period would pass 100 %.
    with pytest.raises(ValidationError):
        save(
            association,
            member=old,
            kind=MemberKind.MUNICIPALITY,
            municipality=skovde,
            contribution_share=25,
            valid_to=datetime.date(2024, 6, 30),
        )


def test_editing_a_member_does_not_count_its_old_share(association):
    member = save(association, contribution_share=100)
    member = save(association, member=member, contribution_share=Decimal("99.5"))
    assert member.contribution_share == Decimal("99.5")
    assert association.members.count() == 1


def test_it_refuses_a_duplicate_member_name(association):
    save(association, kind=MemberKind.FORSAKRINGSKASSAN)
    with pytest.raises(ValidationError) as exc:
        save(association, kind=MemberKind.ARBETSFORMEDLINGEN, name="försäkringskassan")
    assert error_of(exc, "name") == ["Förbundet har redan en medlem med det namnet."]


def test_it_will_not_save_another_associations_member():
    member = MemberFactory()
    with pytest.raises(ValueError):
        save(AssociationFactory(), member=member)


def test_it_deletes_a_member():
    member = MemberFactory()
    member_delete(access=OPERATOR, member=member)
    assert not Member.objects.filter(pk=member.pk).exists()
