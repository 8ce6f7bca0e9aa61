"""The estimate's pages: who reads, who writes, the page labelled as an estimate with its
assumptions, the chart, bad input in Swedish, another association's estimate 404."""

from decimal import Decimal

import pytest
from django.urls import reverse

from finsam.socioeconomics import services
from finsam.socioeconomics.models import Assumption, Estimate
from finsam.staff.access import build_access

READERS = ["secretariat", "board", "analyst", "operator"]
NOT_READERS = ["manager", "registrar", "applicant", "no_role"]


@pytest.fixture
def estimate(world):
    return services.estimate_save(
        access=build_access(world.secretariat),
        initiative=world.a_initiative,
        title="Kraft: en deltagare lämnar 14 års försörjningsstöd",
        mode="scenario",
        cost_source="entered",
        cost_amount=Decimal(2_192_000),
        leaver_source="entered",
        leavers_municipality=1,
        leavers_state=0,
        years=14,
        note="",
    )


def _detail(estimate):
    return reverse(
        "socioeconomics:estimate_detail",
        kwargs={"pk": estimate.initiative_id, "estimate_pk": estimate.pk},
    )


@pytest.mark.parametrize("role", READERS)
def test_readers_see_the_estimate_labelled_with_its_assumptions(world, client_for, estimate, role):
    response = client_for(world.user(role)).get(_detail(estimate))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Uppskattning – inte en effektutvärdering" in html
    assert "ingen kontrollgrupp" in html
    assert "2\xa0268\xa0000" in html  # 14 × 162 000
    # Discounted at 3.5 %: 1 831 043.63 kr, rounded (not cut) to whole kronor.
    assert "1\xa0831\xa0044" in html and "1\xa0831\xa0043" not in html
    assert "Finsam Uppsala" in html and "2022-12-31" in html
    assert "antagande" in html  # the discount rate has no public source
    assert "<svg" in html and "Linjediagram" in html
    assert "Känslighetsanalys" in html
    assert ("Ändra</a>" in html) == (role == "secretariat")


@pytest.mark.parametrize("role", NOT_READERS)
def test_others_do_not_see_estimates(world, client_for, estimate, role):
    response = client_for(world.user(role)).get(_detail(estimate))
    assert response.status_code in (302, 403, 404)
    assert client_for(world.user(role)).get(reverse("socioeconomics:assumptions")).status_code in (
        302,
        403,
        404,
    )


def test_the_initiative_page_links_the_estimates_for_readers_only(world, client_for, estimate):
    url = reverse("initiatives:detail", kwargs={"pk": world.a_initiative.pk})
    html = client_for(world.board).get(url).content.decode()
    assert "Socioekonomisk uppskattning" in html and _detail(estimate) in html
    assert "Ny uppskattning" not in html
    html = client_for(world.secretariat).get(url).content.decode()
    assert "Ny uppskattning" in html
    html = client_for(world.manager).get(url).content.decode()
    assert "Socioekonomisk uppskattning" not in html


def test_another_associations_estimate_answers_404(world, client_for, estimate):
    client = client_for(world.b_secretariat)
    assert client.get(_detail(estimate)).status_code == 404
    edit = reverse(
        "socioeconomics:estimate_edit",
        kwargs={"pk": estimate.initiative_id, "estimate_pk": estimate.pk},
    )
    assert client.post(edit, {"title": "x"}).status_code == 404


@pytest.mark.parametrize("role", ["board", "analyst"])
def test_readers_cannot_write(world, client_for, estimate, role):
    client = client_for(world.user(role))
    url = reverse("socioeconomics:assumption_edit") + "?key=cost_state"
    assert client.post(url, {"value": "1", "source": "x"}).status_code == 403
    delete = reverse(
        "socioeconomics:estimate_delete",
        kwargs={"pk": estimate.initiative_id, "estimate_pk": estimate.pk},
    )
    assert client.post(delete).status_code == 403
    assert Estimate.objects.filter(pk=estimate.pk).exists()
    assert not Assumption.objects.exists()


def test_secretariat_edits_an_assumption_through_the_form(world, client_for):
    client = client_for(world.secretariat)
    url = reverse("socioeconomics:assumption_edit") + "?key=discount_rate"
    response = client.post(url, {"value": "25", "source": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Diskonteringsräntan ska ligga mellan 0 och 20 %." in html
    assert 'aria-describedby="assumption-value_error"' in html
    assert not Assumption.objects.exists()
    response = client.post(
        url, {"value": "3,5", "source": "", "is_assumption": "on", "source_date": ""}
    )
    assert response.status_code == 302
    stored = Assumption.objects.get(key="discount_rate")
    assert stored.value == Decimal("3.5") and stored.is_assumption
    html = client.get(reverse("socioeconomics:assumptions")).content.decode()
    assert str(world.secretariat) in html  # who changed it, in the table and the history
    assert "Inga ändringar" not in html


def test_secretariat_creates_an_estimate_and_errors_are_swedish(world, client_for):
    client = client_for(world.secretariat)
    url = reverse("socioeconomics:estimate_add", kwargs={"pk": world.a_initiative.pk})
    data = {
        "title": "Utfall",
        "mode": "initiative",
        "cost_source": "entered",
        "cost_amount": "-100",
        "leaver_source": "entered",
        "leavers_municipality": "3",
        "leavers_state": "1",
        "years": "5",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Kostnaden kan inte vara negativ." in response.content.decode()
    assert not Estimate.objects.exists()
    data["cost_amount"] = "1000000"
    response = client.post(url, data)
    assert response.status_code == 302
    estimate = Estimate.objects.get()
    html = client.get(response["Location"]).content.decode()
    assert "Utfall" in html and "Grundantaganden" in html
    # Submitting the same form again (a double submit) gives a message, never a second copy.
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Insatsen har redan en uppskattning med den rubriken." in response.content.decode()
    assert Estimate.objects.count() == 1
    assert client.post(_detail(estimate) + "delete/").status_code == 302
    assert not Estimate.objects.exists()


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_estimate_exports_as_a_document(world, client_for, estimate, fmt):
    url = reverse(
        "socioeconomics:estimate_export",
        kwargs={"pk": estimate.initiative_id, "estimate_pk": estimate.pk, "fmt": fmt},
    )
    response = client_for(world.board).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    body = response.content
    assert body.startswith(b"%PDF" if fmt == "pdf" else b"PK")
    assert client_for(world.b_secretariat).get(url).status_code == 404
