"""Preparation (beredning) of applications: the preparation group's review forms and reviews,
and the secretariat's recommendation to the board.

The application itself and its workflow are `finsam.applications`; every step of it is taken
through `finsam.applications.services.transition`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from finsam.core.models import TimeStampedModel
from finsam.core.validators import LONG_TEXT_VALIDATORS, TEXT_VALIDATORS


class ReviewForm(TimeStampedModel):
    """The criteria a reviewer scores: per association, or shipped (association empty).

    `criteria` is a list of `{"key", "label", "help", "min", "max"}` (the scale, e.g. 1–5)."""

    association = models.ForeignKey(
        "associations.Association",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_forms",
    )
    code = models.SlugField(_("kod"), max_length=60)
    name = models.CharField(_("namn"), max_length=200, validators=TEXT_VALIDATORS)
    criteria = models.JSONField(_("kriterier"), default=list)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["association", "code"], name="unique_review_form"),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(association__isnull=True),
                name="unique_shipped_review_form",
            ),
        ]
        verbose_name = _("bedömningsformulär")
        verbose_name_plural = _("bedömningsformulär")

    def __str__(self):
        return self.name


class Verdict(models.TextChoices):
    """What a reviewer, and then the preparation group, recommends."""

    GRANT = "grant", _("Bevilja")
    REJECT = "reject", _("Avslå")
    SUPPLEMENT = "supplement", _("Begär komplettering")


class Visibility(models.TextChoices):
    REVIEWERS = "reviewers", _("Beredningsgruppen och kansliet")
    STAFF = "staff", _("Bara kansliet")


class Review(TimeStampedModel):
    """One reviewer's assessment of one application: a draft until submitted, then final."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    form = models.ForeignKey(ReviewForm, on_delete=models.PROTECT, related_name="reviews")
    # {criterion key: score}
    scores = models.JSONField(_("poäng"), default=dict, blank=True)
    recommendation = models.CharField(
        _("rekommendation"), max_length=20, choices=Verdict.choices, blank=True
    )
    comment = models.TextField(_("kommentar"), blank=True, validators=LONG_TEXT_VALIDATORS)
    visibility = models.CharField(
        _("synlig för"), max_length=20, choices=Visibility.choices, default=Visibility.REVIEWERS
    )
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)

    class Meta:
        ordering = ["application", "submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="unique_review_per_reviewer"
            ),
        ]
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")

    def __str__(self):
        return f"{self.application}: {self.get_recommendation_display() or '–'}"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def average(self):
        values = [v for v in self.scores.values() if isinstance(v, int)]
        return sum(values) / len(values) if values else None


class Recommendation(models.Model):
    """The preparation group's recommendation, recorded by the secretariat. Every recording is
    kept (an application may come back from a supplement); the latest is the one in force."""

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="recommendations"
    )
    verdict = models.CharField(_("rekommendation"), max_length=20, choices=Verdict.choices)
    summary = models.TextField(_("sammanfattning"), validators=LONG_TEXT_VALIDATORS)
    # {"2027": 450000, ...}, whole kronor; for a grant only.
    proposed_by_year = models.JSONField(_("föreslaget belopp per år"), default=dict, blank=True)
    proposed_total = models.DecimalField(
        _("föreslaget belopp"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    message_to_applicant = models.TextField(
        _("meddelande till sökande"), blank=True, validators=LONG_TEXT_VALIDATORS
    )
    reviews_count = models.PositiveIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "-recorded_at", "-pk"]
        get_latest_by = ["recorded_at", "pk"]
        verbose_name = _("rekommendation")
        verbose_name_plural = _("rekommendationer")

    def __str__(self):
        return f"{self.application}: {self.get_verdict_display()}"
