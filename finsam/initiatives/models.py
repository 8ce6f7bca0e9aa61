from django.db import models
from django.utils.translation import gettext_lazy as _

from finsam.core.history import LeanHistoricalRecords
from finsam.core.models import TimeStampedModel
from finsam.core.periods import PeriodQuerySet, month_in_q
from finsam.core.validators import DATE_VALIDATORS, LONG_TEXT_VALIDATORS, TEXT_VALIDATORS
from finsam.reference.models import Code, CodeList, Municipality


class Orientation(models.TextChoices):
    INDIVIDUAL = "individual", _("Individinriktad")
    STRUCTURAL = "structural", _("Strukturövergripande")


class FollowUp(models.TextChoices):
    INDIVIDUAL = "individual", _("Personuppgifter/anonym")
    VOLUME = "volume", _("Endast antal (volyminsats)")


class Status(models.TextChoices):
    PLANNED = "planned", _("Planerad")
    ACTIVE = "active", _("Pågående")
    ENDED = "ended", _("Avslutad")


# The initiative's free-text sections, in the order of the form and the report.
INITIATIVE_TEXT_FIELDS = (
    "steering_group",
    "background",
    "purpose",
    "goals",
    "target_group_description",
    "method",
    "referral",
    "follow_up_description",
    "economy",
)


class InitiativeQuerySet(PeriodQuerySet, models.QuerySet):
    """Initiatives by the period rules of `finsam.core.periods` (`active_in(first, last)`)."""


class HeadCountQuerySet(models.QuerySet):
    def months_in(self, first, last=None):
        """The months that overlap the period [first, last] (or a period object)."""
        return self.filter(month_in_q(first, last))


class Initiative(TimeStampedModel):
    """An insats funded by an association (participant-follow-up.md §2.3)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.PROTECT, related_name="initiatives"
    )
    name = models.CharField(_("namn"), max_length=200, validators=TEXT_VALIDATORS)
    diary_number = models.CharField(
        _("diarienummer"), max_length=50, blank=True, validators=TEXT_VALIDATORS
    )
    owner_organisation = models.CharField(
        _("projektägare"), max_length=300, validators=TEXT_VALIDATORS
    )
    orientation = models.CharField(
        _("inriktning"), max_length=16, choices=Orientation.choices, default=Orientation.INDIVIDUAL
    )
    specific_orientation = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"code_list": CodeList.SPECIFIC_ORIENTATION},
        verbose_name=_("preciserad inriktning"),
    )
    follow_up = models.CharField(
        _("deltagarregistrering"),
        max_length=16,
        choices=FollowUp.choices,
        default=FollowUp.INDIVIDUAL,
    )
    target_groups = models.ManyToManyField(
        Code,
        blank=True,
        related_name="+",
        limit_choices_to={"code_list": CodeList.TARGET_GROUP},
        verbose_name=_("målgrupper"),
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="initiatives", verbose_name=_("kommuner")
    )
    esf_funded = models.BooleanField(_("ESF-finansierad"), default=False)
    start_date = models.DateField(_("startdatum"), validators=DATE_VALIDATORS)
    end_date = models.DateField(_("slutdatum"), null=True, blank=True, validators=DATE_VALIDATORS)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    planned_participants = models.PositiveIntegerField(
        _("planerat antal deltagare"), null=True, blank=True
    )
    steering_group = models.TextField(_("styrgrupp"), blank=True, validators=LONG_TEXT_VALIDATORS)
    # Description sections as in the operational plan (seed 002) and interim reports (seed 003).
    background = models.TextField(_("bakgrund"), blank=True, validators=LONG_TEXT_VALIDATORS)
    purpose = models.TextField(_("syfte"), blank=True, validators=LONG_TEXT_VALIDATORS)
    goals = models.TextField(_("mål"), blank=True, validators=LONG_TEXT_VALIDATORS)
    target_group_description = models.TextField(
        _("målgrupp"), blank=True, validators=LONG_TEXT_VALIDATORS
    )
    method = models.TextField(_("metod/strategi"), blank=True, validators=LONG_TEXT_VALIDATORS)
    referral = models.TextField(_("remittering"), blank=True, validators=LONG_TEXT_VALIDATORS)
    follow_up_description = models.TextField(
        _("uppföljning"), blank=True, validators=LONG_TEXT_VALIDATORS
    )
    economy = models.TextField(_("ekonomi"), blank=True, validators=LONG_TEXT_VALIDATORS)

    # Audit trail of every change: who, when and which fields (shown on the detail page).
    history = LeanHistoricalRecords(
        m2m_fields=[target_groups, municipalities],
        excluded_fields=["created_at", "updated_at"],
    )
    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name"], name="unique_initiative_name_in_association"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="initiative_ends_after_start",
            ),
        ]
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")

    def __str__(self):
        return self.name

    @property
    def is_volume(self):
        return self.follow_up == FollowUp.VOLUME


class HeadCount(TimeStampedModel):
    """Monthly head count by gender for a volume initiative (participant-follow-up.md §2.5)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="head_counts")
    month = models.DateField(_("månad"), help_text=_("Första dagen i månaden."))
    women = models.PositiveIntegerField(_("kvinnor"), default=0)
    men = models.PositiveIntegerField(_("män"), default=0)
    other = models.PositiveIntegerField(_("annat/ej angivet"), default=0)

    objects = HeadCountQuerySet.as_manager()

    class Meta:
        ordering = ["initiative", "month"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "month"], name="unique_head_count_month"),
        ]
        verbose_name = _("antal deltagare (volyminsats)")
        verbose_name_plural = _("antal deltagare (volyminsats)")

    @property
    def total(self):
        return self.women + self.men + self.other
