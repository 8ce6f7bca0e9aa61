"""Run by `test_variables.py` in a fresh process: add two registration variables the way a developer
would, and report where they show up.

A developer adds a variable by writing one `Variable` in `finsam.participants.variables` and its
field on `Enrolment` (with a migration). This process does the same before any module that reads
the registry is imported: when Django has loaded the models and starts the participants app
(`ParticipantsConfig.ready`, whose job registration imports the first readers), it adds the
model fields (`contribute_to_class`) and appends the two `Variable`s to `VARIABLES`. Then it
creates the tables from the models (an in-memory SQLite database, no migrations), imports forms,
import, API and statistics, and prints what it finds as JSON.
"""

import json
import os
import sys

import django
from django.conf import settings

# The modules that read the registry when they are imported.
CONSUMERS = (
    "finsam.participants.services",
    "finsam.participants.selectors",
    "finsam.participants.forms",
    "finsam.participants.imports",
    "finsam.participants.import_views",
    "finsam.api.serializers",
    "finsam.api.views",
    "finsam.statistics.engine",
    "finsam.statistics.sus",
)


class _NoMigrations(dict):
    """Every app's tables are created from its models (the added fields included)."""

    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


def _add_variables() -> None:
    """The one place: two variables (and their model fields)."""
    from finsam.participants import variables
    from finsam.participants.models import Enrolment, _code
    from finsam.reference.models import CodeListKey

    _code(CodeListKey.REFERRER, "medremittent").contribute_to_class(Enrolment, "co_referrer")
    _code(CodeListKey.OCCUPATION, "sysselsättning efter sex månader").contribute_to_class(
        Enrolment, "occupation_six_months"
    )
    Enrolment._meta._expire_cache()
    variables.VARIABLES = (
        *variables.VARIABLES,
        variables.Variable(
            "co_referrer",
            variables.IN,
            "Medremittent",
            "medremittent",
            "Vem som remitterade deltagaren tillsammans med remittenten.",
            code_list=CodeListKey.REFERRER,
            table=variables.StatisticsTable("co_referrer", "Medremittent", 95),
        ),
        variables.Variable(
            "occupation_six_months",
            variables.OUT,
            "Sysselsättning efter sex månader",
            "sysselsättning efter sex månader",
            "Sysselsättning sex månader efter avslut.",
            code_list=CodeListKey.OCCUPATION,
            table=variables.StatisticsTable(
                "occupation_six_months", "Sysselsättning efter sex månader", 150
            ),
        ),
    )


def main() -> dict:
    from finsam.participants.apps import ParticipantsConfig

    imported_early = []
    ready = ParticipantsConfig.ready

    def add_variables_then_ready(config):
        imported_early.extend(name for name in CONSUMERS if name in sys.modules)
        _add_variables()
        ready(config)

    ParticipantsConfig.ready = add_variables_then_ready
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    settings.MIGRATION_MODULES = _NoMigrations()
    django.setup()

    from django.core.management import call_command
    from django.utils import translation

    from finsam.reference.models import Code, CodeListKey

    call_command("migrate", run_syncdb=True, verbosity=0)
    af = Code.objects.create(code_list=CodeListKey.REFERRER, code="af", labels={"sv": "AF"})
    work = Code.objects.create(
        code_list=CodeListKey.OCCUPATION, code="arbete", labels={"sv": "Arbete"}
    )
    translation.activate("sv")

    # 2. Everywhere else.
    import io

    import openpyxl
    from django.template.loader import render_to_string
    from drf_spectacular.generators import SchemaGenerator

    from finsam.api import serializers
    from finsam.participants import forms, imports, services
    from finsam.statistics import engine

    def rendered(form) -> str:
        return render_to_string("participants/_variable_fields.html", {"form": form})

    enrol, exit_ = forms.EnrolForm(), forms.ExitForm()
    enrol_sent = forms.EnrolForm({"co_referrer": af.pk})
    exit_sent = forms.ExitForm({"occupation_six_months": work.pk})
    assert enrol_sent.is_valid() and exit_sent.is_valid()
    example = imports.parse_row(2, imports.example_row(imports._code_lists()), imports.CodeBook())
    workbook = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx()))
    instructions = [c.value for c in workbook[imports.INSTRUCTIONS_SHEET]["A"]]
    schemas = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    flt = engine.StatsFilter(engine.datetime.date(2025, 1, 1), engine.datetime.date(2025, 12, 31))
    tables = {
        name: engine.stats_table(engine.Scope.national(suppress=False), flt, name)
        for name in ("co_referrer", "occupation_six_months")
    }
    return {
        "imported_early": imported_early,
        "enrol_form": {"fields": list(enrol.fields), "html": rendered(enrol)},
        "exit_form": {"fields": list(exit_.fields), "html": rendered(exit_)},
        "import": {
            "headers": list(imports.HEADERS),
            "code_lists": {c.key: c.code_list for c in imports.COLUMNS},
            "xlsx_headers": [c.value for c in workbook[imports.DATA_SHEET][1]],
            "xlsx_instructions": instructions,
            "csv_headers": imports.template_csv().decode("utf-8-sig").splitlines()[0].split(";"),
        },
        "api": {
            "EnrolmentIn": list(serializers.EnrolmentIn().fields),
            "ExitIn": list(serializers.ExitIn().fields),
            "EnrolmentOut": list(serializers.EnrolmentOut().fields),
            "schema_in": list(schemas["EnrolmentInput"]["properties"]),
            "schema_exit": list(schemas["ExitInput"]["properties"]),
            "schema_out": list(schemas["Enrolment"]["properties"]),
        },
        "statistics": {
            "dimensions": list(engine.DIMENSIONS),
            "tables": {
                name: {"title": t.title, "rows": [r.label for r in t.rows]}
                for name, t in tables.items()
            },
        },
        "sent": {
            "enrol_form": enrol_sent.to_input().co_referrer.code,
            "exit_form": exit_sent.to_input().occupation_six_months.code,
            "import_example": imports._enrolment_input(example.values).co_referrer.code,
            "api_in": serializers.EnrolmentIn().fields["co_referrer"].to_internal_value("af").code,
        },
        "services": {
            "code_fields": services.CODE_FIELDS,
            "in_fields": list(services.IN_FIELDS),
            "exit_fields": list(services.EXIT_FIELDS),
        },
    }


if __name__ == "__main__":
    print(json.dumps(main(), default=str))
