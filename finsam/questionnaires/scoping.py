"""Which questionnaires, versions and paper responses a staff user sees: the national core and
the association's own questionnaires; paper responses of the association, narrowed to the
assigned initiatives for initiative-scoped roles. Outside the scope: 404."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from finsam.initiatives.scoping import visible_initiatives
from finsam.questionnaires.models import QuestionnaireVersion, Response, Source


def visible_versions(access):
    if access.association is None:
        return QuestionnaireVersion.objects.none()
    return QuestionnaireVersion.objects.filter(
        Q(questionnaire__association__isnull=True)
        | Q(questionnaire__association=access.association),
        published_at__isnull=False,
    ).select_related("questionnaire")


def get_version(access, pk):
    try:
        return visible_versions(access).get(pk=pk)
    except QuestionnaireVersion.DoesNotExist as exc:
        raise Http404 from exc


def paper_responses(access):
    if access.association is None:
        return Response.objects.none()
    qs = Response.objects.filter(association=access.association, source=Source.PAPER)
    if access.can_throughout("questionnaire.enter_paper"):
        return qs
    return qs.filter(initiative__in=visible_initiatives(access))


def get_paper_response(access, pk):
    try:
        return paper_responses(access).get(pk=pk)
    except (Response.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
