import factory

from finsam.accounts.models import InitiativeAssignment, RoleAssignment, User
from finsam.core.roles import Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.se")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    password = factory.PostGenerationMethodCall("set_password", "demo-password-1")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.SECRETARIAT


class InitiativeAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InitiativeAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.REGISTRAR
