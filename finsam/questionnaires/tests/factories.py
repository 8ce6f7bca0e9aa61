"""Questionnaire test helpers: the shipped national core (loaded by migration 0003) and links."""

from datetime import timedelta

from django.utils import timezone

from finsam.questionnaires.definitions import load_core
from finsam.questionnaires.models import Invitation, Questionnaire, hash_token
from finsam.questionnaires.services import new_token

CORE = "nns-deltagare"


def core_version(code=CORE):
    if not Questionnaire.objects.filter(association__isnull=True).exists():
        load_core()  # a transactional test flushed the migration's data
    return Questionnaire.objects.get(association__isnull=True, code=code).current_version()


def invitation(association, *, version=None, initiative=None, period="2026-H2", days=30, **kw):
    """A one-time link; returns (token, invitation)."""
    token = new_token()
    inv = Invitation.objects.create(
        token_hash=hash_token(token),
        version=version or core_version(),
        association=association,
        initiative=initiative,
        period=period,
        expires_at=timezone.now() + timedelta(days=days),
        **kw,
    )
    return token, inv
