"""Indicators as data (issue 13): which answers of which questionnaire items count, and the target.

An `Indicator` with `association` null is one of the national indicators shipped with finsam (the
15 + 1 of the NNS instrument, `migrations/0002_national_indicators.py`); its wording is a
placeholder (`verified` False) except the three confirmed in public sources, and it is replaced
by the official wording by editing the row (the admin), never by a code change. An association
may add its own indicators over the same answers.

What an indicator counts (`finsam.indicators.compute`):

- the answers to any of `item_codes` in a questionnaire with one of `questionnaire_codes`: a
  national indicator only the national core's questionnaires (association null), an
  association's own also its own questionnaires;
- *counted* (n): answers with a numeric value on a scale point that is counted (so "vet ej",
  stored with no value, never is);
- *positive*: the answer's choice code is in `positive_codes` (e.g. "5", "6" of the six-point
  scale); else, with `min_value`, a value at least that (e.g. 8 on 0–10); else the scale points
  marked positive.

The target: `target_share` percent of the counted answers positive, at least (`at_least`) or at
most; met or not met. Figures with fewer counted answers than `minimum_n` (default the
statistics' small-cell limit, setting SMALL_CELL_LIMIT) are never shown.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from finsam.core.models import TimeStampedModel
from finsam.questionnaires.models import Texts


class Level(models.TextChoices):
    PARTICIPANT = "participant", _("Deltagare")
    STAFF = "staff", _("Personal")
    ORGANISATION = "organisation", _("Organisation")
    SOCIETY = "society", _("Samhälle")


class IndicatorKind(models.TextChoices):
    PROCESS = "process", _("Processindikator")
    EFFECT = "effect", _("Effektindikator")


class Comparison(models.TextChoices):
    AT_LEAST = "at_least", _("minst")
    AT_MOST = "at_most", _("högst")


class IndicatorQuerySet(models.QuerySet):
    def national(self):
        return self.filter(association__isnull=True)

    def for_association(self, association_id):
        """The national indicators and the association's own, in their order."""
        return self.filter(
            models.Q(association__isnull=True) | models.Q(association_id=association_id)
        )

    def active(self):
        return self.filter(active=True)


class Indicator(Texts, TimeStampedModel):
    """One indicator; `texts` holds its name per language (`Texts`)."""

    association = models.ForeignKey(
        "associations.Association",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("förbund"),
    )
    code = models.SlugField(_("kod"), max_length=32)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    level = models.CharField(_("nivå"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("typ"), max_length=8, choices=IndicatorKind.choices)
    questionnaire_codes = models.JSONField(_("enkäter (koder)"), default=list)
    item_codes = models.JSONField(_("frågor (koder)"), default=list)
    positive_codes = models.JSONField(
        _("svar som räknas som positiva (koder)"), default=list, blank=True
    )
    min_value = models.DecimalField(
        _("lägsta värde som räknas som positivt"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
    )
    target_share = models.DecimalField(
        _("mål (procent)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    target_comparison = models.CharField(
        _("jämförelse"), max_length=8, choices=Comparison.choices, default=Comparison.AT_LEAST
    )
    minimum_n = models.PositiveSmallIntegerField(
        _("minsta antal svar"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Tomt: statistikens gräns för små tal."),
    )
    verified = models.BooleanField(_("verifierad formulering"), default=False)
    active = models.BooleanField(_("aktiv"), default=True)
    note = models.TextField(_("anmärkning"), blank=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["association_id", "order", "code"]
        constraints = [
            # One code per association, and one among the national ones (association empty):
            # two constraints, as SQLite has no NULLS NOT DISTINCT.
            models.UniqueConstraint(
                fields=["association", "code"],
                condition=models.Q(association__isnull=False),
                name="indicator_code_unique_per_owner",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(association__isnull=True),
                name="indicator_code_unique_national",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.text()}"

    @property
    def is_national(self) -> bool:
        return self.association_id is None

    @property
    def minimum(self) -> int:
        """The fewest counted answers shown."""
        return self.minimum_n or settings.SMALL_CELL_LIMIT

    def clean(self):
        super().clean()
        if not self.item_codes or not all(isinstance(c, str) and c for c in self.item_codes):
            raise ValidationError({"item_codes": _("Ange minst en fråga (kod).")})
        if not self.questionnaire_codes or not all(
            isinstance(c, str) and c for c in self.questionnaire_codes
        ):
            raise ValidationError({"questionnaire_codes": _("Ange minst en enkät (kod).")})
        if not isinstance(self.positive_codes, list) or not all(
            isinstance(c, str) and c for c in self.positive_codes
        ):
            raise ValidationError({"positive_codes": _("Ange svarskoderna som en lista.")})
