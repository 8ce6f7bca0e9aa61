"""Known registrations for the SUS-report and successor tests (imported by test_sus*.py and
finsam/followup/tests/test_successor.py), and a check that they are what the tests say they are.

Association A, year 2021 (period 2021-01-01 – 2021-12-31):

| #   | init. | sex | start      | end        | occupation before → after | income before → after|
| e1  | X     | w   | 2020-06-01 | 2021-03-31 | seeking work → work 100 % | soc. assist. → salary|
| e2  | X     | w   | 2021-02-01 | 2021-10-31 | studies 50 → 100 %        | s.fin, s.a. → s.fin|
| e3  | X     | m   | 2021-05-01 | 2021-06-30 | subsid. work 50 → 50 %    | sickness → sickness|
| e4  | X     | m   | 2021-03-01 | –          |                           | soc. assistance|
| e5  | X     | m   | 2019-01-01 | 2020-12-31 | (ended before the period) ||
| e6  | X an. | w   | 2021-04-01 | –          | (anonymous)               ||
| e7  | X an. | m   | 2021-01-10 | 2021-02-10 | – → – (anonymous)         | – → –|
| e8  | X     | w   | 2021-01-01 | 2021-01-02 | wrong registration        ||
| e9  | X     | m   | 2022-01-05 | –          | (starts after the period) ||
| e10 | X     | m   | 2021-08-01 | –          | e3's person again (R2)    ||
| e11 | Y     | w   | 2021-09-01 | –          | no occupation             ||
| e12 | B's   | w   | 2021-02-01 | 2021-05-01 | (other association)       | soc. assist. → salary|

Income: s.a. = social assistance, s.fin = student finance.

V is a volume initiative of A: head counts 2021-03 (3 women, 2 men), 2021-11 (1 woman), 2022-01 (5
women, outside). Budgets: X 2021 1 000 000 / 900 000 / 25 planned, X 2022 5 kr; V 2021 100 000 /
no outcome; Y none (its own planned participants: 10).
"""

import datetime
from dataclasses import dataclass

import pytest

from finsam.finance.tests.factories import InitiativeBudgetFactory
from finsam.initiatives.tests.factories import (
    HeadCountFactory,
    InitiativeFactory,
)
from finsam.participants.tests.factories import EnrolmentFactory
from finsam.reference.models import Code, CodeList
from finsam.statistics.engine import Scope, StatsFilter

D = datetime.date
YEAR_2021 = StatsFilter(period_start=D(2021, 1, 1), period_end=D(2021, 12, 31))


def code(code_list, slug):
    return Code.objects.get(code_list=code_list, code=slug)


def association_scope(association, *, suppress=False):
    return Scope(
        kind="association",
        label=association.name,
        initiative_ids=None,
        association_ids=frozenset({association.pk}),
        suppress=suppress,
    )


NATIONAL = Scope(
    kind="national", label="Hela landet", initiative_ids=None, association_ids=None, suppress=True
)


@dataclass
class Known:
    x: object
    y: object
    v: object
    e: dict


def enrol(initiative, gender, start, end=None, *, reason=None, anonymous=False, **facts):
    income_before = facts.pop("income_before", ())
    income_after = facts.pop("income_after", ())
    for name in ("occupation_before", "occupation_after"):
        if name in facts and facts[name] is not None:
            facts[name] = code(CodeList.OCCUPATION, facts[name])
    kwargs = {"participant": None, "anonymous_reason": "no_consent"} if anonymous else {}
    if "participant" in facts:
        kwargs["participant"] = facts.pop("participant")
    enrolment = EnrolmentFactory(
        initiative=initiative,
        gender=gender,
        start_date=start,
        end_date=end,
        exit_reason=code(CodeList.EXIT_REASON, reason or "avslutad-enligt-plan") if end else None,
        **({"participant__gender": gender} if not (anonymous or "participant" in kwargs) else {}),
        **kwargs,
        **facts,
    )
    enrolment.income_sources_before.set([code(CodeList.INCOME_SOURCE, c) for c in income_before])
    enrolment.income_sources_after.set([code(CodeList.INCOME_SOURCE, c) for c in income_after])
    return enrolment


def build_known(world) -> Known:
    """Create the registrations of the table above (call it from a fixture `known`)."""
    x, y = world.a_initiative, world.a_other
    y.planned_participants = 10
    y.save()
    v = InitiativeFactory(association=world.a, name="Hälsoskolan", volume=True)
    x.target_groups.set([code(CodeList.TARGET_GROUP, "unga-16-29")])
    e = {}
    e[1] = enrol(
        x, "woman", D(2020, 6, 1), D(2021, 3, 31), reason="arbete",
        occupation_before="aktivt-arbetssokande", occupation_after="arbete-osubventionerat",
        occupation_extent_after=100,
        income_before=["forsorjningsstod"], income_after=["lon"],
    )  # fmt: skip
    e[2] = enrol(
        x, "woman", D(2021, 2, 1), D(2021, 10, 31), reason="studier",
        occupation_before="studier", occupation_extent_before=50,
        occupation_after="studier", occupation_extent_after=100,
        income_before=["studiemedel", "forsorjningsstod"], income_after=["studiemedel"],
    )  # fmt: skip
    e[3] = enrol(
        x, "man", D(2021, 5, 1), D(2021, 6, 30),
        occupation_before="arbete-subventionerat", occupation_extent_before=50,
        occupation_after="arbete-subventionerat", occupation_extent_after=50,
        income_before=["sjukpenning"], income_after=["sjukpenning"],
    )  # fmt: skip
    e[4] = enrol(x, "man", D(2021, 3, 1), income_before=["forsorjningsstod"])
    e[5] = enrol(x, "man", D(2019, 1, 1), D(2020, 12, 31))
    e[6] = enrol(x, "woman", D(2021, 4, 1), anonymous=True)
    e[7] = enrol(x, "man", D(2021, 1, 10), D(2021, 2, 10), anonymous=True)
    e[8] = enrol(x, "woman", D(2021, 1, 1), D(2021, 1, 2), reason="felregistrering")
    e[9] = enrol(x, "man", D(2022, 1, 5))
    e[10] = enrol(x, "man", D(2021, 8, 1), participant=e[3].participant)
    e[11] = enrol(y, "woman", D(2021, 9, 1), occupation_before="ingen-sysselsattning")
    e[12] = enrol(
        world.b_initiative, "woman", D(2021, 2, 1), D(2021, 5, 1), reason="arbete",
        income_before=["forsorjningsstod"], income_after=["lon"],
    )  # fmt: skip
    HeadCountFactory(initiative=v, month=D(2021, 3, 1), women=3, men=2)
    HeadCountFactory(initiative=v, month=D(2021, 11, 1), women=1, men=0)
    HeadCountFactory(initiative=v, month=D(2022, 1, 1), women=5, men=0)
    InitiativeBudgetFactory(
        initiative=x, year=2021, amount=1_000_000, outcome=900_000, planned_participants=25
    )
    InitiativeBudgetFactory(initiative=x, year=2022, amount=5)
    InitiativeBudgetFactory(initiative=v, year=2021, amount=100_000)
    return Known(x=x, y=y, v=v, e=e)


@pytest.fixture
def known(world):
    return build_known(world)


def test_the_known_registrations_are_as_described(world, known):
    assert len(known.e) == 12
    assert known.e[10].participant_id == known.e[3].participant_id
    assert known.e[6].participant_id is None
    assert sorted(c.code for c in known.e[2].income_sources_before.all()) == [
        "forsorjningsstod",
        "studiemedel",
    ]
