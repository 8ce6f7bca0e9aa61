import factory
from django.utils import timezone

from finsam.catalogue import search
from finsam.catalogue.models import CatalogueEntry
from finsam.initiatives.tests.factories import InitiativeFactory


class CatalogueEntryFactory(factory.django.DjangoModelFactory):
    """An entry, indexed for search (as the services do). Published unless told otherwise."""

    class Meta:
        model = CatalogueEntry

    initiative = factory.SubFactory(InitiativeFactory)
    published = True
    published_at = factory.LazyAttribute(lambda o: timezone.now() if o.published else None)
    summary = "En insats för personer som står långt från arbetsmarknaden."
    contact = "Projektledare, projekt@kommun.se"

    @factory.post_generation
    def indexed(self, create, extracted, **kwargs):
        if create:
            search.index_entry(self)
