"""The demo's applications in Lund (issue 11): seed 004 written in the standard form, submitted
in the open round, reviewed by the preparation group, recommended, decided at a board meeting
whose minutes are approved, and so granted: it becomes the initiative "Kraft". Beside it a
continuation application whose preparation asked for a supplement, and a draft.

Seed 004's text is kept as written; its dates are moved 13 years on (September 2013 – August
2014 becomes September 2026 – August 2027) so that the granted initiative runs in the demo's
present. Idempotent: a rerun finds every application by its title and takes only the steps it
has not taken.
"""

from __future__ import annotations

import copy
import datetime
import json
from pathlib import Path

from finsam.accounts.models import ApplicantOrganisation, User
from finsam.applications.models import Application, Round
from finsam.applications.workflow import Status
from finsam.associations.models import Association
from finsam.demo.applications import APPLICANT_ORGANISATION, PARTNER_ORGANISATION, demo_application
from finsam.demo.board import demo_board
from finsam.demo.preparation import demo_preparation
from finsam.preparation.models import Verdict

SEED_004 = Path(__file__).parent / "data" / "application_004.json"
# Seed 004's dates, moved into the demo's present.
YEARS_ON = 13
MEETING_DATE = datetime.date(2026, 6, 10)
# The granted amount: the seed's 1 096 000 kr for the project's year, in the budget's one column
# (the seed's 2013, here 2026), as applied for.
GRANTED = {2026: 1_096_000}
CONTINUATION = "Kraft – fortsatt implementering 2027–2028"
DRAFT = "Hälsa och arbete – förstudie"


def _moved(answers: dict, years: int) -> dict:
    """The answers with the budget's years and the timeline's dates moved `years` on."""
    answers = copy.deepcopy(answers)
    budget = answers.get("budget") or {}
    if budget.get("years"):
        budget["years"] = [y + years for y in budget["years"]]
        for row in budget.get("costs", []):
            row["amounts"] = {str(int(y) + years): v for y, v in row["amounts"].items()}
        budget["financiers"] = {
            code: {str(int(y) + years): v for y, v in amounts.items()}
            for code, amounts in budget.get("financiers", {}).items()
        }
    timeline = answers.get("timeline") or {}
    for key in ("start", "end"):
        if timeline.get(key):
            day = datetime.date.fromisoformat(timeline[key])
            timeline[key] = day.replace(year=day.year + years).isoformat()
    return answers


def load_application_path(result) -> None:
    lund = Association.objects.filter(slug="lund").first()
    round_ = Round.objects.filter(association=lund, closes_on__isnull=True).first()
    if lund is None or round_ is None:
        return
    users = {
        u.email.split("@")[0]: u
        for u in User.objects.filter(email__endswith="@lund.demo.finsam.se")
    }
    owner = ApplicantOrganisation.objects.get(association=lund, name=APPLICANT_ORGANISATION[0])
    seed = json.loads(SEED_004.read_text(encoding="utf-8"))
    before = Application.objects.filter(association=lund).count()
    co_applicant = ((users["arbetsformedlingen"], PARTNER_ORGANISATION[0], "comment"),)

    kraft = demo_application(
        round_,
        owner,
        seed["title"],
        _moved(seed["answers"], YEARS_ON),
        users["ansokan"],
        submit=True,
        co_applicants=co_applicant,
    )
    if kraft.status in (Status.SUBMITTED, Status.FORMAL_CHECK, Status.PREPARATION):
        demo_preparation(
            kraft,
            [users["beredning"], users["kansli"]],
            users["kansli"],
            recommendation=Verdict.GRANT,
            proposed_by_year={str(year): amount for year, amount in GRANTED.items()},
        )
        kraft.refresh_from_db()
    if kraft.status == Status.RECOMMENDED:
        demo_board(
            lund,
            [kraft],
            users["kansli"],
            [users["styrelse"]],
            MEETING_DATE,
            {kraft.pk: GRANTED},
        )

    continuation_answers = _moved(seed["answers"], YEARS_ON + 1)
    continuation_answers["project_name"] = CONTINUATION
    continuation_answers["summary"] = (
        "Ansökan om medel för att föra över arbetssättet i Kraft till ordinarie verksamhet "
        "hos Socialförvaltningen och Arbetsförmedlingen under 2027–2028."
    )
    continuation = demo_application(
        round_,
        owner,
        CONTINUATION,
        continuation_answers,
        users["ansokan"],
        submit=True,
        co_applicants=co_applicant,
    )
    if continuation.status == Status.SUBMITTED:
        demo_preparation(
            continuation, [users["beredning"]], users["kansli"], recommendation=Verdict.SUPPLEMENT
        )

    demo_application(
        round_,
        owner,
        DRAFT,
        {
            "project_name": DRAFT,
            "summary": "En förstudie om hur hälsoinsatser kan kombineras med arbetsträning.",
        },
        users["ansokan"],
        submit=False,
    )
    result.add("demo applications", Application.objects.filter(association=lund).count() - before)
