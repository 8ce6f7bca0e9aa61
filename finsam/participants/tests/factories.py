import datetime

import factory

from finsam.core.keys import lookup_hash
from finsam.initiatives.tests.factories import InitiativeFactory
from finsam.participants.identity import new_pseudonym
from finsam.participants.models import Consent, ConsentMethod, Enrolment, Gender, Participant


def luhn(digits: str) -> int:
    total = 0
    for i, ch in enumerate(digits):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def make_personal_number(birth_date: datetime.date, serial: int = 238) -> str:
    """A valid personal identity number (12 digits, with dash) for `birth_date`.

    An odd third serial digit is a man, an even one a woman.
    """
    short = f"{birth_date:%y%m%d}{serial:03d}"
    return f"{birth_date:%Y%m%d}-{serial:03d}{luhn(short)}"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    association = factory.SubFactory("finsam.associations.tests.factories.AssociationFactory")
    pseudonym = factory.LazyFunction(new_pseudonym)
    personal_number = factory.Sequence(
        lambda n: make_personal_number(
            datetime.date(1980, 1, 1) + datetime.timedelta(days=n)
        ).replace("-", "")
    )
    personal_number_hash = factory.LazyAttribute(lambda o: lookup_hash(o.personal_number))
    name = factory.Faker("name", locale="sv_SE")
    birth_year = factory.LazyAttribute(lambda o: int(o.personal_number[:4]))
    gender = Gender.MAN


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An identified enrolment (with consent); `anonymous=True` for an anonymous one."""

    class Meta:
        model = Enrolment
        skip_postgeneration_save = True

    initiative = factory.SubFactory(InitiativeFactory)
    participant = factory.SubFactory(
        ParticipantFactory, association=factory.SelfAttribute("..initiative.association")
    )
    gender = Gender.MAN
    age_at_start = 30
    start_date = datetime.date(2024, 1, 15)

    class Params:
        anonymous = factory.Trait(participant=None, anonymous_reason="no_consent")

    @factory.post_generation
    def consent(obj, create, extracted, **kwargs):
        if create and obj.participant_id and extracted is not False:
            ConsentFactory(enrolment=obj, given_on=obj.start_date)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    enrolment = factory.SubFactory(EnrolmentFactory, consent=False)
    given_on = datetime.date(2024, 1, 15)
    method = ConsentMethod.PAPER
    form_version = "FK 9443 2022"
