"""User management by the secretariat: the user list, invitations, removing roles."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from finsam.accounts import services
from finsam.accounts.models import InitiativeAssignment, Invitation, RoleAssignment, User
from finsam.accounts.tests.factories import (
    InitiativeAssignmentFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from finsam.core.access import SESSION_KEY
from finsam.core.roles import Role
from finsam.initiatives.tests.factories import InitiativeFactory
from finsam.staff.access import build_access

USERS = reverse("accounts:users")
INVITE = reverse("accounts:invite")
NOT_ALLOWED = ["initiative_manager", "registrar", "board", "applicant", "analyst"]


def as_operator_in(client, world, association):
    client.force_login(world.operator)
    session = client.session
    session[SESSION_KEY] = association.pk
    session.save()
    return client


def invite(world, *, email="ny@example.se", role=Role.BOARD, initiatives=()):
    return services.invitation_create(
        access=build_access(world.secretariat, world.a.pk),
        email=email,
        role=role,
        initiatives=initiatives,
    )


# --- The user list ---------------------------------------------------------------------------


def test_the_secretariat_sees_the_users_of_its_association(world, client_for):
    response = client_for(world.secretariat).get(USERS)
    assert response.status_code == 200
    content = response.content.decode()
    for user in (world.secretariat, world.manager, world.registrar, world.board):
        assert user.email in content
    assert world.registrar.get_full_name() in content
    assert "Cresco Create" in content  # the registrar's and manager's initiative
    assert "Deltagaransvarig" in content
    assert "kansli-b@example.se" not in content
    assert "registrator-b@example.se" not in content
    assert "operator@example.se" not in content
    assert "ingen@example.se" not in content


def test_the_list_shows_two_factor_and_last_login(world, client_for):
    world.board.last_login = timezone.make_aware(datetime.datetime(2026, 3, 4, 9, 30))
    world.board.save()
    response = client_for(world.secretariat).get(USERS)
    rows = {row["user"].email: row for row in response.context["rows"]}
    assert rows[world.registrar.email]["user"].has_totp is True
    assert rows[world.board.email]["user"].has_totp is False
    assert "2026-03-04 09:30" in response.content.decode()
    registrar_roles = rows[world.registrar.email]["roles"]
    assert [r["role"] for r in registrar_roles] == [Role.REGISTRAR]
    assert [i.name for i in registrar_roles[0]["initiatives"]] == ["Cresco Create"]


def test_the_user_list_uses_a_constant_number_of_queries(world, client_for):
    client = client_for(world.secretariat)

    def add_users(n):
        for _ in range(n):
            user = UserFactory()
            RoleAssignmentFactory(user=user, association=world.a, role=Role.INITIATIVE_MANAGER)
            for initiative in (world.a_initiative, world.a_other):
                InitiativeAssignmentFactory(
                    user=user, initiative=initiative, role=Role.INITIATIVE_MANAGER
                )
        invite(
            world,
            email=f"vantar{n}@example.se",
            role=Role.APPLICANT,
            initiatives=[world.a_initiative, world.a_other],
        )

    add_users(3)
    client.get(USERS)  # warm up the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(USERS).status_code == 200
    add_users(30)
    with CaptureQueriesContext(connection) as large:
        response = client.get(USERS)
    assert len(response.context["rows"]) > 33
    assert len(large) == len(small)


def test_the_operator_sees_the_users_of_the_chosen_association(world, client):
    as_operator_in(client, world, world.b)
    content = client.get(USERS).content.decode()
    assert "kansli-b@example.se" in content
    assert "kansli@example.se" not in content


def test_b_secretariat_never_sees_a_users(world, client_for):
    content = client_for(world.b_secretariat).get(USERS).content.decode()
    assert "kansli-b@example.se" in content
    assert world.registrar.email not in content
    assert world.secretariat.email not in content


@pytest.mark.parametrize("role", NOT_ALLOWED)
def test_other_roles_may_not_see_the_user_list(world, client_for, role):
    assert client_for(world.user(role)).get(USERS).status_code == 403


def test_a_user_without_role_may_not_see_the_user_list(world, client_for):
    assert client_for(world.no_role).get(USERS).status_code == 403


def test_anonymous_users_are_sent_to_login(world, client):
    response = client.get(USERS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Inviting --------------------------------------------------------------------------------


def test_the_invite_form_offers_roles_and_the_association_initiatives(world, client_for):
    response = client_for(world.secretariat).get(INVITE)
    assert response.status_code == 200
    form = response.context["form"]
    roles = [value for value, _label in form.fields["role"].choices if value]
    assert Role.OPERATOR not in roles
    assert set(roles) == {r.value for r in Role if r != Role.OPERATOR}
    assert set(form.fields["initiatives"].queryset) == {world.a_initiative, world.a_other}
    assert "Rätt Hjälp" not in response.content.decode()


def test_the_secretariat_invites_a_board_member(world, client_for):
    response = client_for(world.secretariat).post(
        INVITE, {"email": " Ny.Ledamot@Example.se ", "role": "board"}
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "ny.ledamot@example.se"
    assert invitation.role == Role.BOARD
    assert invitation.association == world.a
    assert invitation.invited_by == world.secretariat
    assert len(invitation.token) >= 40
    expected = timezone.now() + datetime.timedelta(days=7)
    assert abs((invitation.expires_at - expected).total_seconds()) < 60
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ny.ledamot@example.se"]
    assert "Inbjudan till finsam" in message.subject
    assert "Samordningsförbundet A" in message.subject
    assert f"http://testserver/invitations/{invitation.token}/" in message.body
    assert "Styrelseledamot" in message.body


def test_the_secretariat_invites_a_registrar_to_initiatives(world, client_for):
    response = client_for(world.secretariat).post(
        INVITE,
        {
            "email": "ny-reg@example.se",
            "role": "registrar",
            "initiatives": [world.a_initiative.pk, world.a_other.pk],
        },
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert set(invitation.initiatives.all()) == {world.a_initiative, world.a_other}
    assert "Cresco Create" in mail.outbox[0].body
    assert "loggar därför in i två steg" in mail.outbox[0].body


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"email": "inte-en-adress", "role": "board"}, "email", "Ange en giltig e-postadress."),
        ({"email": "", "role": "board"}, "email", None),
        ({"email": "a@example.se", "role": "registrar"}, None, "Välj minst en insats"),
        ({"email": "a@example.se", "role": "operator"}, "role", None),
        ({"email": "a@example.se", "role": "board", "initiatives": "A"}, None, "bara för"),
        ({"email": "kansli@example.se", "role": "secretariat"}, None, "har redan rollen"),
        (
            {"email": "registrator@example.se", "role": "secretariat"},
            None,
            "kan inte samtidigt ha rollen",
        ),
        (
            {"email": "kansli@example.se", "role": "registrar", "initiatives": "A"},
            None,
            "kan inte samtidigt ha rollen",
        ),
        ({"email": "a@example.se", "role": "applicant", "initiatives": "B"}, "initiatives", None),
        (
            {"email": "registrator@example.se", "role": "registrar", "initiatives": "A"},
            None,
            "redan rollen deltagaransvarig för de valda insatserna",
        ),
    ],
)
def test_bad_invitations_are_refused_and_nothing_is_saved(world, client_for, data, field, message):
    data = dict(data)
    if data.get("initiatives") == "A":
        data["initiatives"] = [world.a_initiative.pk]
    elif data.get("initiatives") == "B":
        data["initiatives"] = [world.b_initiative.pk]
    response = client_for(world.secretariat).post(INVITE, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    if field:
        assert field in form.errors
    if message:
        assert message in response.content.decode()
    assert "R12" not in response.content.decode()  # no internal rule codes in messages
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_pending_registrar_invitation_blocks_a_secretariat_invitation(world, client_for):
    invite(world, email="dubbel@example.se", role=Role.REGISTRAR, initiatives=[world.a_initiative])
    response = client_for(world.secretariat).post(
        INVITE, {"email": "dubbel@example.se", "role": "secretariat"}
    )
    assert "väntande inbjudan" in response.content.decode()
    assert "R12" not in response.content.decode()
    assert Invitation.objects.count() == 1


def test_a_new_invitation_replaces_the_pending_one(world):
    first = invite(world)
    second = invite(world)
    first.refresh_from_db()
    assert first.expires_at <= timezone.now()
    assert second.expires_at > timezone.now()
    assert first.token != second.token


def test_the_operator_invites_the_first_secretariat_of_an_association(world, client):
    as_operator_in(client, world, world.b)
    form = client.get(INVITE).context["form"]
    assert [v for v, _l in form.fields["role"].choices if v] == [Role.SECRETARIAT]
    response = client.post(INVITE, {"email": "chef-b@example.se", "role": "secretariat"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.association == world.b
    assert invitation.role == Role.SECRETARIAT


def test_the_operator_cannot_invite_other_roles(world, client):
    as_operator_in(client, world, world.a)
    response = client.post(INVITE, {"email": "x@example.se", "role": "board"})
    assert response.status_code == 200
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", NOT_ALLOWED)
def test_other_roles_may_not_invite(world, client_for, role):
    client = client_for(world.user(role))
    assert client.get(INVITE).status_code == 403
    response = client.post(INVITE, {"email": "x@example.se", "role": "board"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_b_secretariat_invites_into_b_only(world, client_for):
    client = client_for(world.b_secretariat)
    response = client.post(
        INVITE,
        {"email": "x@example.se", "role": "applicant", "initiatives": [world.a_initiative.pk]},
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    response = client.post(
        INVITE,
        {"email": "x@example.se", "role": "applicant", "initiatives": [world.b_initiative.pk]},
    )
    assert response.status_code == 302
    assert Invitation.objects.get().association == world.b


def test_the_user_list_shows_pending_invitations(world, client_for):
    invite(world, email="vantar@example.se")
    content = client_for(world.secretariat).get(USERS).content.decode()
    assert "vantar@example.se" in content
    assert "Väntande inbjudningar" in content


def test_the_secretariat_cancels_an_invitation(world, client_for, client):
    invitation = invite(world)
    url = reverse("accounts:invitation_cancel", args=[invitation.pk])
    assert client_for(world.b_secretariat).post(url).status_code == 404
    client.logout()
    assert client_for(world.board).post(url).status_code == 403
    client.logout()
    assert client_for(world.secretariat).post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.expires_at <= timezone.now()


# --- Accepting -------------------------------------------------------------------------------


def accept_url(invitation):
    return reverse("accounts:invitation_accept", args=[invitation.token])


NEW_ACCOUNT = {
    "first_name": "Nora",
    "last_name": "Nilsson",
    "password1": "Ett-långt-lösen-42",
    "password2": "Ett-långt-lösen-42",
}


def test_a_new_user_accepts_and_gets_the_role_and_initiatives(world, client):
    invitation = invite(
        world, email="ny@example.se", role=Role.APPLICANT, initiatives=[world.a_initiative]
    )
    page = client.get(accept_url(invitation))
    assert page.status_code == 200
    assert "Skapa konto" in page.content.decode()
    response = client.post(accept_url(invitation), NEW_ACCOUNT)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    user = User.objects.get(email="ny@example.se")
    assert user.get_full_name() == "Nora Nilsson"
    assert user.check_password("Ett-långt-lösen-42")
    assert RoleAssignment.objects.filter(user=user, association=world.a, role=Role.APPLICANT)
    assert list(
        InitiativeAssignment.objects.filter(user=user).values_list("initiative", "role")
    ) == [(world.a_initiative.pk, Role.APPLICANT)]
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[SESSION_KEY] == world.a.pk


def test_a_new_registrar_is_sent_to_two_factor_activation(world, client):
    invitation = invite(
        world, email="reg@example.se", role=Role.REGISTRAR, initiatives=[world.a_initiative]
    )
    client.post(accept_url(invitation), NEW_ACCOUNT)
    response = client.get("/")
    assert response["Location"] == reverse("mfa_activate_totp")
    # Just logged in: the activation page opens without asking for the password again.
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


@pytest.mark.parametrize(
    "data, message",
    [
        ({**NEW_ACCOUNT, "password1": "kort", "password2": "kort"}, "för kort"),
        ({**NEW_ACCOUNT, "password2": "något-annat-99"}, "Lösenorden är inte lika"),
        ({**NEW_ACCOUNT, "first_name": ""}, "obligatoriskt"),
        ({**NEW_ACCOUNT, "password1": "12345678", "password2": "12345678"}, "vanligt"),
    ],
)
def test_bad_account_data_saves_nothing(world, client, data, message):
    invitation = invite(world)
    response = client.post(accept_url(invitation), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(email="ny@example.se").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert "_auth_user_id" not in client.session


def test_an_existing_user_must_log_in_to_accept(world, client):
    invitation = invite(world, email=world.b_secretariat.email, role=Role.BOARD)
    page = client.get(accept_url(invitation))
    content = page.content.decode()
    assert "Det finns redan ett konto" in content
    assert f"?next={accept_url(invitation)}" in content
    client.post(accept_url(invitation), NEW_ACCOUNT)
    assert not RoleAssignment.objects.filter(user=world.b_secretariat, association=world.a)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_existing_user_logged_in_accepts_and_keeps_other_roles(world, client_for):
    invitation = invite(world, email=world.b_secretariat.email, role=Role.BOARD)
    client = client_for(world.b_secretariat)
    assert "Ta emot inbjudan" in client.get(accept_url(invitation)).content.decode()
    response = client.post(accept_url(invitation))
    assert response.status_code == 302
    roles = set(
        RoleAssignment.objects.filter(user=world.b_secretariat).values_list("association", "role")
    )
    assert roles == {(world.b.pk, Role.SECRETARIAT), (world.a.pk, Role.BOARD)}
    assert client.session[SESSION_KEY] == world.a.pk


def test_an_existing_registrar_gets_more_initiatives(world, client_for):
    invitation = invite(
        world, email=world.registrar.email, role=Role.REGISTRAR, initiatives=[world.a_other]
    )
    client_for(world.registrar).post(accept_url(invitation))
    assigned = set(
        InitiativeAssignment.objects.filter(user=world.registrar).values_list(
            "initiative", flat=True
        )
    )
    assert assigned == {world.a_initiative.pk, world.a_other.pk}


def test_another_logged_in_user_cannot_accept(world, client_for):
    invitation = invite(world, email="ny@example.se")
    client = client_for(world.board)
    page = client.get(accept_url(invitation))
    assert "Inbjudan gäller en annan e-postadress" in page.content.decode()
    client.post(accept_url(invitation))
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not RoleAssignment.objects.filter(user=world.board, role=Role.BOARD).exclude(
        association=world.a
    )
    assert RoleAssignment.objects.filter(user=world.board).count() == 1


def test_an_unknown_token_says_so(world, client):
    response = client.get(reverse("accounts:invitation_accept", args=["fel-token"]))
    assert response.status_code == 404
    assert "Inbjudan finns inte" in response.content.decode()


def test_an_expired_invitation_is_refused(world, client):
    invitation = invite(world)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.post(accept_url(invitation), NEW_ACCOUNT)
    assert response.status_code == 410
    assert "Inbjudan har gått ut" in response.content.decode()
    assert not User.objects.filter(email="ny@example.se").exists()


def test_a_used_invitation_is_refused(world, client):
    invitation = invite(world)
    client.post(accept_url(invitation), NEW_ACCOUNT)
    client.logout()
    response = client.get(accept_url(invitation))
    assert response.status_code == 410
    assert "redan använts" in response.content.decode()


def test_r12_is_checked_again_when_accepting(world, client_for):
    invitation = invite(world, email="ny@example.se", role=Role.SECRETARIAT)
    user = UserFactory(email="ny@example.se")
    RoleAssignmentFactory(user=user, association=world.a, role=Role.REGISTRAR)
    TOTP.activate(user, generate_totp_secret())
    client = client_for(user)
    response = client.post(accept_url(invitation))
    assert response.status_code == 400
    assert "kan inte samtidigt ha rollen" in response.content.decode()
    assert "R12" not in response.content.decode()
    assert not RoleAssignment.objects.filter(user=user, role=Role.SECRETARIAT).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_registrar_in_another_association_may_be_secretariat_here(world):
    invitation = invite(world, email=world.b_registrar.email, role=Role.SECRETARIAT)
    services.invitation_accept(invitation=invitation, user=world.b_registrar)
    assert RoleAssignment.objects.filter(
        user=world.b_registrar, association=world.a, role=Role.SECRETARIAT
    ).exists()


# --- Removing roles --------------------------------------------------------------------------


def remove_url(user, role):
    return reverse("accounts:role_remove", args=[user.pk, role])


def test_the_secretariat_removes_a_role_and_its_assignments_here_only(world, client_for):
    # The manager is also initiative manager in B: that stays.
    RoleAssignmentFactory(user=world.manager, association=world.b, role=Role.INITIATIVE_MANAGER)
    InitiativeAssignmentFactory(
        user=world.manager, initiative=world.b_initiative, role=Role.INITIATIVE_MANAGER
    )
    client = client_for(world.secretariat)
    page = client.get(remove_url(world.manager, Role.INITIATIVE_MANAGER))
    assert page.status_code == 200
    assert "Cresco Create" in page.content.decode()
    response = client.post(remove_url(world.manager, Role.INITIATIVE_MANAGER))
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=world.manager, association=world.a).exists()
    assert not InitiativeAssignment.objects.filter(
        user=world.manager, initiative__association=world.a
    ).exists()
    assert RoleAssignment.objects.filter(user=world.manager, association=world.b).exists()
    assert InitiativeAssignment.objects.filter(
        user=world.manager, initiative=world.b_initiative
    ).exists()
    assert User.objects.filter(pk=world.manager.pk).exists()


def test_removing_one_role_keeps_the_others(world, client_for):
    RoleAssignmentFactory(user=world.board, association=world.a, role=Role.ANALYST)
    client_for(world.secretariat).post(remove_url(world.board, Role.ANALYST))
    assert list(RoleAssignment.objects.filter(user=world.board).values_list("role", flat=True)) == [
        Role.BOARD
    ]


def test_the_secretariat_cannot_remove_its_own_last_secretariat_role(world, client_for):
    response = client_for(world.secretariat).post(remove_url(world.secretariat, "secretariat"))
    assert response.status_code == 400
    assert "enda i förbundet" in response.content.decode()
    assert RoleAssignment.objects.filter(user=world.secretariat, role=Role.SECRETARIAT).exists()


def test_the_secretariat_may_leave_when_another_secretariat_remains(world, client_for):
    other = UserFactory()
    RoleAssignmentFactory(user=other, association=world.a, role=Role.SECRETARIAT)
    response = client_for(world.secretariat).post(remove_url(world.secretariat, "secretariat"))
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=world.secretariat).exists()


def test_b_secretariat_cannot_remove_a_roles(world, client_for):
    client = client_for(world.b_secretariat)
    assert client.get(remove_url(world.manager, "initiative_manager")).status_code == 404
    assert client.post(remove_url(world.manager, "initiative_manager")).status_code == 404
    assert RoleAssignment.objects.filter(user=world.manager, association=world.a).exists()


def test_a_role_the_user_does_not_hold_answers_404(world, client_for):
    client = client_for(world.secretariat)
    assert client.post(remove_url(world.manager, "board")).status_code == 404
    assert client.post(remove_url(world.manager, "nonsense")).status_code == 404


@pytest.mark.parametrize("role", NOT_ALLOWED)
def test_other_roles_may_not_remove_roles(world, client_for, role):
    response = client_for(world.user(role)).post(remove_url(world.board, "board"))
    assert response.status_code == 403
    assert RoleAssignment.objects.filter(user=world.board).exists()


def test_the_operator_removes_a_secretariat_but_no_other_role(world, client):
    as_operator_in(client, world, world.a)
    assert client.post(remove_url(world.board, "board")).status_code == 403
    assert client.post(remove_url(world.secretariat, "secretariat")).status_code == 302
    assert not RoleAssignment.objects.filter(user=world.secretariat).exists()


def test_a_removed_registrar_loses_access_to_the_initiative(world, client_for):
    client_for(world.secretariat).post(remove_url(world.registrar, "registrar"))
    access = build_access(world.registrar, world.a.pk)
    assert Role.REGISTRAR not in access.roles
    assert access.assigned_to(Role.REGISTRAR) == frozenset()


def test_role_remove_service_refuses_other_associations(world):
    other = InitiativeFactory(association=world.b)
    InitiativeAssignmentFactory(user=world.b_registrar, initiative=other, role=Role.REGISTRAR)
    with pytest.raises(services.ValidationError):
        services.role_remove(
            access=build_access(world.secretariat, world.a.pk),
            user=world.b_registrar,
            role=Role.REGISTRAR,
        )
    assert InitiativeAssignment.objects.filter(user=world.b_registrar).count() == 2
