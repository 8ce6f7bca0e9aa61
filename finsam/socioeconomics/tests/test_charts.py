"""The estimate's chart: two lines (cost, gain) with the same figures in words; deterministic."""

from decimal import Decimal

import pytest

from finsam.socioeconomics import charts, services
from finsam.socioeconomics.selectors import result
from finsam.staff.access import build_access


@pytest.fixture
def estimate(world):
    return services.estimate_save(
        access=build_access(world.secretariat),
        initiative=world.a_initiative,
        title="Fem år",
        mode="initiative",
        cost_source="entered",
        cost_amount=Decimal(1_115_000),
        leaver_source="entered",
        leavers_municipality=8,
        leavers_state=0,
        years=5,
        note="",
    )


def test_the_chart_draws_cost_and_gain_with_the_figures_in_words(estimate):
    r = result(estimate)
    svg = charts.chart_svg(r)
    assert svg.count("<polyline") == 2
    assert svg.count("<circle") == 10  # a dot a year and line
    assert 'role="img"' in svg and "Linjediagram" in svg
    # The words name each year's cumulative cost and discounted gain, e.g. year 1: 1 296 000.
    assert "år 1: kostnad 1\xa0115\xa0000 kr, vinst 1\xa0296\xa0000 kr" in svg
    assert charts.chart_svg(result(estimate)) == svg
    assert "<script" not in svg and "<style" not in svg


def test_the_document_drawer_gives_svg_and_png(estimate):
    source = charts.chart_source(result(estimate))
    assert charts.LINE_CHARTS.draw(source, "svg").startswith("<svg")
    assert charts.LINE_CHARTS.draw(source, "png100").startswith(b"\x89PNG")
    assert charts.LINE_CHARTS.key(source, "svg") != charts.LINE_CHARTS.key(source, "png100")
