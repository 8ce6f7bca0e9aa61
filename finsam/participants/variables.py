"""The enrolment's registration variables, declared once (participant-follow-up.md §2.6).

Each `Variable` is one fact registered at enrolment ("in") or at exit ("out") beside the fixed
ones (dates, gender, age, home municipality, consent): a code of a code list, several codes of
one, or the extent of an occupation. From `VARIABLES` come

- the fields of the enrol, exit and correction forms (`participants.forms`),
- the columns of the bulk import and its template (`participants.imports`),
- the API's input and output fields (`api.serializers`),
- the statistics tables of plain code-list dimensions (`statistics.engine`),
- the services' input (`EnrolmentInput`, `ExitInput`), checks and lists of code, multi-valued,
  extent and exit fields (`participants.services`), the history and what a registrar should
  still fill in (`participants.selectors`), the API's queries (`api.views`).

A new variable is one entry here and its model field on `Enrolment` (with its migration);
everything above follows (`participants/tests/test_variables.py` proves it). Special rules stay
where they are: the SUS reports (`statistics.sus`) and the outcome table read particular
variables, the demo data draws each with its own frequencies, the enrolment page lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from finsam.reference.models import CodeListKey

IN = "in"  # registered at enrolment
OUT = "out"  # registered at exit


@dataclass(frozen=True)
class StatisticsTable:
    """The statistics table a variable feeds: one row per code of its list, split by gender."""

    dimension: str  # the table's key (`statistics.engine.DIMENSIONS`)
    title: Promise
    position: int  # where it comes among all tables (the engine's own tables have theirs)


@dataclass(frozen=True)
class Variable:
    name: str  # the Enrolment field, the services' input field, the form and API field
    phase: str  # IN or OUT
    label: Promise  # on the correction form and pages
    header: str  # the import column's header; part of the file format, never translated
    description: Promise  # of the import column (instructions sheet and import page)
    code_list: str = ""  # CodeListKey value; "" = the extent of an occupation, 0–100 %
    multiple: bool = False  # any number of codes (a many-to-many field)
    required: bool = False  # required at its phase (an exit needs its reason)
    form_label: Promise | None = None  # on the enrol and exit forms, when not `label`
    missing_label: Promise | None = None  # listed as missing while not filled in
    table: StatisticsTable | None = None

    @property
    def is_code(self) -> bool:
        return bool(self.code_list)

    @property
    def is_extent(self) -> bool:
        return not self.code_list

    @property
    def attname(self) -> str:
        """The model attribute holding the value: the code's id for one code."""
        return f"{self.name}_id" if self.is_code and not self.multiple else self.name


VARIABLES: tuple[Variable, ...] = (
    Variable(
        "income_sources_before",
        IN,
        _("Försörjningskälla före"),
        "försörjningskälla före",
        _(
            "Försörjningskälla eller -källor direkt före start (inom en vecka). Flera värden "
            "skiljs åt med komma."
        ),
        code_list=CodeListKey.INCOME_SOURCE,
        multiple=True,
        form_label=_("Försörjningskälla före (en eller flera)"),
        missing_label=_("försörjning före"),
        table=StatisticsTable("income_before", _("Försörjningskälla före"), 30),
    ),
    Variable(
        "occupation_before",
        IN,
        _("Sysselsättning före"),
        "sysselsättning före",
        _("Sysselsättning direkt före start."),
        code_list=CodeListKey.OCCUPATION,
        missing_label=_("sysselsättning före"),
        table=StatisticsTable("occupation_before", _("Sysselsättning före"), 130),
    ),
    Variable(
        "occupation_extent_before",
        IN,
        _("Omfattning före"),
        "omfattning före",
        _(
            "Sysselsättningens omfattning före start i procent av heltid (0–100; 100 % = 40 "
            "timmar i veckan)."
        ),
    ),
    Variable(
        "education",
        IN,
        _("Utbildningsnivå"),
        "utbildningsnivå",
        _("Högsta avslutade utbildning (utländsk utbildning anges som motsvarande svensk nivå)."),
        code_list=CodeListKey.EDUCATION,
        missing_label=_("utbildning"),
        table=StatisticsTable("education", _("Utbildningsnivå"), 110),
    ),
    Variable(
        "time_outside_work",
        IN,
        _("Tid i offentlig försörjning"),
        "tid i offentlig försörjning",
        _(
            "Hur länge deltagaren har haft offentlig försörjning före start (avbrott kortare än "
            "en månad räknas inte)."
        ),
        code_list=CodeListKey.TIME_OUTSIDE_WORK,
        missing_label=_("tid i offentlig försörjning"),
        table=StatisticsTable(
            "time_outside_work", _("Tid i offentlig försörjning före start"), 120
        ),
    ),
    Variable(
        "referrer",
        IN,
        _("Remittent"),
        "remittent",
        _("Vem som remitterade deltagaren till insatsen."),
        code_list=CodeListKey.REFERRER,
        missing_label=_("remittent"),
        table=StatisticsTable("referrer", _("Remittent"), 90),
    ),
    Variable(
        "exit_reason",
        OUT,
        _("Avslutsanledning"),
        "avslutsanledning",
        _(
            "Varför deltagandet avslutades. Felregistrering används för att ta bort en felaktig "
            "registrering ur statistiken."
        ),
        code_list=CodeListKey.EXIT_REASON,
        required=True,
        table=StatisticsTable("exit_reason", _("Avslutsanledning"), 50),
    ),
    Variable(
        "income_sources_after",
        OUT,
        _("Försörjningskälla efter"),
        "försörjningskälla efter",
        _("Försörjningskälla eller -källor direkt efter avslut. Flera värden skiljs åt med komma."),
        code_list=CodeListKey.INCOME_SOURCE,
        multiple=True,
        form_label=_("Försörjningskälla efter (en eller flera)"),
        missing_label=_("försörjning efter"),
        table=StatisticsTable("income_after", _("Försörjningskälla efter"), 40),
    ),
    Variable(
        "occupation_after",
        OUT,
        _("Sysselsättning efter"),
        "sysselsättning efter",
        _("Sysselsättning direkt efter avslut."),
        code_list=CodeListKey.OCCUPATION,
        missing_label=_("sysselsättning efter"),
        table=StatisticsTable("occupation_after", _("Sysselsättning efter"), 140),
    ),
    Variable(
        "occupation_extent_after",
        OUT,
        _("Omfattning efter"),
        "omfattning efter",
        _("Sysselsättningens omfattning efter avslut i procent av heltid (0–100)."),
    ),
)


def of_phase(phase: str) -> list[Variable]:
    """The variables registered at `phase` (IN or OUT), in registration order."""
    return [v for v in VARIABLES if v.phase == phase]


def code_lists() -> list[str]:
    """The code lists the variables draw from, each once, in registration order."""
    return list(dict.fromkeys(v.code_list for v in VARIABLES if v.is_code))
