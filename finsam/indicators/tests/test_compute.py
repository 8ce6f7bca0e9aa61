"""Indicator computation with known answers: scores, "vet ej", suppression, year on year, pools."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam.associations.tests.factories import AssociationFactory
from finsam.indicators import compute, selectors
from finsam.indicators.compute import Figure, Rule, suppress
from finsam.indicators.models import Indicator
from finsam.indicators.tests.answers import many, questionnaire
from finsam.initiatives.tests.factories import InitiativeFactory

RULE = Rule(
    code="P1",
    questionnaire_codes=("nns-deltagare",),
    item_codes=("D02",),
    positive_codes=("5", "6"),
    minimum=5,
    target_share=Decimal(80),
)


# --- Pure: tabulate and suppress ----------------------------------------------------------------


def row(year, group, gender, n, p, key="p1"):
    return {"year": year, "group": group, "gender": gender, f"n_{key}": n, f"p_{key}": p}


def test_it_sums_rows_into_total_gender_group_and_previous_year():
    rows = [
        row(2026, "participant_during", "woman", 6, 5),
        row(2026, "participant_exit", "woman", 4, 4),
        row(2026, "participant_during", "man", 10, 6),
        row(2025, "participant_during", "man", 10, 5),
    ]
    (result,) = compute.tabulate(rows, [RULE], 2026)
    assert (result.total.n, result.total.positive) == (20, 15)
    assert result.total.share == 0.75
    assert result.met is False  # 75 % < at least 80 %
    assert (result.by_gender["woman"].n, result.by_gender["man"].n) == (10, 10)
    assert result.by_gender["other"].n == 0
    assert result.by_group["participant_exit"].hidden == compute.SMALL  # 4 < 5
    # the other group would reveal it from the total: hidden too
    assert result.by_group["participant_during"].hidden == compute.SECONDARY
    assert result.previous.share == 0.5
    assert round(result.change) == 25


def test_the_target_is_met_exactly_without_rounding():
    rows = [row(2026, "participant_during", "woman", 10, 8)]
    (result,) = compute.tabulate(rows, [RULE], 2026)
    assert result.met is True  # 80 % is at least 80 %
    at_most = Rule(**{**RULE.__dict__, "at_least": False, "target_share": Decimal("79.9")})
    (result,) = compute.tabulate(rows, [at_most], 2026)
    assert result.met is False


def test_a_small_total_is_hidden_with_no_share_and_no_verdict():
    rows = [row(2026, "participant_during", "woman", 3, 3)]
    (result,) = compute.tabulate(rows, [RULE], 2026)
    assert result.total.hidden == compute.SMALL
    assert result.total.share is None
    assert result.met is None
    assert result.by_gender["woman"].hidden == compute.SMALL


def test_a_single_small_gender_gets_company_so_it_cannot_be_subtracted():
    rows = [
        row(2026, "participant_during", "woman", 12, 6),
        row(2026, "participant_during", "man", 9, 6),
        row(2026, "participant_during", "", 2, 1),
    ]
    (result,) = compute.tabulate(rows, [RULE], 2026)
    assert result.by_gender["other"].hidden == compute.SMALL
    assert result.by_gender["man"].hidden == compute.SECONDARY  # the smallest other
    assert result.by_gender["woman"].shown and result.total.shown


def test_a_pool_is_hidden_when_the_rest_beyond_the_own_figures_is_small():
    own = Figure(20, 10)
    rows = [row(2026, "participant_during", "woman", 23, 12)]
    assert compute.pool_figure(rows, RULE, 2026, [own]).hidden == compute.POOL
    rows = [row(2026, "participant_during", "woman", 25, 12)]
    pool = compute.pool_figure(rows, RULE, 2026, [own])
    assert pool.shown and pool.share == 12 / 25


lines_strategy = st.lists(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=1, max_size=5),
    min_size=1,
    max_size=3,
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=1, max_size=4),
    st.integers(2, 10),
)
def test_suppression_never_leaks_a_cell_below_the_minimum(cells, minimum):
    figures = [Figure(n, min(p, n)) for n, p in cells]
    total = Figure(sum(f.n for f in figures), sum(f.positive for f in figures))
    line = [*figures, total]
    suppress([line], minimum)
    for figure in line:
        if 1 <= figure.n < minimum:
            assert figure.hidden
        if figure.share is not None:
            assert 0 <= figure.share <= 1
    hidden = [f for f in line if f.hidden]
    # Never exactly one hidden figure in a line: it could be worked out from the others.
    assert len(hidden) != 1 or hidden[0].n == 0


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["woman", "man", "", "x"]),
            st.sampled_from(["participant_during", "participant_exit", "staff"]),
            st.integers(0, 20),
            st.integers(0, 20),
        ),
        max_size=12,
    ),
    st.integers(2, 8),
)
def test_every_shown_share_is_in_0_1_and_no_small_figure_is_shown(data, minimum):
    rule = Rule(**{**RULE.__dict__, "minimum": minimum})
    rows = [row(2026, group, gender, n, min(p, n)) for gender, group, n, p in data]
    (result,) = compute.tabulate(rows, [rule], 2026)
    for line in result.lines():
        hidden = [f for f in line if f.hidden]
        assert len(hidden) != 1 or hidden[0].n == 0
        for figure in line:
            assert not (figure.shown and 1 <= figure.n < minimum)
            assert figure.share is None or 0 <= figure.share <= 1


# --- With the database: the query -------------------------------------------------------------


@pytest.fixture
def national(db):
    return {i.code: i for i in Indicator.objects.national()}


def test_sixteen_national_indicators_ship_with_three_verified(national):
    assert len(national) == 16
    assert sorted(c for c, i in national.items() if i.verified) == ["P1", "P2", "P3"]
    assert national["P1"].text() == (
        "Deltagare känner att de insatser som erbjuds är organiserade runt deras behov"
    )
    kinds = [i.kind for i in national.values()]
    assert kinds.count("process") == 11 and kinds.count("effect") == 5  # 10 + 5, and J16


def test_the_query_counts_known_answers_and_leaves_out_vet_ej(national):
    a = AssociationFactory()
    version = questionnaire()
    # 7 answers to D02: 5 and 6 positive (4 of them), two "vet ej" not counted.
    many(
        version,
        association=a,
        item="D02",
        choices=["6", "5", "6", "2", "5", "3", "1"],
        gender="woman",
    )
    many(version, association=a, item="D02", choices=["vet_ej", "vet_ej"], gender="man")
    # last year
    many(version, association=a, item="D02", choices=["1", "1", "6", "6", "6"], period="2025-H2")
    found = selectors.results(association=a, year=2026)
    p1 = dict(zip([i.code for i in found.indicators], found.results, strict=True))["P1"]
    assert (p1.total.n, p1.total.positive) == (7, 4)
    assert p1.by_gender["man"].n == 0
    assert p1.total.share == pytest.approx(4 / 7)
    assert p1.met is False
    assert (p1.previous.n, p1.previous.positive) == (5, 3)


def test_an_association_questionnaire_does_not_feed_a_national_indicator(national):
    a = AssociationFactory()
    own = questionnaire(association=a)
    many(own, association=a, item="D02", choices=["6"] * 6)
    found = selectors.results(association=a, year=2026)
    assert found.results[0].total.n == 0


def test_an_indicator_by_a_minimum_value_on_0_10(db):
    a = AssociationFactory()
    version = questionnaire(code="egen", association=a, items=["N1"])
    Indicator.objects.create(
        association=a,
        code="N1",
        level="participant",
        kind="effect",
        questionnaire_codes=["egen"],
        item_codes=["N1"],
        min_value=Decimal(5),
        texts={"sv": {"text": "Nöjd"}},
        minimum_n=2,
    )
    many(version, association=a, item="N1", choices=["6", "5", "4", "1"])
    found = selectors.results(association=a, year=2026)
    res = next(r for i, r in found.pairs() if i.code == "N1")
    assert (res.total.n, res.total.positive) == (4, 2)


def test_initiative_scope_and_pools_of_region_and_installation(national):
    from finsam.reference.models import Municipality, Region

    region = Region.objects.get(code="14")
    other_region = Region.objects.get(code="12")
    first, second = Municipality.objects.filter(region=region)[:2]
    a, b, c = AssociationFactory(), AssociationFactory(), AssociationFactory()
    a.municipalities.add(first)
    b.municipalities.add(second)
    c.municipalities.add(Municipality.objects.filter(region=other_region).first())
    initiative = InitiativeFactory(association=a)
    version = questionnaire()
    many(version, association=a, item="D02", choices=["6"] * 6, initiative=initiative)
    many(version, association=a, item="D02", choices=["1"] * 6)
    many(version, association=b, item="D02", choices=["6"] * 10)
    many(version, association=c, item="D02", choices=["1"] * 3)
    found = selectors.results(association=a, year=2026)
    p1 = found.results[0]
    assert (p1.total.n, p1.total.positive) == (12, 6)
    assert (p1.region.n, p1.region.positive) == (22, 16)
    assert p1.region.shown
    # the installation holds 3 answers beyond the region: hidden
    assert p1.installation.n == 25 and p1.installation.hidden == compute.POOL
    one = selectors.results(association=a, year=2026, initiative=initiative)
    assert (one.results[0].total.n, one.results[0].total.positive) == (6, 6)
    assert one.results[0].region is None
