"""The socioeconomic estimate's objects of the permission walk (finsam/core/tests/walk.py)."""

from decimal import Decimal

from finsam.socioeconomics.models import Estimate


def objects(world, side, association, initiative):
    estimate = Estimate.objects.create(
        association=association,
        initiative=initiative,
        title=f"Uppskattning {side}",
        mode="scenario",
        cost_source="entered",
        cost_amount=Decimal(1_000_000),
        leavers_municipality=1,
        years=5,
    )
    return {"estimate": estimate}


def _estimate(o):
    return {"pk": o["estimate"].initiative_id, "estimate_pk": o["estimate"].pk}


OBJECT_KWARGS = {
    "socioeconomics:estimate_add": lambda o: {"pk": o["initiative"].pk},
    "socioeconomics:estimate_detail": _estimate,
    "socioeconomics:estimate_edit": _estimate,
    "socioeconomics:estimate_delete": _estimate,
    "socioeconomics:estimate_export": lambda o: {**_estimate(o), "fmt": "pdf"},
}
