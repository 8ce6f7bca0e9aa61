import factory

from finsam.audit.models import AccessEvent, Action


class AccessEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessEvent

    action = Action.VIEW
    pseudonym = factory.Sequence(lambda n: f"P{n:05d}")
    fields = "personnummer, namn"
    actor_role = "registrar"
    association = factory.SelfAttribute("initiative.association")
