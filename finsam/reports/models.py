"""Interim and final reports per initiative (indicators-and-reporting.md §5.2–5.3, seed 003).

The secretariat opens a reporting period for its association and creates one report per active
initiative; an initiative run in several municipalities can get one sub-report per municipality
under its main report ("Stärka individen" in seed 003). Writers fill the sections of the seed-003
template, submit, and the secretariat returns or approves.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finsam.core.models import TimeStampedModel


class ReportKind(models.TextChoices):
    INTERIM = "interim", _("Delårsrapport")
    FINAL = "final", _("Slutrapport")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Inlämnad")
    RETURNED = "returned", _("Återsänd")
    APPROVED = "approved", _("Godkänd")


class ReportingPeriod(TimeStampedModel):
    """A period the initiatives report on, e.g. "Delårsrapport januari–augusti 2021"."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.PROTECT, related_name="reporting_periods"
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(
        _("typ"), max_length=16, choices=ReportKind.choices, default=ReportKind.INTERIM
    )
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("slutdatum"))
    deadline = models.DateField(_("sista inlämningsdag"))

    class Meta:
        ordering = ["-end_date", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name"], name="unique_reporting_period_name"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="reporting_period_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=F("end_date")), name="reporting_period_deadline_after_end"
            ),
        ]
        verbose_name = _("rapportperiod")
        verbose_name_plural = _("rapportperioder")

    def __str__(self):
        return self.name


# The sections of the report template in seed-003 order: (field name, heading, guiding questions).
SECTIONS = [
    (
        "background",
        _("Bakgrund"),
        _("Kort beskrivning av projektets bakgrund."),
    ),
    (
        "purpose",
        _("Syfte"),
        _(
            "Varför genomförs projektet? Vad är visionen? Det här strävar vi mot och vill bidra "
            "till genom projektet."
        ),
    ),
    (
        "goals",
        _("Mål"),
        _("Vad är projektets förväntade resultat? Vilka mål förväntas projektet uppnå?"),
    ),
    (
        "method",
        _("Metod/Strategi"),
        _(
            "Hur jobbar ni i projektet för att nå projektets mål och syfte? Vilka aktiviteter "
            "genomförs och i vilken omfattning? Beskriv verksamheten. Vilken metod använder ni för "
            "att följa upp projektets mål/målinriktning?"
        ),
    ),
    (
        "results",
        _("Resultat"),
        _(
            "Vad har projektet uppnått hittills? Vilket resultat kan man se av projektet kopplat "
            "till mål och syfte?"
        ),
    ),
    (
        "analysis_success_factors",
        _("Analys: framgångsfaktorer och svårigheter"),
        _(
            "Vilka framgångsfaktorer och svårigheter kan ni se i projektet? Hur har ni tacklat de "
            "svårigheter som uppstått?"
        ),
    ),
    (
        "analysis_cooperation",
        _("Analys: intag och samverkan"),
        _("Hur fungerar intag och samverkan med remittent/aktör som ska ta vid efter avslut?"),
    ),
    (
        "analysis_goal_attainment",
        _("Analys: måluppfyllelse"),
        _(
            "Tror ni att projektets mål kommer att uppnås inom projektperioden? Motivera. Är det "
            "något som behöver förändras för att projektet ska hålla riktningen mot uppsatta mål?"
        ),
    ),
]

# Sections only a final report has (indicators-and-reporting.md §5.3).
FINAL_SECTIONS = [
    (
        "summary",
        _("Sammanfattning"),
        _("Sammanfatta projektet: vad gjordes, för vem, och vad blev resultatet?"),
    ),
    (
        "lessons_learned",
        _("Lärdomar"),
        _(
            "Vad har ni lärt er? Vad skulle ni göra annorlunda? Hur sprids erfarenheterna? Ange "
            "skälen till eventuella skillnader mellan förväntat och faktiskt resultat."
        ),
    ),
    (
        "implementation",
        _("Implementering"),
        _(
            "Hur tas arbetssätt och lärdomar om hand i ordinarie verksamhet efter projektet? Vem "
            "äger vad, och vad fortsätter?"
        ),
    ),
]

# Sections that must be filled before a report can be submitted.
REQUIRED_SECTIONS = ("background", "purpose", "goals", "method", "results")
# Sections of a sub-report per municipality (seed 003: each one writes results and analysis).
SUB_REPORT_SECTIONS = (
    "results",
    "analysis_success_factors",
    "analysis_cooperation",
    "analysis_goal_attainment",
)
SUB_REPORT_REQUIRED_SECTIONS = ("results",)
HEADER_FIELDS = ("project_name", "owner_organisation", "project_period")


class InitiativeReport(TimeStampedModel):
    """One initiative's interim or final report for a period (or a sub-report per municipality)."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reports")
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.PROTECT, related_name="reports"
    )
    kind = models.CharField(
        _("typ"), max_length=16, choices=ReportKind.choices, default=ReportKind.INTERIM
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_reports",
        verbose_name=_("huvudrapport"),
    )
    municipality = models.ForeignKey(
        "reference.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kommun"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # Header
    project_name = models.CharField(_("projektets namn"), max_length=200, blank=True)
    owner_organisation = models.CharField(_("projektägare"), max_length=300, blank=True)
    project_period = models.CharField(_("projektperiod"), max_length=200, blank=True)
    # Sections (SECTIONS)
    background = models.TextField(_("bakgrund"), blank=True)
    purpose = models.TextField(_("syfte"), blank=True)
    goals = models.TextField(_("mål"), blank=True)
    method = models.TextField(_("metod/strategi"), blank=True)
    results = models.TextField(_("resultat"), blank=True)
    analysis_success_factors = models.TextField(_("framgångsfaktorer och svårigheter"), blank=True)
    analysis_cooperation = models.TextField(_("intag och samverkan"), blank=True)
    analysis_goal_attainment = models.TextField(_("måluppfyllelse"), blank=True)
    # Final report extras (FINAL_SECTIONS)
    summary = models.TextField(_("sammanfattning"), blank=True)
    lessons_learned = models.TextField(_("lärdomar"), blank=True)
    implementation = models.TextField(_("implementering"), blank=True)
    # The statistics block as it stood when the report was submitted (tables + summary sentence).
    statistics_snapshot = models.JSONField(_("statistik vid inlämning"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)

    class Meta:
        ordering = ["period", "initiative__name", "municipality__name"]
        constraints = [
            # One main report per initiative and period, one sub-report per municipality.
            models.UniqueConstraint(
                fields=["period", "initiative"],
                condition=Q(municipality__isnull=True),
                name="unique_main_report_per_period",
            ),
            models.UniqueConstraint(
                fields=["period", "initiative", "municipality"],
                condition=Q(municipality__isnull=False),
                name="unique_sub_report_per_municipality",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, municipality__isnull=True)
                | Q(parent__isnull=False, municipality__isnull=False),
                name="sub_report_has_parent_and_municipality",
            ),
        ]
        verbose_name = _("insatsrapport")
        verbose_name_plural = _("insatsrapporter")

    def __str__(self):
        if self.municipality_id:
            return f"{self.initiative} – {self.municipality} ({self.period})"
        return f"{self.initiative} ({self.period})"

    @property
    def is_sub_report(self) -> bool:
        return self.parent_id is not None

    @property
    def is_final(self) -> bool:
        return self.kind == ReportKind.FINAL

    @property
    def submitted_late(self) -> bool:
        """Submitted after the period's last day for submission (Swedish time)."""
        if self.submitted_at is None:
            return False
        return timezone.localtime(self.submitted_at).date() > self.period.deadline

    @property
    def is_locked(self) -> bool:
        """Submitted and approved reports are read-only for writers."""
        return self.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)

    def sections(self):
        """(field, heading, guiding questions) of the sections this report has, in order."""
        if self.is_sub_report:
            return [s for s in SECTIONS if s[0] in SUB_REPORT_SECTIONS]
        return SECTIONS + (FINAL_SECTIONS if self.is_final else [])

    def required_sections(self) -> tuple[str, ...]:
        return SUB_REPORT_REQUIRED_SECTIONS if self.is_sub_report else REQUIRED_SECTIONS


class ReportComment(TimeStampedModel):
    """A comment in the thread between the secretariat and the writers of a report."""

    report = models.ForeignKey(InitiativeReport, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("kommentar"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")

    def __str__(self):
        return f"#{self.pk}"
