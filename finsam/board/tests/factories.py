import datetime

import factory
from django.utils import timezone

from finsam.applications.formdef import standard_form
from finsam.applications.tests.factories import ApplicationFactory
from finsam.applications.workflow import Status
from finsam.board.models import AgendaItem, Meeting

PERIOD = (datetime.date(2027, 1, 1), datetime.date(2028, 6, 30))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    place = "Förbundets kansli"


def recommended_application(association, **kwargs):
    """An application ready for the board: recommended, with a diary number, period and amounts
    applied for."""
    fields = {
        "round__association": association,
        "round__form_version__definition": standard_form(),
        "status": Status.RECOMMENDED,
        "diary_number": factory.Sequence(lambda n: f"2026/{n + 1:03d}"),
        "period_start": PERIOD[0],
        "period_end": PERIOD[1],
        "applied_by_year": {"2027": 400000, "2028": 200000},
        "amount_applied": 600000,
        "answers": {
            "starting_points": "<p>Bakgrund.</p>",
            "goals_individuals": "<p>Fler i arbete.</p>",
            "summary": "Stöd till unga vuxna som står långt från arbete.",
            "participants_planned": 40,
        },
    }
    fields.update(kwargs)
    return ApplicationFactory(**fields)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    application = factory.LazyAttribute(
        lambda o: ApplicationFactory(
            round__association=o.meeting.association,
            status=Status.PROPOSED,
            diary_number="2026/090",
        )
    )
    paragraph = factory.Sequence(lambda n: n + 1)
