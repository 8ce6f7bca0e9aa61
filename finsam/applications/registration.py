"""Applicants register themselves: a user of a new applicant organisation of one association,
who logs in only once the e-mail address is verified (allauth's confirmation mail; the login
stage `finsam.accounts.adapters.ApplicantEmailVerificationStage` holds back an unverified one).

A person joins an existing organisation only by invitation: an organisation number already
registered in the association is refused here. Staff users never come this way (invitations,
identity providers).
"""

import logging

from allauth.account.internal.flows.email_verification import (
    send_verification_email_to_address,
)
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from finsam.accounts.models import ApplicantOrganisation
from finsam.associations.validators import normalize_org_number
from finsam.audit.services import record_change
from finsam.core.access import Access

logger = logging.getLogger(__name__)


def register_applicant(
    request,
    *,
    association,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    organisation_name: str,
    org_number: str,
) -> object | None:
    """Create the user (unverified) and its organisation, and send the verification mail.

    An address that already has an account gets a mail saying so and no new account (the page
    answers the same either way, so it tells nobody which addresses are registered). Returns the
    new user, or None for a known address."""
    User = get_user_model()
    email = (email or "").strip().lower()
    errors = {}
    organisation_name = (organisation_name or "").strip()
    if not organisation_name:
        errors["organisation_name"] = _("Ange organisationens namn.")
    try:
        org_number = normalize_org_number(org_number)
    except ValidationError as exc:
        errors["org_number"] = exc.messages
    else:
        if ApplicantOrganisation.objects.filter(
            association=association, org_number=org_number
        ).exists():
            errors["org_number"] = _(
                "Organisationen är redan registrerad hos förbundet. Be någon som redan har ett "
                "konto där att bjuda in dig, eller kontakta förbundets kansli."
            )
    if not (first_name or "").strip():
        errors["first_name"] = _("Ange ditt förnamn.")
    if not (last_name or "").strip():
        errors["last_name"] = _("Ange ditt efternamn.")
    candidate = User(email=email, first_name=first_name, last_name=last_name)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        errors["password1"] = exc.messages
    if errors:
        raise ValidationError(errors)
    if User.objects.filter(email__iexact=email).exists():
        _send_already_registered(request, email)
        return None
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=password,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                organisation=organisation_name,
            )
            organisation = ApplicantOrganisation.objects.create(
                association=association, name=organisation_name, org_number=org_number
            )
            organisation.members.add(user)
            address = EmailAddress.objects.create(
                user=user, email=email, primary=True, verified=False
            )
            record_change(
                access=Access.applicant(user, organisation),
                obj=organisation,
                action="applicant_organisation.register",
            )
    except IntegrityError:  # the same address registered at the same moment (a double submit)
        return None
    send_verification_email_to_address(request, address, signup=True)
    return user


def _send_already_registered(request, email: str) -> None:
    login = request.build_absolute_uri(reverse("account_login"))
    reset = request.build_absolute_uri(reverse("account_reset_password"))
    with translation.override("sv"):
        subject = _("Du har redan ett konto i finsam")
        body = _(
            "Någon (troligen du) försökte registrera ett nytt konto med den här adressen, men "
            "det finns redan ett konto.\n\nLogga in: %(login)s\nGlömt lösenordet: %(reset)s\n"
        ) % {"login": login, "reset": reset}
    try:
        send_mail(subject, body, None, [email])
    except OSError:
        logger.exception("The already-registered mail could not be sent")


# --- Colleagues: joining an existing organisation by invitation -------------------------------

COLLEAGUE_SALT = "finsam.applications.colleague"
COLLEAGUE_DAYS = 14


def colleague_token(organisation, email: str) -> str:
    """A signed link token naming the organisation and the invited address (no table: the
    invitation is used up once the address is a member)."""
    return signing.dumps({"o": organisation.pk, "e": email.lower()}, salt=COLLEAGUE_SALT)


def invite_colleague(access, *, email: str) -> str:
    """A user of an applicant organisation invites a colleague to it by e-mail."""
    access.require("application.own")
    organisation = access.organisation
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            {"email": _("Ange en giltig e-postadress, t.ex. namn@example.se.")}
        ) from exc
    if organisation.members.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Personen är redan användare i organisationen.")})
    token = colleague_token(organisation, email)
    record_change(access=access, obj=organisation, action="applicant_organisation.invite")
    link = settings.SITE_URL.rstrip("/") + reverse("applications:join", kwargs={"token": token})
    with translation.override("sv"):
        subject = _("Inbjudan till %(organisation)s i finsam") % {"organisation": organisation.name}
        body = _(
            "%(name)s bjuder in dig som användare för %(organisation)s, som söker medel från "
            "%(association)s.\n\nÖppna länken för att skapa ditt konto eller koppla ditt "
            "befintliga konto. Länken gäller i %(days)s dagar:\n%(link)s\n"
        ) % {
            "name": access.user.get_full_name() or access.user.email,
            "organisation": organisation.name,
            "association": organisation.association.name,
            "days": COLLEAGUE_DAYS,
            "link": link,
        }
    try:
        send_mail(subject, body, None, [email])
    except OSError:
        logger.exception("The colleague invitation could not be sent")
    return token


def read_colleague_token(token: str):
    """(organisation, email) of a valid token, or ValidationError with the reason."""
    try:
        data = signing.loads(token, salt=COLLEAGUE_SALT, max_age=COLLEAGUE_DAYS * 86400)
    except signing.SignatureExpired as exc:
        raise ValidationError(
            _("Inbjudan har gått ut. Be den som bjöd in dig att skicka en ny.")
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("Länken är ogiltig.")) from exc
    organisation = (
        ApplicantOrganisation.objects.select_related("association").filter(pk=data["o"]).first()
    )
    if organisation is None:
        raise ValidationError(_("Länken är ogiltig."))
    if organisation.members.filter(email__iexact=data["e"]).exists():
        raise ValidationError(_("Inbjudan är redan använd."))
    return organisation, data["e"]


@transaction.atomic
def join_as_new_user(token: str, *, first_name: str, last_name: str, password: str) -> object:
    """Create the invited colleague's account: the link came to the address, so it counts as
    verified."""
    organisation, email = read_colleague_token(token)
    User = get_user_model()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            _("Det finns redan ett konto med adressen. Logga in och öppna länken igen.")
        )
    errors = {}
    if not (first_name or "").strip():
        errors["first_name"] = _("Ange ditt förnamn.")
    if not (last_name or "").strip():
        errors["last_name"] = _("Ange ditt efternamn.")
    try:
        validate_password(password, User(email=email, first_name=first_name, last_name=last_name))
    except ValidationError as exc:
        errors["password1"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        organisation=organisation.name,
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    organisation.members.add(user)
    record_change(
        access=Access.applicant(user, organisation),
        obj=organisation,
        action="applicant_organisation.join",
    )
    return user


@transaction.atomic
def join_as_user(token: str, user) -> object:
    """The logged-in invitee (the invited address, no staff role) joins the organisation."""
    organisation, email = read_colleague_token(token)
    if user.email.lower() != email:
        raise ValidationError(
            _(
                "Inbjudan skickades till en annan e-postadress. Logga in med den adress "
                "inbjudan skickades till."
            )
        )
    if user.role_assignments.exists():
        raise ValidationError(
            _("Ditt konto har en roll i ett förbund och kan inte användas som sökande.")
        )
    organisation.members.add(user)
    record_change(
        access=Access.applicant(user, organisation),
        obj=organisation,
        action="applicant_organisation.join",
    )
    return organisation
