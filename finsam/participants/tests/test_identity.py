import datetime

import pytest
from django.core.exceptions import ValidationError

from finsam.participants.identity import new_pseudonym, parse_personal_number


def test_it_accepts_a_personnummer_and_derives_birth_date_and_gender():
    pn = parse_personal_number("19811218-9876")
    assert pn.normalized == "198112189876"
    assert pn.birth_date == datetime.date(1981, 12, 18)
    assert pn.legal_gender == "man"
    assert not pn.is_coordination_number
    assert pn.age_on(datetime.date(2021, 12, 17)) == 39
    assert pn.age_on(datetime.date(2021, 12, 18)) == 40


def test_it_accepts_a_samordningsnummer():
    # Day 18 + 60 = 78; check digit computed for 811278-987?
    pn = parse_personal_number("19811278-9873")
    assert pn.is_coordination_number
    assert pn.birth_date == datetime.date(1981, 12, 18)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "format"),
        ("abc", "format"),
        ("811218-9876", "format"),
        ("19811318-9876", "date"),
        ("20010229-1234", "date"),
        ("19811218-9877", "check_digit"),
    ],
)
def test_it_rejects_bad_numbers_with_a_swedish_message(raw, code):
    with pytest.raises(ValidationError) as exc:
        parse_personal_number(raw)
    assert exc.value.code == code
    assert exc.value.messages[0][0].isupper()


def test_pseudonyms_are_unique_enough():
    values = {new_pseudonym() for _ in range(1000)}
    assert len(values) == 1000
    assert all(v.startswith("D-") and len(v) == 9 for v in values)
