"""The applications' objects of the permission walk (finsam/core/tests/walk.py)."""

from django.utils import timezone

from finsam.accounts.models import ApplicantOrganisation
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
    return {"round": round_, "application": application, "draft": draft}


OBJECT_KWARGS = {
    "applications:detail": lambda o: {"pk": o["application"].pk},
}
