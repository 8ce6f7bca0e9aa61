import pytest
from django.urls import reverse

from finsam.finance.models import InitiativeBudget
from finsam.finance.tests.factories import InitiativeBudgetFactory

HTMX = {"HX-Request": "true"}


def add_url(initiative):
    return reverse("finance:budget_add", args=[initiative.pk])


def edit_url(budget):
    return reverse("finance:budget_edit", args=[budget.initiative_id, budget.pk])


def delete_url(budget):
    return reverse("finance:budget_delete", args=[budget.initiative_id, budget.pk])


VALID = {
    "year": "2021",
    "amount": "3000000",
    "outcome": "",
    "rate_per_participant_week": "1500",
    "planned_participants": "25",
    "note": "Ersättning per deltagarvecka",
}


@pytest.mark.parametrize("role", ["secretariat", "manager"])
def test_it_adds_a_budget_inline_with_htmx(world, client_for, role):
    client = client_for(world.user(role))
    form = client.get(add_url(world.a_initiative), headers=HTMX)
    assert [t.name for t in form.templates][0] == "finance/_budgets.html"
    assert 'id="budget-form"' in form.content.decode()
    response = client.post(add_url(world.a_initiative), VALID, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<section id="budgets"')
    assert "Ersättning per deltagarvecka" in html
    budget = InitiativeBudget.objects.get(initiative=world.a_initiative)
    assert (budget.year, budget.amount, budget.rate_per_participant_week) == (2021, 3000000, 1500)
    assert budget.planned_participants == 25 and budget.outcome is None


def test_it_adds_a_budget_without_javascript(world, client_for):
    client = client_for(world.secretariat)
    page = client.get(add_url(world.a_initiative))
    assert "<html" in page.content.decode()
    response = client.post(add_url(world.a_initiative), VALID)
    assert response.status_code == 302
    assert InitiativeBudget.objects.count() == 1


def test_it_edits_the_outcome_later(world, client_for):
    budget = InitiativeBudgetFactory(initiative=world.a_initiative, year=2021, amount=500000)
    client = client_for(world.manager)
    form = client.get(edit_url(budget), headers=HTMX).content.decode()
    assert 'value="500000"' in form
    response = client.post(
        edit_url(budget), {**VALID, "amount": "500000", "outcome": "480000"}, headers=HTMX
    )
    assert response.status_code == 200
    budget.refresh_from_db()
    assert budget.outcome == 480000


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"year": "2019"}, "Året ligger utanför insatsens period (2020–)."),
        ({"amount": ""}, "Det här fältet är obligatoriskt."),
        ({"amount": "-5"}, "större än eller lika med 0"),
        ({"year": "tjugo"}, "Fyll i ett heltal."),
        ({"year": "2022"}, "Det finns redan en budget för 2022. Ändra den i stället."),
    ],
)
def test_a_bad_budget_shows_a_swedish_error_and_saves_nothing(world, client_for, change, message):
    InitiativeBudgetFactory(initiative=world.a_initiative, year=2022, amount=1)
    response = client_for(world.secretariat).post(
        add_url(world.a_initiative), {**VALID, **change}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Budgeten sparades inte." in html
    assert InitiativeBudget.objects.count() == 1


def test_it_deletes_a_budget(world, client_for):
    budget = InitiativeBudgetFactory(initiative=world.a_initiative)
    response = client_for(world.manager).post(delete_url(budget), headers=HTMX)
    assert response.status_code == 200
    assert "Ingen budget registrerad." in response.content.decode()
    assert not InitiativeBudget.objects.exists()


def test_the_detail_page_shows_budgets_per_year_with_totals(world, client_for):
    InitiativeBudgetFactory(initiative=world.a_initiative, year=2021, amount=1000, outcome=900)
    InitiativeBudgetFactory(initiative=world.a_initiative, year=2022, amount=2000, note="Prognos")
    response = client_for(world.board).get(
        reverse("initiatives:detail", args=[world.a_initiative.pk])
    )
    assert [b.year for b in response.context["budgets"]] == [2021, 2022]
    assert response.context["budget_totals"] == {"amount": 3000, "outcome": 900}
    assert "Prognos" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("operator", 403),
        ("board", 403),
        ("analyst", 403),
        ("registrar", 403),
        ("applicant", 403),
        ("b_secretariat", 404),
        ("b_registrar", 404),
    ],
)
def test_who_may_not_change_budgets(world, client_for, role, status):
    budget = InitiativeBudgetFactory(initiative=world.a_initiative, year=2022)
    client = client_for(world.user(role))
    assert client.get(add_url(world.a_initiative)).status_code == status
    assert client.post(add_url(world.a_initiative), VALID).status_code == status
    assert client.post(edit_url(budget), {**VALID, "amount": "1"}).status_code == status
    assert client.post(delete_url(budget)).status_code == status
    assert InitiativeBudget.objects.get().amount == 500000


def test_a_manager_may_not_change_budgets_of_other_initiatives(world, client_for):
    budget = InitiativeBudgetFactory(initiative=world.a_other)
    client = client_for(world.manager)
    assert client.post(delete_url(budget)).status_code == 404
    assert client.post(add_url(world.a_other), VALID).status_code == 404


def test_a_budget_is_addressed_within_its_initiative(world, client_for):
    budget = InitiativeBudgetFactory(initiative=world.a_other)
    wrong = reverse("finance:budget_delete", args=[world.a_initiative.pk, budget.pk])
    assert client_for(world.manager).post(wrong).status_code == 404
    assert InitiativeBudget.objects.exists()
