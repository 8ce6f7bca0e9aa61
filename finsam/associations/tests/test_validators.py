import pytest
from django.core.exceptions import ValidationError

from finsam.associations.tests.factories import org_number
from finsam.associations.validators import normalize_org_number, validate_org_number


@pytest.mark.parametrize(
    "value, expected",
    [
        ("222000-0018", "222000-0018"),
        ("2220000018", "222000-0018"),
        (" 556036-0793 ", "556036-0793"),
        ("212000-0142", "212000-0142"),
    ],
)
def test_it_accepts_and_normalises_valid_org_numbers(value, expected):
    assert normalize_org_number(value) == expected


@pytest.mark.parametrize("value", ["", "22200-0018", "222000-00189", "abcdef-ghij", "222000/0018"])
def test_it_rejects_a_badly_formed_org_number_in_swedish(value):
    with pytest.raises(ValidationError) as exc:
        normalize_org_number(value)
    assert exc.value.messages == ["Organisationsnumret ska ha tio siffror i formen NNNNNN-NNNN."]


def test_it_rejects_a_wrong_check_digit_in_swedish():
    with pytest.raises(ValidationError) as exc:
        normalize_org_number("556036-0794")
    assert "kontrollsiffran" in exc.value.messages[0]


def test_the_model_validator_wants_the_hyphenated_form():
    validate_org_number("556036-0793")
    with pytest.raises(ValidationError):
        validate_org_number("5560360793")


def test_the_factory_makes_valid_numbers():
    for n in (0, 1, 42, 999_999):
        assert normalize_org_number(org_number(n)) == org_number(n)
