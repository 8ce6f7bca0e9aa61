"""Comments on an application: a thread between the applicants and the secretariat, and notes
for the staff only (never shown to applicants)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.applications.models import Application, Comment
from finsam.applications.services import may_comment
from finsam.audit.services import record_change
from finsam.core.policy import Principal

MAX_LENGTH = 5000


def visible_comments(access, application: Application):
    """The comments `access` may read: applicants never see the staff-only ones."""
    comments = application.comments.select_related("author")
    if not access.is_staff_user:
        comments = comments.filter(staff_only=False)
    return comments


def may_add_comment(access, application: Application) -> bool:
    if Principal.APPLICANT_ORGANISATION in access.roles:
        return may_comment(access, application)
    return access.can("application.manage", association=application.association)


@transaction.atomic
def comment_add(access, application: Application, *, text: str, staff_only: bool = False):
    if not may_add_comment(access, application):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Skriv en kommentar.")})
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            {"text": _("Kommentaren får vara högst %(n)s tecken.") % {"n": MAX_LENGTH}}
        )
    staff_only = bool(staff_only) and access.is_staff_user
    # A double submit of the same text (within a minute) gives one comment.
    last = (
        application.comments.filter(
            author=access.user, created_at__gte=timezone.now() - datetime.timedelta(minutes=1)
        )
        .order_by("-created_at")
        .first()
    )
    if last is not None and last.text == text and last.staff_only == staff_only:
        return last
    comment = Comment(application=application, author=access.user, text=text, staff_only=staff_only)
    comment.full_clean(exclude=["application", "author"])
    comment.save()
    record_change(
        access=access,
        obj=comment,
        action="application.comment",
        label=str(application),
        changes={"staff_only": [None, staff_only]},
    )
    return comment
