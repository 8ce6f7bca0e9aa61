"""The applications' objects of the permission walk (finsam/core/tests/walk.py)."""

import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from finsam.accounts.models import ApplicantOrganisation
from finsam.applications.models import Attachment
from finsam.applications.tests.factories import ApplicationFactory, CoApplicantFactory, RoundFactory
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
    return {"round": round_, "application": application, "draft": draft, "attachment": attachment}


PDF = b"%PDF-1.4\n%%EOF\n"

OBJECT_KWARGS = {
    "applications:detail": lambda o: {"pk": o["application"].pk},
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
