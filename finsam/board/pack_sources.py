"""What the board's documents take from the apps beside it: the preparation group's
recommendation and reviews, and the application's answers as text.

TODO(lead): after merging `finsam.preparation`, wire `recommendation_for` and `reviews_for` to
it (the recommendation the secretariat gave, and the reviews visible to the board), and consider
`formdef.document_blocks` for `application_blocks` once the forms engine has it. Until then the
meeting pack says that there is no recommendation and no review.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import strip_tags


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
    """The recommendation given in preparation. TODO(lead): finsam.preparation."""
    return None


def reviews_for(application) -> list[ReviewText]:
    """The reviews of the preparation group the board may read. TODO(lead): finsam.preparation."""
    return []


def _as_text(value) -> str:
    if value in (None, "", [], {}):
        return ""
    if isinstance(value, str):
        return strip_tags(value).strip()
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return ", ".join(filter(None, (_as_text(v) for v in value)))
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_as_text(v)}" for k, v in value.items() if _as_text(v))
    return str(value)


def application_blocks(application) -> list[tuple[str, str]]:
    """The application's answers as (label, text), in the form's order, empty answers left out.
    TODO(lead): may switch to `formdef.document_blocks`."""
    out = []
    for section in application.form_definition.get("sections", []):
        for block in section.get("blocks", []):
            text = _as_text(application.answers.get(block.get("key")))
            if text:
                out.append((str(block.get("label") or block.get("key")), text))
    return out


def answer_text(application, key: str) -> str:
    """One answer as plain text ('' when the form has no such block or it is empty)."""
    return _as_text((application.answers or {}).get(key))
