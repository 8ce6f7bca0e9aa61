"""What the board's documents take from the apps below it: the preparation group's
recommendation and reviews (`finsam.preparation`), and an answer of the application as text.
"""

from __future__ import annotations

from dataclasses import dataclass

from finsam.applications import formdef
from finsam.core.formats import sv_kronor
from finsam.preparation.models import Review, Visibility
from finsam.preparation.selectors import latest_recommendation


@dataclass(frozen=True)
class RecommendationText:
    """The recommendation in the pack: `outcome` (e.g. "Bevilja"), `text` its motivation."""

    outcome: str
    text: str = ""
    by: str = ""


@dataclass(frozen=True)
class ReviewText:
    """One review visible to the board: who, score (text), recommendation, comment."""

    reviewer: str
    score: str = ""
    recommendation: str = ""
    comment: str = ""


def recommendation_for(application) -> RecommendationText | None:
    """The recommendation in force (the latest recorded in preparation)."""
    recommendation = latest_recommendation(application)
    if recommendation is None:
        return None
    text = recommendation.summary
    if recommendation.proposed_total:
        text = f"{text}\n{sv_kronor(recommendation.proposed_total)}".strip()
    by = recommendation.recorded_by.get_full_name() if recommendation.recorded_by else ""
    return RecommendationText(outcome=recommendation.get_verdict_display(), text=text, by=by)


def reviews_for(application) -> list[ReviewText]:
    """The submitted reviews the preparation group shared (not those for the secretariat only)."""
    reviews = Review.objects.filter(
        application=application, submitted_at__isnull=False, visibility=Visibility.REVIEWERS
    ).select_related("reviewer")
    return [
        ReviewText(
            reviewer=review.reviewer.get_full_name() or review.reviewer.email,
            score="" if review.average is None else f"{review.average:.1f}".replace(".", ","),
            recommendation=review.get_recommendation_display(),
            comment=review.comment,
        )
        for review in reviews
    ]


def answer_text(application, key: str) -> str:
    """One answer as plain text ('' when the form has no such block or it is empty)."""
    for section in formdef.display(application.form_definition, application.answers):
        for item in section.items:
            if item.key == key:
                return item.text
    return ""
