"""The setting SMALL_CELL_LIMIT decides which counts are hidden and how they are labelled, on
the page, in the downloads and in the API alike (`registrations` of test_views: in the region,
3 women aged 19–24, 4 men aged 45–54, 2 men exited with "arbete")."""

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from finsam.accounts.models import ApiToken
from finsam.statistics import engine
from finsam.statistics.engine import Cell
from finsam.statistics.tests.test_views import (  # noqa: F401 (fixture)
    card_table_html,
    csv_rows,
    registrations,
    row,
    tables,
    url,
    xlsx_rows,
)

LIMIT_3 = override_settings(SMALL_CELL_LIMIT=3)


@pytest.mark.parametrize(
    ("limit", "label", "hidden", "shown"), [(5, "1–4", 4, 5), (3, "1–2", 2, 3), (2, "1", 1, 2)]
)
def test_the_limit_decides_what_is_hidden_and_the_label(limit, label, hidden, shown):
    with override_settings(SMALL_CELL_LIMIT=limit):
        assert engine.small_cell_label() == label
        assert Cell(None).display == label
        assert (
            engine.is_small_cell(hidden)
            and not engine.is_small_cell(shown)
            and not engine.is_small_cell(0)
        )
        assert str(engine.SUPPRESSION_TEXT).startswith(f"Antal från 1 till {limit - 1} visas")


@LIMIT_3
def test_the_page_and_its_downloads_follow_the_limit(registrations, client_for):  # noqa: F811
    world = registrations
    client = client_for(world.analyst)
    response = client.get(url(world, "region"))
    html = response.content.decode()
    assert 'aria-hidden="true">1–2</span>' in html
    assert "Antal från 1 till 2 visas inte (visas som ”1–2”)" in html
    t = tables(response)
    # 3 and 4 are shown with the limit 3 (hidden with the default 5); 2 is hidden.
    assert row(t["age_group"], "19-24").women.value == 3
    assert row(t["age_group"], "45-54").men.value == 4
    assert row(t["exit_reason"], "arbete").men.value is None
    assert "1–2" in card_table_html(html, "exit_reason")
    assert "1–4" not in card_table_html(html, "exit_reason")

    csv = csv_rows(client.get(url(world, "region") + "&export=csv&table=exit_reason").content)
    assert "1–2" in [value for r in csv for value in r]
    assert "2" not in [value for r in csv for value in r[1:]]
    csv = csv_rows(client.get(url(world, "region") + "&export=csv&table=age_group").content)
    assert ["19–24 år", "3", "0", "0", "3"] in csv

    rows = xlsx_rows(client.get(url(world, "region") + "&export=xlsx&table=exit_reason").content)
    assert "1 till 2" in " ".join(str(r[0]) for r in rows[:4])
    assert "1–2" in [value for r in rows for value in r]


@LIMIT_3
def test_the_api_follows_the_limit(registrations):  # noqa: F811
    world = registrations
    _token, key = ApiToken.objects.create(user=world.analyst, name="t", last_used=timezone.now())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    query = "period_start=2024-01-01&period_end=2024-12-31"
    data = client.get(f"/api/v1/statistics/national/?{query}").json()
    assert "1 till 2" in data["suppression_text"]
    by_dimension = {t["dimension"]: t for t in data["tables"]}
    age = {r["key"]: r for r in by_dimension["age_group"]["rows"]}
    assert age["19-24"]["women"] == 3 and age["45-54"]["men"] == 4
    exits = {r["key"]: r for r in by_dimension["exit_reason"]["rows"]}
    assert exits["arbete"]["men"] is None and exits["arbete"]["suppressed"] is True
