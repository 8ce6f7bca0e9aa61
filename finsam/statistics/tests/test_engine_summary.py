"""The paragraph report writers type by hand today (seed 003, Cresco Create, 31 August 2021)."""

import datetime

import pytest

from finsam.initiatives.tests.factories import HeadCountFactory, InitiativeFactory
from finsam.participants.tests.factories import EnrolmentFactory
from finsam.reference.models import Code
from finsam.statistics.engine import summary_sentence as engine_summary_sentence

pytestmark = pytest.mark.django_db

D = datetime.date
ON = D(2021, 8, 31)


def summary_sentence(*, initiative, on_date):
    """The sentence for the year up to `on_date`, as for an interim report."""
    return engine_summary_sentence(
        initiative=initiative, period_start=on_date.replace(month=1, day=1), on_date=on_date
    )


# 119 participants: ages by band (85 of them 19–34: 71 %).
AGES = [17] * 10 + [22] * 30 + [27] * 30 + [32] * 25 + [40] * 14 + [50] * 10
# Income sources before (a person may have several).
INCOME = {"forsorjningsstod": 71, "sjukpenning": 31, "aktivitetsersattning": 17}
# Exits on or before the date.
EXITS = ["arbete"] * 8 + ["studier"] * 5 + ["avbruten-av-deltagaren"] * 4 + ["annan-orsak"] * 3


def code(code_list, slug):
    return Code.objects.get(code_list=code_list, code=slug)


@pytest.fixture
def cresco(world):
    initiative = world.a_initiative  # "Cresco Create"
    incomes = {slug: code("income_source", slug) for slug in INCOME}
    enrolments = []
    for i, age in enumerate(AGES):
        exit_slug = EXITS[i] if i < len(EXITS) else None
        enrolment = EnrolmentFactory(
            initiative=initiative,
            anonymous=i % 2 == 0,  # identified and anonymous enrolments count alike
            gender="woman" if i < 60 else "man",
            age_at_start=age,
            start_date=D(2021, 1, 4) + datetime.timedelta(days=i),
            end_date=D(2021, 8, 1) if exit_slug else None,
            exit_reason=code("exit_reason", exit_slug) if exit_slug else None,
        )
        enrolments.append(enrolment)
    offset = 0
    for slug, n in INCOME.items():
        for enrolment in enrolments[offset : offset + n]:
            enrolment.income_sources_before.add(incomes[slug])
        offset = (offset + n) % len(enrolments)
    # Not counted: started after the date, and a wrong registration.
    EnrolmentFactory(initiative=initiative, gender="woman", start_date=D(2021, 9, 1))
    EnrolmentFactory(
        initiative=initiative,
        gender="man",
        start_date=D(2021, 3, 1),
        end_date=D(2021, 3, 2),
        exit_reason=code("exit_reason", "felregistrering"),
    )
    # Exited after the date: still active on it.
    EnrolmentFactory(
        initiative=world.a_other,
        gender="man",
        start_date=D(2021, 3, 1),
        end_date=D(2021, 9, 30),
        exit_reason=code("exit_reason", "arbete"),
    )
    return initiative


def test_it_writes_the_summary_of_seed_003(cresco):
    text = summary_sentence(initiative=cresco, on_date=ON)
    assert text.startswith(
        "Den 31 augusti 2021 hade Cresco Create 119 deltagare totalt, varav 60 kvinnor och 59 män."
    )
    assert text == (
        "Den 31 augusti 2021 hade Cresco Create 119 deltagare totalt, varav 60 kvinnor och 59 män. "
        "71 % är mellan 19 och 34 år. "
        "60 % har försörjningsstöd, 26 % sjukpenning/rehabiliteringspenning och "
        "14 % aktivitetsersättning. "
        "Av dem är 99 fortfarande aktiva och 20 har avslutat insatsen. "
        "Vanligaste avslutsanledningar är arbete (8), studier (5) och avbruten av deltagaren (4)."
    )


def test_it_counts_only_registrations_up_to_the_date(cresco):
    text = summary_sentence(initiative=cresco, on_date=D(2021, 1, 13))  # the first ten
    assert text.startswith("Den 13 januari 2021 hade Cresco Create 10 deltagare totalt")
    assert "100 % är mellan 16 och 18 år." in text
    assert "Ingen har avslutat insatsen ännu." in text


def test_it_mentions_other_gender_only_when_there_is_some(world):
    for gender in ("woman", "man", "man", "other"):
        EnrolmentFactory(
            initiative=world.a_other, gender=gender, age_at_start=70, start_date=D(2022, 1, 1)
        )
    text = summary_sentence(initiative=world.a_other, on_date=D(2022, 12, 31))
    assert text.startswith(
        "Den 31 december 2022 hade Level Upgrade 4 deltagare totalt, varav 1 kvinna, 2 män "
        "och 1 med annan/ej angiven könstillhörighet. 100 % är 65 år eller äldre."
    )


def test_it_reports_the_largest_age_group_when_ages_are_spread(world):
    ages = [17, 22, 27, 32, 40, 40, 40, 50, 60, 70]
    for age in ages:
        EnrolmentFactory(
            initiative=world.a_other, anonymous=True, age_at_start=age, start_date=D(2022, 1, 1)
        )
    text = summary_sentence(initiative=world.a_other, on_date=D(2022, 6, 30))
    assert "30 % är mellan 35 och 44 år." in text


def test_it_says_so_when_there_are_no_participants(world):
    assert summary_sentence(initiative=world.a_other, on_date=D(2021, 8, 31)) == (
        "Den 31 augusti 2021 hade Level Upgrade inga registrerade deltagare."
    )


def test_it_uses_a_space_as_thousands_separator(world):
    from finsam.participants.models import Enrolment

    Enrolment.objects.bulk_create(
        Enrolment(
            initiative=world.a_other,
            anonymous_reason="no_consent",
            gender="woman",
            age_at_start=30,
            start_date=D(2022, 1, 1),
        )
        for _ in range(1200)
    )
    text = summary_sentence(initiative=world.a_other, on_date=D(2022, 6, 30))
    assert "1 200 deltagare totalt, varav 1 200 kvinnor och 0 män." in text


def test_a_volume_initiative_is_summed_up_from_its_head_counts(world):
    volume = InitiativeFactory(association=world.a, name="Rehabforum", volume=True)
    HeadCountFactory(initiative=volume, month=D(2021, 3, 1), women=20, men=14, other=0)
    HeadCountFactory(initiative=volume, month=D(2021, 8, 1), women=30, men=30, other=0)
    HeadCountFactory(initiative=volume, month=D(2021, 9, 1), women=7, men=7, other=0)  # after
    HeadCountFactory(initiative=volume, month=D(2020, 12, 1), women=9, men=9, other=0)  # before
    assert summary_sentence(initiative=volume, on_date=ON) == (
        "Från 1 januari 2021 till 31 augusti 2021 hade Rehabforum sammanlagt 94 deltagare "
        "enligt månadsräkningen (summan av antalet per månad), varav 50 kvinnor och 44 män."
    )


def test_a_volume_initiative_without_head_counts_says_so(world):
    volume = InitiativeFactory(association=world.a, name="Rehabforum", volume=True)
    assert summary_sentence(initiative=volume, on_date=ON) == (
        "Från 1 januari 2021 till 31 augusti 2021 har Rehabforum inte redovisat några "
        "deltagare i månadsräkningen."
    )
