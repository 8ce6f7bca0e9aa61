import factory

from finsam.associations.models import Association, Member, MemberKind
from finsam.associations.validators import luhn_check_digit


def org_number(n: int) -> str:
    """A valid organisation number (Luhn check digit) of the kind förbund have (22xxxx-xxxx)."""
    base = f"222{n % 1_000_000:06d}"
    digits = base + str(luhn_check_digit(base))
    return f"{digits[:6]}-{digits[6:]}"


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association

    name = factory.Sequence(lambda n: f"Samordningsförbundet {n}")
    slug = factory.Sequence(lambda n: f"forbund-{n}")
    org_number = factory.Sequence(org_number)
    start_date = factory.Faker("date_between", start_date="-15y", end_date="-10y")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    association = factory.SubFactory(AssociationFactory)
    kind = MemberKind.MUNICIPALITY
    name = factory.Sequence(lambda n: f"Kommun {n}")
    contribution_share = 5
