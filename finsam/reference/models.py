"""National reference data: regions, municipalities and the code lists of registration.

Code lists are versioned data (participant-follow-up.md §6): a list (`CodeList`, national or one
association's own wording), its versions (`CodeListVersion`), its codes (`Code`, stable for good)
and their wording per version and language (`CodeTranslation`). Each code carries the national
category it maps to in reports. Read them through `finsam.reference.codes`.
"""

from django.conf import settings
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


class CodeListKey(models.TextChoices):
    """The national code lists the enrolment and initiative fields refer to."""

    INCOME_SOURCE = "income_source", _("Försörjningskälla")
    OCCUPATION = "occupation", _("Sysselsättning")
    EDUCATION = "education", _("Utbildningsnivå")
    TIME_OUTSIDE_WORK = "time_outside_work", _("Tid i offentlig försörjning")
    REFERRER = "referrer", _("Remittent")
    EXIT_REASON = "exit_reason", _("Avslutsanledning")
    TARGET_GROUP = "target_group", _("Målgrupp")
    SPECIFIC_ORIENTATION = "specific_orientation", _("Preciserad inriktning")


class SourceStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("bekräftad")
    PLACEHOLDER = "placeholder", _("platshållare")


class CodeList(models.Model):
    """A code list: the national one (no owner) or one association's own wording of it.

    The keys of the national lists are also class attributes (`CodeList.INCOME_SOURCE`), so code
    can name a list without a query. Data, not code: `manage.py load_code_list` (see
    `finsam/reference/data/README.md`).
    """

    INCOME_SOURCE = CodeListKey.INCOME_SOURCE.value
    OCCUPATION = CodeListKey.OCCUPATION.value
    EDUCATION = CodeListKey.EDUCATION.value
    TIME_OUTSIDE_WORK = CodeListKey.TIME_OUTSIDE_WORK.value
    REFERRER = CodeListKey.REFERRER.value
    EXIT_REASON = CodeListKey.EXIT_REASON.value
    TARGET_GROUP = CodeListKey.TARGET_GROUP.value
    SPECIFIC_ORIENTATION = CodeListKey.SPECIFIC_ORIENTATION.value

    key = models.CharField(_("nyckel"), max_length=32, choices=CodeListKey.choices)
    owner = models.ForeignKey(
        "associations.Association",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="code_lists",
        verbose_name=_("ägare"),
        help_text=_("Tom för den nationella listan."),
    )
    # The list's name in any number of languages: {"sv": "Försörjningskälla", "en": ...}.
    names = models.JSONField(_("namn"), default=dict)
    source_document = models.CharField(_("källa (dokument)"), max_length=300, blank=True)
    source_date = models.DateField(_("källans datum"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=SourceStatus.choices, default=SourceStatus.PLACEHOLDER
    )
    notes = models.TextField(_("anteckningar"), blank=True)

    class Meta:
        ordering = ["key", "owner_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(owner__isnull=True), name="one_national_list"
            ),
            models.UniqueConstraint(fields=["key", "owner"], name="one_list_per_owner"),
        ]
        verbose_name = _("kodlista")
        verbose_name_plural = _("kodlistor")

    def __str__(self):
        return pick(self.names) or self.key


class CodeListVersion(models.Model):
    """One published edition of a code list. Versions are never edited or deleted."""

    code_list = models.ForeignKey(
        CodeList, on_delete=models.PROTECT, related_name="versions", verbose_name=_("kodlista")
    )
    number = models.PositiveIntegerField(_("version"))
    valid_from = models.DateField(_("gäller från"))
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)
    source_document = models.CharField(_("källa (dokument)"), max_length=300, blank=True)
    source_date = models.DateField(_("källans datum"), null=True, blank=True)
    notes = models.TextField(_("anteckningar"), blank=True)
    loaded_at = models.DateTimeField(_("inläst"), auto_now_add=True)
    # Who loaded it: `manage.py load_code_list --by`, or the operator rewording a code in the
    # admin; none for the lists shipped with finsam (`migrate`, `manage.py load_reference`).
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inläst av"),
    )

    class Meta:
        ordering = ["code_list", "number"]
        constraints = [
            models.UniqueConstraint(fields=["code_list", "number"], name="unique_version_number")
        ]
        verbose_name = _("kodlisteversion")
        verbose_name_plural = _("kodlisteversioner")

    def __str__(self):
        return f"{self.code_list} v{self.number}"


class CodeQuerySet(models.QuerySet):
    def of(self, code_list):
        return self.filter(code_list=code_list, active=True)


class Code(models.Model):
    """One code of a national list: what enrolments and initiatives point at.

    A code is the meaning of (`code_list`, `code`) for good: it is never deleted and its value is
    never reused with another meaning (only deactivated). Its wording per version and language is
    in `CodeTranslation`; `labels` repeats the wording of national version number `version`, the
    newest that has the code, so that showing a code (or stamping an enrolment with the version it
    was registered with) needs no query. Only the loader writes them.
    """

    code_list = models.CharField(_("kodlista"), max_length=32, choices=CodeListKey.choices)
    code = models.SlugField(_("kod"), max_length=64)
    labels = models.JSONField(_("benämning"), default=dict)
    # The number of the newest national version that has this code (the wording in `labels`).
    version = models.PositiveIntegerField(_("version"), default=1)
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
        return pick(self.labels) or self.code

    @property
    def label_sv(self) -> str:
        return self.labels.get(FALLBACK_LANGUAGE, "")

    @property
    def label_en(self) -> str:
        return self.labels.get("en", "")


class CodeTranslation(models.Model):
    """The wording of one code in one version of one list (national or an association's)."""

    code = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="translations")
    version = models.ForeignKey(
        CodeListVersion, on_delete=models.PROTECT, related_name="translations"
    )
    language = models.CharField(_("språk"), max_length=16)
    label = models.CharField(_("benämning"), max_length=300)

    class Meta:
        ordering = ["version", "code", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version", "language"], name="one_label_per_language"
            )
        ]
        verbose_name = _("översättning")
        verbose_name_plural = _("översättningar")

    def __str__(self):
        return self.label


FALLBACK_LANGUAGE = "sv"
# Languages written right to left (by primary subtag); everything else is left to right.
RTL_LANGUAGES = frozenset({"ar", "fa", "prs", "ps", "he", "ur", "ckb", "yi"})


def language_direction(language: str) -> str:
    """ "rtl" or "ltr" for a language code such as "ar", "fa-AF", "sv-x-easy"."""
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def pick(labels: dict, language: str | None = None) -> str:
    """The label in `language` (default: the active one), else in its primary language (the part
    before "-"), else in Swedish; "" if none."""
    language = (language or get_language() or FALLBACK_LANGUAGE).lower()
    for candidate in (language, language.split("-")[0], FALLBACK_LANGUAGE):
        for key, text in labels.items():
            if key.lower() == candidate and text:
                return text
    return ""


# Codes the rules refer to by name.
EXIT_WRONG_REGISTRATION = "felregistrering"
INCOME_NONE = "ingen-offentlig-forsorjning"


class MunicipalPopulation(models.Model):
    """A municipality's population on a reference date, with its source: the basis of the
    municipal key of the members' contributions (finance-law-privacy.md §2.1 p. 3, §2.3).

    `verified` is False for figures not checked against the source table (shown as such)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="populations"
    )
    reference_date = models.DateField(_("referensdatum"))
    total = models.PositiveIntegerField(_("folkmängd"))
    aged_16_64 = models.PositiveIntegerField(_("folkmängd 16–64 år"), null=True, blank=True)
    source = models.CharField(_("källa"), max_length=300)
    source_url = models.URLField(_("källans adress"), max_length=500, blank=True)
    verified = models.BooleanField(_("kontrollerad mot källan"), default=False)
    note = models.TextField(_("anteckning"), blank=True)

    class Meta:
        ordering = ["municipality", "-reference_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference_date"],
                name="unique_population_per_municipality_date",
            ),
            models.CheckConstraint(
                condition=models.Q(aged_16_64__isnull=True)
                | models.Q(aged_16_64__lte=models.F("total")),
                name="population_16_64_within_total",
            ),
        ]
        verbose_name = _("folkmängd")
        verbose_name_plural = _("folkmängder")

    def __str__(self):
        return f"{self.municipality} {self.reference_date}: {self.total}"
