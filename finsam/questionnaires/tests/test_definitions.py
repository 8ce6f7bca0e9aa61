"""The national core as data, the loader and the translation status."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from finsam.questionnaires import definitions
from finsam.questionnaires.models import Item, Questionnaire, Scale, TranslationStatus
from finsam.questionnaires.tests.factories import core_version

pytestmark = pytest.mark.django_db

CONFIRMED = "Jag får stödet på ett sätt som är till nytta för mig."
INDICATORS = (
    "Deltagare känner att de insatser som erbjuds är organiserade runt deras behov",
    "Deltagarna upplever inflytande över rehabiliteringsprocessen",
    "En möjlighet att låta rehabiliteringsprocessen få ta den tid som behövs utifrån varje "
    "deltagares förutsättningar",
)


def test_the_national_core_is_shipped_locked_and_marked_unverified():
    version = core_version()
    assert version.questionnaire.locked and version.questionnaire.is_core
    assert not version.verified
    d01 = version.items.get(code="D01")
    assert d01.text() == CONFIRMED and d01.verified
    assert d01.indicator_codes == ["P1"]
    notes = " ".join(version.items.values_list("note", flat=True))
    for wording in INDICATORS:
        assert wording in notes
    unverified = version.items.filter(verified=False)
    assert unverified.exists() and all(
        "Platshållare" in i.note or i.code == "KON" for i in unverified
    )
    # Swedish and English complete.
    for item in version.items.all():
        assert item.translation_status("en") == TranslationStatus.CURRENT, item.code
        assert item.translation_status("sv-LL") == TranslationStatus.CURRENT, item.code


def test_six_point_scale_has_dont_know_outside_the_count():
    points = {p.code: p for p in Scale.objects.get(code="agree6").points.all()}
    assert [points[c].value for c in "123456"] == [1, 2, 3, 4, 5, 6]
    assert not points["vet_ej"].counted and points["vet_ej"].value is None
    assert {c for c, p in points.items() if p.positive} == {"5", "6"}


def test_translation_status_missing_and_outdated():
    item = core_version().items.get(code="D01")
    assert item.translation_status("ar") == TranslationStatus.CURRENT
    assert item.translation_status("ti") == TranslationStatus.MISSING
    assert item.text("ti") == CONFIRMED  # falls back to Swedish
    item.set_text("sv", "Jag får stöd som är till nytta för mig.")
    assert item.translation_status("ar") == TranslationStatus.OUTDATED
    assert item.translation_status("en") == TranslationStatus.OUTDATED
    item.set_text("en", "I get support that is useful to me.")
    assert item.translation_status("en") == TranslationStatus.CURRENT


def test_the_official_wording_replaces_the_placeholder_as_a_new_version(tmp_path):
    data = json.loads((definitions.CORE_DIR / "nns-deltagare.json").read_text())
    data["version"]["verified"] = True
    data["sections"][0]["items"][1]["texts"] = {"sv": "Officiell formulering.", "en": "Official."}
    path = tmp_path / "official.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("load_questionnaire", str(path))
    q = Questionnaire.objects.get(association__isnull=True, code="nns-deltagare")
    assert q.versions.count() == 2
    assert q.current_version().number == 2 and q.current_version().verified
    assert q.current_version().items.get(code="D02").text() == "Officiell formulering."
    assert q.versions.get(number=1).items.get(code="D02").text() != "Officiell formulering."


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.update(format=2), "format"),
        (lambda d: d["sections"][0]["items"][0].update(kind="slider"), "frågetyp"),
        (lambda d: d["sections"][0]["items"][1].update(code="D01"), "unika"),
        (lambda d: d["sections"][0]["items"][0]["texts"].update(xx="?"), "Okänt språk"),
    ],
)
def test_a_broken_definition_is_refused_before_anything_is_written(change, message):
    data = json.loads((definitions.CORE_DIR / "nns-deltagare.json").read_text())
    change(data)
    before = Item.objects.count()
    with pytest.raises(ValidationError, match=message):
        definitions.load(data)
    assert Item.objects.count() == before


def test_a_version_with_answers_is_never_edited(world):
    from finsam.questionnaires.models import Response

    version = core_version()
    item = version.items.get(code="D02")
    item.set_text("sv", "Ändrad före svar.")
    item.save()  # no answers yet: allowed
    Response.objects.create(
        version=version, association=world.a, respondent_group="participant_during", period="2026"
    )
    item.set_text("sv", "Ändrad efter svar.")
    with pytest.raises(ValidationError, match="ny version"):
        item.save()
    with pytest.raises(ValidationError):
        version.sections.first().save()
