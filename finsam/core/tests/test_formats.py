import datetime

from django.template import Context, Template
from django.utils import translation

from finsam.core import formats


def test_numbers_are_grouped_with_a_no_break_space():
    assert formats.sv_number(1234567) == "1\u00a0234\u00a0567"
    assert formats.sv_number(12) == "12"
    assert formats.sv_number(-4500) == "-4\u00a0500"
    assert formats.sv_number(1234567, space=" ") == "1 234 567"


def test_kronor_amounts_and_percentages():
    with translation.override("sv"):
        assert formats.sv_kronor(12345) == "12\u00a0345\u00a0kr"
        assert formats.sv_kronor(None) == "–"
        assert formats.sv_amount("3000000") == "3\u00a0000\u00a0000"
        assert formats.sv_percent_value(26.44) == "26,4 %"
        assert formats.sv_percent_value("") == "–"
        assert formats.sv_percent_trimmed("12.500") == "12,5 %"
        assert formats.sv_percent_trimmed(None) == ""
    assert formats.rounded_percent(1, 8) == 13  # 12.5 rounds half up
    assert formats.rounded_percent(1, 0) == 0
    assert formats.sv_share(5, 7) == "71 %"


def test_dates():
    assert formats.sv_date(datetime.date(2021, 8, 31)) == "31 augusti 2021"
    assert (
        formats.sv_date_range(datetime.date(2021, 1, 1), datetime.date(2021, 8, 31))
        == "1 januari 2021 – 31 augusti 2021"
    )


def test_the_template_filters_use_the_same_functions():
    template = Template(
        "{% load sv_formats finance_tags %}{{ n|sv_number }}|{{ n|kronor }}|{{ n|kr }}|"
        "{{ day|sv_date }}|{{ none|sv_number }}"
    )
    with translation.override("sv"):
        text = template.render(Context({"n": 7953000, "day": datetime.date(2021, 1, 5)}))
    assert text == (
        "7\u00a0953\u00a0000|7\u00a0953\u00a0000\u00a0kr|7\u00a0953\u00a0000|5 januari 2021|–"
    )
