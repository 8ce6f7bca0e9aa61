import itertools

import factory

from finsam.audit.models import AccessedPseudonym, AccessEvent, Action

_numbers = itertools.count()


class AccessEventFactory(factory.django.DjangoModelFactory):
    """An event naming one made-up pseudonym, or `pseudonyms=[...]`."""

    class Meta:
        model = AccessEvent
        skip_postgeneration_save = True

    action = Action.VIEW
    fields = "personnummer, namn"
    actor_role = "registrar"
    association = factory.SelfAttribute("initiative.association")

    @factory.post_generation
    def pseudonyms(self, create, extracted, **kwargs):
        values = [f"P{next(_numbers):05d}"] if extracted is None else extracted
        AccessedPseudonym.objects.bulk_create(
            AccessedPseudonym(event=self, pseudonym=value) for value in values
        )
