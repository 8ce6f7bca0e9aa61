"""The questionnaires' objects and URLs in the permission walk (finsam/core/tests/walk.py)."""

import json
from datetime import timedelta

from django.utils import timezone

from finsam.questionnaires import definitions
from finsam.questionnaires.models import GroupLink, Response, ReviewStatus, Source, hash_token
from finsam.questionnaires.tests.factories import invitation


def objects(world, side, association, initiative) -> dict:
    data = json.loads((definitions.CORE_DIR / "nns-personal.json").read_text())
    data["questionnaire"].update(code=f"egen-{side}", locked=False)
    version = definitions.load(data, association=association)
    token, _inv = invitation(association, version=version, initiative=initiative)
    group_token = f"grupp-{side}"
    GroupLink.objects.create(
        token_hash=hash_token(group_token),
        version=version,
        association=association,
        initiative=initiative,
        period="2026-H2",
        expires_at=timezone.now() + timedelta(hours=2),
    )
    paper = Response.objects.create(
        version=version,
        association=association,
        initiative=initiative,
        respondent_group=version.questionnaire.respondent_group,
        period="2026-H2",
        source=Source.PAPER,
        review_status=ReviewStatus.ENTERED,
    )
    return {
        "questionnaire_version": version,
        "questionnaire_token": token,
        "questionnaire_group_token": group_token,
        "paper_response": paper,
    }


def _version(o):
    return {"pk": o["questionnaire_version"].pk}


OBJECT_KWARGS = {
    "questionnaires:answer": lambda o: {"token": o["questionnaire_token"]},
    "questionnaires:group": lambda o: {"token": o["questionnaire_group_token"]},
    **{
        f"questionnaires:{name}": _version
        for name in ("links", "group_link", "email", "remind", "paper")
    },
    "questionnaires:paper_review": lambda o: {"pk": o["paper_response"].pk},
}
# Pages without login: the one-time link (or group link) is the right.
PUBLIC = {"questionnaires:answer", "questionnaires:group", "questionnaires:thanks"}
