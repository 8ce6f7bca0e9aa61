import pytest
from django.urls import reverse

from finsam.accounts.models import InitiativeAssignment
from finsam.conftest import make_user
from finsam.core.roles import Role

HTMX = {"HX-Request": "true"}


def add_url(initiative):
    return reverse("initiatives:assignment_add", args=[initiative.pk])


def remove_url(assignment):
    return reverse("initiatives:assignment_remove", args=[assignment.initiative_id, assignment.pk])


def detail(initiative):
    return reverse("initiatives:detail", args=[initiative.pk])


def test_the_detail_page_shows_who_is_assigned(world, client_for):
    response = client_for(world.board).get(detail(world.a_initiative))
    groups = {
        g["role"]: [a.user for a in g["assigned"]] for g in response.context["assignment_groups"]
    }
    assert groups == {
        Role.INITIATIVE_MANAGER: [world.manager],
        Role.REGISTRAR: [world.registrar],
        Role.APPLICANT: [world.applicant],
    }
    html = response.content.decode()
    assert world.registrar.email in html
    assert "Lägg till" not in html  # read-only for the board


@pytest.mark.parametrize("role", ["secretariat", "manager"])
def test_it_assigns_a_user_with_the_role(world, client_for, role):
    second = make_user(world.a, Role.REGISTRAR, email="registrator2@example.se")
    client = client_for(world.user(role))
    page = client.get(detail(world.a_initiative)).content.decode()
    assert "registrator2@example.se" in page  # offered as a candidate
    response = client.post(
        add_url(world.a_initiative), {"role": "registrar", "user": second.pk}, headers=HTMX
    )
    assert response.status_code == 200
    assert response.content.decode().strip().startswith('<section id="assignments"')
    assert InitiativeAssignment.objects.filter(
        user=second, initiative=world.a_initiative, role=Role.REGISTRAR
    ).exists()


def test_the_assigned_registrar_then_sees_the_initiative(world, client_for):
    client_for(world.secretariat).post(
        add_url(world.a_other), {"role": "registrar", "user": world.registrar.pk}
    )
    client = client_for(world.registrar)
    assert client.get(detail(world.a_other)).status_code == 200


@pytest.mark.parametrize(
    ("user", "role", "message"),
    [
        ("board", "registrar", "Användaren har inte rollen deltagaransvarig i förbundet."),
        ("analyst", "initiative_manager", "Användaren har inte rollen insatsansvarig"),
        ("registrar", "registrar", "Användaren är redan deltagaransvarig för insatsen."),
        ("registrar", "board", "Välj en användare och en roll."),
    ],
)
def test_bad_assignments_are_refused_in_swedish(world, client_for, user, role, message):
    before = InitiativeAssignment.objects.count()
    response = client_for(world.secretariat).post(
        add_url(world.a_initiative), {"role": role, "user": world.user(user).pk}, headers=HTMX
    )
    assert message in response.content.decode()
    assert InitiativeAssignment.objects.count() == before


def test_users_of_another_association_cannot_be_assigned(world, client_for):
    response = client_for(world.secretariat).post(
        add_url(world.a_initiative), {"role": "registrar", "user": world.b_registrar.pk}
    )
    assert response.status_code == 302
    assert not InitiativeAssignment.objects.filter(
        user=world.b_registrar, initiative=world.a_initiative
    ).exists()


def test_it_removes_an_assignment(world, client_for):
    assignment = InitiativeAssignment.objects.get(user=world.applicant)
    response = client_for(world.secretariat).post(remove_url(assignment), headers=HTMX)
    assert response.status_code == 200
    assert not InitiativeAssignment.objects.filter(pk=assignment.pk).exists()


def test_a_manager_removing_themself_leaves_the_page(world, client_for):
    assignment = InitiativeAssignment.objects.get(user=world.manager)
    client = client_for(world.manager)
    response = client.post(remove_url(assignment), headers=HTMX)
    assert response["HX-Redirect"] == reverse("initiatives:list")
    assert client.get(detail(world.a_initiative)).status_code == 404


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
def test_who_may_not_change_assignments(world, client_for, role, status):
    client = client_for(world.user(role))
    assignment = InitiativeAssignment.objects.get(user=world.applicant)
    before = InitiativeAssignment.objects.count()
    data = {"role": "registrar", "user": world.registrar.pk}
    assert client.post(add_url(world.a_other), data).status_code in (status, 404)
    assert client.post(add_url(world.a_initiative), data).status_code == status
    assert client.post(remove_url(assignment)).status_code == status
    assert InitiativeAssignment.objects.count() == before


def test_a_manager_cannot_assign_on_an_initiative_not_theirs(world, client_for):
    response = client_for(world.manager).post(
        add_url(world.a_other), {"role": "registrar", "user": world.registrar.pk}
    )
    assert response.status_code == 404
