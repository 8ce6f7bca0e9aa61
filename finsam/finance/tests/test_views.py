"""The finance pages: who reads, who edits, HTMX inline editing, errors in Swedish."""

import pytest
from django.urls import reverse

from finsam.associations.models import MemberKind
from finsam.associations.tests.factories import MemberFactory
from finsam.finance.models import AssociationYear, MemberContribution
from finsam.finance.tests.factories import AssociationYearFactory, MemberContributionFactory

HTMX = {"HX-Request": "true"}
READERS = ["secretariat", "board", "analyst", "operator"]
NOT_READERS = ["manager", "registrar", "applicant", "no_role"]


@pytest.fixture
def year(world):
    year = AssociationYearFactory(
        association=world.a,
        year=2021,
        equity_at_start=1_800_000,
        equity_at_end=2_100_000,
        admin_cost_budget=900_000,
        admin_cost_outcome=850_000,
    )
    fk = MemberFactory(association=world.a, kind=MemberKind.FORSAKRINGSKASSAN, name="FK")
    region = MemberFactory(association=world.a, kind=MemberKind.REGION, name="VGR")
    MemberContributionFactory(association_year=year, member=fk, amount=3_976_500)
    MemberContributionFactory(association_year=year, member=region, amount=3_976_500)
    return year


def _edit_data(year, **changes):
    data = {
        "equity_at_start": "1800000",
        "equity_at_end": "1000000",
        "admin_cost_budget": "900000",
        "admin_cost_outcome": "850000",
        "note": "",
    }
    for c in year.contributions.all():
        data[f"member_{c.member_id}"] = str(c.amount)
    data.update(changes)
    return data


@pytest.mark.parametrize("role", READERS)
def test_readers_see_the_years_with_the_equity_share_highlighted(world, client_for, year, role):
    response = client_for(world.user(role)).get(reverse("finance:years"))
    assert response.status_code == 200
    html = response.content.decode()
    # 2 100 000 of 7 953 000 = 26,4 %: above the 10–20 % band.
    assert "26,4 %" in html
    assert "över intervallet" in html
    assert 'class="table-warning"' in html
    assert ("Lägg till år" in html) == (role == "secretariat")


@pytest.mark.parametrize("role", READERS)
def test_readers_see_a_year(world, client_for, year, role):
    response = client_for(world.user(role)).get(reverse("finance:year_detail", args=[year.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "7\xa0953\xa0000" in html
    assert "planera ett underskott på minst 509\xa0400 kr" in html
    assert ("Ändra" in html) == (role == "secretariat")


@pytest.mark.parametrize("role", NOT_READERS)
def test_other_roles_get_403(world, client_for, year, role):
    client = client_for(world.user(role))
    assert client.get(reverse("finance:years")).status_code == 403
    assert client.get(reverse("finance:year_detail", args=[year.pk])).status_code == 403
    assert client.post(reverse("finance:year_add"), {"year": "2022"}).status_code == 403


@pytest.mark.parametrize(
    "role", ["board", "analyst", "operator", "manager", "registrar", "applicant"]
)
def test_only_the_secretariat_edits(world, client_for, year, role):
    client = client_for(world.user(role))
    assert client.get(reverse("finance:year_edit", args=[year.pk])).status_code == 403
    assert (
        client.post(reverse("finance:year_edit", args=[year.pk]), _edit_data(year)).status_code
        == 403
    )
    assert client.post(reverse("finance:year_add"), {"year": "2022"}).status_code == 403
    assert client.post(reverse("finance:year_delete", args=[year.pk])).status_code == 403
    year.refresh_from_db()
    assert year.equity_at_end == 2_100_000
    assert AssociationYear.objects.count() == 1


@pytest.mark.parametrize("role", ["b_secretariat", "b_registrar"])
def test_another_associations_year_is_404(world, client_for, year, role):
    client = client_for(world.user(role))
    expected = 404 if role == "b_secretariat" else 403
    assert client.get(reverse("finance:year_detail", args=[year.pk])).status_code == expected
    assert (
        client.post(reverse("finance:year_edit", args=[year.pk]), _edit_data(year)).status_code
        == expected
    )
    assert client.post(reverse("finance:year_delete", args=[year.pk])).status_code == expected
    assert AssociationYear.objects.get().equity_at_end == 2_100_000


def test_b_secretariat_sees_only_its_own_years(world, client_for, year):
    AssociationYearFactory(association=world.b, year=2019)
    html = client_for(world.b_secretariat).get(reverse("finance:years")).content.decode()
    assert "2019" in html and "2021" not in html


def test_the_secretariat_adds_a_year_with_htmx(world, client_for):
    response = client_for(world.secretariat).post(
        reverse("finance:year_add"), {"year": "2022"}, headers=HTMX
    )
    assert response.status_code == 204
    created = AssociationYear.objects.get(association=world.a, year=2022)
    assert response["HX-Redirect"] == reverse("finance:year_detail", args=[created.pk])


def test_a_bad_year_shows_a_swedish_error(world, client_for, year):
    response = client_for(world.secretariat).post(
        reverse("finance:year_add"), {"year": "2021"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "Det finns redan uppgifter för 2021. Ändra dem i stället." in response.content.decode()
    assert AssociationYear.objects.count() == 1


def test_the_secretariat_edits_a_year_inline(world, client_for, year):
    client = client_for(world.secretariat)
    url = reverse("finance:year_edit", args=[year.pk])
    form = client.get(url, headers=HTMX)
    html = form.content.decode()
    assert html.strip().startswith('<section id="year-section"')
    assert 'value="3976500"' in html
    hjo = MemberFactory(association=world.a, name="Hjo kommun")
    response = client.post(url, {**_edit_data(year), f"member_{hjo.pk}": "46000"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith('<section id="year-section"')
    # 1 000 000 of 7 999 000 = 12,5 %: inside the band.
    assert "12,5 %" in html and "inom intervallet" in html
    year.refresh_from_db()
    assert year.equity_at_end == 1_000_000
    assert MemberContribution.objects.get(member=hjo).amount == 46000


def test_editing_without_javascript_redirects(world, client_for, year):
    response = client_for(world.secretariat).post(
        reverse("finance:year_edit", args=[year.pk]), _edit_data(year, note="Klart")
    )
    assert response.status_code == 302
    year.refresh_from_db()
    assert year.note == "Klart"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"admin_cost_outcome": "-1"}, "större än eller lika med 0"),
        ({"equity_at_end": "mycket"}, "Ange beloppet i hela kronor, t.ex. 1500000."),
        ({"equity_at_end": "12.5"}, "Ange beloppet i hela kronor, utan decimaler."),
    ],
)
def test_bad_amounts_show_swedish_errors_and_save_nothing(world, client_for, year, change, message):
    response = client_for(world.secretariat).post(
        reverse("finance:year_edit", args=[year.pk]), _edit_data(year, **change), headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Uppgifterna sparades inte." in html
    assert message in html
    year.refresh_from_db()
    assert year.equity_at_end == 2_100_000


def test_a_negative_contribution_is_refused(world, client_for, year):
    member_id = year.contributions.first().member_id
    response = client_for(world.secretariat).post(
        reverse("finance:year_edit", args=[year.pk]),
        _edit_data(year, **{f"member_{member_id}": "-10"}),
        headers=HTMX,
    )
    assert "större än eller lika med 0" in response.content.decode()
    assert MemberContribution.objects.get(member_id=member_id).amount == 3_976_500


def test_clearing_a_contribution_removes_it(world, client_for, year):
    member_id = year.contributions.first().member_id
    client_for(world.secretariat).post(
        reverse("finance:year_edit", args=[year.pk]),
        _edit_data(year, **{f"member_{member_id}": ""}),
        headers=HTMX,
    )
    assert not MemberContribution.objects.filter(member_id=member_id).exists()


def test_the_secretariat_deletes_a_year(world, client_for, year):
    response = client_for(world.secretariat).post(reverse("finance:year_delete", args=[year.pk]))
    assert response.status_code == 302
    assert not AssociationYear.objects.exists()
    assert not MemberContribution.objects.exists()


def test_the_year_page_costs_the_same_number_of_queries_for_3_and_30_members(
    world, client_for, year, django_assert_max_num_queries
):
    client = client_for(world.secretariat)
    url = reverse("finance:year_detail", args=[year.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        member = MemberFactory(association=world.a)
        MemberContributionFactory(association_year=year, member=member, amount=n)
    with django_assert_max_num_queries(len(few)):
        client.get(url)
