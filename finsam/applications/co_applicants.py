"""Co-applicants (medsökande): people of partner organisations the owner organisation invites to
one application, to read, comment or write. The invitee accepts through a one-time link while
logged in as a user of an applicant organisation (registering first if need be)."""

import datetime
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from finsam.applications.models import Application, CoApplicant, CoApplicantPermission
from finsam.applications.workflow import Status
from finsam.audit.services import record_change
from finsam.core.policy import Principal

logger = logging.getLogger(__name__)
VALID_DAYS = 14


def is_owner(access, application: Application) -> bool:
    """A user of the application's owner organisation."""
    return (
        Principal.APPLICANT_ORGANISATION in access.roles
        and access.organisation is not None
        and application.organisation_id == access.organisation.pk
    )


def _require_owner(access, application: Application) -> None:
    access.require("application.own")
    if not is_owner(access, application):
        raise PermissionDenied


def _clean_permission(permission: str) -> str:
    if permission not in CoApplicantPermission.values:
        raise ValidationError({"permission": _("Välj en behörighet.")})
    return permission


@transaction.atomic
def invite(
    access, application: Application, *, email: str, organisation_name: str, permission: str
) -> CoApplicant:
    """Invite `email` of `organisation_name` with `permission`; the link goes by e-mail."""
    _require_owner(access, application)
    errors = {}
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Ange en giltig e-postadress, t.ex. namn@example.se.")
    organisation_name = (organisation_name or "").strip()
    if not organisation_name:
        errors["organisation_name"] = _("Ange vilken organisation personen företräder.")
    if permission not in CoApplicantPermission.values:
        errors["permission"] = _("Välj en behörighet.")
    if application.status == Status.WITHDRAWN:
        errors["__all__"] = _("Ansökan är återtagen.")
    if not errors and application.co_applicants.filter(email__iexact=email).exists():
        errors["email"] = _("Personen är redan inbjuden till ansökan.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            co = CoApplicant.objects.create(
                application=application,
                email=email,
                organisation_name=organisation_name,
                permission=permission,
                token=secrets.token_urlsafe(32),
                invited_by=access.user,
                expires_at=timezone.now() + datetime.timedelta(days=VALID_DAYS),
            )
    except IntegrityError as exc:  # the same address invited at the same moment
        raise ValidationError({"email": _("Personen är redan inbjuden till ansökan.")}) from exc
    record_change(
        access=access,
        obj=co,
        action="co_applicant.invite",
        label=f"{application} – {organisation_name}",
        changes={"permission": [None, permission]},
    )
    transaction.on_commit(lambda: _send_invitation(co))
    return co


def _send_invitation(co: CoApplicant) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse(
        "applications:co_applicant_accept", kwargs={"token": co.token}
    )
    with translation.override("sv"):
        subject = _("Inbjudan att vara medsökande: %(title)s") % {"title": co.application.title}
        body = _(
            '%(organisation)s bjuder in dig som medsökande till ansökan "%(title)s" till '
            "%(association)s (behörighet: %(permission)s).\n\n"
            "Öppna länken för att ta emot inbjudan. Har du inget konto registrerar du dig först. "
            "Länken gäller i %(days)s dagar och kan användas en gång:\n%(link)s\n"
        ) % {
            "organisation": co.application.organisation.name,
            "title": co.application.title,
            "association": co.application.association.name,
            "permission": co.get_permission_display().lower(),
            "days": VALID_DAYS,
            "link": link,
        }
    try:
        send_mail(subject, body, None, [co.email])
    except OSError:
        logger.exception("The co-applicant invitation %s could not be sent", co.pk)


def invitation_problem(co: CoApplicant | None, access=None) -> str:
    """Why the invitation cannot be accepted (by `access`), or "" when it can."""
    if co is None:
        return _("Länken är ogiltig.")
    if co.accepted_at is not None:
        return _("Inbjudan är redan använd.")
    if co.expires_at <= timezone.now():
        return _("Inbjudan har gått ut. Be den som bjöd in dig att skicka en ny.")
    if co.application.status == Status.WITHDRAWN:
        return _("Ansökan är återtagen.")
    if access is not None:
        if Principal.APPLICANT_ORGANISATION not in access.roles:
            return _(
                "Inbjudan kan bara tas emot av en användare hos en sökande organisation. "
                "Registrera dig som sökande först."
            )
        if access.association is None or access.association.pk != co.application.association_id:
            return _("Inbjudan gäller en ansökan till ett annat förbund.")
        if access.user.email.lower() != co.email.lower():
            return _(
                "Inbjudan skickades till en annan e-postadress. Logga in med den adress "
                "inbjudan skickades till."
            )
        if co.application.organisation_id == access.organisation.pk:
            return _("Din organisation äger redan ansökan.")
    return ""


@transaction.atomic
def accept(access, token: str) -> CoApplicant:
    """Accept the invitation of `token` as the logged-in user: once, before it expires."""
    co = (
        CoApplicant.objects.select_for_update()
        .select_related("application__association")
        .filter(token=token)
        .first()
    )
    problem = invitation_problem(co, access)
    if problem:
        raise ValidationError(problem)
    co.user = access.user
    co.accepted_at = timezone.now()
    co.save(update_fields=["user", "accepted_at", "updated_at"])
    record_change(
        access=access,
        obj=co,
        action="co_applicant.accept",
        label=f"{co.application} – {co.organisation_name}",
    )
    return co


@transaction.atomic
def change_permission(access, co: CoApplicant, *, permission: str) -> CoApplicant:
    _require_owner(access, co.application)
    _clean_permission(permission)
    co = CoApplicant.objects.select_for_update().get(pk=co.pk)
    if co.permission != permission:
        before = co.permission
        co.permission = permission
        co.save(update_fields=["permission", "updated_at"])
        record_change(
            access=access,
            obj=co,
            action="co_applicant.change",
            label=f"{co.application} – {co.organisation_name}",
            changes={"permission": [before, permission]},
        )
    return co


@transaction.atomic
def remove(access, co: CoApplicant) -> None:
    _require_owner(access, co.application)
    label = f"{co.application} – {co.organisation_name}"
    record_change(access=access, obj=co, action="co_applicant.remove", label=label)
    co.delete()
