"""Questionnaires and answers for the indicator tests: the national core's participant
questionnaire with the six-point scale (and "vet ej"), and responses with known answers."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from finsam.questionnaires.models import (
    Answer,
    Item,
    ItemKind,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Scale,
    ScalePoint,
    Section,
)


def agree6() -> Scale:
    scale, created = Scale.objects.get_or_create(code="agree6")
    if created:
        for order, code in enumerate(["1", "2", "3", "4", "5", "6"]):
            ScalePoint.objects.create(
                scale=scale, code=code, value=Decimal(code), positive=code in "56", order=order
            )
        ScalePoint.objects.create(scale=scale, code="vet_ej", value=None, counted=False, order=9)
    return scale


def questionnaire(code="nns-deltagare", group="participant_during", association=None, items=None):
    """A published version of a questionnaire with agree6 items (default the participant
    items D01–D10)."""
    scale = agree6()
    q, _ = Questionnaire.objects.get_or_create(
        association=association,
        code=code,
        defaults={"respondent_group": group, "texts": {"sv": {"text": code}}},
    )
    version = q.versions.first() or QuestionnaireVersion.objects.create(
        questionnaire=q, number=1, published_at=timezone.now()
    )
    if not version.items.exists():
        section = Section.objects.create(version=version, code="s1")
        for order, item in enumerate(items or [f"D{i:02}" for i in range(1, 11)]):
            Item.objects.create(
                version=version,
                section=section,
                code=item,
                order=order,
                kind=ItemKind.SCALE,
                scale=scale,
            )
    return version


def respond(
    version, *, association, answers: dict, initiative=None, period="2026-H2", gender="", group=None
) -> Response:
    """One response with `answers` {item code: choice code}."""
    response = Response.objects.create(
        version=version,
        association=association,
        initiative=initiative,
        respondent_group=group or version.questionnaire.respondent_group,
        period=period,
        gender=gender,
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            item_code=item,
            choice_code=choice,
            value=None if choice == "vet_ej" else Decimal(choice),
        )
        for item, choice in answers.items()
    )
    return response


def many(version, *, association, item, choices: list[str], **kwargs) -> None:
    for choice in choices:
        respond(version, association=association, answers={item: choice}, **kwargs)
