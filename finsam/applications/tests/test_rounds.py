"""The secretariat's rounds and form versions, and the open rounds selector."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from finsam.applications import rounds
from finsam.applications.models import ApplicationForm, FormVersion, Round
from finsam.applications.selectors import open_rounds
from finsam.applications.tests.factories import (
    SMALL_DEFINITION,
    ApplicationFactory,
    ApplicationFormFactory,
    FormVersionFactory,
    RoundFactory,
)
from finsam.audit.models import ChangeEvent
from finsam.staff.access import build_access

TODAY = datetime.date(2026, 12, 6)


@pytest.fixture
def version(db):
    return FormVersionFactory()


def round_data(version, **changes):
    data = {
        "title": "Ansökningsomgång 1 februari 2027",
        "description": "Medel för 2027.",
        "opens_on": "2026-12-01",
        "closes_on": "2027-02-01",
        "form_version": version.pk,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_secretariat_creates_a_round(world, version, client, client_for):
    client_for(world.secretariat)
    response = client.post(reverse("applications:round_create"), round_data(version))
    assert response.status_code == 302
    round_ = Round.objects.get(association=world.a)
    assert round_.closes_on == datetime.date(2027, 2, 1)
    assert round_.form_version == version
    assert ChangeEvent.objects.filter(action="round.create").exists()
    listing = client.get(reverse("applications:rounds")).content.decode()
    assert "Ansökningsomgång 1 februari 2027" in listing


def test_a_continuous_round_has_no_closing_date(world, version, client, client_for):
    client_for(world.secretariat)
    client.post(
        reverse("applications:round_create"),
        round_data(version, title="Löpande ansökningar 2026", closes_on=""),
    )
    round_ = Round.objects.get(title="Löpande ansökningar 2026")
    assert round_.continuous
    assert "Löpande" in client.get(reverse("applications:rounds")).content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"closes_on": "2026-11-30"}, "samma dag som den öppnar eller senare"),
        ({"title": ""}, "Ange omgångens namn"),
        ({"opens_on": ""}, "Ange när omgången öppnar"),
        ({"opens_on": "inte-ett-datum"}, "datum"),
    ],
)
def test_bad_rounds_are_refused(world, version, client, client_for, changes, message):
    client_for(world.secretariat)
    response = client.post(reverse("applications:round_create"), round_data(version, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Round.objects.filter(association=world.a).exists()


def test_a_form_of_another_association_cannot_be_used(world, client, client_for):
    foreign = FormVersionFactory(form=ApplicationFormFactory(association=world.b))
    client_for(world.secretariat)
    response = client.post(reverse("applications:round_create"), round_data(foreign))
    assert "finns inte i förbundet" in response.content.decode()
    assert not Round.objects.filter(association=world.a).exists()


def test_a_title_is_unique_and_a_double_submit_makes_one_round(world, version, client, client_for):
    client_for(world.secretariat)
    client.post(reverse("applications:round_create"), round_data(version))
    response = client.post(reverse("applications:round_create"), round_data(version))
    assert "redan en omgång med det namnet" in response.content.decode()
    assert Round.objects.filter(association=world.a).count() == 1


def test_the_form_of_a_round_with_applications_is_not_changed(world, client, client_for):
    round_ = RoundFactory(association=world.a)
    ApplicationFactory(round=round_, organisation=world.a_organisation)
    other = FormVersionFactory()
    access_version = round_.form_version
    # Through the service (the page disables the field).
    with pytest.raises(Exception, match="kan inte bytas"):
        rounds.round_update(
            build_access(world.secretariat),
            round_,
            data={
                "title": round_.title,
                "description": "",
                "opens_on": round_.opens_on,
                "closes_on": round_.closes_on,
                "form_version": other,
            },
        )
    round_.refresh_from_db()
    assert round_.form_version == access_version
    # The page keeps the form and saves the other fields.
    client_for(world.secretariat)
    url = reverse("applications:round_edit", kwargs={"pk": round_.pk})
    page = client.get(url).content.decode()
    assert "formuläret kan inte bytas" in page
    data = round_data(
        other, title="Nytt namn", opens_on=str(round_.opens_on), closes_on=str(round_.closes_on)
    )
    assert client.post(url, data).status_code == 302
    round_.refresh_from_db()
    assert round_.title == "Nytt namn"
    assert round_.form_version == access_version
    assert ChangeEvent.objects.filter(action="round.update").exists()


def test_the_form_of_a_round_without_applications_may_change(world, client, client_for):
    round_ = RoundFactory(association=world.a)
    other = FormVersionFactory()
    client_for(world.secretariat)
    url = reverse("applications:round_edit", kwargs={"pk": round_.pk})
    data = round_data(
        other, title=round_.title, opens_on=str(round_.opens_on), closes_on=str(round_.closes_on)
    )
    client.post(url, data)
    round_.refresh_from_db()
    assert round_.form_version == other


@pytest.mark.parametrize("who", ["board", "reviewer", "applicant_org", "manager"])
def test_only_the_secretariat_manages_rounds_and_forms(world, version, client, client_for, who):
    client_for(world.user(who))
    for name in ("applications:rounds", "applications:round_create", "applications:forms"):
        assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse("applications:round_create"), round_data(version)).status_code == 403


def test_open_rounds(world):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    open_ = RoundFactory(association=world.a, opens_on=today - day, closes_on=today)
    continuous = RoundFactory(association=world.a, opens_on=today - day, closes_on=None)
    RoundFactory(association=world.a, opens_on=today - 10 * day, closes_on=today - day)
    RoundFactory(association=world.a, opens_on=today + day, closes_on=today + 10 * day)
    RoundFactory(association=world.b, opens_on=today - day, closes_on=None)
    assert set(open_rounds(world.a)) == {open_, continuous}
    assert set(open_rounds(world.a, day=today + 5 * day)) == {continuous} | set(
        Round.objects.filter(association=world.a, opens_on=today + day)
    )


def test_a_new_form_version_from_pasted_json(world, client, client_for):
    client_for(world.secretariat)
    url = reverse("applications:form_version_create")
    text = json.dumps(SMALL_DEFINITION)
    response = client.post(url, {"name": "Förbundets formulär", "definition": text})
    first = FormVersion.objects.get(form__association=world.a)
    assert response["Location"] == reverse("applications:form_version", kwargs={"pk": first.pk})
    assert first.number == 1
    preview = client.get(response["Location"]).content.decode()
    assert "Utgångspunkter" in preview and "Bakgrund" in preview
    # The same name again: a new version; the first stays as it was.
    upload = SimpleUploadedFile("form.json", text.encode(), content_type="application/json")
    client.post(url, {"name": "Förbundets formulär", "file": upload})
    versions = FormVersion.objects.filter(form__association=world.a).order_by("number")
    assert [v.number for v in versions] == [1, 2]
    assert ApplicationForm.objects.filter(association=world.a).count() == 1
    assert ChangeEvent.objects.filter(action="form_version.create").count() == 2


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        ("{inte json", "inte giltig JSON"),
        ("[]", "JSON-objekt"),
        ('{"sections": []}', "Formuläret saknar avsnitt."),
        ('{"sections": [{"title": "A", "blocks": [{"key": "x"}]}]}', "okänd blocktyp"),
        (
            '{"version": 1, "title": "T", "sections": [{"key": "a", "title": "A", "blocks": ['
            '{"key": "x", "type": "text", "label": "X"},'
            ' {"key": "x", "type": "text", "label": "Y"}]}]}',
            "används redan",
        ),
        ("", "Klistra in definitionen"),
    ],
)
def test_a_bad_definition_is_refused(world, client, client_for, definition, message):
    client_for(world.secretariat)
    response = client.post(
        reverse("applications:form_version_create"), {"name": "Nytt", "definition": definition}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FormVersion.objects.filter(form__association=world.a).exists()


def test_the_standard_form_version_is_made_once_from_the_shipped_file(db):
    if not rounds.STANDARD_FORM_FILE.exists():
        assert rounds.standard_form_version() is None
        return
    first = rounds.standard_form_version()
    assert rounds.standard_form_version() == first
    assert first.form.association is None and first.form.code == "standard"
    assert first.number == 1
