"""E-mail at each step of an application (the console backend in development).

The applicants (the organisation's users and the accepted co-applicants) hear of every step by
its applicant name; the association's secretariat hears of submissions and supplements. Sent
when the transaction commits, never for a rolled-back step. The mails name the application and
its status only, never a person.
"""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from finsam.accounts.models import RoleAssignment
from finsam.applications.workflow import APPLICANT_NAMES, Status
from finsam.core.roles import Role

# The steps the secretariat is told about (the rest it takes itself).
logger = logging.getLogger(__name__)

TO_SECRETARIAT = frozenset({Status.SUBMITTED, Status.PREPARATION, Status.WITHDRAWN})


def applicant_addresses(application) -> list[str]:
    owners = application.organisation.members.filter(is_active=True).values_list("email", flat=True)
    co = application.co_applicants.filter(
        accepted_at__isnull=False, user__is_active=True
    ).values_list("user__email", flat=True)
    return sorted({*owners, *co} - {""})


def secretariat_addresses(application) -> list[str]:
    return sorted(
        set(
            RoleAssignment.objects.filter(
                association=application.association,
                role=Role.SECRETARIAT,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
        - {""}
    )


def notify_step(application, from_status: str, to_status: str) -> None:
    """Queue the mails of one step until the transaction commits."""
    transaction.on_commit(lambda: _send(application, from_status, to_status))


def _send(application, from_status, to_status):
    base = settings.SITE_URL.rstrip("/")
    with translation.override("sv"):
        link = base + reverse("applications:detail", kwargs={"pk": application.pk})
        name = application.diary_number or application.title
        subject = _("Ansökan %(name)s: %(status)s") % {
            "name": name,
            "status": APPLICANT_NAMES[to_status],
        }
        body = _(
            'Ansökan "%(title)s" till %(association)s har nu status: %(status)s.\n\n'
            "Se ansökan: %(link)s\n"
        ) % {
            "title": application.title,
            "association": application.association.name,
            "status": APPLICANT_NAMES[to_status],
            "link": link,
        }
    messages = [(subject, body, None, [address]) for address in applicant_addresses(application)]
    if to_status in TO_SECRETARIAT:
        messages += [
            (subject, body, None, [address]) for address in secretariat_addresses(application)
        ]
    if messages:
        try:
            send_mass_mail(messages)
        except OSError:  # the step stands; the mail server's trouble is logged, not shown
            logger.exception("The mails of application %s's step could not be sent", application.pk)
