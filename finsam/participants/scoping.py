"""Which enrolments a user reaches: the participants app scopes its objects through the
initiatives it may follow up or register in (`finsam.initiatives.scoping`)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404

from finsam.core.access import Access
from finsam.initiatives.scoping import follow_up_initiatives, registrar_initiatives
from finsam.participants.models import Enrolment


def get_enrolment(access: Access, enrolment_uuid, *, registrar=False):
    scope = registrar_initiatives if registrar else follow_up_initiatives
    try:
        return (
            Enrolment.objects.select_related("initiative", "participant", "consent")
            .filter(initiative__in=scope(access))
            .get(uuid=enrolment_uuid)
        )
    except (ValueError, Enrolment.DoesNotExist) as exc:
        raise Http404 from exc


def get_enrolment_without_identity(access: Access, enrolment_uuid):
    """`get_enrolment` in the follow-up scope for pages that show pseudonyms only: the
    encrypted identity fields (personal identity number, name) are not even loaded."""
    try:
        return (
            Enrolment.objects.select_related("initiative", "participant")
            .defer("participant__personal_number", "participant__name")
            .filter(initiative__in=follow_up_initiatives(access))
            .get(uuid=enrolment_uuid)
        )
    except (ValueError, Enrolment.DoesNotExist, ValidationError) as exc:
        raise Http404 from exc
