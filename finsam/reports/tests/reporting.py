"""Factories and helpers shared by the report tests (imported explicitly, not a conftest)."""

import datetime

import factory

from finsam.reports.models import InitiativeReport, ReportingPeriod, ReportKind, ReportStatus

FILLED = {
    "background": "Personer långt från arbetsmarknaden.",
    "purpose": "Att stärka den enskildes möjlighet till arbete eller studier.",
    "goals": "Minst 30 % känner sig mer redo att arbeta.",
    "method": "Kartläggning och arbetsträning.",
    "results": "Sex deltagare är i arbetsträning.",
}


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod

    association = factory.SubFactory("finsam.associations.tests.factories.AssociationFactory")
    name = factory.Sequence(lambda n: f"Delårsrapport {n}")
    kind = ReportKind.INTERIM
    start_date = datetime.date(2021, 1, 1)
    end_date = datetime.date(2021, 8, 31)
    deadline = datetime.date(2021, 9, 30)


class InitiativeReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InitiativeReport

    period = factory.SubFactory(ReportingPeriodFactory)
    initiative = factory.SubFactory(
        "finsam.initiatives.tests.factories.InitiativeFactory",
        association=factory.SelfAttribute("..period.association"),
    )
    kind = factory.SelfAttribute("period.kind")
    project_name = factory.SelfAttribute("initiative.name")
    owner_organisation = "Skövde kommun"
    status = ReportStatus.DRAFT

    class Params:
        filled = factory.Trait(**FILLED)
