"""The demo's questionnaires: the national core (loaded by migration) and generated answers of
Samordningsförbundet Skaraborg for 2020 and 2021, so that the indicators have results to show.

Participants of six initiatives answer the participant questionnaire (a few hundred responses,
women and men, some in Arabic, some "vet ej"), the initiatives' staff answer the staff
questionnaire. Each initiative has its own level (a seeded random generator: the same figures on
every load); 2021 is a little better than 2020. Idempotent: an association and period that
already has answers is left alone.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction

from finsam.associations.models import Association
from finsam.initiatives.models import Initiative
from finsam.questionnaires.definitions import load_core
from finsam.questionnaires.models import Answer, ItemKind, Questionnaire, Response
from finsam.questionnaires.services import pages

# Initiative -> (number of participant answers per year, how well it goes: 0..1).
PARTICIPANT_ANSWERS = {
    "Cresco Create": (70, 0.8),
    "Elings ark": (45, 0.9),
    "Level Upgrade": (40, 0.6),
    "Aurum Locus": (30, 0.7),
    "Friskvågen": (35, 0.75),
    "Måla för hälsan": (25, 0.85),
}
YEARS = {"2020-H2": -0.1, "2021-H2": 0.0}
STAFF_ANSWERS = 6  # per initiative and year
COMMENTS = ("Mer tid med min coach.", "Fler aktiviteter.", "Bättre kontakt med myndigheterna.", "")


def _choice(rng, item, level):
    codes = [p.code for p in item.points]
    if item.kind == ItemKind.ZERO_TEN:
        return str(max(0, min(10, round(rng.gauss(4 + 6 * level, 2)))))
    if item.scale.code == "gender":
        return rng.choices(["woman", "man", "other", ""], [52, 42, 3, 3])[0]
    if "vet_ej" in codes and rng.random() < 0.05:
        return "vet_ej"
    counted = [p.code for p in item.points if p.counted]
    # Skew towards the top by `level`.
    weights = [(1 - level) + level * (i + 1) ** 2 for i in range(len(counted))]
    return rng.choices(counted, weights)[0]


def _respond(rng, version, association, initiative, period, level, language="sv"):
    items = [i for p in pages(version) for i in p.items]
    given: dict[str, str] = {}
    answers = []
    for item in items:
        if item.condition_item and given.get(item.condition_item) not in item.condition_codes:
            continue
        if item.kind == ItemKind.FREE_TEXT:
            text = rng.choice(COMMENTS) if rng.random() < 0.3 else ""
            if text:
                answers.append(Answer(item_code=item.code, text=text))
            continue
        code = _choice(rng, item, level)
        if not code:
            continue
        given[item.code] = code
        point = next(p for p in item.points if p.code == code)
        answers.append(
            Answer(
                item_code=item.code,
                choice_code=code,
                value=Decimal(point.value) if point.value is not None else None,
            )
        )
    response = Response(
        version=version,
        association=association,
        initiative=initiative,
        respondent_group=version.questionnaire.respondent_group,
        language=language,
        period=period,
        gender=given.get("KON", ""),
    )
    for answer in answers:
        answer.response = response
    return response, answers


def load_questionnaires(result=None) -> int:
    """Generated answers for Skaraborg; returns the number of responses created."""
    if not Questionnaire.objects.filter(association__isnull=True).exists():
        load_core()
    association = Association.objects.filter(slug="skaraborg").first()
    if association is None:
        return 0
    participant = Questionnaire.objects.get(association__isnull=True, code="nns-deltagare")
    staff = Questionnaire.objects.get(association__isnull=True, code="nns-personal")
    p_version, s_version = participant.current_version(), staff.current_version()
    initiatives = {
        i.name: i
        for i in Initiative.objects.filter(association=association, name__in=PARTICIPANT_ANSWERS)
    }
    rng = random.Random(13)
    responses, answers = [], []
    for period, shift in YEARS.items():
        if Response.objects.filter(association=association, period=period).exists():
            continue
        for name, (count, level) in PARTICIPANT_ANSWERS.items():
            initiative = initiatives.get(name)
            if initiative is None:
                continue
            for n in range(count):
                language = "ar" if n % 9 == 0 else "sv"
                r, a = _respond(
                    rng,
                    p_version,
                    association,
                    initiative,
                    period,
                    max(0.0, level + shift),
                    language,
                )
                responses.append(r)
                answers.extend(a)
            for _n in range(STAFF_ANSWERS):
                r, a = _respond(
                    rng, s_version, association, initiative, period, max(0.0, level - 0.1 + shift)
                )
                responses.append(r)
                answers.extend(a)
    rng.shuffle(responses)  # no order to read anything from
    with transaction.atomic():
        Response.objects.bulk_create(responses)
        Answer.objects.bulk_create(answers, batch_size=2000)
    if result is not None:
        result.add("questionnaire responses", len(responses))
    return len(responses)
