import datetime

from django.http import QueryDict
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam.applications.formdef import (
    amount_applied,
    applied_by_year,
    clean_answers,
    missing,
    period,
    row_action,
    section_state,
    standard_form,
)
from finsam.applications.formdef.types import TYPES

FORM = standard_form()


def post(**data):
    q = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            q.setlist(key, value)
        else:
            q[key] = value
    return q


def form_with(*blocks):
    return {
        "version": 1,
        "title": "T",
        "sections": [{"key": "s", "title": "S", "blocks": list(blocks)}],
    }


def test_amounts_are_whole_kronor_zero_or_more():
    form = form_with({"key": "belopp", "type": "amount", "label": "Belopp"})
    assert clean_answers(form, {"belopp": "1 096 000"}) == ({"belopp": 1096000}, {})
    assert clean_answers(form, {"belopp": "1\u00a0096\u00a0000 kr"}) == ({"belopp": 1096000}, {})
    assert clean_answers(form, {"belopp": ""}) == ({"belopp": None}, {})
    for bad in ("-1", "12,5", "abc", True, [1], "1e400"):
        answers, errors = clean_answers(form, {"belopp": bad})
        assert answers == {}
        assert errors == {"belopp": "Ange ett belopp i hela kronor, 0 eller mer."}


def test_numbers_respect_decimals_and_bounds():
    form = form_with(
        {"key": "antal", "type": "number", "label": "Antal", "min": 0, "max": 100},
        {"key": "andel", "type": "number", "label": "Andel", "decimals": 1},
    )
    assert clean_answers(form, {"antal": "15", "andel": "12,5"}) == (
        {"antal": 15, "andel": "12.5"},
        {},
    )
    assert clean_answers(form, {"antal": "1.5"})[1] == {"antal": "Ange ett heltal."}
    assert clean_answers(form, {"antal": "101"})[1] == {"antal": "Ange ett tal som är högst 100."}
    assert clean_answers(form, {"andel": "1,25"})[1] == {"andel": "Ange högst 1 decimaler."}


def test_text_length_choice_and_date():
    form = form_with(
        {"key": "name", "type": "text", "label": "Namn", "max_length": 5},
        {
            "key": "val",
            "type": "choice",
            "label": "Val",
            "options": [{"code": "a", "label": "A"}, {"code": "b", "label": "B"}],
        },
        {
            "key": "flera",
            "type": "choice",
            "label": "Flera",
            "multiple": True,
            "options": [{"code": "a", "label": "A"}, {"code": "b", "label": "B"}],
        },
        {"key": "dag", "type": "date", "label": "Dag"},
    )
    answers, errors = clean_answers(
        form, post(name="  Kraft ", val="b", flera=["b", "a", "b"], dag="2026-09-01")
    )
    assert errors == {}
    assert answers == {"name": "Kraft", "val": "b", "flera": ["a", "b"], "dag": "2026-09-01"}
    _answers, errors = clean_answers(
        form, {"name": "för lång", "val": "c", "flera": ["x"], "dag": "1 sept"}
    )
    assert errors == {
        "name": "Texten får vara högst 5 tecken (nu 8).",
        "val": "Välj ett av alternativen.",
        "flera": "Välj bland alternativen.",
        "dag": "Ange ett datum som 2026-09-01.",
    }


def budget_post(**extra):
    data = {
        "budget-first_year": "2026",
        "budget-year_count": "2",
        "budget-cost_count": "2",
        "budget-cost-0-label": "Projektledare",
        "budget-cost-0-2026": "600 000",
        "budget-cost-0-2027": "300000",
        "budget-cost-1-label": "Friskvård",
        "budget-cost-1-2026": "30000",
        "budget-cost-1-2027": "",
        "budget-fin-association-2026": "500000",
        "budget-fin-association-2027": "300000",
        "budget-fin-own_financing-2026": "130000",
    }
    data.update(extra)
    return post(**data)


def test_budget_from_post_gives_the_amount_applied_per_year():
    answers, errors = clean_answers(FORM, budget_post(), section="budget")
    assert errors == {}
    assert answers["budget"] == {
        "years": [2026, 2027],
        "costs": [
            {"label": "Projektledare", "amounts": {"2026": 600000, "2027": 300000}},
            {"label": "Friskvård", "amounts": {"2026": 30000}},
        ],
        "financiers": {
            "association": {"2026": 500000, "2027": 300000},
            "own_financing": {"2026": 130000},
        },
    }
    assert applied_by_year(FORM, answers) == {2026: 500000, 2027: 300000}
    assert amount_applied(FORM, answers) == 800000
    # In balance: no budget problem.
    assert not [p for p in missing(FORM, answers) if p.key == "budget"]


def test_budget_cell_errors_are_keyed_by_cell_and_unbalanced_budget_is_a_problem():
    _answers, errors = clean_answers(
        FORM, budget_post(**{"budget-cost-1-2027": "12,50"}), section="budget"
    )
    assert errors == {"budget-cost-1-2027": "Ange ett belopp i hela kronor, 0 eller mer."}
    answers, _errors = clean_answers(
        FORM, budget_post(**{"budget-fin-own_financing-2026": "0"}), section="budget"
    )
    problems = [p for p in missing(FORM, answers) if p.key == "budget"]
    assert [p.message for p in problems] == [
        "Budget per år: År 2026: finansieringen (500\u00a0000\u00a0kr) är inte lika med "
        "kostnaderna (630\u00a0000\u00a0kr)."
    ]
    assert problems[0].anchor == "block-budget-fin-association-2026"


def test_timeline_gives_the_period_and_checks_order():
    answers, errors = clean_answers(
        FORM,
        post(
            **{
                "timeline-start": "2013-09-01",
                "timeline-end": "2014-08-31",
                "timeline-row_count": "1",
                "timeline-row-0-activity": "Motivation",
                "timeline-row-0-start": "2013-09",
                "timeline-row-0-end": "2013-12",
            }
        ),
        section="timeline",
    )
    assert errors == {}
    assert period(FORM, answers) == (datetime.date(2013, 9, 1), datetime.date(2014, 8, 31))
    _answers, errors = clean_answers(
        FORM,
        {
            "timeline": {
                "start": "2014-09-01",
                "end": "2014-01-01",
                "rows": [{"activity": "A", "start": "2014-05", "end": "2014-02"}],
            }
        },
    )
    assert errors == {
        "timeline-end": "Slutdatum kan inte vara före startdatum.",
        "timeline-row-0-end": "Slutmånaden kan inte vara före startmånaden.",
    }
    assert period(FORM, {}) == (None, None)


def test_group_entries_and_their_required_children():
    answers, errors = clean_answers(
        FORM,
        post(
            **{
                "contacts-count": "3",
                "contacts-0-name": "Anna",
                "contacts-0-phone": "046-35 53 35",
                "contacts-2-role": "Projektchef",
            }
        ),
        section="contacts",
    )
    assert errors == {}
    # Rows stay where they were (the buttons address them by number); the empty second one asks
    # for nothing, the third lacks its required name.
    assert [e["name"] for e in answers["contacts"]] == ["Anna", None, None]
    assert answers["contacts"][2]["role"] == "Projektchef"
    problems = [p for p in missing(FORM, answers) if p.key == "contacts"]
    assert [(p.anchor, p.message) for p in problems] == [
        ("block-contacts-2-name", "Kontaktpersoner: Fyll i Namn (3).")
    ]
    # A group whose rows are all empty is unanswered.
    empty, _errors = clean_answers(FORM, post(**{"contacts-count": "2"}), section="contacts")
    assert [p.message for p in missing(FORM, empty) if p.key == "contacts"] == [
        "Fyll i Kontaktpersoner."
    ]


def test_missing_lists_required_blocks_with_section_and_anchor():
    problems = missing(FORM, {})
    keys = [p.key for p in problems]
    assert "project_name" in keys and "budget" in keys and "timeline" in keys and "contacts" in keys
    assert "partners" not in keys  # not required
    first = problems[0]
    assert (first.key, first.label, first.section, first.anchor, first.message) == (
        "project_name",
        "Projektets namn",
        "project",
        "block-project_name",
        "Fyll i Projektets namn.",
    )
    state = section_state(FORM, {"project_name": "Kraft"})
    assert state["project"]["answered"] == 1 and not state["project"]["complete"]
    assert state["partners"]["complete"]


def test_stored_answers_that_no_longer_pass_are_problems_too():
    problems = missing(FORM, {"participants_planned": -3})
    assert [p.message for p in problems if p.key == "participants_planned"] == [
        "Planerat antal deltagare: Ange ett tal som är minst 0."
    ]


def test_row_actions_add_and_remove_rows():
    answers = row_action(FORM, {}, "add:contacts")
    answers = row_action(FORM, answers, "add:contacts")
    assert len(answers["contacts"]) == 2
    answers["contacts"][0]["name"] = "Anna"
    answers = row_action(FORM, answers, "remove:contacts:1")
    assert answers["contacts"] == [
        {"name": "Anna", "role": None, "organisation": None, "phone": None, "email": None}
    ]
    answers = row_action(FORM, answers, "add:budget")
    assert answers["budget"]["costs"] == [{"label": "", "amounts": {}}]
    assert row_action(FORM, answers, "remove:budget:7") == answers
    assert row_action(FORM, answers, "drop:everything") == answers
    assert row_action(FORM, answers, "add:project_name") == answers


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
block_keys = [b["key"] for s in FORM["sections"] for b in s["blocks"]]


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(block_keys), json_values, max_size=8))
def test_clean_answers_never_raises_on_any_json(raw):
    answers, errors = clean_answers(FORM, raw)
    assert set(answers) | {k.split("-")[0] for k in errors} <= set(raw)
    # What was accepted is clean: cleaning it again changes nothing.
    again, again_errors = clean_answers(FORM, answers)
    assert again_errors == {}
    assert again == answers
    missing(FORM, raw)  # and the completeness check copes too


post_names = st.sampled_from(
    [
        "project_name",
        "participants_planned",
        "budget-first_year",
        "budget-year_count",
        "budget-cost_count",
        "budget-cost-0-label",
        "budget-cost-0-2026",
        "budget-fin-association-2026",
        "timeline-start",
        "timeline-row_count",
        "timeline-row-0-start",
        "contacts-count",
        "contacts-0-name",
        "starting_points",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(post_names, st.text(max_size=20)), max_size=15))
def test_clean_answers_never_raises_on_any_post(pairs):
    q = QueryDict(mutable=True)
    for name, value in pairs:
        q.appendlist(name, value)
    answers, _errors = clean_answers(FORM, q)
    assert clean_answers(FORM, answers)[1] == {}


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(min_value=2000, max_value=2090), min_size=0, max_size=1).map(
        lambda y: y[0] if y else 2026
    ),
    st.integers(min_value=1, max_value=5),
    st.lists(
        st.lists(st.integers(min_value=0, max_value=10**9), min_size=5, max_size=5), max_size=6
    ),
    st.lists(st.integers(min_value=0, max_value=10**9), min_size=5, max_size=5),
)
def test_budget_totals_are_the_sums_of_the_cells(first, count, lines, applicant):
    years = list(range(first, first + count))
    value = {
        "years": years,
        "costs": [
            {"label": f"Rad {n}", "amounts": {str(y): line[i] for i, y in enumerate(years)}}
            for n, line in enumerate(lines)
        ],
        "financiers": {"association": {str(y): applicant[i] for i, y in enumerate(years)}},
    }
    answers, errors = clean_answers(FORM, {"budget": value})
    assert errors == {}
    block = next(b for s in FORM["sections"] for b in s["blocks"] if b["key"] == "budget")
    totals = TYPES["budget"].totals(block, answers["budget"])
    for i, year in enumerate(years):
        assert totals["costs"][year] == sum(line[i] for line in lines)
        assert totals["applied"][year] == applicant[i]
    assert applied_by_year(FORM, answers) == {y: applicant[i] for i, y in enumerate(years)}


def test_rich_text_saved_unchanged_keeps_its_formatting():
    from finsam.applications.formdef import keep_formatting
    from finsam.applications.formdef.render import bind

    old = {"starting_points": "<p><i>Mål:</i> Utveckla <b>metoder</b>.</p>"}
    block = next(b for s in FORM["sections"] for b in s["blocks"] if b["key"] == "starting_points")
    shown = bind(block, old["starting_points"], {}).value
    assert shown == "Mål: Utveckla metoder."
    cleaned, _errors = clean_answers(FORM, post(starting_points=shown), section="starting_points")
    assert keep_formatting(FORM, old, cleaned) == old
    cleaned, _errors = clean_answers(
        FORM, post(starting_points=shown + " Mer."), section="starting_points"
    )
    assert keep_formatting(FORM, old, cleaned) == {
        "starting_points": "<p>Mål: Utveckla metoder. Mer.</p>"
    }
