"""Statistics pages: scopes as every role, filters, HTMX, downloads, suppression, privacy, queries.

`registrations` builds known enrolments (period 2024):
- A / Cresco Create (target group "unga-16-29"): 3 women aged 22 from Skövde, 6 men aged 40 from
  Falköping (2 of the men exited 2024-06-30 with "arbete"); an old enrolment of 2022; a wrong
  registration (felregistrering) that never counts.
- A / Level Upgrade (target group "sjukskrivna"): 5 women aged 30 from Skövde.
- B / Rätt Hjälp: 4 men aged 50 from Göteborg.
All three associations' municipalities are in Västra Götalands län.
"""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finsam.participants.models import Gender
from finsam.participants.tests.factories import EnrolmentFactory
from finsam.reference.models import Code, CodeList, Municipality, Region
from finsam.statistics import engine, selectors

PERIOD = "period_start=2024-01-01&period_end=2024-12-31"
HX = {"HTTP_HX_REQUEST": "true"}


def code(code_list, value):
    return Code.objects.get(code_list=code_list, code=value)


def enrol(initiative, n, *, gender, age, municipality, start, **kwargs):
    out = []
    for _ in range(n):
        enrolment = EnrolmentFactory(
            initiative=initiative,
            gender=gender,
            participant__gender=gender,
            age_at_start=age,
            home_municipality=municipality,
            start_date=start,
            **kwargs,
        )
        out.append(enrolment)
    return out


@pytest.fixture
def registrations(world):
    skovde = Municipality.objects.get(code="1496")
    falkoping = Municipality.objects.get(code="1499")
    goteborg = Municipality.objects.get(code="1480")
    world.a.municipalities.set([skovde, falkoping])
    world.b.municipalities.set([goteborg])
    world.a_initiative.target_groups.set([code(CodeList.TARGET_GROUP, "unga-16-29")])
    world.a_other.target_groups.set([code(CodeList.TARGET_GROUP, "sjukskrivna")])
    start = datetime.date(2024, 2, 1)
    women = enrol(
        world.a_initiative, 3, gender=Gender.WOMAN, age=22, municipality=skovde, start=start
    )
    for enrolment in women:
        enrolment.income_sources_before.set([code(CodeList.INCOME_SOURCE, "forsorjningsstod")])
    men = enrol(
        world.a_initiative, 6, gender=Gender.MAN, age=40, municipality=falkoping, start=start
    )
    for enrolment in men[:2]:
        enrolment.end_date = datetime.date(2024, 6, 30)
        enrolment.exit_reason = code(CodeList.EXIT_REASON, "arbete")
        enrolment.save()
    enrol(
        world.a_initiative,
        1,
        gender=Gender.MAN,
        age=40,
        municipality=falkoping,
        start=datetime.date(2022, 1, 1),
        end_date=datetime.date(2022, 12, 31),
        exit_reason=code(CodeList.EXIT_REASON, "avslutad-enligt-plan"),
    )
    enrol(
        world.a_initiative,
        1,
        gender=Gender.WOMAN,
        age=22,
        municipality=skovde,
        start=start,
        end_date=datetime.date(2024, 3, 1),
        exit_reason=code(CodeList.EXIT_REASON, "felregistrering"),
    )
    enrol(world.a_other, 5, gender=Gender.WOMAN, age=30, municipality=skovde, start=start)
    enrol(world.b_initiative, 4, gender=Gender.MAN, age=50, municipality=goteborg, start=start)
    return world


def region_id():
    return Region.objects.get(code="14").pk


def url(world, kind, obj=None, query=PERIOD):
    if kind == "national":
        path = "/statistics/national/"
    elif kind == "region":
        path = f"/statistics/region/{obj or region_id()}/"
    elif kind == "association":
        path = f"/statistics/association/{getattr(world, obj or 'a').pk}/"
    else:
        path = f"/statistics/initiative/{getattr(world, obj).pk}/"
    return f"{path}?{query}" if query else path


def tables(response) -> dict:
    out = {card["table"].dimension: card["table"] for card in response.context["cards"]}
    out["headline"] = response.context["headline_table"]
    return out


def row(table, key):
    return next(r for r in table.rows if r.key == key)


def values(r):
    return [c.value for c in r.cells]


def card_table_html(html: str, dimension: str) -> str:
    """The <table> of one card (not its chart)."""
    start = html.index(f'id="table-{dimension}"')
    section = html[start : html.index("</section>", start)]
    return section[section.index("<table") : section.index("</table>")]


# --- Index ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("secretariat", "association"),
        ("board", "association"),
        ("analyst", "association"),
        ("operator", "association"),
        ("initiative_manager", "a_initiative"),
        ("registrar", "a_initiative"),
        ("applicant", "a_initiative"),
    ],
)
def test_it_opens_the_best_default_scope(world, client_for, who, expected):
    response = client_for(world.user(who)).get("/statistics/?period_start=2024-01-01")
    assert response.status_code == 302
    if expected == "association":
        assert (
            response["Location"] == f"/statistics/association/{world.a.pk}/?period_start=2024-01-01"
        )
    else:
        assert response["Location"].startswith(f"/statistics/initiative/{world.a_initiative.pk}/")


def test_it_tells_a_user_without_scope_that_there_is_nothing(world, client_for):
    response = client_for(world.no_role).get("/statistics/")
    assert response.status_code == 200
    assert "ingen insats eller något förbund" in response.content.decode()


def test_it_asks_anonymous_visitors_to_log_in(client, world):
    for path in ("/statistics/", url(world, "national"), url(world, "initiative", "a_initiative")):
        response = client.get(path)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


# --- Permissions ----------------------------------------------------------------------------

USERS = [
    "operator",
    "secretariat",
    "initiative_manager",
    "registrar",
    "board",
    "applicant",
    "analyst",
    "b_secretariat",
    "b_registrar",
    "no_role",
]
#                      op   sec  mgr  reg  brd  app  ana  bsec breg none
SCOPES = [
    ("initiative", "a_initiative", [200, 200, 200, 200, 200, 200, 200, 404, 404, 404]),
    ("initiative", "a_other", [200, 200, 404, 404, 200, 404, 200, 404, 404, 404]),
    ("initiative", "b_initiative", [404, 404, 404, 404, 404, 404, 404, 200, 200, 404]),
    ("association", "a", [200, 200, 403, 403, 200, 403, 200, 404, 403, 403]),
    ("association", "b", [404, 404, 403, 403, 404, 403, 404, 200, 403, 403]),
    ("region", None, [200, 200, 403, 403, 200, 403, 200, 200, 403, 403]),
    ("national", None, [200, 200, 403, 403, 200, 403, 200, 200, 403, 403]),
]


@pytest.mark.parametrize(
    ("kind", "obj", "expected"), SCOPES, ids=[f"{k}-{o}" for k, o, _e in SCOPES]
)
def test_every_scope_as_every_role(registrations, client_for, kind, obj, expected):
    world = registrations
    for who, status in zip(USERS, expected, strict=True):
        client = client_for(world.user(who))
        response = client.get(url(world, kind, obj))
        assert response.status_code == status, f"{who} {kind} {obj}: {response.status_code}"
        download = client.get(url(world, kind, obj) + "&export=xlsx&table=all")
        assert download.status_code == status, f"{who} download {kind} {obj}"
        chart = client.get(url(world, kind, obj) + "&chart=gender", **HX)
        assert chart.status_code == status, f"{who} chart {kind} {obj}"


def test_an_unknown_region_or_kind_answers_404(world, client_for):
    client = client_for(world.secretariat)
    assert client.get("/statistics/region/999999/").status_code == 404
    assert client.get("/statistics/planet/1/").status_code == 404
    assert (
        client.get(f"/statistics/initiative/{world.a_initiative.pk}/?export=pdf").status_code == 404
    )


# --- Figures and filters --------------------------------------------------------------------


def test_it_shows_the_headline_and_every_table_of_the_association(registrations, client_for):
    world = registrations
    response = client_for(world.secretariat).get(url(world, "association"))
    assert response.status_code == 200
    t = tables(response)
    assert set(t) == {"headline", *engine.DIMENSIONS}
    assert values(row(t["headline"], "active")) == [8, 6, 0, 14]
    assert values(row(t["headline"], "new")) == [8, 6, 0, 14]
    assert values(row(t["headline"], "exited")) == [0, 2, 0, 2]
    assert values(row(t["headline"], "active_at_end")) == [8, 4, 0, 12]
    assert values(row(t["gender"], "woman")) == [8, 0, 0, 8]
    assert values(row(t["age_group"], "19-24")) == [3, 0, 0, 3]
    assert values(row(t["exit_reason"], "arbete")) == [0, 2, 0, 2]
    html = response.content.decode()
    # Every table is a card with its title, download links and a chart (loaded after the page).
    for dimension in engine.DIMENSIONS:
        assert f'id="table-{dimension}"' in html
        assert f"export=xlsx&amp;table={dimension}" in html
        assert f"export=csv&amp;table={dimension}" in html
        assert f"chart={dimension}" in html
    assert "Ladda ner allt (XLSX)" in html
    # Gender columns by default; the association's own page suppresses nothing.
    gender_table = card_table_html(html, "age_group")
    assert "Kvinnor" in gender_table and "Män" in gender_table
    assert "1–4" not in html
    assert "Små antal visas inte" not in html


def test_the_initiative_page_has_the_summary_in_words(registrations, client_for):
    world = registrations
    response = client_for(world.manager).get(url(world, "initiative", "a_initiative"))
    assert response.status_code == 200
    t = tables(response)
    assert values(row(t["headline"], "active")) == [3, 6, 0, 9]
    assert values(row(t["headline"], "active_at_end")) == [3, 4, 0, 7]
    assert "Den 31 december 2024 hade Cresco Create" in response.content.decode()
    # One initiative: no initiative filter.
    assert 'name="initiative"' not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "active"),
    [
        ("period_start=2022-01-01&period_end=2022-12-31", [0, 1, 0, 1]),
        (PERIOD + "&initiative={a_other}", [5, 0, 0, 5]),
        (PERIOD + "&initiative={a_other}&initiative={a_initiative}", [8, 6, 0, 14]),
        (PERIOD + "&target_group={unga}", [3, 6, 0, 9]),
        (PERIOD + "&target_group={sjukskrivna}", [5, 0, 0, 5]),
        (PERIOD + "&municipality={falkoping}", [0, 6, 0, 6]),
        (PERIOD + "&municipality={falkoping}&municipality={skovde}", [8, 6, 0, 14]),
    ],
)
def test_filters_change_the_figures(registrations, client_for, query, active):
    world = registrations
    query = query.format(
        a_other=world.a_other.pk,
        a_initiative=world.a_initiative.pk,
        unga=code(CodeList.TARGET_GROUP, "unga-16-29").pk,
        sjukskrivna=code(CodeList.TARGET_GROUP, "sjukskrivna").pk,
        falkoping=Municipality.objects.get(code="1499").pk,
        skovde=Municipality.objects.get(code="1496").pk,
    )
    response = client_for(world.secretariat).get(url(world, "association", query=query))
    assert response.status_code == 200
    assert values(row(tables(response)["headline"], "active")) == active


def test_without_period_it_shows_this_year_so_far(world, client_for):
    response = client_for(world.secretariat).get(url(world, "association", query=""))
    today = datetime.date.today()
    form = response.context["form"]
    assert form.cleaned_data["period_start"] == datetime.date(today.year, 1, 1)
    assert form.cleaned_data["period_end"] == today


@pytest.mark.parametrize(
    ("preset", "start", "end"),
    [
        ("t1", "2021-01-01", "2021-04-30"),
        ("jan_aug", "2021-01-01", "2021-08-31"),
        ("year", "2021-01-01", "2021-12-31"),
    ],
)
def test_quick_picks_choose_the_period_of_the_year_looked_at(world, client_for, preset, start, end):
    query = f"period_start=2021-03-01&period_end=2021-06-30&preset={preset}"
    client = client_for(world.secretariat)
    response = client.get(url(world, "association", query=query), **HX)
    assert response.status_code == 200
    # The pushed URL is canonical: the dates, never the quick pick.
    assert response["HX-Push-Url"] == url(
        world, "association", query=f"period_start={start}&period_end={end}"
    )
    html = response.content.decode()
    assert 'id="stats-period"' in html and 'hx-swap-oob="true"' in html
    assert f'value="{start}"' in html and f'value="{end}"' in html


def test_last_year_is_relative_to_today(world, client_for):
    response = client_for(world.secretariat).get(
        url(world, "association", query="preset=last_year")
    )
    year = datetime.date.today().year - 1
    assert response.context["form"].cleaned_data["period_start"] == datetime.date(year, 1, 1)
    assert response.context["form"].cleaned_data["period_end"] == datetime.date(year, 12, 31)


def test_totals_only_hides_the_gender_columns(registrations, client_for):
    world = registrations
    client = client_for(world.secretariat)
    split = card_table_html(client.get(url(world, "association")).content.decode(), "age_group")
    totals = card_table_html(
        client.get(url(world, "association", query=PERIOD + "&totals_only=on")).content.decode(),
        "age_group",
    )
    assert "Kvinnor</th>" in split and "Totalt</th>" in split
    assert "Kvinnor</th>" not in totals and "Män</th>" not in totals and "Totalt</th>" in totals


def test_totals_only_charts_the_totals(registrations, client_for):
    world = registrations
    client = client_for(world.secretariat)
    split = client.get(url(world, "association") + "&chart=age_group", **HX).content.decode()
    totals_url = url(world, "association", query=PERIOD + "&totals_only=on") + "&chart=age_group"
    totals = client.get(totals_url, **HX).content.decode()
    assert ">Kvinnor<" in split and ">Män<" in split  # the legend of bars by gender
    assert ">Kvinnor<" not in totals and ">Män<" not in totals  # one bar a row, no legend
    # The page inlines the chart drawn for its own choice, not the other one.
    html = client.get(url(world, "association", query=PERIOD + "&totals_only=on")).content.decode()
    section = html[html.index('id="table-age_group"') :]
    section = section[: section.index("</section>")]
    assert "<svg" in section and ">Kvinnor<" not in section


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("period_start=2024-12-31&period_end=2024-01-01", "Periodens startdatum måste vara före"),
        ("period_start=2024-13-45&period_end=2024-12-31", "Fyll i ett giltigt datum"),
        (PERIOD + "&initiative={b_initiative}", "Välj ett giltigt alternativ"),
        (PERIOD + "&municipality=abc", "är inte ett giltigt värde"),
    ],
)
def test_bad_filters_show_a_swedish_error_and_no_figures(world, client_for, query, message):
    query = query.format(b_initiative=world.b_initiative.pk)
    client = client_for(world.secretariat)
    for headers in ({}, HX):
        response = client.get(url(world, "association", query=query), **headers)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Kontrollera filtret" in html
        assert message in html
        assert "cards" not in response.context or not response.context.get("cards")
        assert "HX-Push-Url" not in response
    download = client.get(url(world, "association", query=query) + "&export=csv&table=gender")
    assert download.status_code == 400
    assert message in download.content.decode()


# --- HTMX ---------------------------------------------------------------------------------


def test_an_htmx_request_gets_the_results_only_and_the_url_to_push(registrations, client_for):
    world = registrations
    client = client_for(world.secretariat)
    query = PERIOD + f"&initiative={world.a_other.pk}"
    full = client.get(url(world, "association", query=query))
    partial = client.get(url(world, "association", query=query), **HX)
    assert full.status_code == partial.status_code == 200
    full_html, partial_html = full.content.decode(), partial.content.decode()
    assert "<html" in full_html and 'id="stats-filter"' in full_html
    assert "<html" not in partial_html and 'id="stats-filter"' not in partial_html
    assert partial_html.lstrip().startswith('<div id="stats-results"')
    assert partial["HX-Push-Url"] == url(world, "association", query=query)
    assert "HX-Request" in partial["Vary"]
    # The same figures in both, and the chosen count and scope menu updated out of band.
    assert tables(full)["headline"].rows[0].total.value == 5
    assert tables(partial)["headline"].rows[0].total.value == 5
    assert card_table_html(full_html, "gender") == card_table_html(partial_html, "gender")
    assert 'id="stats-count-initiative" hx-swap-oob="true">1 vald' in partial_html
    assert 'id="stats-scope-menu" class="dropdown" hx-swap-oob="true"' in partial_html
    # No quick pick: the period inputs the user is typing in are left alone.
    assert 'id="stats-period"' not in partial_html


def test_a_chart_is_fetched_as_an_svg_fragment_and_then_inlined(registrations, client_for):
    world = registrations
    client = client_for(world.secretariat)
    fragment = client.get(url(world, "association") + "&chart=age_group", **HX)
    assert fragment.status_code == 200
    assert fragment.content.decode().strip().startswith("<svg")
    assert client.get(url(world, "association") + "&chart=nonsense", **HX).status_code == 404
    # Drawn once, the chart comes inline with the page.
    html = client.get(url(world, "association")).content.decode()
    section = html[html.index('id="table-age_group"') :]
    section = section[: section.index("</section>")]
    assert "<svg" in section and "hx-get" not in section


# --- Downloads ------------------------------------------------------------------------------


def xlsx_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def xlsx_block(rows, title) -> list[list]:
    """The rows of one table: from its header row (title + column labels) to the total."""
    start = next(i for i, r in enumerate(rows) if r[0] == title and r[1] == "Kvinnor")
    block = []
    for r in rows[start:]:
        if r[0] is None:
            break
        block.append(r)
    return block


def csv_rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_downloads_carry_the_filters_and_read_back(registrations, client_for):
    world = registrations
    client = client_for(world.secretariat)
    query = PERIOD + f"&initiative={world.a_initiative.pk}"
    page = client.get(url(world, "association", query=query))
    age = tables(page)["age_group"]

    response = client.get(url(world, "association", query=query) + "&export=xlsx&table=all")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        'filename="statistik-samordningsforbundet-a-2024-01-01-2024-12-31.xlsx"'
        in response["Content-Disposition"]
    )
    rows = xlsx_rows(response.content)
    assert rows[0][0] == "Statistik: Samordningsförbundet A"
    assert "Insatser: Cresco Create" in rows[1][0]
    block = xlsx_block(rows, age.title)
    by_label = {r[0]: tuple(r[1:5]) for r in block}
    assert by_label["19–24 år"] == (3, 0, 0, 3)
    assert by_label["35–44 år"] == (0, 6, 0, 6)
    assert by_label["Totalt"] == (3, 6, 0, 9)
    for table in tables(page).values():
        assert any(r[0] == table.title for r in rows), table.title

    one = client.get(url(world, "association", query=query) + "&export=xlsx&table=gender")
    assert one.status_code == 200
    assert one["Content-Disposition"].endswith('-gender.xlsx"')
    rows = xlsx_rows(one.content)
    assert {r[0] for r in rows if r[0]} >= {"Kön", "Kvinnor", "Män", "Totalt"}
    assert "Åldersgrupp (ålder vid start)" not in {r[0] for r in rows}

    response = client.get(url(world, "association", query=query) + "&export=csv&table=age_group")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    parsed = csv_rows(response.content)
    assert parsed[0] == [age.title, "Kvinnor", "Män", "Annat/ej angivet", "Totalt"]
    assert ["19–24 år", "3", "0", "0", "3"] in parsed
    assert parsed[-1] == ["Totalt", "3", "6", "0", "9"]

    headline = client.get(url(world, "association", query=query) + "&export=csv&table=headline")
    assert csv_rows(headline.content)[1][1:] == ["3", "6", "0", "9"]


def test_csv_of_all_tables_or_an_unknown_table_is_404(world, client_for):
    client = client_for(world.secretariat)
    assert client.get(url(world, "association") + "&export=csv&table=all").status_code == 404
    assert client.get(url(world, "association") + "&export=xlsx&table=nope").status_code == 404


# --- Suppression ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["region", "national"])
def test_small_counts_are_suppressed_outside_the_association(registrations, client_for, kind):
    world = registrations
    client = client_for(world.analyst)
    response = client.get(url(world, kind))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Små antal visas inte" in html
    assert str(engine.SUPPRESSION_TEXT)[:60] in html
    t = tables(response)
    # A and B together: 8 women and 10 men; the three 22-year-old women are a small cell.
    assert values(row(t["headline"], "active")) == [8, 10, 0, 18]
    assert row(t["age_group"], "19-24").women.value is None
    age_html = card_table_html(html, "age_group")
    assert "1–4" in age_html
    assert not re.search(r">\s*3\s*<", age_html), "a suppressed 3 leaked into the table"

    rows = xlsx_rows(client.get(url(world, kind) + "&export=xlsx&table=age_group").content)
    block = xlsx_block(rows, t["age_group"].title)
    by_label = {r[0]: tuple(r[1:5]) for r in block}
    assert by_label["19–24 år"][0] == "1–4"
    assert 3 not in [v for r in block for v in r[1:5]]
    assert "1 till 4" in " ".join(str(r[0]) for r in rows[:4])

    parsed = csv_rows(client.get(url(world, kind) + "&export=csv&table=age_group").content)
    age_row = next(r for r in parsed if r[0] == "19–24 år")
    assert age_row[1] == "1–4"
    assert "3" not in [v for r in parsed for v in r[1:]]

    chart = client.get(url(world, kind) + "&chart=age_group", **HX).content.decode()
    assert "1–4" in chart
    assert not re.search(r">\s*3\s*<", chart)


def test_the_own_association_and_initiative_show_the_small_count(registrations, client_for):
    world = registrations
    response = client_for(world.secretariat).get(url(world, "association"))
    age_html = card_table_html(response.content.decode(), "age_group")
    assert re.search(r">\s*3\s*<", age_html)


def test_a_filtered_region_page_suppresses_a_single_initiatives_small_counts(
    registrations, client_for
):
    world = registrations
    query = PERIOD + f"&initiative={world.a_initiative.pk}"
    response = client_for(world.secretariat).get(url(world, "region", query=query))
    assert response.status_code == 200
    gender = tables(response)["gender"]
    assert row(gender, "woman").women.value is None
    assert not re.search(r">\s*3\s*<", card_table_html(response.content.decode(), "gender"))


# --- Privacy ----------------------------------------------------------------------------------


def test_no_personal_data_in_pages_downloads_or_urls(registrations, client_for):
    world = registrations
    from finsam.participants.models import Participant

    secrets = []
    for participant in Participant.objects.all():
        secrets += [participant.personal_number, participant.name, participant.pseudonym]
    secrets = [s for s in secrets if s]
    assert secrets
    client = client_for(world.secretariat)
    bodies = []
    for kind, obj in (("association", None), ("initiative", "a_initiative"), ("national", None)):
        page = client.get(url(world, kind, obj))
        bodies.append(page.content.decode())
        bodies.append(
            client.get(url(world, kind, obj) + "&export=csv&table=gender").content.decode()
        )
        workbook = client.get(url(world, kind, obj) + "&export=xlsx&table=all").content
        bodies.append(" ".join(str(v) for r in xlsx_rows(workbook) for v in r if v is not None))
    for body in bodies:
        for secret in secrets:
            assert secret not in body


# --- Queries --------------------------------------------------------------------------------


def count_page_queries(client, path):
    """The queries of the page computed (not taken from the statistics cache)."""
    caches[selectors.CACHE].clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context)


def test_the_association_page_uses_the_same_number_of_queries_for_3_or_30_enrolments(
    world, client_for
):
    client = client_for(world.secretariat)
    skovde = Municipality.objects.get(code="1496")
    world.a.municipalities.set([skovde])
    start = datetime.date(2024, 2, 1)
    enrol(world.a_initiative, 3, gender=Gender.WOMAN, age=25, municipality=skovde, start=start)
    path = url(world, "association")
    client.get(path)  # warm caches (site, session)
    few = count_page_queries(client, path)
    income = code(CodeList.INCOME_SOURCE, "lon")
    for enrolment in enrol(
        world.a_other, 27, gender=Gender.MAN, age=45, municipality=skovde, start=start
    ):
        enrolment.income_sources_before.set([income])
    many = count_page_queries(client, path)
    assert few == many
    assert many < 80
