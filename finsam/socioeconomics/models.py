"""The socioeconomic estimate (finance-law-privacy.md §5): the association's assumptions and the
estimates of its initiatives.

An *assumption* is one number the estimate rests on (the yearly public cost of one person outside
work for the state, the region and the municipality, the discount rate, the share who stay off
benefits), dated and sourced, per association, editable by the secretariat with its history. An
association that has not set one uses the default of `finsam.socioeconomics.defaults`, shown with
its source or marked as an assumption ("antagande").

An *estimate* weighs an initiative's cost against the public cost of exclusion that the
participants who leave benefits no longer cause, per actor, over 1 year and a horizon. It is an
estimate, not an effect evaluation: there is no control group.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from finsam.core.models import TimeStampedModel


class Unit(models.TextChoices):
    KR_PER_YEAR = "kr_per_year", _("kr per person och år")
    PERCENT = "percent", _("%")


class AssumptionKey(models.TextChoices):
    COST_STATE = "cost_state", _("Staten: ersättning per person och år")
    COST_REGION = "cost_region", _("Regionen: vårdkostnad per person och år")
    COST_MUNICIPALITY = "cost_municipality", _("Kommunen: försörjningsstöd per person och år")
    PRODUCTION_VALUE = "production_value", _("Produktionsvärde per sysselsatt och år")
    DISCOUNT_RATE = "discount_rate", _("Diskonteringsränta")
    SHARE_YEAR1 = "share_year1", _("Andel som står utan ersättning efter 1 år")
    SHARE_YEAR5 = "share_year5", _("Andel som står utan ersättning efter 5 år")


UNITS = {
    AssumptionKey.COST_STATE: Unit.KR_PER_YEAR,
    AssumptionKey.COST_REGION: Unit.KR_PER_YEAR,
    AssumptionKey.COST_MUNICIPALITY: Unit.KR_PER_YEAR,
    AssumptionKey.PRODUCTION_VALUE: Unit.KR_PER_YEAR,
    AssumptionKey.DISCOUNT_RATE: Unit.PERCENT,
    AssumptionKey.SHARE_YEAR1: Unit.PERCENT,
    AssumptionKey.SHARE_YEAR5: Unit.PERCENT,
}


class Assumption(TimeStampedModel):
    """One assumption of one association, with its source and date. Missing rows mean the
    default (`defaults.DEFAULTS`)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="estimate_assumptions"
    )
    key = models.CharField(_("antagande"), max_length=32, choices=AssumptionKey.choices)
    value = models.DecimalField(_("värde"), max_digits=12, decimal_places=2)
    source = models.TextField(_("källa"), blank=True)
    source_url = models.URLField(_("källans webbadress"), blank=True, max_length=500)
    source_date = models.DateField(_("uppgiftens datum"), null=True, blank=True)
    # No public source: shown as "antagande" next to every figure that uses it.
    is_assumption = models.BooleanField(_("antagande utan offentlig källa"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ändrad av"),
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["association", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "key"], name="unique_estimate_assumption"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="estimate_assumption_not_negative"
            ),
        ]
        verbose_name = _("antagande")
        verbose_name_plural = _("antaganden")

    def __str__(self):
        return str(self.get_key_display())

    @property
    def unit(self) -> str:
        return UNITS[AssumptionKey(self.key)]


class EstimateMode(models.TextChoices):
    INITIATIVE = "initiative", _("Insatsens utfall")
    SCENARIO = "scenario", _("Ett scenario")


class CostSource(models.TextChoices):
    BUDGETS = "budgets", _("Insatsens budgetar (utfall där det finns)")
    ENTERED = "entered", _("Inmatat belopp")


class LeaverSource(models.TextChoices):
    ENTERED = "entered", _("Inmatat antal")
    EXITS = "exits", _("Från utskrivningarna (sammanräknat)")


class Estimate(TimeStampedModel):
    """A socioeconomic estimate of one initiative (or a scenario about it)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="estimates"
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="estimates"
    )
    title = models.CharField(_("rubrik"), max_length=200)
    mode = models.CharField(
        _("typ"), max_length=16, choices=EstimateMode.choices, default=EstimateMode.INITIATIVE
    )
    cost_source = models.CharField(
        _("insatsens kostnad"),
        max_length=16,
        choices=CostSource.choices,
        default=CostSource.BUDGETS,
    )
    cost_amount = models.DecimalField(
        _("kostnad (kr)"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    leaver_source = models.CharField(
        _("deltagare som lämnar ersättning"),
        max_length=16,
        choices=LeaverSource.choices,
        default=LeaverSource.ENTERED,
    )
    leavers_municipality = models.PositiveIntegerField(
        _("antal som lämnar försörjningsstöd"), default=0
    )
    leavers_state = models.PositiveIntegerField(
        _("antal som lämnar ersättning från staten"), default=0
    )
    years = models.PositiveSmallIntegerField(_("antal år"), default=5)
    note = models.TextField(_("kommentar"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["initiative", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "title"], name="unique_estimate_title_per_initiative"
            ),
            models.CheckConstraint(
                condition=models.Q(cost_amount__isnull=True) | models.Q(cost_amount__gte=0),
                name="estimate_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(years__gte=1, years__lte=40), name="estimate_years_in_range"
            ),
        ]
        verbose_name = _("socioekonomisk uppskattning")
        verbose_name_plural = _("socioekonomiska uppskattningar")

    def __str__(self):
        return self.title
