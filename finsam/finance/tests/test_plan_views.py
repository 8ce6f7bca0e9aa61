"""The operational plan pages: who reads, who writes, bad input in Swedish with nothing saved,
closed years read-only, the documents and the XLSX."""

import io

import pytest
from django.urls import reverse

from finsam.finance import plan
from finsam.finance.models import BudgetLine, ContributionKey, MemberContribution, YearClosure
from finsam.finance.tests import seed002

READERS = ["secretariat", "board", "analyst", "operator"]
NOT_READERS = ["manager", "registrar", "applicant", "no_role"]
PAGES = ["plan", "cost_report"]
WRITES = ["plan_lines", "contribution_key"]


@pytest.fixture
def seed(world):
    members, year, initiatives = seed002.build(world.a)
    return members, year, initiatives


def _url(name, year):
    return reverse(f"finance:{name}", args=[year.pk])


@pytest.mark.parametrize("role", READERS)
def test_readers_see_the_plan_and_the_cost_report(world, client_for, seed, role):
    _members, year, _initiatives = seed
    client = client_for(world.user(role))
    html = client.get(_url("plan", year)).content.decode()
    assert "Verksamhetsplan och budget 2020 med plan för 2021–2022" in html
    assert "Stärka individen" in html
    assert "6\xa0737\xa0000" in html  # the initiatives of seed 002
    assert ("Medlemsbidrag och fördelningsnyckel" in html) == (role == "secretariat")
    report = client.get(_url("cost_report", year))
    assert report.status_code == 200
    assert "Medel per finansiär" in report.content.decode()


@pytest.mark.parametrize("role", NOT_READERS)
def test_others_are_refused(world, client_for, seed, role):
    _members, year, _initiatives = seed
    client = client_for(world.user(role))
    for name in PAGES + WRITES + ["plan_pdf", "cost_report_xlsx"]:
        assert client.get(_url(name, year)).status_code in (403, 404)


@pytest.mark.parametrize("role", ["board", "analyst", "operator"])
def test_readers_cannot_write(world, client_for, seed, role):
    _members, year, _initiatives = seed
    client = client_for(world.user(role))
    for name in WRITES + ["year_close"]:
        assert client.post(_url(name, year), {"total": "100"}).status_code == 403
    assert not YearClosure.objects.exists()


def test_another_associations_year_is_404(world, client_for, seed):
    _members, year, _initiatives = seed
    client = client_for(world.b_secretariat)
    for name in PAGES + WRITES:
        assert client.get(_url(name, year)).status_code == 404


def test_the_secretariat_sets_the_key_and_sees_the_contributions(world, client_for, seed):
    members, year, _initiatives = seed
    client = client_for(world.secretariat)
    page = client.get(_url("contribution_key", year)).content.decode()
    assert "ej kontrollerad" in page and "56\xa0366" in page  # SCB figure, marked unverified
    response = client.post(
        _url("contribution_key", year),
        {"total": "7200000", "weight_population": "100", "population_date": "2019-12-31"},
    )
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "782\xa0004" in html  # Skövde by population
    assert MemberContribution.objects.get(member=members["1446"]).amount == 95_368
    # Submitting twice changes nothing and gives no duplicates.
    client.post(
        _url("contribution_key", year),
        {"total": "7200000", "weight_population": "100", "population_date": "2019-12-31"},
    )
    assert MemberContribution.objects.filter(association_year=year).count() == 9
    assert ContributionKey.objects.count() == 1


def test_bad_key_input_gives_swedish_messages_and_saves_nothing(world, client_for, seed):
    members, year, _initiatives = seed
    client = client_for(world.secretariat)
    data = {
        "total": "1000000",
        "weight_fixed": "100",
        f"fixed_{members['1496'].pk}": "80",
        f"fixed_{members['1499'].pk}": "40",
    }
    html = client.post(_url("contribution_key", year), data).content.decode()
    assert "Nyckeln sparades inte" in html
    assert "de får inte överstiga 100 %" in html
    assert "Ange kommunens andel i procent." in html
    assert f'href="#key-fixed_{members["1497"].pk}"' in html
    html = client.post(
        _url("contribution_key", year), {"total": "-5", "weight_equal": "100"}
    ).content.decode()
    assert "Beloppet kan inte vara negativt." in html
    html = client.post(
        _url("contribution_key", year), {"total": "100", "weight_equal": "60"}
    ).content.decode()
    assert "vikter är tillsammans 60 %" in html
    assert not MemberContribution.objects.exists()
    assert not ContributionKey.objects.exists()


def test_lines_are_saved_and_negative_amounts_refused(world, client_for, seed):
    _members, year, initiatives = seed
    client = client_for(world.secretariat)
    page = client.get(_url("plan_lines", year))
    assert page.status_code == 200
    budget = initiatives["Promise Hjo"].budgets.get(year=2020)
    bad = {"budget_EXP_FUTURE": "800000", "budget_EXP_EVAL": "-10"}
    html = client.post(_url("plan_lines", year), bad).content.decode()
    assert "Beloppet kan inte vara negativt." in html
    assert 'href="#plan-budget_EXP_EVAL"' in html
    assert not BudgetLine.objects.exists()
    good = {
        "budget_EXP_FUTURE": "800000",
        "text_EXP_FUTURE": "Parterna kan söka tre gånger om året.",
        f"outcome_i{budget.pk}": "1000000",
        f"forecast_i{budget.pk}": "1115000",
    }
    assert client.post(_url("plan_lines", year), good).status_code == 302
    html = client.get(_url("plan", year)).content.decode()
    assert "Framtida insatser" in html and "800\xa0000" in html and "1\xa0115\xa0000" in html


def test_a_closed_year_is_read_only_on_every_page(world, client_for, seed):
    _members, year, _initiatives = seed
    client = client_for(world.secretariat)
    assert client.post(_url("year_close", year)).status_code == 302
    assert YearClosure.objects.filter(association_year=year).exists()
    html = client.get(_url("plan", year)).content.decode()
    assert "Året 2020 är stängt" in html
    assert "Ändra budgetposter" not in html
    for name in WRITES:
        response = client.post(_url(name, year), {"total": "1", "budget_EXP_EVAL": "1"})
        assert response.status_code == 302
        assert "stängt och kan inte ändras" in client.get(response["Location"]).content.decode()
    assert not BudgetLine.objects.exists() and not ContributionKey.objects.exists()
    # Closing twice: a message, not an error.
    again = client.post(_url("year_close", year), follow=True)
    assert "stängt och kan inte ändras" in again.content.decode()
    # The year's existing form refuses too.
    response = client.post(
        reverse("finance:year_edit", args=[year.pk]),
        {
            "equity_at_start": "1",
            "equity_at_end": "1",
            "admin_cost_budget": "",
            "admin_cost_outcome": "",
        },
    )
    assert "stängt och kan inte ändras" in response.content.decode()


def test_the_plan_as_pdf_and_docx_carries_the_initiatives_texts(world, client_for, seed):
    from docx import Document as DocxDocument
    from pypdf import PdfReader

    _members, year, _initiatives = seed
    client = client_for(world.board)
    pdf = client.get(_url("plan_pdf", year))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.content)).pages)
    text = " ".join(text.split())
    assert "Verksamhetsplan och budget 2020" in text
    assert "Syftet med Hantverksstegen." in text
    docx = client.get(_url("plan_docx", year))
    document = DocxDocument(io.BytesIO(docx.content))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "Insatser" in paragraphs and "Syftet med Rätt Hjälp." in paragraphs


def test_the_cost_report_xlsx(world, client_for, seed):
    from openpyxl import load_workbook

    _members, year, _initiatives = seed
    response = client_for(world.analyst).get(_url("cost_report_xlsx", year))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value.startswith("Kostnadsrapport 2020")


def test_compensation_model_hook_is_empty_until_the_lead_fills_it(seed):
    _members, _year, initiatives = seed
    assert plan.compensation_model_label(initiatives["Stärka individen"], 2020) == ""


def test_deleting_a_closed_year_says_why_and_keeps_it(world, client_for, seed):
    from finsam.finance.models import AssociationYear

    _members, year, _initiatives = seed
    client = client_for(world.secretariat)
    client.post(_url("year_close", year))
    response = client.post(reverse("finance:year_delete", args=[year.pk]), follow=True)
    assert response.status_code == 200
    assert "stängt och kan inte ändras" in response.content.decode()
    assert AssociationYear.objects.filter(pk=year.pk).exists()
