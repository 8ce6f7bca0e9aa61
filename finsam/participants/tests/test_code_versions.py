"""An enrolment keeps the code-list versions it was registered with, and shows its codes in that
wording; the registration forms show an association's own wording of a list."""

import datetime

import pytest
from django.urls import reverse

from finsam.participants import services
from finsam.participants.tests.conftest import PN_WOMAN
from finsam.reference.loading import DATA_DIR, load_code_list, read_code_list
from finsam.reference.models import CodeList

pytestmark = pytest.mark.django_db

REGISTERED_IN = {
    CodeList.INCOME_SOURCE: 1,
    CodeList.OCCUPATION: 1,
    CodeList.EDUCATION: 1,
    CodeList.TIME_OUTSIDE_WORK: 1,
    CodeList.REFERRER: 1,
}


def reword_gymnasial():
    """National version 2 of the education list: "gymnasial" in new words."""
    data = read_code_list(DATA_DIR / "code_lists" / "education.json")
    for row in data["codes"]:
        if row["code"] == "gymnasial":
            row["labels"] = {"sv": "Gymnasieutbildning", "en": "Upper secondary school"}
    data.update(valid_from=datetime.date.today().isoformat(), wording_changes=["gymnasial"])
    assert load_code_list(data).version == 2


def test_registration_keeps_the_versions_of_the_lists_it_used(
    world, registrar_access, enrolment_input, exit_input, codes, client_for
):
    first = services.enrolment_register(
        access=registrar_access, initiative=world.a_initiative, data=enrolment_input()
    )
    assert first.code_versions == REGISTERED_IN

    reword_gymnasial()
    codes.upper_secondary.refresh_from_db()
    second = services.enrolment_register(
        access=registrar_access,
        initiative=world.a_initiative,
        data=enrolment_input(personal_number=PN_WOMAN, education=codes.upper_secondary),
    )
    assert second.code_versions == {**REGISTERED_IN, CodeList.EDUCATION: 2}
    first.refresh_from_db()
    assert first.code_versions == REGISTERED_IN
    services.enrolment_exit(access=registrar_access, enrolment=first, data=exit_input())
    first.refresh_from_db()
    assert first.code_versions == {**REGISTERED_IN, CodeList.EXIT_REASON: 1}

    # Each enrolment's page shows the wording it was registered with.
    client = client_for(world.registrar)
    pages = [
        client.get(reverse("participants:enrolment_detail", args=[e.uuid])).content.decode()
        for e in (first, second)
    ]
    assert "Gymnasial utbildning" in pages[0] and "Gymnasieutbildning" not in pages[0]
    assert "Gymnasieutbildning" in pages[1] and "Gymnasial utbildning" not in pages[1]


def test_the_forms_show_the_associations_own_wording(world, client_for, codes):
    own = {"key": "education", "codes": [{"code": "gymnasial", "labels": {"sv": "Gymnasiet"}}]}
    load_code_list(own, association=world.a)

    mine = client_for(world.registrar).get(
        reverse("participants:enrol", args=[world.a_initiative.pk])
    )
    assert mine.status_code == 200
    assert ">Gymnasiet<" in mine.content.decode()
    theirs = client_for(world.b_registrar).get(
        reverse("participants:enrol", args=[world.b_initiative.pk])
    )
    assert theirs.status_code == 200
    body = theirs.content.decode()
    assert "Gymnasial utbildning" in body and ">Gymnasiet<" not in body
