"""The compensation model's rules hold for every input."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from finsam.finance import compensation


@given(rate=st.integers(min_value=-(10**6), max_value=10**6), cap=st.integers(-(10**6), 10**6))
def test_a_rate_is_positive_and_a_cap_not_negative(rate, cap):
    data = {
        "kind": "per_participant_week",
        "rate_per_week": rate,
        "counting_rule": "enrolled_weeks",
        "caps": {"1496": cap},
    }
    try:
        cleaned = compensation.clean(data, municipality_codes={"1496"})
    except ValidationError as exc:
        errors = exc.message_dict
        assert ("rate_per_week" in errors) == (rate <= 0)
        assert ("cap_1496" in errors) == (cap < 0)
    else:
        assert rate > 0 and cap >= 0
        assert cleaned["rate_per_week"] == rate and cleaned["caps"] == {"1496": cap}


@pytest.mark.parametrize(
    "data, key",
    [
        ({}, "kind"),
        ({"kind": "fixed", "fixed_period": "year"}, "fixed_amount"),
        ({"kind": "fixed", "fixed_amount": 5}, "fixed_period"),
        ({"kind": "per_unit", "unit_price": 10}, "unit_name"),
        ({"kind": "per_unit", "unit_name": "kurs", "unit_price": "1,5"}, "unit_price"),
        (
            {"kind": "mixed", "fixed_amount": 5, "fixed_period": "year", "rate_per_week": 5},
            "counting_rule",
        ),
        (
            {
                "kind": "per_participant_week",
                "rate_per_week": 5,
                "counting_rule": "enrolled_weeks",
                "caps": {"9999": 1},
            },
            "cap_9999",
        ),
    ],
)
def test_what_each_kind_needs(data, key):
    with pytest.raises(ValidationError) as exc:
        compensation.clean(data, municipality_codes={"1496"})
    assert key in exc.value.message_dict


def test_only_the_kinds_fields_are_kept():
    cleaned = compensation.clean(
        {"kind": "fixed", "fixed_amount": "12 000", "fixed_period": "quarter", "rate_per_week": 9}
    )
    assert cleaned["fixed_amount"] == 12000 and cleaned["rate_per_week"] is None
    assert compensation.describe(cleaned)[1] == "Fast belopp: 12\u00a0000\u00a0kr per kvartal"
