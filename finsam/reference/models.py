"""National reference data: regions, municipalities and the code lists of registration.

Code lists are versioned reference data that the operator edits (participant-follow-up.md §6);
each code carries the national category it maps to in reports.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    code = models.CharField(_("länskod"), max_length=2, unique=True)
    name = models.CharField(_("namn"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regioner")

    def __str__(self):
        return self.name


class Municipality(models.Model):
    code = models.CharField(_("kommunkod"), max_length=4, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self):
        return self.name


class CodeList(models.TextChoices):
    INCOME_SOURCE = "income_source", _("Försörjningskälla")
    OCCUPATION = "occupation", _("Sysselsättning")
    EDUCATION = "education", _("Utbildningsnivå")
    TIME_OUTSIDE_WORK = "time_outside_work", _("Tid i offentlig försörjning")
    REFERRER = "referrer", _("Remittent")
    EXIT_REASON = "exit_reason", _("Avslutsanledning")
    TARGET_GROUP = "target_group", _("Målgrupp")
    SPECIFIC_ORIENTATION = "specific_orientation", _("Preciserad inriktning")


class CodeQuerySet(models.QuerySet):
    def of(self, code_list):
        return self.filter(code_list=code_list, active=True)


class Code(models.Model):
    code_list = models.CharField(_("kodlista"), max_length=32, choices=CodeList.choices)
    code = models.SlugField(_("kod"), max_length=64)
    label_sv = models.CharField(_("benämning (svenska)"), max_length=200)
    label_en = models.CharField(_("benämning (engelska)"), max_length=200)
    # The national reporting category this code counts as (e.g. "work", "studies").
    category = models.CharField(_("rapportkategori"), max_length=64, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("aktiv"), default=True)

    objects = CodeQuerySet.as_manager()

    class Meta:
        ordering = ["code_list", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code_list", "code"], name="unique_code_in_list")
        ]
        verbose_name = _("kod")
        verbose_name_plural = _("koder")

    def __str__(self):
        return self.label_en if (get_language() or "sv").startswith("en") else self.label_sv


# Codes the rules refer to by name.
EXIT_WRONG_REGISTRATION = "felregistrering"
INCOME_NONE = "ingen-offentlig-forsorjning"
