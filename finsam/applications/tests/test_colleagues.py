"""Joining an existing applicant organisation: only by a colleague's invitation."""

import re

from django.core import mail
from django.urls import reverse

from finsam.accounts.models import User
from finsam.applications import registration
from finsam.applications.registration import colleague_token
from finsam.audit.models import ChangeEvent

LOGIN = "/accounts/login/"
PASSWORD = "ett-bra-lösenord-2026"


def join_url(token):
    return reverse("applications:join", kwargs={"token": token})


def test_a_user_invites_a_colleague_who_creates_an_account(world, client, client_for):
    client_for(world.applicant_org)
    page = client.get(reverse("applications:organisation")).content.decode()
    assert world.applicant_org.email in page
    response = client.post(reverse("applications:organisation"), {"email": "Kollega@Example.se"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["kollega@example.se"]
    path = re.search(r"https?://[^/\s]+(/applications/join/[^\s]+/)", mail.outbox[0].body).group(1)
    assert ChangeEvent.objects.filter(action="applicant_organisation.invite").exists()

    client.logout()
    assert world.a_organisation.name in client.get(path).content.decode()
    bad = client.post(path, {"first_name": "", "last_name": "K", "password1": PASSWORD})
    assert "Ange ditt förnamn" in bad.content.decode()
    assert not User.objects.filter(email="kollega@example.se").exists()
    data = {
        "first_name": "Kim",
        "last_name": "Kollega",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    assert client.post(path, data)["Location"] == reverse("account_login")
    user = User.objects.get(email="kollega@example.se")
    assert world.a_organisation.members.filter(pk=user.pk).exists()
    # The link came to the address: verified, the login works at once.
    client.post(LOGIN, {"login": "kollega@example.se", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)
    # Used up.
    client.logout()
    response = client.post(path, data)
    assert response.status_code == 404
    assert "redan använd" in response.content.decode()
    assert User.objects.filter(email="kollega@example.se").count() == 1


def test_a_logged_in_invitee_joins_with_its_account(world, client, client_for):
    token = colleague_token(world.a_organisation, world.co_applicant.email)
    client_for(world.co_applicant)
    assert "Gå med i organisationen" in client.get(join_url(token)).content.decode()
    assert client.post(join_url(token))["Location"] == reverse("applications:mine")
    assert world.a_organisation.members.filter(pk=world.co_applicant.pk).exists()


def test_the_invitation_is_for_its_address_and_not_for_staff(world, client, client_for):
    token = colleague_token(world.a_organisation, "nagon@example.se")
    client_for(world.co_applicant)
    assert "annan e-postadress" in client.post(join_url(token)).content.decode()
    staff_token = colleague_token(world.a_organisation, world.secretariat.email)
    client_for(world.secretariat)
    assert "roll i ett förbund" in client.post(join_url(staff_token)).content.decode()
    assert not world.a_organisation.members.filter(pk=world.secretariat.pk).exists()


def test_a_forged_or_expired_link_is_refused(world, client, settings, monkeypatch):
    assert client.get(join_url("forged:token")).status_code == 404
    monkeypatch.setattr(registration, "COLLEAGUE_DAYS", -1)
    token = colleague_token(world.a_organisation, "ny@example.se")
    assert "gått ut" in client.get(join_url(token)).content.decode()


def test_an_existing_member_is_not_invited_again(world, client, client_for):
    client_for(world.applicant_org)
    response = client.post(
        reverse("applications:organisation"), {"email": world.applicant_org.email}
    )
    assert "redan användare" in response.content.decode()
    assert mail.outbox == []


def test_staff_have_no_organisation_page(world, client, client_for):
    client_for(world.secretariat)
    assert client.get(reverse("applications:organisation")).status_code == 403
