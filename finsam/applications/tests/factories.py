import datetime

import factory
from django.utils import timezone

from finsam.accounts.models import ApplicantOrganisation
from finsam.applications.models import (
    Application,
    ApplicationForm,
    CoApplicant,
    FormVersion,
    Interest,
    Round,
)
from finsam.associations.tests.factories import AssociationFactory

# A small definition: two sections, two required blocks; its texts in both languages.
SMALL_DEFINITION = {
    "version": 1,
    "title": "Ansökan",
    "sections": [
        {
            "key": "starting_points",
            "title": {"sv": "Utgångspunkter", "en": "Starting points"},
            "blocks": [
                {
                    "key": "background",
                    "type": "rich_text",
                    "label": {"sv": "Bakgrund", "en": "Background"},
                    "required": True,
                },
            ],
        },
        {
            "key": "goals",
            "title": {"sv": "Mål", "en": "Goals"},
            "blocks": [
                {
                    "key": "goals",
                    "type": "text",
                    "label": {"sv": "Mål", "en": "Goals"},
                    "required": True,
                },
                {
                    "key": "other",
                    "type": "text",
                    "label": {"sv": "Övrigt", "en": "Other"},
                    "required": False,
                },
            ],
        },
    ],
}
COMPLETE_ANSWERS = {"background": "<p>Bakgrund.</p>", "goals": "Fler i arbete."}


class ApplicantOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicantOrganisation

    association = factory.SubFactory(AssociationFactory)
    name = factory.Sequence(lambda n: f"Socialförvaltningen {n}")


class ApplicationFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationForm

    association = None
    code = factory.Sequence(lambda n: f"form-{n}")
    name = "Ansökan om medel"


class FormVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormVersion

    form = factory.SubFactory(ApplicationFormFactory)
    number = 1
    definition = factory.LazyFunction(lambda: SMALL_DEFINITION)


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    association = factory.SubFactory(AssociationFactory)
    title = factory.Sequence(lambda n: f"Ansökningsomgång {n}")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    form_version = factory.SubFactory(FormVersionFactory)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft; pass `status=` for a later one (set directly, as a fixture, not a transition)."""

    class Meta:
        model = Application

    round = factory.SubFactory(RoundFactory)
    association = factory.SelfAttribute("round.association")
    organisation = factory.SubFactory(
        ApplicantOrganisationFactory, association=factory.SelfAttribute("..association")
    )
    title = factory.Sequence(lambda n: f"Projekt {n}")
    form_version = factory.SelfAttribute("round.form_version")
    form_definition = factory.SelfAttribute("form_version.definition")
    answers = factory.LazyFunction(lambda: dict(COMPLETE_ANSWERS))


class CoApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoApplicant

    application = factory.SubFactory(ApplicationFactory)
    email = factory.Sequence(lambda n: f"med{n}@example.se")
    organisation_name = "Arbetsförmedlingen"
    token = factory.Sequence(lambda n: f"co-token-{n}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest

    association = factory.SelfAttribute("organisation.association")
    organisation = factory.SubFactory(ApplicantOrganisationFactory)
