import factory

from finsam.reference.models import Code, CodeList, Municipality, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "14"
    name = "Västra Götalands län"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = "1496"
    name = "Skövde"
    region = factory.SubFactory(RegionFactory)


class CodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Code
        django_get_or_create = ("code_list", "code")

    class Params:
        label_sv = factory.LazyAttribute(lambda o: o.code)
        label_en = factory.LazyAttribute(lambda o: o.code)

    code_list = CodeList.INCOME_SOURCE
    code = factory.Sequence(lambda n: f"code-{n}")
    labels = factory.LazyAttribute(lambda o: {"sv": o.label_sv, "en": o.label_en})
