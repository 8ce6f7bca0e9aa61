"""The association's money per calendar year (finance-law-privacy.md §2–3).

One `AssociationYear` per association and year holds what the national successor "Uppföljning
Finsam" asks for besides the initiatives: equity (eget kapital) at the start and end of the year
and the administration cost budget and outcome. The allocated funds (tilldelade medel) are the
members' contributions of the year (`MemberContribution`), never typed as a total. The equity is
measured against the band the association sets (`EquityBand`); each initiative has a budget per
year (`InitiativeBudget`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from finsam.core.models import TimeStampedModel


def _kr(label, **kwargs):
    return models.DecimalField(label, max_digits=12, decimal_places=0, **kwargs)


def _history():
    return HistoricalRecords(excluded_fields=["created_at", "updated_at"])


def _not_negative(field: str, name: str, *, nullable: bool = False) -> models.CheckConstraint:
    condition = models.Q(**{f"{field}__gte": 0})
    if nullable:
        condition = models.Q(**{f"{field}__isnull": True}) | condition
    return models.CheckConstraint(condition=condition, name=name)


class AssociationYear(TimeStampedModel):
    """Equity and administration costs of one association in one calendar year."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="finance_years"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    # Equity can in principle be negative (a deficit carried forward); costs cannot.
    equity_at_start = _kr(_("eget kapital vid årets början (kr)"), null=True, blank=True)
    equity_at_end = _kr(_("eget kapital vid årets slut (kr)"), null=True, blank=True)
    admin_cost_budget = _kr(_("administrationskostnad, budget (kr)"), null=True, blank=True)
    admin_cost_outcome = _kr(_("administrationskostnad, utfall (kr)"), null=True, blank=True)
    note = models.TextField(_("kommentar"), blank=True)

    history = _history()

    class Meta:
        ordering = ["association", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "year"], name="unique_finance_year_per_association"
            ),
            _not_negative(
                "admin_cost_budget", "finance_admin_cost_budget_not_negative", nullable=True
            ),
            _not_negative(
                "admin_cost_outcome", "finance_admin_cost_outcome_not_negative", nullable=True
            ),
        ]
        verbose_name = _("förbundets år")
        verbose_name_plural = _("förbundets år")

    def __str__(self):
        return f"{self.association} {self.year}"


class MemberContribution(TimeStampedModel):
    """What one member contributed (tilldelade medel) in one year."""

    association_year = models.ForeignKey(
        AssociationYear, on_delete=models.CASCADE, related_name="contributions"
    )
    member = models.ForeignKey(
        "associations.Member", on_delete=models.PROTECT, related_name="contributions"
    )
    amount = _kr(_("bidrag (kr)"))

    history = _history()

    class Meta:
        ordering = ["association_year", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["association_year", "member"], name="unique_contribution_per_member_year"
            ),
            _not_negative("amount", "contribution_not_negative"),
        ]
        verbose_name = _("medlemsbidrag")
        verbose_name_plural = _("medlemsbidrag")

    def __str__(self):
        return f"{self.member} {self.association_year.year}"


class InitiativeBudget(TimeStampedModel):
    """Budget of an initiative for one calendar year (participant-follow-up.md §2.4).

    Moved here from `initiatives`; the table keeps its name so that no data moves."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="budgets"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    amount = _kr(_("budget (kr)"))
    outcome = _kr(_("utfall (kr)"), null=True, blank=True)
    rate_per_participant_week = models.DecimalField(
        _("ersättning per deltagarvecka (kr)"),
        max_digits=8,
        decimal_places=0,
        null=True,
        blank=True,
    )
    planned_participants = models.PositiveIntegerField(
        _("planerat antal deltagare"), null=True, blank=True
    )
    note = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        db_table = "initiatives_initiativebudget"
        ordering = ["initiative", "year"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "year"], name="unique_budget_year")
        ]
        verbose_name = _("insatsbudget")
        verbose_name_plural = _("insatsbudgetar")

    def __str__(self):
        return f"{self.initiative} {self.year}"


def _percent(label):
    return models.DecimalField(label, max_digits=4, decimal_places=1)


class EquityBand(TimeStampedModel):
    """The band the association wants its equity in, as % of the year's allocated funds
    (finance-law-privacy.md §3.2). Set per year; a year without one uses the latest earlier
    year's band, else the default of seed 002 (`selectors.DEFAULT_EQUITY_BAND`)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="equity_bands"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    lower = _percent(_("nedre gräns (%)"))
    upper = _percent(_("övre gräns (%)"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("satt av"),
    )
    set_at = models.DateTimeField(_("satt"))

    class Meta:
        ordering = ["association", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "year"], name="unique_equity_band_per_association_year"
            ),
            models.CheckConstraint(
                condition=models.Q(lower__gte=0, upper__lte=100, lower__lte=models.F("upper")),
                name="equity_band_within_0_100",
            ),
        ]
        verbose_name = _("intervall för eget kapital")
        verbose_name_plural = _("intervall för eget kapital")

    def __str__(self):
        return f"{self.association} {self.year}: {self.lower}–{self.upper} %"


class CompensationKind(models.TextChoices):
    """How an initiative is paid (fixed in the board's decision; the invoicing issue uses it)."""

    FIXED = "fixed", _("Fast bidrag")
    PER_PARTICIPANT_WEEK = "per_participant_week", _("Per deltagarvecka")
    PER_UNIT = "per_unit", _("Per levererad enhet")
    MIXED = "mixed", _("Blandad (fast bidrag och per deltagarvecka)")


class FixedPeriod(models.TextChoices):
    MONTH = "month", _("per månad")
    QUARTER = "quarter", _("per kvartal")
    HALF_YEAR = "half_year", _("per halvår")
    YEAR = "year", _("per år")


class CompensationModel(TimeStampedModel):
    """The compensation model of an initiative in one calendar year, as the board decided it
    (`finsam.finance.compensation` holds its rules and validation)."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="compensation_models"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    kind = models.CharField(_("ersättningsmodell"), max_length=24, choices=CompensationKind.choices)
    fixed_amount = _kr(_("fast belopp (kr)"), null=True, blank=True)
    fixed_period = models.CharField(
        _("period för fast belopp"), max_length=12, choices=FixedPeriod.choices, blank=True
    )
    rate_per_week = _kr(_("ersättning per deltagarvecka (kr)"), null=True, blank=True)
    counting_rule = models.CharField(_("räkneregel"), max_length=32, blank=True)
    unit_name = models.CharField(_("enhet"), max_length=100, blank=True)
    unit_price = _kr(_("pris per enhet (kr)"), null=True, blank=True)
    # How the invoice basis counts registrations without a participant (issue 12): anonymous
    # enrolments in their home municipality or not; a volume initiative's monthly head counts
    # as this many participant-weeks per head and month (none: not counted).
    count_anonymous = models.BooleanField(_("räkna anonyma registreringar"), default=True)
    volume_weeks_per_head_month = models.DecimalField(
        _("deltagarveckor per person och månad (volymregistrering)"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
    )

    history = _history()

    class Meta:
        ordering = ["initiative", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "year"], name="unique_compensation_model_year"
            ),
            _not_negative("fixed_amount", "compensation_fixed_not_negative", nullable=True),
            models.CheckConstraint(
                condition=models.Q(rate_per_week__isnull=True) | models.Q(rate_per_week__gt=0),
                name="compensation_rate_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__isnull=True) | models.Q(unit_price__gt=0),
                name="compensation_unit_price_positive",
            ),
        ]
        verbose_name = _("ersättningsmodell")
        verbose_name_plural = _("ersättningsmodeller")

    def __str__(self):
        return f"{self.initiative} {self.year}: {self.get_kind_display()}"


class CompensationCap(models.Model):
    """The most an initiative is paid per participant-week for one municipality's participants
    in the model's year."""

    model = models.ForeignKey(CompensationModel, on_delete=models.CASCADE, related_name="caps")
    municipality = models.ForeignKey(
        "reference.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    amount = _kr(_("tak (kr)"))

    class Meta:
        ordering = ["model", "municipality"]
        constraints = [
            models.UniqueConstraint(fields=["model", "municipality"], name="unique_cap_per_model"),
            _not_negative("amount", "compensation_cap_not_negative"),
        ]
        verbose_name = _("tak per kommun")
        verbose_name_plural = _("tak per kommun")

    def __str__(self):
        return f"{self.model}: {self.municipality} {self.amount}"


# --- Invoicing: paying initiatives (issue 12, "Paying initiatives") ---------------------------
# `finsam.finance.invoicing` computes the invoice basis, `finsam.finance.invoices` writes.


class InvoicePeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Kvartal")
    HALF_YEAR = "half_year", _("Halvår")


class InvoicingSettings(TimeStampedModel):
    """How an association's initiatives invoice: the period, whether payment waits for the
    period's interim report, and the accounts of the SIE export (BAS defaults)."""

    association = models.OneToOneField(
        "associations.Association", on_delete=models.CASCADE, related_name="invoicing_settings"
    )
    period_kind = models.CharField(
        _("faktureringsperiod"),
        max_length=12,
        choices=InvoicePeriodKind.choices,
        default=InvoicePeriodKind.QUARTER,
    )
    hold_until_report_approved = models.BooleanField(
        _("betala först när periodens delrapport är godkänd"), default=False
    )
    expense_account = models.CharField(_("konto för insatskostnader"), max_length=4, default="4590")
    payable_account = models.CharField(
        _("konto för leverantörsskulder"), max_length=4, default="2440"
    )
    bank_account = models.CharField(_("konto för bank"), max_length=4, default="1930")

    history = _history()

    class Meta:
        verbose_name = _("faktureringsinställningar")
        verbose_name_plural = _("faktureringsinställningar")

    def __str__(self):
        return f"{self.association}: {self.get_period_kind_display()}"


class UnitDelivery(TimeStampedModel):
    """The units an initiative paid per delivered unit delivered in one invoicing period, as its
    owner entered them."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="unit_deliveries"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    period_kind = models.CharField(max_length=12, choices=InvoicePeriodKind.choices)
    period = models.PositiveSmallIntegerField(_("period"))
    units = models.PositiveIntegerField(_("levererade enheter"))

    history = _history()

    class Meta:
        ordering = ["initiative", "year", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "year", "period_kind", "period"], name="unique_unit_delivery"
            ),
        ]
        verbose_name = _("levererade enheter")
        verbose_name_plural = _("levererade enheter")

    def __str__(self):
        return f"{self.initiative} {self.year}:{self.period} {self.units}"


class InvoiceStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Inlämnad")
    APPROVED = "approved", _("Godkänd av insatsen")
    FINANCE_APPROVED = "finance_approved", _("Godkänd av ekonomi")
    PAID = "paid", _("Betald")
    RETURNED = "returned", _("Återsänd")


class Invoice(TimeStampedModel):
    """An initiative's invoice for one invoicing period, against the invoice basis; approved in
    two steps, then paid, or sent back with a comment (then the period may be invoiced again)."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.PROTECT, related_name="invoices"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    period_kind = models.CharField(max_length=12, choices=InvoicePeriodKind.choices)
    period = models.PositiveSmallIntegerField(_("period"))
    amount = _kr(_("belopp (kr)"))
    basis_amount = _kr(_("underlag (kr)"))
    comment = models.TextField(_("kommentar"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("inlämnad"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("godkänd av insatsen"), null=True, blank=True)
    finance_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finance_approved_at = models.DateTimeField(_("godkänd av ekonomi"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(_("betald"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(_("återsänd"), null=True, blank=True)
    return_comment = models.TextField(_("skäl för återsändning"), blank=True)

    history = _history()

    class Meta:
        ordering = ["initiative", "year", "period", "-submitted_at"]
        constraints = [
            # A period is invoiced once: a returned invoice frees it.
            models.UniqueConstraint(
                fields=["initiative", "year", "period_kind", "period"],
                condition=~models.Q(status="returned"),
                name="unique_invoice_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="invoice_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__lte=models.F("basis_amount")),
                name="invoice_amount_within_basis",
            ),
        ]
        verbose_name = _("faktura")
        verbose_name_plural = _("fakturor")

    def __str__(self):
        return f"{self.initiative} {self.year} {self.period_label}"

    @property
    def period_label(self) -> str:
        return period_label(self.period_kind, self.period)

    @property
    def is_open(self) -> bool:
        return self.status in (InvoiceStatus.SUBMITTED, InvoiceStatus.APPROVED)


def period_label(kind: str, number: int) -> str:
    if kind == InvoicePeriodKind.HALF_YEAR:
        return _("Halvår %(n)s") % {"n": number}
    return _("Kvartal %(n)s") % {"n": number}


class InvoiceLineKind(models.TextChoices):
    WEEKS = "weeks", _("Deltagarveckor")
    VOLUME = "volume", _("Deltagarveckor, volymregistrering")
    FIXED = "fixed", _("Fast bidrag")
    UNITS = "units", _("Levererade enheter")


class InvoiceLine(models.Model):
    """The part of an invoice that falls on one municipality's participants (per participant-week)
    or on the fixed grant, the volume registrations or the delivered units: what the caps count."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=8, choices=InvoiceLineKind.choices)
    municipality = models.ForeignKey(
        "reference.Municipality", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    quantity = models.DecimalField(_("antal"), max_digits=12, decimal_places=2, default=0)
    amount = _kr(_("belopp (kr)"))

    class Meta:
        ordering = ["invoice", "kind", "municipality"]
        constraints = [_not_negative("amount", "invoice_line_amount_not_negative")]

    def __str__(self):
        return f"{self.invoice}: {self.kind} {self.municipality_id} {self.amount}"


class InvoiceAttachment(models.Model):
    """A PDF sent with an invoice (checked by content), kept in the database."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("filnamn"), max_length=200)
    content = models.BinaryField()
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["invoice", "pk"]

    def __str__(self):
        return self.name


# --- The operational plan: closed years, the contribution key, budget lines (finance.plan) ----


class YearClosure(TimeStampedModel):
    """A closed year: the secretariat closed it and every service refuses to change it
    (`finance.closing.ensure_open`)."""

    association_year = models.OneToOneField(
        AssociationYear, on_delete=models.CASCADE, related_name="closure"
    )
    closed_at = models.DateTimeField(_("stängt"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stängt av"),
    )

    class Meta:
        verbose_name = _("stängt år")
        verbose_name_plural = _("stängda år")

    def __str__(self):
        return f"{self.association_year} (stängt)"


class ContributionKey(TimeStampedModel):
    """How the year's total is split between the members (`finance.keys`): the total, the
    weights of the municipal key (% that add up to 100) and the population's reference date."""

    association_year = models.OneToOneField(
        AssociationYear, on_delete=models.CASCADE, related_name="contribution_key"
    )
    total = _kr(_("förbundets totala medlemsbidrag (kr)"))
    weight_population = _percent(_("vikt folkmängd (%)"))
    weight_population_16_64 = _percent(_("vikt folkmängd 16–64 år (%)"))
    weight_equal = _percent(_("vikt lika delar (%)"))
    weight_fixed = _percent(_("vikt fasta andelar (%)"))
    population_date = models.DateField(_("folkmängdens referensdatum"), null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("satt av"),
    )
    set_at = models.DateTimeField(_("satt"))

    class Meta:
        constraints = [
            _not_negative("total", "contribution_key_total_not_negative"),
            models.CheckConstraint(
                condition=models.Q(
                    weight_population__gte=0,
                    weight_population_16_64__gte=0,
                    weight_equal__gte=0,
                    weight_fixed__gte=0,
                ),
                name="contribution_key_weights_not_negative",
            ),
        ]
        verbose_name = _("fördelningsnyckel")
        verbose_name_plural = _("fördelningsnycklar")

    def __str__(self):
        return f"{self.association_year}: {self.total}"


class ContributionKeyShare(models.Model):
    """A municipal member's fixed share (% of the municipalities' part) in a key."""

    key = models.ForeignKey(ContributionKey, on_delete=models.CASCADE, related_name="shares")
    member = models.ForeignKey("associations.Member", on_delete=models.PROTECT, related_name="+")
    percent = models.DecimalField(_("andel (%)"), max_digits=6, decimal_places=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "member"], name="unique_key_share_per_member"),
            _not_negative("percent", "key_share_not_negative"),
        ]

    def __str__(self):
        return f"{self.member_id}: {self.percent} %"


class BudgetLineGroup(models.TextChoices):
    INCOME = "income", _("Övriga intäkter")
    EQUITY = "equity", _("Ianspråktaget eget kapital")
    ADMIN = "admin", _("Administration")
    ACTIVITY = "activity", _("Övriga verksamhetskostnader")
    RESERVE = "reserve", _("Ej fördelade medel")


class BudgetLineType(models.Model):
    """A line of the budget line catalogue (finance-law-privacy.md §3.1): a configurable code
    list (codes loaded by a data migration; change them in the admin)."""

    code = models.SlugField(_("kod"), max_length=32, unique=True)
    name = models.CharField(_("benämning"), max_length=120)
    group = models.CharField(_("grupp"), max_length=16, choices=BudgetLineGroup.choices)
    sus_cost_type = models.CharField(
        _("kostnadstyp i SUS"), max_length=32, blank=True
    )  # "Personal" / "Kring" for administration lines
    sort_order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("används"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("budgetpost")
        verbose_name_plural = _("budgetposter")

    def __str__(self):
        return self.name


class BudgetLine(TimeStampedModel):
    """One line of an association's year: budget, outcome and forecast during the year."""

    association_year = models.ForeignKey(
        AssociationYear, on_delete=models.CASCADE, related_name="budget_lines"
    )
    line_type = models.ForeignKey(BudgetLineType, on_delete=models.PROTECT, related_name="+")
    budget = _kr(_("budget (kr)"), null=True, blank=True)
    outcome = _kr(_("utfall (kr)"), null=True, blank=True)
    forecast = _kr(_("prognos (kr)"), null=True, blank=True)
    text = models.TextField(_("beskrivning"), blank=True)

    history = _history()

    class Meta:
        ordering = ["association_year", "line_type__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["association_year", "line_type"], name="unique_budget_line_per_year"
            ),
            _not_negative("budget", "budget_line_budget_not_negative", nullable=True),
            _not_negative("outcome", "budget_line_outcome_not_negative", nullable=True),
            _not_negative("forecast", "budget_line_forecast_not_negative", nullable=True),
        ]
        verbose_name = _("budgetrad")
        verbose_name_plural = _("budgetrader")

    def __str__(self):
        return f"{self.association_year} {self.line_type.code}"


class InitiativeForecast(TimeStampedModel):
    """The forecast for an initiative's year during the year (its budget and outcome are on
    `InitiativeBudget`)."""

    budget = models.OneToOneField(
        InitiativeBudget, on_delete=models.CASCADE, related_name="forecast"
    )
    amount = _kr(_("prognos (kr)"))

    class Meta:
        constraints = [_not_negative("amount", "initiative_forecast_not_negative")]
        verbose_name = _("prognos för insats")
        verbose_name_plural = _("prognoser för insatser")
