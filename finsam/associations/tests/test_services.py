import datetime

import pytest
from django.core.exceptions import ValidationError

from finsam.associations.models import Association
from finsam.associations.services import (
    association_create,
    association_update,
    municipality_member_name,
)
from finsam.core.access import Access
from finsam.core.roles import Role
from finsam.reference.models import Municipality

# The operator (who alone creates associations), as the services see the caller.
OPERATOR = Access(user=None, roles=frozenset({Role.OPERATOR}), is_operator=True)

pytestmark = pytest.mark.django_db


def skaraborg():
    return list(Municipality.objects.filter(code__in=["1496", "1499", "1497"]))


def create(**overrides):
    kwargs = {
        "name": "Samordningsförbundet Östra Skaraborg",
        "slug": "ostra-skaraborg",
        "org_number": "2220001834",
        "start_date": datetime.date(2008, 1, 1),
        "municipalities": skaraborg(),
    }
    kwargs.update(overrides)
    return association_create(access=OPERATOR, **kwargs)


def error_of(exc_info, field):
    return exc_info.value.message_dict[field]


# --- Associations ------------------------------------------------------------------------------


def test_it_creates_an_association_with_its_municipalities():
    association = create(contact_person="Anna Andersson", contact_email="anna@example.se")

    assert association.org_number == "222000-1834"
    assert {m.code for m in association.municipalities.all()} == {"1496", "1499", "1497"}
    assert association.contact_person == "Anna Andersson"


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"org_number": "222000-1835"}, "org_number", "kontrollsiffran"),
        ({"org_number": "12345"}, "org_number", "NNNNNN-NNNN"),
        ({"municipalities": []}, "municipalities", "Välj minst en kommun"),
        ({"end_date": datetime.date(2000, 1, 1)}, "end_date", "före startdatum"),
        ({"slug": "inte ett kortnamn"}, "slug", ""),
    ],
)
def test_it_refuses_bad_association_input_and_saves_nothing(overrides, field, message):
    with pytest.raises(ValidationError) as exc:
        create(**overrides)

    assert message in " ".join(error_of(exc, field))
    assert not Association.objects.filter(slug="ostra-skaraborg").exists()


def test_it_refuses_a_taken_name_slug_or_org_number():
    create()
    with pytest.raises(ValidationError) as exc:
        create(name="samordningsförbundet östra skaraborg", slug="x", org_number="556036-0793")
    assert error_of(exc, "name") == ["Det finns redan ett samordningsförbund med det namnet."]
    with pytest.raises(ValidationError) as exc:
        create(name="Annat", slug="ostra-skaraborg", org_number="556036-0793")
    assert "Kortnamnet" in error_of(exc, "slug")[0]
    with pytest.raises(ValidationError) as exc:
        create(name="Annat", slug="annat", org_number="222000-1834")
    assert "Organisationsnumret används" in error_of(exc, "org_number")[0]


def test_it_updates_an_association_and_keeps_the_start_date_when_not_given():
    association = create()
    start = association.start_date
    vara = Municipality.objects.get(code="1470")

    association_update(
        access=OPERATOR,
        association=association,
        name="Samordningsförbundet Skaraborg",
        slug="skaraborg",
        org_number="222000 1834",
        municipalities=[vara],
        description="Vi finansierar insatser.",
    )

    association.refresh_from_db()
    assert association.name == "Samordningsförbundet Skaraborg"
    assert association.start_date == start
    assert [m.code for m in association.municipalities.all()] == ["1470"]
    assert association.description == "Vi finansierar insatser."


def test_a_failed_update_changes_nothing():
    association = create()
    with pytest.raises(ValidationError):
        association_update(
            access=OPERATOR,
            association=association,
            name="Nytt namn",
            slug="nytt",
            org_number="222000-1834",
            municipalities=[],
        )
    association.refresh_from_db()
    assert association.name == "Samordningsförbundet Östra Skaraborg"
    assert association.municipalities.count() == 3


@pytest.mark.parametrize(
    "name, expected",
    [("Skövde", "Skövde kommun"), ("Mark", "Marks kommun"), ("Borås", "Borås kommun")],
)
def test_it_names_municipality_members(name, expected):
    assert municipality_member_name(Municipality(name=name)) == expected
