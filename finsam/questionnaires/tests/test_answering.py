"""The answering page: one-time links, pages, resume, submit once, bad input."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from finsam.core.access import Access
from finsam.questionnaires import services
from finsam.questionnaires.models import Answer, Draft, Invitation, Response, hash_token
from finsam.questionnaires.tests.factories import core_version, invitation

pytestmark = pytest.mark.django_db


def url(token, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("questionnaires:answer", kwargs={"token": token}) + (
        f"?{query}" if query else ""
    )


def answer_all(client, token, choice="5", lang="sv"):
    """Walk through every page answering every scale item with `choice` (or its first point)."""
    version = Invitation.objects.get(token_hash=hash_token(token)).version
    pages = services.pages(version)
    for page in pages:
        data = {
            "p": page.number,
            "lang": lang,
            "action": "submit" if page.number == len(pages) else "next",
        }
        for item in page.items:
            if item.points:
                codes = [p.code for p in item.points]
                data[f"i-{item.code}"] = choice if choice in codes else codes[0]
            else:
                data[f"i-{item.code}"] = "Bra stöd."
        response = client.post(url(token), data)
        assert response.status_code == 302, response.content[:2000]
    return response


def test_answering_every_page_submits_one_response(client, world):
    token, inv = invitation(world.a, initiative=world.a_initiative)
    page = client.get(url(token))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Jag får stödet på ett sätt som är till nytta för mig." in text
    assert "Sida 1 av 3" in text
    assert "Fråga 1 av 14" in text
    last = answer_all(client, token)
    assert last.url.startswith(reverse("questionnaires:thanks"))
    response = Response.objects.get()
    assert response.period == "2026-H2"
    assert response.initiative == world.a_initiative
    assert response.respondent_group == "participant_during"
    assert response.gender == "woman"  # the first point of KON
    d01 = Answer.objects.get(response=response, item_code="D01")
    assert (d01.choice_code, d01.value) == ("5", 5)
    inv.refresh_from_db()
    assert inv.used
    assert not Draft.objects.exists()
    # D12 answered 5 (≤ 6): the condition shows D13, which was answered.
    assert Answer.objects.filter(response=response, item_code="D13").exists()


def test_a_condition_not_met_hides_and_drops_the_item(client, world):
    token, _inv = invitation(world.a)
    answer_all(client, token, choice="10")  # D12 = 10: D13 not shown
    response = Response.objects.get()
    assert not Answer.objects.filter(response=response, item_code="D13").exists()


def test_resume_keeps_the_answers_of_earlier_pages(client, world):
    token, inv = invitation(world.a)
    client.post(url(token), {"p": 1, "lang": "sv", "action": "next", "i-D01": "6"})
    assert Draft.objects.get(invitation=inv).answers["D01"] == {"choice": "6"}
    page = client.get(url(token, p=1))
    assert 'value="6" checked' in page.content.decode()


def test_a_used_link_says_so_and_saves_nothing_twice(client, world):
    token, _inv = invitation(world.a)
    answer_all(client, token)
    again = client.get(url(token))
    assert again.status_code == 410
    assert "redan besvarad" in again.content.decode()
    post = client.post(url(token), {"p": 3, "action": "submit"})
    assert post.status_code == 410
    assert Response.objects.count() == 1
    with pytest.raises(services.TokenProblem):
        services.submit(Access.respondent(token, world.a), token)
    assert Response.objects.count() == 1


def test_an_expired_link_is_refused(client, world):
    token, inv = invitation(world.a)
    Invitation.objects.filter(pk=inv.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(url(token))
    assert response.status_code == 410
    assert "gått ut" in response.content.decode()
    assert client.post(url(token), {"p": 1, "i-D01": "5"}).status_code == 410
    assert not Draft.objects.exists()


def test_an_unknown_link_is_404(client, world):
    assert client.get(url("inte-en-riktig-lank")).status_code == 404


def test_a_tampered_choice_code_is_an_error_and_nothing_is_saved(client, world):
    token, inv = invitation(world.a)
    response = client.post(
        url(token), {"p": 1, "lang": "sv", "action": "next", "i-D01": "7", "i-D02": "5"}
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "Välj ett av svarsalternativen." in text
    assert 'href="#i-D01-0"' in text  # the error summary links to the field
    assert 'aria-describedby="i-D01_error"' in text
    assert not Draft.objects.filter(invitation=inv).exists()


def test_an_item_not_in_the_version_is_refused(client, world):
    token, inv = invitation(world.a)
    response = client.post(url(token), {"p": 1, "action": "next", "i-X99": "5"})
    assert response.status_code == 400
    assert "finns inte i enkäten" in response.content.decode()
    assert not Draft.objects.exists()


def test_an_item_in_the_draft_but_not_in_the_version_is_refused_at_submit(world):
    token, inv = invitation(world.a)
    Draft.objects.create(invitation=inv, answers={"X99": {"choice": "5"}})
    with pytest.raises(Exception, match="finns inte"):
        services.submit(Access.respondent(token, world.a), token)
    assert not Response.objects.exists()
    inv.refresh_from_db()
    assert not inv.used


def test_a_tampered_draft_choice_is_refused_at_submit(world):
    token, inv = invitation(world.a)
    Draft.objects.create(invitation=inv, answers={"D01": {"choice": "99"}})
    with pytest.raises(Exception, match="svarsalternativen"):
        services.submit(Access.respondent(token, world.a), token)
    assert not Response.objects.exists()


def test_arabic_is_right_to_left_and_falls_back_to_swedish_with_a_note(client, world):
    token, _inv = invitation(world.a)
    text = client.get(url(token, lang="ar")).content.decode()
    assert '<html lang="ar" dir="rtl">' in text
    assert "أحصل على الدعم بطريقة مفيدة لي." in text  # D01 translated
    # D02 has no Arabic text: Swedish, marked as Swedish, with the note.
    assert (
        '<span lang="sv" dir="ltr">De insatser jag erbjuds är anpassade efter mina behov.</span>'
        in text
    )
    assert "هذا السؤال غير مترجم بعد" in text
    dari = client.get(url(token, lang="prs")).content.decode()
    assert '<html lang="fa-AF" dir="rtl">' in dari
    english = client.get(url(token, lang="en")).content.decode()
    assert '<html lang="en" dir="ltr">' in english
    assert "Page 1 of 3" in english or "Sida 1 av 3" in english


def test_the_language_is_stored_with_the_response(client, world):
    token, _inv = invitation(world.a)
    answer_all(client, token, lang="ar")
    assert Response.objects.get().language == "ar"


def test_the_group_link_hands_out_fresh_links_rate_limited(client, world):
    token = services.create_group_link(
        Access(user=None, association=world.a, roles=frozenset({"secretariat"})),
        version=core_version(),
        initiative=None,
        period="2026-H2",
        max_uses=3,
        per_minute=2,
    )
    group_url = reverse("questionnaires:group", kwargs={"token": token})
    assert client.get(group_url).status_code == 200
    first = client.post(group_url)
    assert first.status_code == 302 and "/q/" in first.url
    assert client.get(first.url).status_code == 200
    assert client.post(group_url).status_code == 302
    assert client.post(group_url).status_code == 429  # two a minute
    Invitation.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    assert client.post(group_url).status_code == 302
    assert client.post(group_url).status_code == 410  # three in all
    assert Invitation.objects.count() == 3
