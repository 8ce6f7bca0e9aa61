"""The preparation pages' objects of the permission walk (finsam/core/tests/walk.py)."""

from finsam.accounts.models import ApplicantOrganisation
from finsam.applications.models import Interest
from finsam.applications.tests.factories import ApplicationFactory, RoundFactory
from finsam.applications.workflow import Status
from finsam.preparation.models import Review


def objects(world, side, association, initiative):
    organisation = ApplicantOrganisation.objects.create(
        association=association, name=f"Försäkringskassan {side}"
    )
    round_ = RoundFactory(association=association)
    application = ApplicationFactory(
        round=round_,
        organisation=organisation,
        status=Status.PREPARATION,
        diary_number=f"2026/09{1 if side == 'own' else 2}",
        applied_by_year={"2027": 400000},
        amount_applied=400000,
    )
    # An interest of the walk's reviewer (own side) in another organisation than the
    # application's, so the reviewer still reaches every page.
    declarer = world.reviewer if side == "own" else world.b_secretariat
    interest = Interest.objects.create(
        association=association,
        user=declarer,
        organisation=ApplicantOrganisation.objects.create(
            association=association, name=f"Region {side}"
        ),
        description="Anställd",
    )
    Review.objects.create(
        application=application,
        reviewer=world.secretariat if side == "own" else world.b_secretariat,
        form_id=_shipped_form_id(),
        scores={"cooperation": 4},
        recommendation="grant",
        comment="Bra samverkan.",
    )
    return {
        "prep_round": round_,
        "prep_application": application,
        "prep_interest": interest,
    }


def _shipped_form_id():
    from finsam.preparation.selectors import shipped_review_form

    return shipped_review_form().pk


OBJECT_KWARGS = {
    **{
        f"preparation:{name}": (lambda o: {"pk": o["prep_application"].pk})
        for name in ("case", "step", "supplement", "review", "recommend")
    },
    "preparation:interest_end": lambda o: {"pk": o["prep_interest"].pk},
    "preparation:export_csv": lambda o: {"pk": o["prep_round"].pk},
    "preparation:export_xlsx": lambda o: {"pk": o["prep_round"].pk},
}
