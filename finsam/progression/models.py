"""Progression measurement (indicators-and-reporting.md §3.3): dimensions the association
defines, and repeated ratings of each participant (enrolment) by the participant (self-rating)
and by the coach.

A *dimension* (aktivitetsnivå, fysisk hälsa, …) is data per association: its scale (e.g. 1–10 with
a label for each end), who rates it, the step that counts as an improvement, and whether it is in
use. The shipped default set (`defaults.EXAMPLE_DIMENSIONS`) is marked as an example.

A *rating occasion* is one dated rating of one enrolment by one rater, with a value per
dimension. Ratings are personal data about the participant: only the registrars of the
initiative see them per person, every read and write is in the access log, and the association
sees aggregates only (`selectors.progression_summary`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from finsam.core.models import TimeStampedModel


class Rater(models.TextChoices):
    SELF = "self", _("Deltagaren själv")
    COACH = "coach", _("Coach")


class RatedBy(models.TextChoices):
    SELF = "self", _("Deltagaren själv")
    COACH = "coach", _("Coach")
    BOTH = "both", _("Både deltagaren och coachen")


class Dimension(TimeStampedModel):
    """One thing the association's initiatives rate, on a scale of whole numbers."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="progression_dimensions"
    )
    name = models.CharField(_("namn"), max_length=100)
    description = models.TextField(_("beskrivning"), blank=True)
    scale_min = models.PositiveSmallIntegerField(_("skalans lägsta värde"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("skalans högsta värde"), default=10)
    min_label = models.CharField(_("text för lägsta värdet"), max_length=60, blank=True)
    max_label = models.CharField(_("text för högsta värdet"), max_length=60, blank=True)
    rated_by = models.CharField(
        _("vem skattar"), max_length=8, choices=RatedBy.choices, default=RatedBy.BOTH
    )
    # "Improved" = the last rating is at least this much higher than the first.
    improvement_step = models.PositiveSmallIntegerField(_("förbättring räknas från"), default=1)
    is_active = models.BooleanField(_("används"), default=True)
    # Shipped by finsam as an example (`defaults.py`), not the association's own wording.
    is_example = models.BooleanField(_("exempel"), default=False)
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["association", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "name"], name="progression_dimension_unique_name"
            ),
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="progression_dimension_scale_ascends",
            ),
            models.CheckConstraint(
                condition=models.Q(improvement_step__gte=1),
                name="progression_dimension_step_positive",
            ),
        ]
        verbose_name = _("progressionsdimension")
        verbose_name_plural = _("progressionsdimensioner")

    def __str__(self):
        return self.name

    def rated_by_rater(self, rater: str) -> bool:
        return self.rated_by in (RatedBy.BOTH, rater)

    @property
    def scale_values(self) -> range:
        return range(self.scale_min, self.scale_max + 1)


class RatingOccasion(TimeStampedModel):
    """One dated rating of one enrolment by one rater (one per enrolment, date and rater)."""

    enrolment = models.ForeignKey(
        "participants.Enrolment", on_delete=models.CASCADE, related_name="rating_occasions"
    )
    rated_on = models.DateField(_("datum"))
    rater = models.CharField(_("vem skattade"), max_length=8, choices=Rater.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["rated_on", "rater", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "rated_on", "rater"],
                name="progression_one_occasion_per_day_and_rater",
            )
        ]
        verbose_name = _("skattningstillfälle")
        verbose_name_plural = _("skattningstillfällen")

    def __str__(self):
        # Never the person: the enrolment's id and the date.
        return f"{self.enrolment_id} / {self.rated_on} / {self.rater}"

    @property
    def pseudonym(self) -> str:
        """The participant's pseudonym (the change log names personal objects by it)."""
        return self.enrolment.pseudonym


class Rating(models.Model):
    """One value on one dimension at one occasion."""

    occasion = models.ForeignKey(RatingOccasion, on_delete=models.CASCADE, related_name="ratings")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="ratings")
    value = models.PositiveSmallIntegerField(_("värde"))

    class Meta:
        ordering = ["occasion", "dimension__position", "dimension_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["occasion", "dimension"], name="progression_one_rating_per_dimension"
            )
        ]
        verbose_name = _("skattning")
        verbose_name_plural = _("skattningar")

    def __str__(self):
        return f"{self.occasion_id} / {self.dimension_id}"
