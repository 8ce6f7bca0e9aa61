import pytest

from finsam.associations.tests.factories import AssociationFactory
from finsam.demo.questionnaires import PARTICIPANT_ANSWERS, STAFF_ANSWERS, load_questionnaires
from finsam.initiatives.tests.factories import InitiativeFactory
from finsam.questionnaires.models import Answer, Response

pytestmark = pytest.mark.django_db


def test_skaraborg_gets_answers_for_two_years_of_several_initiatives():
    skaraborg = AssociationFactory(slug="skaraborg")
    for name in ("Cresco Create", "Elings ark", "Level Upgrade"):
        InitiativeFactory(association=skaraborg, name=name)
    created = load_questionnaires()
    expected = 2 * sum(
        PARTICIPANT_ANSWERS[n][0] + STAFF_ANSWERS
        for n in ("Cresco Create", "Elings ark", "Level Upgrade")
    )
    assert created == expected
    participants = Response.objects.filter(respondent_group="participant_during")
    assert set(participants.values_list("period", flat=True)) == {"2020-H2", "2021-H2"}
    assert participants.filter(gender="woman").count() > 50
    assert participants.filter(gender="man").count() > 40
    assert participants.filter(language="ar").exists()
    assert Answer.objects.filter(item_code="D01", choice_code="vet_ej").exists()
    assert load_questionnaires() == 0  # idempotent
