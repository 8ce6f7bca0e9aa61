"""The staff's pages: links and QR sheets, group links, e-mail invitations and reminders, paper
answers with review; who may do what."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from finsam.audit.models import ChangeEvent
from finsam.questionnaires.models import Invitation, Response, ReviewStatus, Source
from finsam.questionnaires.tests.factories import core_version

pytestmark = pytest.mark.django_db


def test_the_secretariat_makes_a_printable_sheet_of_qr_codes(client_for, client, world):
    client_for(world.secretariat)
    version = core_version()
    assert client.get(reverse("questionnaires:index")).status_code == 200
    response = client.post(
        reverse("questionnaires:links", kwargs={"pk": version.pk}),
        {"initiative": world.a_initiative.pk, "period": "2026-H2", "count": 3, "valid_days": 10},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("<svg") == 3
    urls = re.findall(r'class="q-sheet-url mb-0">([^<]+)<', text)
    assert len(urls) == 3
    assert Invitation.objects.filter(initiative=world.a_initiative, period="2026-H2").count() == 3
    # The links work, and the tokens themselves are not stored.
    token = urls[0].rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert client.get(urls[0]).status_code == 200
    assert ChangeEvent.objects.filter(action="questionnaire.invitations").exists()


def test_a_bad_period_is_a_form_error_and_nothing_is_made(client_for, client, world):
    client_for(world.secretariat)
    response = client.post(
        reverse("questionnaires:links", kwargs={"pk": core_version().pk}),
        {"period": "hösten", "count": 3, "valid_days": 10},
    )
    assert response.status_code == 422
    assert "2026-H2" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_manager_makes_links_only_for_its_own_initiative(client_for, client, world):
    client_for(world.manager)
    url = reverse("questionnaires:links", kwargs={"pk": core_version().pk})
    other = client.post(
        url, {"initiative": world.a_other.pk, "period": "2026-H2", "count": 2, "valid_days": 5}
    )
    assert other.status_code == 422  # not a choice
    whole = client.post(url, {"initiative": "", "period": "2026-H2", "count": 2, "valid_days": 5})
    assert whole.status_code == 422
    own = client.post(
        url, {"initiative": world.a_initiative.pk, "period": "2026-H2", "count": 2, "valid_days": 5}
    )
    assert own.status_code == 200
    assert Invitation.objects.count() == 2


def test_another_associations_secretariat_uses_the_core_for_its_own_association(
    client_for, client, world
):
    client_for(world.b_secretariat)
    response = client.post(
        reverse("questionnaires:links", kwargs={"pk": core_version().pk}),
        {"initiative": world.a_initiative.pk, "period": "2026-H2", "count": 2, "valid_days": 5},
    )
    assert response.status_code == 422  # A's initiative is no choice
    client.post(
        reverse("questionnaires:links", kwargs={"pk": core_version().pk}),
        {"period": "2026-H2", "count": 2, "valid_days": 5},
    )
    assert set(Invitation.objects.values_list("association", flat=True)) == {world.b.pk}


@pytest.mark.parametrize("who", ["board", "registrar", "analyst", "applicant"])
def test_others_may_not_make_links(client_for, client, world, who):
    client_for(world.user(who))
    response = client.post(
        reverse("questionnaires:links", kwargs={"pk": core_version().pk}),
        {"period": "2026-H2", "count": 2, "valid_days": 5},
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_email_invitations_and_reminders(client_for, client, world):
    client_for(world.secretariat)
    staff = core_version("nns-personal")
    response = client.post(
        reverse("questionnaires:email", kwargs={"pk": staff.pk}),
        {"period": "2026-H2", "emails": "a@example.se\nb@example.se\n", "valid_days": 10},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    link = re.search(r"http://testserver(/q/[^/\s]+/)", mail.outbox[0].body).group(1)
    first = mail.outbox[0].to[0]
    # The first answers (a required-free questionnaire: submit from the last page).
    client.post(link, {"p": 2, "action": "submit", "lang": "sv"})
    assert Response.objects.count() == 1
    mail.outbox.clear()
    reminded = client.post(
        reverse("questionnaires:remind", kwargs={"pk": staff.pk}), {"period": "2026-H2"}
    )
    assert reminded.status_code == 302
    assert [m.to[0] for m in mail.outbox] == [
        a for a in ("a@example.se", "b@example.se") if a != first
    ]
    assert "Påminnelse" in mail.outbox[0].subject
    assert client.get(link).status_code == 410  # used


def test_email_invitations_are_not_for_participants(client_for, client, world):
    client_for(world.secretariat)
    response = client.post(
        reverse("questionnaires:email", kwargs={"pk": core_version().pk}),
        {"period": "2026-H2", "emails": "a@example.se", "valid_days": 10},
    )
    assert response.status_code == 422
    assert not mail.outbox


def test_a_registrar_types_in_a_paper_questionnaire_and_another_reviews_it(
    client_for, client, world
):
    client_for(world.registrar)
    version = core_version()
    url = reverse("questionnaires:paper", kwargs={"pk": version.pk})
    assert client.get(url).status_code == 200
    bad = client.post(url, {"initiative": world.a_initiative.pk, "period": "2026-H2", "i-D01": "9"})
    assert bad.status_code == 422
    assert "Välj ett av svarsalternativen." in bad.content.decode()
    assert not Response.objects.exists()
    ok = client.post(
        url,
        {
            "initiative": world.a_initiative.pk,
            "period": "2026-H2",
            "i-D01": "6",
            "i-D12": "3",
            "i-D13": "Mer tid",
            "i-KON": "man",
        },
    )
    assert ok.status_code == 302
    response = Response.objects.get()
    assert (response.source, response.review_status, response.gender) == (
        Source.PAPER,
        ReviewStatus.ENTERED,
        "man",
    )
    assert response.answers.get(item_code="D13").text == "Mer tid"
    listing = client.get(reverse("questionnaires:paper_list"))
    assert "Markera granskad" in listing.content.decode()
    review_url = reverse("questionnaires:paper_review", kwargs={"pk": response.pk})
    assert client.post(review_url).status_code == 302
    response.refresh_from_db()
    assert response.review_status == ReviewStatus.REVIEWED
    client.post(review_url)  # twice: a message, no error
    assert ChangeEvent.objects.filter(action="questionnaire.review_paper").count() == 1


def test_a_registrar_enters_paper_only_for_its_initiative(client_for, client, world):
    client_for(world.registrar)
    url = reverse("questionnaires:paper", kwargs={"pk": core_version().pk})
    response = client.post(url, {"initiative": world.a_other.pk, "period": "2026-H2", "i-D01": "6"})
    assert response.status_code == 422
    assert not Response.objects.exists()
