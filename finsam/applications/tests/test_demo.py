"""The applications' demo: Lund, its logins and organisations, the rounds; idempotent."""

import datetime

import pytest

from finsam.accounts.models import ApplicantOrganisation, User
from finsam.applications.models import CoApplicant, Round
from finsam.applications.selectors import open_rounds
from finsam.applications.workflow import Status
from finsam.associations.models import Association
from finsam.demo.applications import demo_application, load_applications
from finsam.demo.loading import DemoResult
from finsam.staff.access import build_access

TODAY = datetime.date(2026, 12, 6)


@pytest.fixture
def loaded(db):
    from finsam.associations.tests.factories import AssociationFactory
    from finsam.reference.loading import sync_reference_data

    sync_reference_data()
    AssociationFactory(slug="skaraborg", name="Samordningsförbundet Skaraborg")
    result = DemoResult()
    load_applications(result, TODAY)
    return result


def test_lund_its_logins_and_rounds(loaded, client):
    lund = Association.objects.get(slug="lund")
    assert lund.name == "Lunds samordningsförbund"
    assert set(lund.members.values_list("name", flat=True)) == {
        "Lunds kommun",
        "Region Skåne",
        "Försäkringskassan",
        "Arbetsförmedlingen",
    }
    emails = {login.email for login in loaded.logins}
    assert "ansokan@lund.demo.finsam.se" in emails and "kansli@lund.demo.finsam.se" in emails
    applicant = User.objects.get(email="ansokan@lund.demo.finsam.se")
    access = build_access(applicant)
    assert access.organisation.name == "Socialförvaltningen, Lunds kommun"
    assert build_access(User.objects.get(email="beredning@lund.demo.finsam.se")).association == lund
    assert [r.title for r in open_rounds(lund, TODAY)] == ["Löpande ansökningar 2026"]
    skaraborg = Association.objects.get(slug="skaraborg")
    assert [r.title for r in open_rounds(skaraborg, TODAY)] == ["Ansökningsomgång 1 februari 2027"]
    assert Round.objects.filter(association=skaraborg).count() == 4
    assert client.login(email="ansokan@lund.demo.finsam.se", password="finsam-demo-2026")


def test_the_demo_is_idempotent(loaded):
    again = DemoResult()
    load_applications(again, TODAY)
    assert not any(again.created.values())
    assert Round.objects.count() == 5


def test_demo_application_writes_and_submits_once(loaded):
    round_ = Round.objects.get(title="Löpande ansökningar 2026")
    organisation = ApplicantOrganisation.objects.get(name="Socialförvaltningen, Lunds kommun")
    user = User.objects.get(email="ansokan@lund.demo.finsam.se")
    partner = User.objects.get(email="arbetsformedlingen@lund.demo.finsam.se")
    answers = {
        block["key"]: "Text"
        for section in round_.form_version.definition["sections"]
        for block in section["blocks"]
        if block["type"] in ("text", "rich_text")
    }
    kwargs = dict(
        round=round_,
        organisation=organisation,
        title="Demoansökan",
        answers=answers,
        by_user=user,
        co_applicants=((partner, "Arbetsförmedlingen Lund", "comment"),),
    )
    first = demo_application(**kwargs, submit=False)
    assert first.status == Status.DRAFT
    if round_.form_version.form.code != "demo":
        return  # the standard form needs full answers (the lead's seed 004 data)
    submitted = demo_application(**kwargs, submit=True)
    again = demo_application(**kwargs, submit=True)
    assert submitted.pk == first.pk == again.pk
    assert again.status == Status.SUBMITTED and again.diary_number
    assert CoApplicant.objects.get(application=first).accepted_at is not None
