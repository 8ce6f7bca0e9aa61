"""Which meetings and decisions a principal sees (docs/access.md): the board, the secretariat
and the operator see their association's meetings (`board.read`); an applicant organisation sees
the decisions on its own applications once they took effect (decision letter, agreement)."""

from finsam.applications.scoping import applications_for
from finsam.board.models import Decision, Meeting


def meetings_for(access):
    if access.association is None or not access.can("board.read"):
        return Meeting.objects.none()
    return Meeting.objects.filter(association=access.association)


def decisions_for(access):
    """Decisions on applications `access` may open: all of the association's for `board.read`,
    and for the applicants only those that took effect (the minutes are approved)."""
    qs = Decision.objects.select_related("item__meeting", "application__organisation")
    if access.association is None:
        return qs.none()
    qs = qs.filter(application__in=applications_for(access).values("pk"))
    if access.can("board.read"):
        return qs.filter(item__meeting__association=access.association)
    return qs.filter(took_effect_at__isnull=False)
