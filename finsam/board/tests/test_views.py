"""The board's pages and documents as each principal sees them, end to end through the views."""

import io

import pytest
from django.urls import reverse
from docx import Document as DocxDocument
from pypdf import PdfReader

from finsam.applications.models import Application, Interest
from finsam.applications.workflow import Status
from finsam.board import pack_sources
from finsam.board.models import Decision, Meeting, MeetingStatus
from finsam.board.tests.factories import MeetingFactory, recommended_application
from finsam.initiatives.models import Initiative


def _pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages).replace(
        "\u00a0", " "
    )


@pytest.fixture
def flow(world, client_for, skovde):
    """A meeting planned, two applications put on the agenda through the pages."""
    client = client_for(world.secretariat)
    response = client.post(
        reverse("board:meeting_create"),
        {"date": "2027-01-20", "place": "Kansliet", "first_paragraph": "12"},
    )
    meeting = Meeting.objects.get()
    assert response.url == reverse("board:meeting", kwargs={"pk": meeting.pk})
    apps = [
        recommended_application(world.a, organisation=world.a_organisation),
        recommended_application(world.a),
    ]
    for a in apps:
        client.post(reverse("board:agenda_add", kwargs={"pk": meeting.pk}), {"application": a.pk})
    assert set(Application.objects.values_list("status", flat=True)) == {Status.PROPOSED}
    return client, meeting, apps


def test_the_whole_path_from_agenda_to_initiative(world, flow, monkeypatch):
    client, meeting, (granted, rejected) = flow
    Interest.objects.create(
        association=world.a, user=world.board, organisation=granted.organisation
    )
    monkeypatch.setattr(
        pack_sources,
        "recommendation_for",
        lambda a: pack_sources.RecommendationText("Bevilja", "Väl förankrat hos parterna."),
    )
    monkeypatch.setattr(
        pack_sources,
        "reviews_for",
        lambda a: [
            pack_sources.ReviewText("Granskare Ett", "4 av 5", "Bevilja", "Tydlig målgrupp.")
        ],
    )
    # The pack: PDF with the agenda, summary, amounts, recommendation, reviews and the conflict.
    response = client.get(reverse("board:pack", kwargs={"pk": meeting.pk, "extension": "pdf"}))
    assert response["Content-Type"] == "application/pdf"
    text = _pdf_text(response)
    for expected in (
        granted.diary_number,
        "§ 12",
        "§ 13",
        "400 000 kr",
        "Stöd till unga vuxna",
        "Väl förankrat hos parterna.",
        "Tydlig målgrupp.",
        "deltar inte i handläggningen på grund av jäv",
    ):
        assert expected in text, expected
    docx = client.get(reverse("board:pack", kwargs={"pk": meeting.pk, "extension": "docx"}))
    paragraphs = [p.text for p in DocxDocument(io.BytesIO(docx.content)).paragraphs]
    assert any(granted.title in p for p in paragraphs)
    # A batch with one bad row saves nothing.
    items = {i.application_id: i for i in meeting.items.all()}
    g, r = items[granted.pk], items[rejected.pk]
    batch = {
        f"item{g.pk}-outcome": "granted",
        f"item{g.pk}-amount_2027": "300000",
        f"item{g.pk}-amount_2028": "150000",
        f"item{g.pk}-kind": "per_participant_week",
        f"item{g.pk}-rate": "0",
        f"item{r.pk}-outcome": "rejected",
    }
    response = client.post(reverse("board:decide_batch", kwargs={"pk": meeting.pk}), batch)
    assert response.status_code == 200
    assert "Inga beslut registrerades" in response.content.decode()
    assert not Decision.objects.exists()
    batch[f"item{g.pk}-rate"] = "1500"
    response = client.post(reverse("board:decide_batch", kwargs={"pk": meeting.pk}), batch)
    assert response.status_code == 302
    assert Decision.objects.count() == 2
    # The minutes approved: the grant becomes an initiative; twice is refused.
    url = reverse("board:approve_minutes", kwargs={"pk": meeting.pk})
    response = client.post(url, {"approved_on": "2027-01-25", "adjusters": "Anna Ek"})
    assert response.status_code == 302
    response = client.post(url, {"approved_on": "2027-01-25", "adjusters": "Anna Ek"}, follow=True)
    assert "redan justerat" in response.content.decode()
    application = Application.objects.get(pk=granted.pk)
    assert application.status == Status.GRANTED
    assert Initiative.objects.filter(diary_number=granted.diary_number).count() == 1
    # The minutes name the conflict; the letter and the agreement name the amounts.
    text = _pdf_text(
        client.get(reverse("board:minutes", kwargs={"pk": meeting.pk, "extension": "pdf"}))
    )
    assert "deltog inte i handläggningen på grund av jäv" in text
    assert "450 000 kr" in text and "Justerat" in text
    decision = Decision.objects.get(application=granted)
    text = _pdf_text(client.get(reverse("board:decision_letter", kwargs={"pk": decision.pk})))
    assert granted.diary_number in text and "300 000 kr" in text and "1 500 kr" in text
    text = _pdf_text(
        client.get(reverse("board:agreement", kwargs={"pk": decision.pk, "extension": "pdf"}))
    )
    assert granted.diary_number in text and "150 000 kr" in text and "Slutrapport" in text
    joined = text.replace("- ", "")  # Typst hyphenates
    assert "samtycke" in joined and "betalas tillbaka" in joined
    docx = client.get(reverse("board:agreement", kwargs={"pk": decision.pk, "extension": "docx"}))
    assert docx.status_code == 200
    # The applicant downloads the letter and agreement of its own application only.
    applicant = client.__class__()
    applicant.force_login(world.applicant_org)
    assert (
        applicant.get(reverse("board:decision_letter", kwargs={"pk": decision.pk})).status_code
        == 200
    )
    other = Decision.objects.get(application=rejected)
    assert (
        applicant.get(reverse("board:decision_letter", kwargs={"pk": other.pk})).status_code == 404
    )
    assert applicant.get(reverse("board:meeting", kwargs={"pk": meeting.pk})).status_code == 403
    page = client.get(reverse("board:decision", kwargs={"pk": decision.pk})).content.decode()
    assert "Beslutsbrev (PDF)" in page and "Registrera tecknat avtal" in page
    # The part the application's page includes, as the applicant sees it.
    from django.template import Context, Template
    from django.test import RequestFactory

    from finsam.staff.access import build_access

    request = RequestFactory().get("/")
    request.access = build_access(world.applicant_org)
    html = Template("{% load board_tags %}{% application_documents application %}").render(
        Context({"request": request, "application": application})
    )
    assert reverse("board:decision_letter", kwargs={"pk": decision.pk}) in html
    # The agreement, then the start, through the decision page.
    client.post(
        reverse("board:sign_agreement", kwargs={"pk": decision.pk}), {"signed_on": "2027-02-01"}
    )
    client.post(reverse("board:start", kwargs={"pk": decision.pk}))
    assert Application.objects.get(pk=granted.pk).status == Status.RUNNING
    page = client.get(reverse("initiatives:detail", kwargs={"pk": application.initiative_id}))
    assert "Rapportering enligt avtalet" in page.content.decode()


def test_a_bad_single_decision_shows_the_errors_and_saves_nothing(world, flow):
    client, meeting, (a, _) = flow
    item = meeting.items.get(application=a)
    response = client.post(
        reverse("board:decide", kwargs={"pk": item.pk}),
        {
            "outcome": "granted",
            "amount_2027": "100",
            "kind": "per_participant_week",
            "rate_per_week": "-3",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "error-summary" in body
    assert not Decision.objects.exists()
    response = client.post(
        reverse("board:decide", kwargs={"pk": item.pk}),
        {
            "outcome": "granted",
            "amount_2027": "100000",
            "kind": "mixed",
            "fixed_amount": "20000",
            "fixed_period": "quarter",
            "rate_per_week": "900",
            "counting_rule": "full_weeks",
            "cap_1496": "80000",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.compensation["caps"] == {"1496": 80000}
    # The same form again (a double submit) does not decide twice.
    response = client.post(reverse("board:decide", kwargs={"pk": item.pk}), {"outcome": "rejected"})
    assert response.status_code == 302 and Decision.objects.count() == 1


@pytest.mark.parametrize(
    "who, home, meeting_page, manage",
    [
        ("secretariat", 200, 200, 200),
        ("board", 200, 200, 403),
        ("operator", 200, 200, 403),
        ("reviewer", 403, 403, 403),
        ("manager", 403, 403, 403),
        ("applicant_org", 403, 403, 403),
        ("b_secretariat", 200, 404, 200),
    ],
)
def test_who_sees_the_board(world, client_for, who, home, meeting_page, manage):
    meeting = MeetingFactory(association=world.a)
    client = client_for(world.user(who))
    assert client.get(reverse("board:home")).status_code == home
    assert (
        client.get(reverse("board:meeting", kwargs={"pk": meeting.pk})).status_code == meeting_page
    )
    assert client.get(reverse("board:meeting_create")).status_code == manage
    pack = client.get(reverse("board:pack", kwargs={"pk": meeting.pk, "extension": "pdf"}))
    assert pack.status_code == (200 if meeting_page == 200 else meeting_page)
    assert Meeting.objects.filter(status=MeetingStatus.PLANNED).count() == 1
