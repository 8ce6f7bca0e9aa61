"""The board (styrelsen): meetings and their agendas, decisions with paragraph numbers, and the
minutes that make the decisions take effect (finance-law-privacy.md §6).

An application in RECOMMENDED is put on a meeting's agenda (`propose`), decided there
(`decide`) and takes effect when the minutes are approved (`grant` / `reject` / `table`). A grant
becomes an initiative with its budgets and compensation model; the decision keeps the chosen
compensation model and the agreement's reporting dates.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from finsam.core.models import TimeStampedModel
from finsam.core.validators import LONG_TEXT_VALIDATORS, TEXT_VALIDATORS


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planerat")
    HELD = "held", _("Hållet, protokollet ej justerat")
    MINUTES_APPROVED = "minutes_approved", _("Protokollet justerat")


class Meeting(TimeStampedModel):
    """A board meeting (styrelsemöte)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.PROTECT, related_name="board_meetings"
    )
    date = models.DateField(_("datum"))
    place = models.CharField(_("plats"), max_length=200, blank=True, validators=TEXT_VALIDATORS)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    # The paragraph number the meeting's first agenda item gets (paragraphs run through a year).
    first_paragraph = models.PositiveIntegerField(_("första paragraf"), default=1)
    minutes_approved_on = models.DateField(_("protokollet justerat"), null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The officials who approved the minutes (justerare), as written in the minutes.
    adjusters = models.CharField(
        _("justerare"), max_length=300, blank=True, validators=TEXT_VALIDATORS
    )
    invitation_sent_at = models.DateTimeField(_("kallelse skickad"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-date"]
        verbose_name = _("styrelsemöte")
        verbose_name_plural = _("styrelsemöten")

    def __str__(self):
        return f"{self.association} {self.date:%Y-%m-%d}"

    @property
    def minutes_approved(self) -> bool:
        return self.status == MeetingStatus.MINUTES_APPROVED


class AgendaItem(models.Model):
    """An application on a meeting's agenda, with its paragraph number (§ 12)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="agenda_items"
    )
    paragraph = models.PositiveIntegerField(_("paragraf"))

    class Meta:
        ordering = ["meeting", "paragraph"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "paragraph"], name="unique_paragraph"),
            models.UniqueConstraint(
                fields=["meeting", "application"], name="unique_application_on_agenda"
            ),
        ]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")

    def __str__(self):
        return f"§ {self.paragraph} {self.application}"

    @property
    def paragraph_label(self) -> str:
        return f"§ {self.paragraph}"


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Beviljas")
    REJECTED = "rejected", _("Avslås")
    TABLED = "tabled", _("Bordläggs")


# The transition each outcome takes when the minutes are approved.
TAKES_EFFECT = {Outcome.GRANTED: "grant", Outcome.REJECTED: "reject", Outcome.TABLED: "table"}


class Decision(TimeStampedModel):
    """The board's decision on one agenda item. Takes effect when the minutes are approved
    (`took_effect_at`)."""

    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, related_name="decision")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, related_name="decisions"
    )
    outcome = models.CharField(_("beslut"), max_length=16, choices=Outcome.choices)
    conditions = models.TextField(_("villkor"), blank=True, validators=LONG_TEXT_VALIDATORS)
    period_start = models.DateField(_("projektstart"), null=True, blank=True)
    period_end = models.DateField(_("projektslut"), null=True, blank=True)
    # The compensation model fixed in the decision (finsam.finance.compensation's data).
    compensation = models.JSONField(_("ersättningsmodell"), default=dict, blank=True)
    # The agreement's reporting dates: [{"kind": "interim"|"final", "due": "YYYY-MM-DD"}].
    reporting_dates = models.JSONField(_("rapportdatum"), default=list, blank=True)
    decided_on = models.DateField(_("beslutsdatum"))
    excluded = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("deltog inte på grund av jäv"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    took_effect_at = models.DateTimeField(_("trädde i kraft"), null=True, blank=True)
    agreement_signed_on = models.DateField(_("avtal tecknat"), null=True, blank=True)

    class Meta:
        ordering = ["item__meeting", "item__paragraph"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="decision_period_ends_after_start",
            ),
        ]
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")

    def __str__(self):
        return f"{self.item}: {self.get_outcome_display()}"

    @property
    def granted_total(self) -> int:
        return sum(int(a.amount) for a in self.amounts.all())


class DecisionAmount(models.Model):
    """The amount granted for one calendar year."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(_("belopp (kr)"), max_digits=12, decimal_places=0)

    class Meta:
        ordering = ["decision", "year"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "year"], name="unique_decision_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="decision_amount_not_negative"),
        ]
        verbose_name = _("beviljat belopp")
        verbose_name_plural = _("beviljade belopp")

    def __str__(self):
        return f"{self.year}: {self.amount}"
