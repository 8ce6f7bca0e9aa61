import datetime

import factory

from finsam.associations.tests.factories import AssociationFactory
from finsam.initiatives.models import FollowUp, HeadCount, Initiative


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    association = factory.SubFactory(AssociationFactory)
    name = factory.Sequence(lambda n: f"Insats {n}")
    owner_organisation = "Skövde kommun"
    start_date = datetime.date(2020, 1, 1)

    class Params:
        volume = factory.Trait(follow_up=FollowUp.VOLUME)


class HeadCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HeadCount

    initiative = factory.SubFactory(InitiativeFactory, volume=True)
    month = datetime.date(2021, 3, 1)
    women = 3
    men = 2
    other = 0
