"""Progression's objects of the permission walk (finsam/core/tests/walk.py)."""

from finsam.progression.models import Dimension, Rating, RatingOccasion


def objects(world, side, association, initiative):
    from finsam.participants.models import Enrolment

    dimension = Dimension.objects.create(association=association, name=f"Aktivitetsnivå {side}")
    enrolment = (
        Enrolment.objects.filter(initiative=initiative, participant__isnull=False)
        .order_by("pk")
        .first()
    )
    occasion = RatingOccasion.objects.create(
        enrolment=enrolment,
        rated_on=enrolment.start_date,
        rater="self",
    )
    Rating.objects.create(occasion=occasion, dimension=dimension, value=5)
    return {"dimension": dimension, "rating_occasion": occasion}


def _occasion(o):
    occasion = o["rating_occasion"]
    return {"enrolment_uuid": occasion.enrolment.uuid, "occasion_uuid": occasion.uuid}


OBJECT_KWARGS = {
    "progression:dimension_edit": lambda o: {"pk": o["dimension"].pk},
    "progression:enrolment": lambda o: {"enrolment_uuid": o["enrolment"].uuid},
    "progression:occasion_add": lambda o: {"enrolment_uuid": o["enrolment"].uuid},
    "progression:occasion_edit": _occasion,
    "progression:occasion_delete": _occasion,
    "progression:initiative": lambda o: {"initiative_id": o["initiative"].pk},
}
