"""The demo's ratings reproduce seed 003's figures for Elings ark from generated ratings."""

import datetime

import pytest

from finsam.demo.loading import DemoResult
from finsam.demo.progression import load_progression
from finsam.initiatives.tests.factories import InitiativeFactory
from finsam.participants.models import Gender
from finsam.participants.tests.factories import EnrolmentFactory
from finsam.progression.models import RatingOccasion
from finsam.progression.selectors import progression_summary
from finsam.reference.models import CodeList
from finsam.reference.tests.factories import CodeFactory
from finsam.staff.access import build_access

pytestmark = pytest.mark.django_db


def test_elings_ark_83_67_67_67_33_percent(world):
    world.a.slug = "skaraborg"
    world.a.save()
    elings = InitiativeFactory(association=world.a, name="Elings ark")
    cresco = world.a_initiative  # "Cresco Create"
    done = CodeFactory(code_list=CodeList.EXIT_REASON, code="enligt-plan", label_sv="Enligt plan")
    ill = CodeFactory(code_list=CodeList.EXIT_REASON, code="avbruten-ohalsa", label_sv="Ohälsa")
    for n in range(7):
        start = datetime.date(2021, 3, 1 + n)
        EnrolmentFactory(
            initiative=elings,
            gender=Gender.WOMAN if n < 5 else Gender.MAN,
            start_date=start,
            end_date=start + datetime.timedelta(days=70 if n != 5 else 20),
            exit_reason=ill if n == 5 else done,
            **({"anonymous": True} if n == 2 else {}),
        )
    for n in range(8):
        EnrolmentFactory(initiative=cresco, start_date=datetime.date(2021, 1, 10 + n))
    args = (
        {"skaraborg": world.a},
        {("skaraborg", "Elings ark"): elings, ("skaraborg", "Cresco Create"): cresco},
    )
    result = DemoResult()
    load_progression(
        *args,
        access_of=lambda a: build_access(world.secretariat),
        today=datetime.date(2026, 12, 6),
        result=result,
    )
    count = RatingOccasion.objects.count()
    load_progression(
        *args,
        access_of=lambda a: build_access(world.secretariat),
        today=datetime.date(2026, 12, 6),
        result=DemoResult(),
    )
    assert RatingOccasion.objects.count() == count == result.created["rating occasion"]

    period = (datetime.date(2021, 1, 1), datetime.date(2021, 8, 31))
    summary = progression_summary(elings, period)
    shares = {r.dimension.name: r.total.share_display for r in summary.rows if r.rater == "self"}
    assert shares == {
        "Aktivitetsnivå": "83 %",
        "Fysisk hälsa": "67 %",
        "Psykisk hälsa": "67 %",
        "Känsla av balans i tillvaron": "67 %",
        "Syn på framtiden": "33 %",
        "Arbetsförmåga": "–",
    }
    assert {r.total.n for r in summary.rows if r.rater == "self" and r.total.n} == {6}
    # The one who left for ill health was never rated.
    assert not RatingOccasion.objects.filter(enrolment__exit_reason=ill).exists()
    cresco_summary = progression_summary(cresco)
    assert {r.rater for r in cresco_summary.rows if r.total.n} == {"self", "coach"}
    assert all(r.total.n == 8 for r in cresco_summary.rows if r.total.n)
