"""The applicant's pages and the application page: who sees what, starting, withdrawing,
accepting late, comments."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from finsam.applications.models import Application, Comment, Step
from finsam.applications.tests.factories import (
    ApplicationFactory,
    CoApplicantFactory,
    RoundFactory,
)
from finsam.applications.workflow import Status
from finsam.audit.models import ChangeEvent

DAY = datetime.timedelta(days=1)


def detail_url(application):
    return reverse("applications:detail", kwargs={"pk": application.pk})


@pytest.fixture
def round_(world):
    return RoundFactory(association=world.a)


@pytest.fixture
def own(world, round_):
    return ApplicationFactory(round=round_, organisation=world.a_organisation, title="Eget projekt")


def test_an_applicant_sees_its_own_and_invited_applications_only(
    world, round_, own, client, client_for
):
    invited = ApplicationFactory(round=round_, title="Inbjudet projekt")
    CoApplicantFactory(
        application=invited,
        email=world.applicant_org.email,
        user=world.applicant_org,
        accepted_at=timezone.now(),
    )
    pending = ApplicationFactory(round=round_, title="Ej accepterat")
    CoApplicantFactory(application=pending, email=world.applicant_org.email)
    other = ApplicationFactory(round=round_, title="Annans projekt")
    foreign = ApplicationFactory(round=RoundFactory(association=world.b), title="B-projekt")
    client_for(world.applicant_org)
    page = client.get(reverse("applications:mine")).content.decode()
    assert "Eget projekt" in page and "Inbjudet projekt" in page
    assert "Annans projekt" not in page and "B-projekt" not in page
    assert "Ej accepterat" not in page
    assert client.get(detail_url(own)).status_code == 200
    assert client.get(detail_url(invited)).status_code == 200
    for hidden in (other, foreign, pending):
        assert client.get(detail_url(hidden)).status_code == 404


def test_the_list_groups_by_what_waits_and_warns_of_supplements(world, round_, client, client_for):
    ApplicationFactory(round=round_, organisation=world.a_organisation, title="Utkastet")
    ApplicationFactory(
        round=round_,
        organisation=world.a_organisation,
        title="Kompletteras",
        status=Status.SUPPLEMENT_REQUESTED,
        diary_number="2026/004",
    )
    ApplicationFactory(
        round=round_, organisation=world.a_organisation, title="Beviljat", status=Status.GRANTED
    )
    client_for(world.applicant_org)
    page = client.get(reverse("applications:mine")).content.decode()
    notice = page[page.index('id="supplement-notice"') :]
    assert "Kansliet har begärt komplettering" in notice
    assert "Kompletteras" in notice[: notice.index("</div>")]
    assert page.index("Utkastet") < page.index("Beviljat")
    assert "Beviljad" in page  # the applicant's name of the status
    # The statuses of preparation are one for the applicant.
    ApplicationFactory(
        round=round_, organisation=world.a_organisation, title="Bereds", status=Status.RECOMMENDED
    )
    page = client.get(reverse("applications:mine")).content.decode()
    assert "Under handläggning" in page
    assert "Rekommendation lämnad" not in page


def test_open_rounds_are_offered_and_a_draft_started_once(world, round_, client, client_for):
    closed = RoundFactory(
        association=world.a,
        title="Stängd omgång",
        opens_on=timezone.localdate() - 20 * DAY,
        closes_on=timezone.localdate() - DAY,
    )
    client_for(world.applicant_org)
    page = client.get(reverse("applications:mine")).content.decode()
    assert round_.title in page and "Starta ansökan" in page
    assert "Stängd omgång" not in page
    url = reverse("applications:start", kwargs={"round_pk": round_.pk})
    first = client.post(url, {"title": "Nytt projekt"})
    second = client.post(url, {"title": "Nytt projekt"})  # a double submit
    drafts = Application.objects.filter(title="Nytt projekt")
    assert drafts.count() == 1
    draft = drafts.get()
    assert first["Location"] == second["Location"]
    assert draft.organisation == world.a_organisation and draft.status == Status.DRAFT
    assert draft.form_definition == round_.form_version.definition
    assert client.post(url, {"title": ""}).status_code == 200
    assert "Ange projektets namn" in client.post(url, {"title": " "}).content.decode()
    closed_url = reverse("applications:start", kwargs={"round_pk": closed.pk})
    assert client.post(closed_url, {"title": "Sent"}).status_code == 404
    foreign = RoundFactory(association=world.b)
    foreign_url = reverse("applications:start", kwargs={"round_pk": foreign.pk})
    assert client.post(foreign_url, {"title": "B"}).status_code == 404
    assert not Application.objects.filter(title__in=["Sent", "B"]).exists()


def test_staff_cannot_start_an_application(world, round_, client, client_for):
    client_for(world.secretariat)
    url = reverse("applications:start", kwargs={"round_pk": round_.pk})
    assert client.post(url, {"title": "X"}).status_code == 403


def test_the_application_page_shows_the_answers_read_only(world, own, client, client_for):
    own.answers = {
        "background": "<p>Bakgrund <b>här</b>.<script>alert(1)</script></p>",  # never cleaned
        "goals": "Mål",
    }
    own.save()
    client_for(world.applicant_org)
    page = client.get(detail_url(own)).content.decode()
    assert "Utgångspunkter" in page and "Bakgrund <b>här</b>." in page  # sanitised rich text
    assert "<script>alert" not in page and "alert(1)" not in page
    assert "Inte besvarat" in page  # the optional block left empty
    assert "Utkast" in page


def test_the_submit_link_goes_to_the_check_page_for_writers_only(world, own, client, client_for):
    client_for(world.applicant_org)
    page = client.get(detail_url(own)).content.decode()
    assert 'id="submit-link"' in page
    assert f"/applications/{own.pk}/check/" in page
    client_for(world.secretariat)
    assert 'id="submit-link"' not in client.get(detail_url(own)).content.decode()


def test_the_applicant_withdraws_after_confirming(world, own, client, client_for):
    own.status = Status.SUBMITTED
    own.save()
    client_for(world.applicant_org)
    assert "Återta ansökan" in client.get(detail_url(own)).content.decode()
    url = reverse("applications:withdraw", kwargs={"pk": own.pk})
    assert "går inte att ångra" in client.get(url).content.decode()
    own.refresh_from_db()
    assert own.status == Status.SUBMITTED  # a GET changes nothing
    assert client.post(url, {"comment": "Vi söker i nästa omgång."}).status_code == 302
    assert client.post(url, {"comment": ""}).status_code == 302  # a double submit
    own.refresh_from_db()
    assert own.status == Status.WITHDRAWN
    assert Step.objects.filter(application=own, transition="withdraw").count() == 1
    assert ChangeEvent.objects.filter(action="application.withdraw").count() == 1


def test_withdrawing_after_the_decision_is_refused(world, own, client, client_for):
    own.status = Status.GRANTED
    own.save()
    client_for(world.applicant_org)
    assert "Återta ansökan" not in client.get(detail_url(own)).content.decode()
    response = client.post(reverse("applications:withdraw", kwargs={"pk": own.pk}), {})
    assert "Det går inte att göra det" in response.content.decode()
    own.refresh_from_db()
    assert own.status == Status.GRANTED


@pytest.mark.parametrize("who", ["secretariat", "board", "co_applicant"])
def test_only_writers_withdraw(world, own, client, client_for, who):
    own.status = Status.PROPOSED
    own.save()
    CoApplicantFactory(
        application=own,
        email=world.co_applicant.email,
        user=world.co_applicant,
        accepted_at=timezone.now(),
        permission="comment",
    )
    client_for(world.user(who))
    response = client.post(reverse("applications:withdraw", kwargs={"pk": own.pk}))
    assert response.status_code in (403, 404)
    own.refresh_from_db()
    assert own.status == Status.PROPOSED


def test_the_secretariat_accepts_a_late_application_with_a_reason(world, client, client_for):
    closed = RoundFactory(
        association=world.a,
        opens_on=timezone.localdate() - 20 * DAY,
        closes_on=timezone.localdate() - DAY,
    )
    late = ApplicationFactory(round=closed, organisation=world.a_organisation)
    client_for(world.applicant_org)
    assert "Ta emot sent" not in client.get(detail_url(late)).content.decode()
    url = reverse("applications:accept_late", kwargs={"pk": late.pk})
    assert client.post(url, {"reason": "x"}).status_code == 403
    client_for(world.secretariat)
    assert "Ta emot sent" in client.get(detail_url(late)).content.decode()
    response = client.post(url, {"reason": " "})
    assert "Ange skälet" in response.content.decode()
    late.refresh_from_db()
    assert late.status == Status.DRAFT and not late.diary_number
    client.post(url, {"reason": "Posten var försenad."})
    client.post(url, {"reason": "Posten var försenad."})  # a double submit
    late.refresh_from_db()
    assert late.status == Status.SUBMITTED
    assert late.late_reason == "Posten var försenad."
    assert late.diary_number.endswith("/001")
    assert Step.objects.filter(application=late, transition="accept_late").count() == 1


def test_a_draft_in_an_open_round_is_not_taken_in_late(world, own, client, client_for):
    client_for(world.secretariat)
    assert "Ta emot sent" not in client.get(detail_url(own)).content.decode()


def test_comments_between_applicant_and_secretariat_and_staff_notes(world, own, client, client_for):
    CoApplicantFactory(
        application=own,
        email=world.co_applicant.email,
        user=world.co_applicant,
        accepted_at=timezone.now(),
        permission="view",
    )
    url = reverse("applications:comment", kwargs={"pk": own.pk})
    client_for(world.secretariat)
    client.post(url, {"text": "Bifoga budgeten, tack."})
    client.post(url, {"text": "Intern anteckning om jäv.", "staff_only": "on"})
    client.post(url, {"text": "Intern anteckning om jäv.", "staff_only": "on"})  # double submit
    assert Comment.objects.filter(application=own).count() == 2
    client_for(world.applicant_org)
    client.post(url, {"text": "Budgeten är bifogad.", "staff_only": "on"})
    applicant_comment = Comment.objects.get(text="Budgeten är bifogad.")
    assert applicant_comment.staff_only is False  # applicants cannot hide comments
    for who in ("applicant_org", "co_applicant"):
        client_for(world.user(who))
        page = client.get(detail_url(own)).content.decode()
        assert "Bifoga budgeten" in page and "Budgeten är bifogad." in page
        assert "Intern anteckning" not in page
        assert "Bara för kansliet" not in page
    client_for(world.secretariat)
    page = client.get(detail_url(own)).content.decode()
    assert "Intern anteckning" in page
    empty = client.post(url, {"text": ""})
    assert "Skriv en kommentar" in empty.content.decode()
    assert ChangeEvent.objects.filter(action="application.comment").count() == 3


@pytest.mark.parametrize("who", ["board", "reviewer"])
def test_readers_who_are_not_the_secretariat_do_not_comment(world, client, client_for, who):
    application = ApplicationFactory(
        round=RoundFactory(association=world.a),
        organisation=world.a_organisation,
        status=Status.PROPOSED,
    )
    client_for(world.user(who))
    assert client.get(detail_url(application)).status_code == 200
    url = reverse("applications:comment", kwargs={"pk": application.pk})
    assert client.post(url, {"text": "Hej"}).status_code == 403


def test_the_start_page_sends_an_applicant_to_its_applications(world, client, client_for):
    client_for(world.applicant_org)
    assert client.get("/")["Location"] == reverse("applications:mine")


def test_the_navigation_has_an_applications_entry(world, client, client_for):
    client_for(world.applicant_org)
    page = client.get(reverse("applications:mine")).content.decode()
    assert f'href="{reverse("applications:mine")}">Mina ansökningar' in page
    client_for(world.secretariat)
    page = client.get(reverse("initiatives:list")).content.decode()
    assert f'href="{reverse("applications:rounds")}">Ansökningsomgångar' in page
