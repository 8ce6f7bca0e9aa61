import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from finsam.reports import services
from finsam.reports.models import ReportComment, ReportStatus
from finsam.reports.tests.reporting import FILLED, InitiativeReportFactory, ReportingPeriodFactory
from finsam.staff.access import build_access


@pytest.fixture
def report(world):
    period = ReportingPeriodFactory(association=world.a)
    return InitiativeReportFactory(period=period, initiative=world.a_initiative, filled=True)


def url(name, report):
    return reverse(f"reports:{name}", args=[report.pk])


def follow(client, response):
    return client.get(response["Location"]).content.decode()


# --- Submit -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "applicant", "secretariat"])
def test_a_writer_submits_a_complete_report(world, client_for, report, role):
    client = client_for(world.user(role))
    response = client.post(url("submit", report))
    assert response.status_code == 302
    assert "Rapporten är inlämnad till kansliet." in follow(client, response)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.submitted_at is not None
    assert report.statistics_snapshot["tables"]


def test_the_submit_button_submits_the_text_the_form_holds(world, client_for, report):
    """The last words typed may not have been autosaved yet: the submission carries them."""
    client = client_for(world.manager)
    page = client.get(url("detail", report)).content.decode()
    assert f'formaction="{url("submit", report)}"' in page  # the button is in the report form
    text = FILLED["results"] + " Och två till."
    response = client.post(url("submit", report), {"results": text, "purpose": ""})
    assert response.status_code == 302
    report.refresh_from_db()
    # Saved, then checked: the emptied purpose is saved too, so the submission is refused.
    assert (report.results, report.purpose, report.status) == (text, "", ReportStatus.DRAFT)
    response = client.post(url("submit", report), {"purpose": "Syftet."})
    report.refresh_from_db()
    assert (report.purpose, report.status) == ("Syftet.", ReportStatus.SUBMITTED)
    # An autosave arriving after the submission is refused and changes nothing.
    late = client.post(url("autosave", report), {"field": "results", "results": "Gammalt"})
    assert late.status_code == 422 and "kan inte ändras" in late.content.decode()
    report.refresh_from_db()
    assert report.results == text


def test_a_submit_with_text_too_long_keeps_the_text_and_submits_nothing(world, client_for, report):
    text = "x" * 201
    response = client_for(world.manager).post(url("submit", report), {"project_name": text})
    assert response.status_code == 400
    assert text in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.project_name != text


def test_submitting_an_incomplete_report_lists_what_is_missing(world, client_for, report):
    report.purpose = "  "
    report.results = ""
    report.save()
    client = client_for(world.manager)
    response = client.post(url("submit", report))
    body = follow(client, response)
    assert (
        "Rapporten kan inte lämnas in förrän alla obligatoriska avsnitt är ifyllda. "
        "Saknas: Syfte, Resultat." in body
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.submitted_at is None
    assert report.statistics_snapshot == {}


def test_a_sub_report_needs_only_its_results(world, client_for, report):
    from finsam.reference.models import Municipality

    sub = InitiativeReportFactory(
        period=report.period,
        initiative=report.initiative,
        parent=report,
        municipality=Municipality.objects.get(name="Skövde"),
    )
    with pytest.raises(ValidationError, match="Saknas: Resultat"):
        services.report_submit(access=build_access(world.manager), report=sub)
    sub.results = "Två deltagare till studier."
    sub.save()
    assert (
        services.report_submit(access=build_access(world.manager), report=sub).status == "submitted"
    )


# --- Return, approve, illegal transitions -----------------------------------------------------


def test_the_secretariat_returns_a_report_with_a_comment_and_the_writer_edits_again(
    world, client_for, report
):
    services.report_submit(access=build_access(world.manager), report=report)
    client = client_for(world.secretariat)
    response = client.post(url("return", report), {"return-text": "Komplettera målen."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    comment = ReportComment.objects.get(report=report)
    assert comment.text == "Komplettera målen." and comment.author == world.secretariat
    writer = client_for(world.manager)
    body = writer.get(url("detail", report)).content.decode()
    assert "Kansliet har skickat tillbaka rapporten." in body
    assert "Komplettera målen." in body
    assert 'name="goals"' in body
    writer.post(url("autosave", report), {"field": "goals", "goals": "Kompletterade mål."})
    writer.post(url("submit", report))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.goals == "Kompletterade mål."


def test_returning_without_a_comment_is_refused(world, client_for, report):
    services.report_submit(access=build_access(world.manager), report=report)
    response = client_for(world.secretariat).post(url("return", report), {"return-text": " "})
    assert response.status_code == 400
    assert "Skriv en kommentar om vad som behöver ändras" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert not ReportComment.objects.exists()


def test_the_secretariat_approves_a_submitted_report(world, client_for, report):
    services.report_submit(access=build_access(world.manager), report=report)
    client = client_for(world.secretariat)
    response = client.post(url("approve", report))
    assert "Rapporten är godkänd." in follow(client, response)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert report.approved_at is not None and report.submitted_at is not None


def test_approving_asks_for_confirmation_first(world, client_for, report):
    """No script: the approve button sits inside a disclosure that explains what approving
    does; the first button only opens it."""
    services.report_submit(access=build_access(world.manager), report=report)
    page = client_for(world.secretariat).get(url("detail", report)).content.decode()
    disclosure = page.split('<details class="mb-3" id="approve-confirm">', 1)[1].split(
        "</details>", 1
    )[0]
    assert f'action="{url("approve", report)}"' in disclosure
    assert "kan inte längre ändras" in disclosure
    assert "Ja, godkänn rapporten" in disclosure
    assert page.count(f'action="{url("approve", report)}"') == 1


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        (ReportStatus.DRAFT, "approve", "Endast inlämnade rapporter kan godkännas."),
        (ReportStatus.RETURNED, "approve", "Endast inlämnade rapporter kan godkännas."),
        (ReportStatus.APPROVED, "approve", "Endast inlämnade rapporter kan godkännas."),
        (ReportStatus.DRAFT, "return", "Endast inlämnade rapporter kan skickas tillbaka."),
        (ReportStatus.APPROVED, "return", "Endast inlämnade rapporter kan skickas tillbaka."),
        (ReportStatus.SUBMITTED, "submit", "Rapporten är redan inlämnad."),
        (ReportStatus.APPROVED, "submit", "Rapporten är redan godkänd."),
    ],
)
def test_illegal_transitions_are_refused(world, report, status, action, message):
    report.status = status
    report.save()
    call = {
        "approve": lambda: services.report_approve(
            access=build_access(world.secretariat), report=report
        ),
        "return": lambda: services.report_return(
            access=build_access(world.secretariat), report=report, comment="Nej"
        ),
        "submit": lambda: services.report_submit(
            access=build_access(world.secretariat), report=report
        ),
    }[action]
    with pytest.raises(ValidationError, match=message):
        call()
    report.refresh_from_db()
    assert report.status == status
    assert not ReportComment.objects.exists()


def test_illegal_transitions_through_the_pages_change_nothing(world, client_for, report):
    client = client_for(world.secretariat)
    response = client.post(url("approve", report))
    assert "Endast inlämnade rapporter kan godkännas." in follow(client, response)
    response = client.post(url("return", report), {"return-text": "Varför?"})
    assert "Endast inlämnade rapporter kan skickas tillbaka." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert not ReportComment.objects.exists()


@pytest.mark.parametrize("role", ["manager", "applicant", "board", "analyst", "operator"])
def test_only_the_secretariat_returns_and_approves(world, client_for, report, role):
    services.report_submit(access=build_access(world.manager), report=report)
    client = client_for(world.user(role))
    assert client.post(url("approve", report)).status_code == 403
    assert client.post(url("return", report), {"return-text": "x"}).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("role", ["registrar", "board", "analyst", "operator", "no_role"])
def test_non_writers_cannot_submit(world, client_for, report, role):
    assert client_for(world.user(role)).post(url("submit", report)).status_code in (403, 404)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


@pytest.mark.parametrize("role", ["b_secretariat", "b_registrar"])
def test_another_association_gets_404_on_every_action(world, client_for, report, role):
    client = client_for(world.user(role))
    for name in ("submit", "approve", "return", "comment", "insert_summary", "autosave"):
        expected = (404,) if role == "b_secretariat" else (403, 404)  # 403: not secretariat
        assert client.post(url(name, report), {"text": "x"}).status_code in expected, name
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


# --- Comments ---------------------------------------------------------------------------------


def test_the_secretariat_and_the_writers_share_a_comment_thread(world, client_for, report):
    client_for(world.secretariat).post(url("comment", report), {"text": "Hur går det?"})
    response = client_for(world.applicant).post(url("comment", report), {"text": "Bra, tack."})
    assert response.status_code == 302
    assert response["Location"].endswith("#kommentarer")
    comments = list(ReportComment.objects.filter(report=report))
    assert [(c.author, c.text) for c in comments] == [
        (world.secretariat, "Hur går det?"),
        (world.applicant, "Bra, tack."),
    ]
    body = client_for(world.manager).get(url("detail", report)).content.decode()
    assert body.index("Hur går det?") < body.index("Bra, tack.")
    assert world.secretariat.email in body


def test_an_empty_comment_is_refused(world, client_for, report):
    response = client_for(world.manager).post(url("comment", report), {"text": "  "})
    assert response.status_code == 400
    assert "Skriv en kommentar." in response.content.decode()
    assert not ReportComment.objects.exists()


def test_readers_cannot_comment(world, client_for, report):
    report.status = ReportStatus.APPROVED
    report.save()
    for role in ("board", "analyst"):
        response = client_for(world.user(role)).post(url("comment", report), {"text": "Hej"})
        assert response.status_code == 403
    assert not ReportComment.objects.exists()


def test_the_workflow_survives_without_the_page(world, report):
    """Services alone: submit → return → submit → approve, history kept."""
    services.report_submit(access=build_access(world.manager), report=report)
    services.report_return(
        access=build_access(world.secretariat), report=report, comment="Mer om metoden."
    )
    report.refresh_from_db()
    report.method = FILLED["method"] + " Och uppföljning."
    report.save()
    services.report_submit(access=build_access(world.applicant), report=report)
    approved = services.report_approve(access=build_access(world.secretariat), report=report)
    assert approved.status == ReportStatus.APPROVED
    assert approved.comments.count() == 1
