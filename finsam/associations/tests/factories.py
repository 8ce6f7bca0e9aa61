import factory

from finsam.associations.models import Association, Member, MemberKind


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"Samordningsförbundet {n}")
    slug = factory.Sequence(lambda n: f"forbund-{n}")
    org_number = factory.Sequence(lambda n: f"222000-{n:04d}")
    start_date = factory.Faker("date_between", start_date="-15y", end_date="-10y")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    association = factory.SubFactory(AssociationFactory)
    kind = MemberKind.MUNICIPALITY
    name = factory.Sequence(lambda n: f"Kommun {n}")
    contribution_share = 5
