"""The applications' objects of the permission walk (finsam/core/tests/walk.py)."""

import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from finsam.accounts.models import ApplicantOrganisation
from finsam.applications.models import Attachment
from finsam.applications.registration import colleague_token
from finsam.applications.tests.factories import (
    ApplicationFactory,
    ApplicationFormFactory,
    CoApplicantFactory,
    FormVersionFactory,
    RoundFactory,
)
from finsam.applications.workflow import Status


def objects(world, side, association, initiative):
    if side == "own":
        organisation, partner = world.a_organisation, world.partner_organisation
    else:
        organisation = ApplicantOrganisation.objects.create(
            association=association, name="Socialförvaltningen B-stad"
        )
        partner = None
    round_ = RoundFactory(association=association)
    application = ApplicationFactory(
        round=round_, organisation=organisation, status=Status.PREPARATION, diary_number="2026/001"
    )
    draft = ApplicationFactory(round=round_, organisation=organisation)
    # A form of the association's own (the shipped forms are every association's).
    version = FormVersionFactory(form=ApplicationFormFactory(association=association))
    invited = CoApplicantFactory(
        application=application, email=f"inbjuden-{side}@example.se", token=f"co-{side}"
    )
    if partner is not None:
        CoApplicantFactory(
            application=application,
            email=world.co_applicant.email,
            organisation_name=partner.name,
            user=world.co_applicant,
            accepted_at=timezone.now(),
        )
    attachment = Attachment(
        application=application,
        block="attachments",
        name="plan.pdf",
        kind="pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
    )
    attachment.file.save("plan.pdf", ContentFile(PDF), save=True)
    return {
        "round": round_,
        "application": application,
        "draft": draft,
        "form_version": version,
        "co_applicant": invited,
        "association": association,
        "colleague_token": colleague_token(organisation, f"kollega-{side}@example.se"),
        "attachment": attachment,
    }


def _application(o):
    return {"pk": o["application"].pk}


def _co_applicant(o):
    return {"pk": o["application"].pk, "co_pk": o["co_applicant"].pk}


PDF = b"%PDF-1.4\n%%EOF\n"

OBJECT_KWARGS = {
    "applications:detail": _application,
    "applications:comment": _application,
    "applications:withdraw": _application,
    "applications:co_applicants": _application,
    "applications:accept_late": lambda o: {"pk": o["draft"].pk},
    "applications:co_applicant_change": _co_applicant,
    "applications:co_applicant_remove": _co_applicant,
    "applications:co_applicant_accept": lambda o: {"token": o["co_applicant"].token},
    "applications:register": lambda o: {"slug": o["association"].slug},
    "applications:join": lambda o: {"token": o["colleague_token"]},
    "applications:start": lambda o: {"round_pk": o["round"].pk},
    "applications:round_edit": lambda o: {"pk": o["round"].pk},
    "applications:form_version": lambda o: {"pk": o["form_version"].pk},
    # The applicant's editing pages (finsam.applications.views_edit): on the draft, and the
    # attachment of the application in preparation.
    **{
        f"applications:{name}": (lambda o: {"pk": o["draft"].pk})
        for name in ("edit", "revisions", "revision_diff", "check", "submit")
    },
    **{
        f"applications:{name}": (lambda o: {"pk": o["draft"].pk, "section": "goals"})
        for name in ("edit_section", "autosave")
    },
    **{
        f"applications:{name}": (lambda o: {"pk": o["attachment"].pk})
        for name in ("attachment", "attachment_delete")
    },
}
# Pages without login: registration and the co-applicant invitation's one-time link.
PUBLIC = {
    "applications:register",
    "applications:register_done",
    "applications:co_applicant_accept",
    "applications:join",
}
