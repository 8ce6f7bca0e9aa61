"""Applicants register themselves: a new applicant organisation, and a login only once the
e-mail address is verified."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam.accounts.models import ApplicantOrganisation, User
from finsam.associations.validators import normalize_org_number
from finsam.audit.models import ChangeEvent
from finsam.conftest import PASSWORD as STAFF_PASSWORD
from finsam.core.validators import luhn_check_digit

LOGIN = "/accounts/login/"
PASSWORD = "ett-bra-lösenord-2026"
ORG_NUMBER = "212000-1124"  # a valid organisation number (Luhn)


def register_url(association):
    return reverse("applications:register", kwargs={"slug": association.slug})


def form(**changes):
    data = {
        "organisation_name": "Föreningen Bryggan",
        "org_number": ORG_NUMBER,
        "first_name": "Britt",
        "last_name": "Brygga",
        "email": "britt@bryggan.example.se",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(changes)
    return data


def confirm_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_the_registration_page_answers_without_login(world, client):
    response = client.get(register_url(world.a))
    assert response.status_code == 200
    assert "Registrera dig som sökande" in response.content.decode()
    assert world.a.name in response.content.decode()


def test_an_applicant_registers_verifies_and_then_logs_in(world, client):
    response = client.post(register_url(world.a), form())
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:register_done")
    user = User.objects.get(email="britt@bryggan.example.se")
    organisation = ApplicantOrganisation.objects.get(members=user)
    assert organisation.association == world.a
    assert organisation.org_number == ORG_NUMBER
    assert not EmailAddress.objects.get(user=user).verified
    assert ChangeEvent.objects.filter(action="applicant_organisation.register").exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["britt@bryggan.example.se"]

    # Not verified: the login sends the mail again and logs nobody in.
    response = client.post(LOGIN, {"login": "britt@bryggan.example.se", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("applications:mine")).status_code == 302  # to the login

    link = confirm_link(mail.outbox[0])
    assert client.get(link).status_code == 200
    client.post(link)
    assert EmailAddress.objects.get(user=user).verified

    response = client.post(LOGIN, {"login": "britt@bryggan.example.se", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)
    page = client.get(reverse("applications:mine"))
    assert page.status_code == 200
    assert "Föreningen Bryggan" in page.content.decode()
    assert client.get("/", follow=True).redirect_chain[-1][0] == reverse("applications:mine")


def test_staff_without_email_records_still_log_in_as_before(world, client):
    client.post(LOGIN, {"login": world.secretariat.email, "password": STAFF_PASSWORD})
    assert client.session["_auth_user_id"] == str(world.secretariat.pk)


@pytest.mark.parametrize(
    ("org_number", "message"),
    [
        ("212000-1125", "kontrollsiffran"),
        ("21200011", "tio siffror"),
        ("abc", "tio siffror"),
        ("", "Ange organisationsnumret"),
    ],
)
def test_a_bad_organisation_number_is_refused_with_a_swedish_message(
    world, client, org_number, message
):
    response = client.post(register_url(world.a), form(org_number=org_number))
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'href="#id_org_number"' in content  # the error summary links to the field
    assert not User.objects.filter(email="britt@bryggan.example.se").exists()
    assert mail.outbox == []


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 9))
def test_an_organisation_number_is_accepted_exactly_when_its_check_digit_is_right(digits, last):
    number = f"{digits[:6]}-{digits[6:]}{last}"
    if last == luhn_check_digit(digits):
        assert normalize_org_number(number.replace("-", "")) == number
    else:
        with pytest.raises(Exception, match="kontrollsiffran"):
            normalize_org_number(number)


def test_an_organisation_already_registered_is_joined_only_by_invitation(world, client):
    ApplicantOrganisation.objects.create(
        association=world.a, name="Föreningen Bryggan", org_number=ORG_NUMBER
    )
    response = client.post(register_url(world.a), form())
    assert response.status_code == 200
    assert "redan registrerad" in response.content.decode()
    assert not User.objects.filter(email="britt@bryggan.example.se").exists()


def test_other_mistakes_are_shown_and_nothing_is_saved(world, client):
    response = client.post(register_url(world.a), form(password2="annat", first_name=""))
    content = response.content.decode()
    assert "Lösenorden är inte lika" in content
    assert "Ange ditt förnamn" in content
    assert not User.objects.filter(email="britt@bryggan.example.se").exists()
    assert not ApplicantOrganisation.objects.filter(name="Föreningen Bryggan").exists()


def test_a_known_address_gets_a_mail_and_no_second_account(world, client):
    response = client.post(register_url(world.a), form(email=world.applicant_org.email))
    assert response.status_code == 302  # the same answer as for a new address
    assert User.objects.filter(email=world.applicant_org.email).count() == 1
    assert not ApplicantOrganisation.objects.filter(name="Föreningen Bryggan").exists()
    assert len(mail.outbox) == 1
    assert "redan ett konto" in mail.outbox[0].body


def test_a_double_submit_makes_one_account(world, client):
    client.post(register_url(world.a), form())
    client.post(register_url(world.a), form())
    assert User.objects.filter(email="britt@bryggan.example.se").count() == 1
    assert ApplicantOrganisation.objects.filter(name="Föreningen Bryggan").count() == 1


@override_settings(ACCOUNT_RATE_LIMITS={"signup": "2/h/ip"})
def test_registrations_are_throttled(world, client):
    for n in range(2):
        client.post(register_url(world.a), form(email=f"n{n}@example.se", org_number=""))
    response = client.post(register_url(world.a), form())
    assert response.status_code == 429
    assert "För många registreringar" in response.content.decode()
    assert not User.objects.filter(email="britt@bryggan.example.se").exists()


def test_an_unknown_association_answers_404(db, client):
    assert client.get("/applications/register/finns-inte/").status_code == 404
