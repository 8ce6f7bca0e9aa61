import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from finsam.initiatives.models import HeadCount
from finsam.initiatives.tests.factories import HeadCountFactory, InitiativeFactory


@pytest.fixture
def volume(world):
    initiative = InitiativeFactory(
        association=world.a,
        name="Rehabforum",
        volume=True,
        start_date=datetime.date(2021, 1, 10),
    )
    world.manager.initiative_assignments.create(initiative=initiative, role="initiative_manager")
    return initiative


def url(initiative):
    return reverse("initiatives:head_counts", args=[initiative.pk])


@pytest.mark.parametrize("role", ["secretariat", "manager"])
def test_it_enters_a_month(world, client_for, volume, role):
    client = client_for(world.user(role))
    data = {"month": "2021-03", "women": "12", "men": "9", "other": "1"}
    response = client.post(url(volume), data)
    assert response.status_code == 302
    stored = HeadCount.objects.get(initiative=volume)
    assert (stored.month, stored.women, stored.men, stored.other) == (
        datetime.date(2021, 3, 1),
        12,
        9,
        1,
    )
    page = client.get(url(volume)).content.decode()
    assert "2021-03" in page and ">22<" in page


def test_it_updates_an_existing_month(world, client_for, volume):
    HeadCountFactory(initiative=volume, month=datetime.date(2021, 3, 1), women=1)
    client = client_for(world.secretariat)
    form = client.get(url(volume), {"month": "2021-03"}).context["form"]
    assert form.initial == {"month": "2021-03", "women": 1, "men": 2, "other": 0}
    client.post(url(volume), {"month": "2021-03", "women": "5", "men": "5", "other": "0"})
    assert HeadCount.objects.get().women == 5


def test_it_lists_months_with_totals(world, client_for, volume):
    HeadCountFactory(initiative=volume, month=datetime.date(2021, 1, 1), women=1, men=2, other=0)
    HeadCountFactory(initiative=volume, month=datetime.date(2021, 2, 1), women=3, men=4, other=1)
    response = client_for(world.board).get(url(volume))
    summary = response.context["summary"]
    assert [m.month.month for m in summary.months] == [2, 1]
    assert (summary.women, summary.men, summary.other, summary.total) == (4, 6, 1, 11)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"month": "2020-12"}, "Månaden ligger utanför insatsens period."),
        ({"month": "mars"}, "Ange månaden som ÅÅÅÅ-MM"),
        ({"month": ""}, "Det här fältet är obligatoriskt."),
        ({"women": "-1"}, "större än eller lika med 0"),
        ({"men": "två"}, "Fyll i ett heltal."),
        ({"month": "__next__"}, "Antal kan inte registreras för en kommande månad."),
    ],
)
def test_bad_head_counts_are_rejected_in_swedish(world, client_for, volume, data, message):
    payload = {"month": "2021-03", "women": "1", "men": "1", "other": "0", **data}
    if payload["month"] == "__next__":
        next_month = (timezone.localdate().replace(day=1) + datetime.timedelta(days=32)).replace(
            day=1
        )
        payload["month"] = next_month.strftime("%Y-%m")
    response = client_for(world.secretariat).post(url(volume), payload)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not HeadCount.objects.exists()


def test_individual_initiatives_have_no_head_count_page(world, client_for):
    client = client_for(world.secretariat)
    assert client.get(url(world.a_initiative)).status_code == 404
    assert client.post(url(world.a_initiative), {"month": "2021-03"}).status_code == 404


@pytest.mark.parametrize("role", ["board", "analyst", "operator"])
def test_read_only_roles_see_but_cannot_enter(world, client_for, volume, role):
    client = client_for(world.user(role))
    response = client.get(url(volume))
    assert response.status_code == 200
    assert "Registrera eller ändra en månad" not in response.content.decode()
    data = {"month": "2021-03", "women": "1", "men": "1", "other": "0"}
    assert client.post(url(volume), data).status_code == 403
    assert not HeadCount.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("registrar", 404), ("applicant", 404), ("b_secretariat", 404), ("b_registrar", 404)],
)
def test_unassigned_and_foreign_users_get_404(world, client_for, volume, role, status):
    client = client_for(world.user(role))
    assert client.get(url(volume)).status_code == status
    data = {"month": "2021-03", "women": "1", "men": "1", "other": "0"}
    assert client.post(url(volume), data).status_code == status


def test_an_assigned_registrar_may_read_but_not_enter(world, client_for, volume):
    world.registrar.initiative_assignments.create(initiative=volume, role="registrar")
    client = client_for(world.registrar)
    assert client.get(url(volume)).status_code == 200
    data = {"month": "2021-03", "women": "1", "men": "1", "other": "0"}
    assert client.post(url(volume), data).status_code == 403
