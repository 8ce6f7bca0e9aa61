"""The indicator pages and their XLSX: figures, suppression, and who may see what."""

import io

import pytest
from django.urls import reverse

from finsam.indicators.tests.answers import many, questionnaire

ROLES_SEEING_THE_ASSOCIATION = ("secretariat", "board", "analyst", "operator")


@pytest.fixture
def answered(world):
    version = questionnaire()
    many(
        version,
        association=world.a,
        item="D02",
        choices=["6"] * 6 + ["1"] * 4,
        initiative=world.a_initiative,
        gender="woman",
    )
    many(
        version,
        association=world.a,
        item="D03",
        choices=["6", "6"],
        initiative=world.a_initiative,
        gender="man",
    )
    many(version, association=world.b, item="D02", choices=["1"] * 8, initiative=world.b_initiative)
    return version


def url(kind, pk, **query):
    base = reverse("indicators:scope", kwargs={"kind": kind, "obj_id": pk})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize("who", ROLES_SEEING_THE_ASSOCIATION)
def test_association_roles_see_the_association_with_shares_and_suppression(
    world, answered, client_for, who
):
    client = client_for(world.user(who))
    response = client.get(url("association", world.a.pk, year=2026))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Deltagare känner att de insatser som erbjuds är organiserade runt deras behov" in body
    assert "60 %" in body  # P1: 6 of 10
    assert "För få svar" in body  # P2: 2 answers
    assert "<svg" in body and 'role="img"' in body


def test_the_index_sends_the_secretariat_to_the_association_and_a_manager_to_the_initiative(
    world, client_for
):
    response = client_for(world.secretariat).get(reverse("indicators:index"))
    assert response.url == url("association", world.a.pk)
    response = client_for(world.manager).get(reverse("indicators:index"))
    assert response.url == url("initiative", world.a_initiative.pk)


def test_a_manager_sees_the_own_initiative_only(world, answered, client_for):
    client = client_for(world.manager)
    assert client.get(url("initiative", world.a_initiative.pk, year=2026)).status_code == 200
    assert client.get(url("initiative", world.a_other.pk)).status_code == 404
    assert client.get(url("association", world.a.pk)).status_code == 403


@pytest.mark.parametrize("who", ("registrar", "applicant", "no_role", "reviewer"))
def test_others_get_no_indicators(world, answered, client_for, who):
    client = client_for(world.user(who))
    assert client.get(url("initiative", world.a_initiative.pk)).status_code in (403, 404)
    assert client.get(url("association", world.a.pk)).status_code in (403, 404)


@pytest.mark.parametrize("who", ("secretariat", "board", "analyst", "manager"))
def test_another_associations_initiative_and_association_are_404(world, answered, client_for, who):
    client = client_for(world.user(who))
    assert client.get(url("initiative", world.b_initiative.pk)).status_code == 404
    if who != "manager":
        assert client.get(url("association", world.b.pk)).status_code == 404


def test_a_bad_year_gets_a_clear_message_not_an_error(world, answered, client_for):
    response = client_for(world.secretariat).get(url("association", world.a.pk, year="abc"))
    assert response.status_code == 200
    assert "Ange året som fyra siffror" in response.content.decode()


def test_the_xlsx_has_one_sheet_per_respondent_group_with_n_share_target_met(
    world, answered, client_for
):
    from openpyxl import load_workbook

    response = client_for(world.secretariat).get(
        url("association", world.a.pk, year=2026, export="xlsx")
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Alla svarsgrupper"
    assert "Deltagare under insatsen" in book.sheetnames
    assert "Insatspersonal" in book.sheetnames
    sheet = book["Deltagare under insatsen"]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows["Kod"][2:] == ("Antal svar", "Andel positiva", "Mål", "Uppfyllt")
    assert rows["P1"][2:] == (10, 0.6, "minst 80 %", "Ej uppfyllt")
    assert rows["P2"][2] == "1" or rows["P2"][2] == "1–4"
    assert rows["P2"][3] == "För få svar"


def test_the_chart_draws_no_bar_for_a_hidden_figure(world, answered):
    from finsam.indicators import selectors
    from finsam.indicators.charts import indicator_chart_svg

    found = selectors.results(association=world.a, year=2026, initiative=world.a_initiative)
    svg = indicator_chart_svg(found)
    assert svg.count("<rect") >= 2
    assert "P2: Cresco Create För få svar" in svg  # the text alternative
    assert "60 %" in svg and "100 %" in svg


def test_the_association_page_compares_with_region_and_all_associations(
    world, answered, client_for
):
    body = client_for(world.secretariat).get(url("association", world.a.pk, year=2026))
    assert "Alla förbund" in body.content.decode()
    body = client_for(world.secretariat).get(url("initiative", world.a_initiative.pk, year=2026))
    assert "Alla förbund" not in body.content.decode().split("<table")[1]
