import factory

from finsam.associations.tests.factories import AssociationFactory
from finsam.finance.models import AssociationYear, InitiativeBudget, MemberContribution
from finsam.initiatives.tests.factories import InitiativeFactory


class AssociationYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssociationYear

    association = factory.SubFactory(AssociationFactory)
    year = 2021


class MemberContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberContribution

    association_year = factory.SubFactory(AssociationYearFactory)
    member = factory.SubFactory(
        "finsam.associations.tests.factories.MemberFactory",
        association=factory.SelfAttribute("..association_year.association"),
    )
    amount = 100000


class InitiativeBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InitiativeBudget

    initiative = factory.SubFactory(InitiativeFactory)
    year = 2021
    amount = 500000
