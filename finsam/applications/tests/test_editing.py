"""The applicant's editing pages: autosave with optimistic locking, the section form without
JavaScript, revisions and their diff, attachments checked by content, the completeness check and
submitting (once), and who may write, read or not see at all."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from finsam.applications import formdef
from finsam.applications.models import Application, Attachment, CoApplicantPermission
from finsam.applications.tests.factories import (
    ApplicantOrganisationFactory,
    ApplicationFactory,
    CoApplicantFactory,
    FormVersionFactory,
    RoundFactory,
)
from finsam.applications.workflow import Status
from finsam.audit.models import ChangeEvent

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def png():
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def application(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    version = FormVersionFactory(definition=formdef.standard_form())
    return ApplicationFactory(
        round=RoundFactory(association=world.a, form_version=version),
        organisation=world.a_organisation,
        answers={},
    )


@pytest.fixture
def applicant(world, client_for):
    return client_for(world.applicant_org)


def url(name, application, *args):
    return reverse(f"applications:{name}", args=[application.pk, *args])


def autosave(client, application, section, data, lock=None):
    """An autosave as the page sends it, with the current lock_version unless `lock` is given."""
    if lock is None:
        lock = Application.objects.get(pk=application.pk).lock_version
    return client.post(
        url("autosave", application, section),
        {"lock_version": lock, **data},
        HTTP_HX_REQUEST="true",
    )


BUDGET = {
    "budget-first_year": "2026",
    "budget-year_count": "2",
    "budget-cost_count": "1",
    "budget-cost-0-label": "Projektledare",
    "budget-cost-0-2026": "600 000",
    "budget-cost-0-2027": "496 000",
    "budget-fin-samordningsforbundet-2026": "600000",
    "budget-fin-samordningsforbundet-2027": "496000",
}


def test_the_task_list_shows_the_sections_and_their_state(applicant, application):
    response = applicant.get(url("edit", application))
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 Utgångspunkter" in body and "11 Kontaktpersoner" in body
    assert url("edit_section", application, "budget") in body
    assert "Inte påbörjat" in body


def test_autosave_saves_the_section_and_keeps_the_derived_fields(applicant, application):
    response = autosave(applicant, application, "budget", BUDGET)
    assert response.status_code == 200
    assert "Sparat" in response.content.decode()
    assert 'name="lock_version" value="1"' in response.content.decode()  # the page's new version
    application.refresh_from_db()
    assert application.lock_version == 1
    assert application.amount_applied == 1_096_000
    assert application.applied_by_year == {"2026": 600000, "2027": 496000}
    response = autosave(
        applicant,
        application,
        "tidplan",
        {"tidplan-start": "2013-09-01", "tidplan-end": "2014-08-31", "tidplan-row_count": "0"},
    )
    assert response.status_code == 200
    response = autosave(applicant, application, "projekt", {"projektnamn": "Kraft"})
    application.refresh_from_db()
    assert (application.period_start, application.period_end) == (
        datetime.date(2013, 9, 1),
        datetime.date(2014, 8, 31),
    )
    assert application.title == "Kraft"
    assert application.answers["budget"]["costs"][0]["label"] == "Projektledare"
    event = ChangeEvent.objects.filter(action="application.answers").last()
    assert "Kraft" not in str(event.changes)  # only which blocks changed, not what was written


def test_a_stale_autosave_is_refused_and_overwrites_nothing(applicant, application):
    page_version = application.lock_version
    assert autosave(applicant, application, "projekt", {"projektnamn": "Först"}).status_code == 200
    # A second tab still holds the page's old lock_version.
    response = autosave(
        applicant, application, "projekt", {"projektnamn": "Sent"}, lock=page_version
    )
    assert response.status_code == 422
    assert "Någon annan har sparat ansökan" in response.content.decode()
    application.refresh_from_db()
    assert application.answers["projektnamn"] == "Först"
    assert application.lock_version == 1


def test_autosave_with_an_error_saves_the_rest_and_names_the_error(applicant, application):
    response = autosave(
        applicant, application, "malgrupp", {"malgrupp": "Unga vuxna", "antal_deltagare": "femton"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Antal deltagare: Ange ett tal, till exempel 12." in body
    assert 'href="#block-antal_deltagare"' in body
    application.refresh_from_db()
    assert application.answers["malgrupp"] == "<p>Unga vuxna</p>"
    assert "antal_deltagare" not in application.answers


def test_the_section_form_works_without_javascript(applicant, application):
    response = applicant.get(url("edit_section", application, "kontakter"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="block-kontaktpersoner-0-namn"' in body and 'hx-post="' in body
    data = {
        "lock_version": 0,
        "kontaktpersoner-count": "1",
        "kontaktpersoner-0-namn": "Anna",
        "action": "add:kontaktpersoner",
    }
    response = applicant.post(url("edit_section", application, "kontakter"), data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert [e["namn"] for e in application.answers["kontaktpersoner"]] == ["Anna", None]
    page = applicant.get(response["Location"]).content.decode()
    assert 'id="block-kontaktpersoner-1-namn"' in page
    data = {
        "lock_version": 1,
        "kontaktpersoner-count": "2",
        "kontaktpersoner-0-namn": "Anna",
        "kontaktpersoner-1-namn": "Ann",
        "action": "remove:kontaktpersoner:0",
    }
    applicant.post(url("edit_section", application, "kontakter"), data)
    application.refresh_from_db()
    assert [e["namn"] for e in application.answers["kontaktpersoner"]] == ["Ann"]


def test_a_section_with_errors_is_shown_again_as_typed(applicant, application):
    data = {"lock_version": 0, "malgrupp": "Unga", "antal_deltagare": "-4", "action": "save"}
    response = applicant.post(url("edit_section", application, "malgrupp"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="-4"' in body
    assert 'href="#block-antal_deltagare">Antal deltagare: Ange ett tal som är minst 0.</a>' in body
    assert 'aria-describedby="block-antal_deltagare-hint block-antal_deltagare-error"' in body


def test_a_stale_section_save_keeps_what_was_typed(applicant, application):
    autosave(applicant, application, "projekt", {"projektnamn": "Från en annan flik"})
    data = {"lock_version": 0, "projektnamn": "Mitt namn", "action": "save"}
    response = applicant.post(url("edit_section", application, "projekt"), data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Någon annan har sparat ansökan" in body
    assert 'value="Mitt namn"' in body and 'name="lock_version" value="1"' in body
    application.refresh_from_db()
    assert application.answers["projektnamn"] == "Från en annan flik"


def complete(application):
    answers = {
        "projektnamn": "Kraft",
        "tidplan": {"start": "2013-09-01", "end": "2014-08-31", "rows": []},
        "antal_deltagare": 15,
        "huvudman": "Socialförvaltningen",
        "budget": {
            "years": [2026],
            "costs": [{"label": "Lön", "amounts": {"2026": 100}}],
            "financiers": {"samordningsforbundet": {"2026": 100}},
        },
        "kontaktpersoner": [
            {"namn": "Anna", "roll": None, "organisation": None, "telefon": None, "epost": None}
        ],
    }
    for problem in formdef.missing(application.form_definition, answers):
        answers[problem.key] = "<p>Text.</p>"
    assert formdef.missing(application.form_definition, answers) == []
    Application.objects.filter(pk=application.pk).update(answers=answers)
    application.refresh_from_db()
    return application


def test_an_incomplete_application_is_refused_with_its_problems(applicant, application):
    page = applicant.get(url("check", application)).content.decode()
    assert "Fyll i: Projektets namn" in page
    assert f'href="{url("edit_section", application, "projekt")}#block-projektnamn"' in page
    response = applicant.post(url("submit", application), follow=True)
    assert "Ansökan är inte komplett" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.DRAFT and application.diary_number == ""


def test_submitting_twice_gives_one_diary_number_and_no_error(applicant, application):
    application = complete(application)
    page = applicant.get(url("check", application)).content.decode()
    assert "Lämna in ansökan" in page
    first = applicant.post(url("submit", application), follow=True)
    assert first.status_code == 200
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    number = application.diary_number
    assert number and number in first.content.decode()
    second = applicant.post(url("submit", application), follow=True)
    assert second.status_code == 200
    assert (
        "Ansökan är redan inlämnad." in second.content.decode()
        or "Det går inte" in second.content.decode()
    )
    application.refresh_from_db()
    assert application.diary_number == number
    assert application.revisions.count() == 1
    # Submitted: the answers cannot be changed any more.
    assert autosave(applicant, application, "projekt", {"projektnamn": "Nytt"}).status_code == 422
    assert applicant.get(url("edit_section", application, "projekt")).status_code == 302


def test_attachments_are_checked_by_content_stored_with_their_hash_and_served_to_readers(
    applicant, application, world, client_for
):
    bad = SimpleUploadedFile("budget.pdf", png())
    response = applicant.post(
        url("edit_section", application, "bilagor"),
        {"lock_version": 0, "bilagor": bad, "action": "upload:bilagor"},
    )
    assert response.status_code == 400
    assert "Filen är inte en PDF fast namnet slutar på .pdf." in response.content.decode()
    assert not Attachment.objects.exists()
    good = SimpleUploadedFile("plan.pdf", PDF)
    response = applicant.post(
        url("edit_section", application, "bilagor"),
        {"lock_version": 0, "bilagor": good, "action": "upload:bilagor"},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.kind, attachment.size, attachment.name) == ("pdf", len(PDF), "plan.pdf")
    import hashlib

    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    application.refresh_from_db()
    assert application.answers["bilagor"][0]["id"] == str(attachment.pk)
    download = applicant.get(reverse("applications:attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    # Another organisation's user does not find it.
    other = ApplicantOrganisationFactory(association=world.a)
    stranger = world.no_role
    other.members.add(stranger)
    client = client_for(stranger)
    assert client.get(reverse("applications:attachment", args=[attachment.pk])).status_code == 404
    assert (
        client.post(reverse("applications:attachment_delete", args=[attachment.pk])).status_code
        == 404
    )
    # Removed while a draft, by the applicant.
    applicant = client_for(world.applicant_org)
    response = applicant.post(
        url("edit_section", application, "bilagor"),
        {"lock_version": 1, "action": f"delete-file:{attachment.pk}"},
    )
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    application.refresh_from_db()
    assert application.answers["bilagor"] == []


def test_revisions_and_their_diff(applicant, application):
    autosave(
        applicant,
        application,
        "utgangspunkter",
        {"utgangspunkter": "Kraft har drivits under ett och ett halvt år så här långt."},
    )
    response = applicant.post(url("revisions", application), follow=True)
    assert "Version 1 är sparad." in response.content.decode()
    application.refresh_from_db()
    autosave(
        applicant,
        application,
        "utgangspunkter",
        {"utgangspunkter": "Kraft har drivits under två år så här långt."},
    )
    page = applicant.get(url("revision_diff", application) + "?a=1&b=current").content.decode()
    assert "<del>ett och ett halvt</del><ins>två</ins>" in page
    assert applicant.get(url("revision_diff", application) + "?a=99").status_code == 404
    listing = applicant.get(url("revisions", application)).content.decode()
    assert "Sparad version" in listing


def test_who_may_write_read_or_not_see(world, application, client_for):
    viewer = CoApplicantFactory(
        application=application,
        email=world.co_applicant.email,
        user=world.co_applicant,
        accepted_at=timezone.now(),
        permission=CoApplicantPermission.VIEW,
    )
    client = client_for(world.co_applicant)
    page = client.get(url("edit", application))
    assert page.status_code == 200 and "hx-post" not in page.content.decode()
    assert client.get(url("edit_section", application, "projekt")).status_code == 302
    assert autosave(client, application, "projekt", {"projektnamn": "X"}).status_code == 403
    assert (
        client.post(
            url("edit_section", application, "projekt"), {"lock_version": 0, "projektnamn": "X"}
        ).status_code
        == 403
    )
    application.refresh_from_db()
    assert "projektnamn" not in application.answers
    # With edit rights the co-applicant writes.
    viewer.permission = CoApplicantPermission.EDIT
    viewer.save()
    assert (
        autosave(client, application, "projekt", {"projektnamn": "Tillsammans"}).status_code == 200
    )
    # Staff read the answers, but do not write them here.
    secretariat = client_for(world.secretariat)
    page = secretariat.get(url("edit", application)).content.decode()
    assert "Tillsammans" in page and "hx-post" not in page
    # Another applicant organisation, and another association's staff, find nothing.
    other = ApplicantOrganisationFactory(association=world.a)
    other.members.add(world.no_role)
    for user in (world.no_role, world.b_secretariat):
        client = client_for(user)
        for name, args in (
            ("edit", ()),
            ("edit_section", ("projekt",)),
            ("revisions", ()),
            ("check", ()),
        ):
            assert client.get(url(name, application, *args)).status_code in (403, 404)
        assert autosave(client, application, "projekt", {"projektnamn": "Y"}).status_code == 404
        assert client.post(url("submit", application)).status_code in (403, 404)
