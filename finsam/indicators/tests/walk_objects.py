"""The indicators' objects of the permission walk (finsam/core/tests/walk.py): answers to the
national participant questionnaire for the side's initiative, so the pages draw real figures."""

from finsam.indicators.tests.answers import many, questionnaire


def objects(world, side, association, initiative):
    version = questionnaire()
    many(
        version,
        association=association,
        item="D02",
        choices=["6", "5", "1", "2", "6", "6"],
        initiative=initiative,
        gender="woman",
    )
    return {}


OBJECT_KWARGS = {
    "indicators:scope": lambda o: {"kind": "initiative", "obj_id": o["initiative"].pk},
}
