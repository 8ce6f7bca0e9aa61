import datetime

from finsam.applications.models import Application
from finsam.applications.workflow import Status
from finsam.board.tests.factories import recommended_application
from finsam.demo.board import demo_board
from finsam.finance.models import CompensationModel


def test_the_demo_meeting_grants_one_and_rejects_another(world, skovde):
    granted, rejected = recommended_application(world.a), recommended_application(world.a)
    meeting = demo_board(
        world.a,
        [granted, rejected],
        world.secretariat,
        [world.board],
        datetime.date(2027, 1, 15),
        {granted.pk: {2027: 350000, 2028: 150000}},
    )
    assert meeting.minutes_approved
    granted = Application.objects.get(pk=granted.pk)
    assert granted.status == Status.GRANTED and granted.initiative is not None
    assert Application.objects.get(pk=rejected.pk).status == Status.REJECTED
    model = CompensationModel.objects.filter(initiative=granted.initiative).first()
    assert model.kind == "per_participant_week" and model.caps.get().amount == 300000
