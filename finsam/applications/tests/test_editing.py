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
from finsam.applications.formdef.options import unresolved, with_options
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
from finsam.reference.models import CodeList
from finsam.reference.tests.factories import CodeFactory, MunicipalityFactory

DEL = '<del><span class="visually-hidden">borttaget: </span>'
INS = '<ins><span class="visually-hidden">tillagt: </span>'
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def png():
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def application(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world.a.municipalities.add(MunicipalityFactory(code="1281", name="Lund"))
    CodeFactory(code_list=CodeList.TARGET_GROUP, code="unga", label_sv="Unga", label_en="Young")
    version = FormVersionFactory(definition=formdef.standard_form())
    return ApplicationFactory(
        round=RoundFactory(association=world.a, form_version=version),
        organisation=world.a_organisation,
        answers={},
        # As applications.services.application_create copies it: the choices filled in.
        form_definition=with_options(version.definition, world.a),
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
    "budget-fin-association-2026": "600000",
    "budget-fin-association-2027": "496000",
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
        "timeline",
        {"timeline-start": "2013-09-01", "timeline-end": "2014-08-31", "timeline-row_count": "0"},
    )
    assert response.status_code == 200
    response = autosave(applicant, application, "project", {"project_name": "Kraft"})
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
    assert autosave(applicant, application, "project", {"project_name": "Först"}).status_code == 200
    # A second tab still holds the page's old lock_version.
    response = autosave(
        applicant, application, "project", {"project_name": "Sent"}, lock=page_version
    )
    assert response.status_code == 422
    assert "Någon annan har sparat ansökan" in response.content.decode()
    application.refresh_from_db()
    assert application.answers["project_name"] == "Först"
    assert application.lock_version == 1


def test_autosave_with_an_error_saves_the_rest_and_names_the_error(applicant, application):
    response = autosave(
        applicant,
        application,
        "target_group",
        {"target_group": "Unga vuxna", "participants_planned": "femton"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Planerat antal deltagare: Ange ett tal, till exempel 12." in body
    assert 'href="#block-participants_planned"' in body
    application.refresh_from_db()
    assert application.answers["target_group"] == "<p>Unga vuxna</p>"
    assert "participants_planned" not in application.answers


def test_the_section_form_works_without_javascript(applicant, application):
    response = applicant.get(url("edit_section", application, "contacts"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="block-contacts-0-name"' in body and 'hx-post="' in body
    data = {
        "lock_version": 0,
        "contacts-count": "1",
        "contacts-0-name": "Anna",
        "action": "add:contacts",
    }
    response = applicant.post(url("edit_section", application, "contacts"), data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert [e["name"] for e in application.answers["contacts"]] == ["Anna", None]
    page = applicant.get(response["Location"]).content.decode()
    assert 'id="block-contacts-1-name"' in page
    data = {
        "lock_version": 1,
        "contacts-count": "2",
        "contacts-0-name": "Anna",
        "contacts-1-name": "Ann",
        "action": "remove:contacts:0",
    }
    applicant.post(url("edit_section", application, "contacts"), data)
    application.refresh_from_db()
    assert [e["name"] for e in application.answers["contacts"]] == ["Ann"]


def test_a_section_with_errors_is_shown_again_as_typed(applicant, application):
    data = {
        "lock_version": 0,
        "target_group": "Unga",
        "participants_planned": "-4",
        "action": "save",
    }
    response = applicant.post(url("edit_section", application, "target_group"), data)
    assert response.status_code == 422
    body = response.content.decode()
    assert 'value="-4"' in body
    assert (
        'href="#block-participants_planned">'
        "Planerat antal deltagare: Ange ett tal som är minst 0.</a>" in body
    )
    assert (
        'aria-describedby="block-participants_planned-hint block-participants_planned-error"'
        in body
    )


def test_a_stale_section_save_keeps_what_was_typed(applicant, application):
    autosave(applicant, application, "project", {"project_name": "Från en annan flik"})
    data = {"lock_version": 0, "project_name": "Mitt namn", "action": "save"}
    response = applicant.post(url("edit_section", application, "project"), data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Någon annan har sparat ansökan" in body
    assert 'value="Mitt namn"' in body and 'name="lock_version" value="1"' in body
    application.refresh_from_db()
    assert application.answers["project_name"] == "Från en annan flik"


def complete(application):
    answers = {
        "project_name": "Kraft",
        "timeline": {"start": "2013-09-01", "end": "2014-08-31", "rows": []},
        "participants_planned": 15,
        "principal_organisation": "Socialförvaltningen",
        "municipalities": ["1281"],
        "budget": {
            "years": [2026],
            "costs": [{"label": "Lön", "amounts": {"2026": 100}}],
            "financiers": {"association": {"2026": 100}},
        },
        "contacts": [
            {"name": "Anna", "role": None, "organisation": None, "phone": None, "email": None}
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
    assert "Fyll i Projektets namn." in page
    assert f'href="{url("edit_section", application, "project")}#block-project_name"' in page
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
    assert autosave(applicant, application, "project", {"project_name": "Nytt"}).status_code == 422
    assert applicant.get(url("edit_section", application, "project")).status_code == 302


def test_attachments_are_checked_by_content_stored_with_their_hash_and_served_to_readers(
    applicant, application, world, client_for
):
    bad = SimpleUploadedFile("budget.pdf", png())
    response = applicant.post(
        url("edit_section", application, "attachments"),
        {"lock_version": 0, "attachments": bad, "action": "upload:attachments"},
    )
    assert response.status_code == 422
    assert "Filen är inte en PDF fast namnet slutar på .pdf." in response.content.decode()
    assert not Attachment.objects.exists()
    good = SimpleUploadedFile("plan.pdf", PDF)
    response = applicant.post(
        url("edit_section", application, "attachments"),
        {"lock_version": 0, "attachments": good, "action": "upload:attachments"},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.kind, attachment.size, attachment.name) == ("pdf", len(PDF), "plan.pdf")
    import hashlib

    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    application.refresh_from_db()
    assert application.answers["attachments"][0]["id"] == str(attachment.pk)
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
        url("edit_section", application, "attachments"),
        {"lock_version": 1, "action": f"delete-file:{attachment.pk}"},
    )
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    application.refresh_from_db()
    assert application.answers["attachments"] == []


def test_revisions_and_their_diff(applicant, application):
    autosave(
        applicant,
        application,
        "starting_points",
        {"starting_points": "Kraft har drivits under ett och ett halvt år så här långt."},
    )
    response = applicant.post(url("revisions", application), follow=True)
    assert "Version 1 är sparad." in response.content.decode()
    application.refresh_from_db()
    autosave(
        applicant,
        application,
        "starting_points",
        {"starting_points": "Kraft har drivits under två år så här långt."},
    )
    page = applicant.get(url("revision_diff", application) + "?a=1&b=current").content.decode()
    assert DEL + "ett och ett halvt</del>" + INS + "två</ins>" in page
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
    assert client.get(url("edit_section", application, "project")).status_code == 302
    assert autosave(client, application, "project", {"project_name": "X"}).status_code == 403
    assert (
        client.post(
            url("edit_section", application, "project"), {"lock_version": 0, "project_name": "X"}
        ).status_code
        == 403
    )
    application.refresh_from_db()
    assert "project_name" not in application.answers
    # With edit rights the co-applicant writes.
    viewer.permission = CoApplicantPermission.EDIT
    viewer.save()
    assert (
        autosave(client, application, "project", {"project_name": "Tillsammans"}).status_code == 200
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
            ("edit_section", ("project",)),
            ("revisions", ()),
            ("check", ()),
        ):
            assert client.get(url(name, application, *args)).status_code in (403, 404)
        assert autosave(client, application, "project", {"project_name": "Y"}).status_code == 404
        assert client.post(url("submit", application)).status_code in (403, 404)


def test_choices_from_the_code_lists_are_filled_in_and_kept_with_the_copy(
    world, applicant, application
):
    page = applicant.get(url("edit_section", application, "project")).content.decode()
    assert 'value="1281"' in page and ">Lund</label>" in page
    page = applicant.get(url("edit_section", application, "target_group")).content.decode()
    assert 'value="unga"' in page
    assert (
        autosave(applicant, application, "project", {"municipalities": ["1281"]}).status_code == 200
    )
    assert (
        autosave(applicant, application, "project", {"municipalities": ["9999"]}).status_code == 422
    )
    # A copy made before its choices were filled in gets them at its first save.
    Application.objects.filter(pk=application.pk).update(form_definition=formdef.standard_form())
    data = {"project_name": "Kraft", "municipalities": ["1281"]}  # the section's whole form
    assert autosave(applicant, application, "project", data).status_code == 200
    application.refresh_from_db()
    assert not unresolved(application.form_definition)
    assert application.answers["municipalities"] == ["1281"]


def test_a_submitted_applications_files_stay_and_staff_see_the_versions(
    world, applicant, application, client_for
):
    applicant.post(
        url("edit_section", application, "attachments"),
        {"lock_version": 0, "attachments": SimpleUploadedFile("plan.pdf", PDF), "action": "upload"},
    )
    attachment = Attachment.objects.get()
    applicant.post(url("revisions", application))
    Application.objects.filter(pk=application.pk).update(status=Status.SUPPLEMENT_REQUESTED)
    response = applicant.post(
        url("edit_section", application, "attachments"),
        {"lock_version": 1, "action": f"delete-file:{attachment.pk}"},
    )
    assert response.status_code == 422
    assert "En bilaga kan bara tas bort innan ansökan har lämnats in." in response.content.decode()
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    staff = client_for(world.secretariat)
    assert staff.get(url("revisions", application)).status_code == 200
    assert staff.get(url("revision_diff", application) + "?a=1").status_code == 200
    assert staff.get(reverse("applications:attachment", args=[attachment.pk])).status_code == 200


def test_the_template_tag_shows_the_answers(application):
    from django.template import Context, Template

    application.answers = {"project_name": "Kraft", "participants_planned": 15}
    html = Template("{% load application_forms %}{% application_answers application %}").render(
        Context({"application": application})
    )
    assert "Kraft" in html and 'id="answer-participants_planned"' in html


def test_a_new_application_starts_with_its_title_and_its_choices_filled_in(world, application):
    from finsam.applications.services import application_create
    from finsam.staff.access import build_access

    access = build_access(world.applicant_org, world.a.pk)
    created = application_create(access, round=application.round, title="Kraft")
    assert created.answers == {"project_name": "Kraft"}
    assert not unresolved(created.form_definition)
    assert "Fyll i Projektets namn." not in [
        p.message for p in formdef.missing(created.form_definition, created.answers)
    ]
