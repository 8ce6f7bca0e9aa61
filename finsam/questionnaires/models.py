"""Questionnaires and their answers (issue 13): the contract other apps read.

Definition (versioned data, never edited under stored answers):

- `Questionnaire`: `association` null = the national core shipped with finsam (`locked`), else an
  association's own; `code` (stable, unique per owner), `texts` (the name per language),
  `respondent_group` (`RespondentGroup`), `anonymous`.
- `QuestionnaireVersion`: `number` (1, 2, …), `published_at` (null = draft; answered only when
  published), `verified` (False: the wording is a placeholder, not the official one) and `note`.
  Once a version has a `Response` it is never edited: a changed wording is a new version.
- `Section` (of a version, `order`, `code`, `texts`) → `Item` (`version` and `section`, stable
  `code` unique per version, `kind` (`ItemKind`), `scale`, `condition_item` + `condition_codes`
  (shown only if that item was answered with one of those codes), `origin` (`Origin`: the national
  core or the association's own items, kept apart), `required`, `verified`, `note`,
  `indicator_codes` (e.g. ["P1"]), `texts`). The item coded `GENDER_ITEM` ("KON", scale "gender")
  is the gender question: its answer is also stored as `Response.gender`.
- `Scale` (`code` unique, e.g. "agree6", "extent4", "yesno", "zero10") → `ScalePoint` (stable
  `code`, numeric `value` (null for "vet ej"), `counted` (False: stored but never in means or
  denominators), `positive` (in the default positive set), `order`, `texts`).

Texts: every text-bearing object has `texts`, a JSON object keyed by language code (`LANGUAGES`:
sv, sv-LL (lättläst), en, ar, so, ti, prs): `{"sv": {"text": "…"}, "en": {"text": "…",
"source": "<hash of the Swedish text translated>"}}`. A language without an entry is *missing*
(shown in Swedish with a note); one whose `source` differs from the current Swedish text's hash is
*outdated* (`translation_status`). Codes are never translated. Direction from the language code
(`finsam.reference.models.language_direction`: ar, prs are rtl).

Distribution:

- `Invitation`: a one-time link. Only the SHA-256 `token_hash` is stored; `version`,
  `association`, `initiative`, `period` (a coarse measurement period such as "2026-H2"),
  `expires_at`, `used`. Nothing on it points at the `Response` it led to, and nothing on the
  response points back; using it sets `used` without touching `updated_at` (no time of use).
  `email` (encrypted, staff/board/referrer invitations only) is cleared (null) when used.
  `enrolment` only for non-anonymous participant questionnaires with consent (the answer is then
  stored with the enrolment: `services.invite_enrolment`, by the initiative's registrar).
- `GroupLink`: a shared link for a group session; every visit (rate-limited) creates a fresh
  `Invitation` and goes on to it.
- `Draft`: the answers given so far under one invitation (resume until submit); deleted at submit.

Answers:

- `Response` (random UUID pk, no timestamp): `version`, `association`, `initiative`,
  `respondent_group`, `language`, `period`, `gender` (if asked), `enrolment` (only non-anonymous
  participant questionnaires with consent), `source` (web / paper) and for paper `review_status`
  (entered → reviewed).
- `Answer` (random UUID pk): `response`, `item_code`, `choice_code` (a `ScalePoint.code`), `value`
  (the point's numeric value, or the number given), `text` (free text). One per item per response.

Residual anonymity risk (docs): PostgreSQL stores rows in insert order on disk (ctid), so someone
with database access who also knows the order in which tokens were used could pair them; the
application exposes no order (UUID keys, no timestamps, lists sorted by key).
"""

from __future__ import annotations

import hashlib
import re
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

from finsam.core.models import TimeStampedModel
from finsam.participants.models import Gender

SOURCE_LANGUAGE = "sv"
GENDER_ITEM = "KON"
# Language code -> its own name (shown in the language chooser, never translated).
LANGUAGES = {
    "sv": "Svenska",
    "sv-LL": "Lättläst svenska",
    "en": "English",
    "ar": "العربية",
    "so": "Soomaali",
    "ti": "ትግርኛ",
    "prs": "دری",
}
PERIOD_RE = re.compile(r"^\d{4}(-(H[12]|T[123]|Q[1-4]))?$")
period_validator = RegexValidator(PERIOD_RE, _("Ange mätperioden som till exempel 2026-H2."))


def site_language() -> str:
    """The site's active language (sv or en) as a questionnaire language: what a page shows when
    nobody chose another."""
    language = (get_language() or SOURCE_LANGUAGE).split("-")[0]
    return language if language in LANGUAGES else SOURCE_LANGUAGE


def text_hash(text: str) -> str:
    """The short hash of a Swedish text a translation was made from."""
    return hashlib.sha256((text or "").strip().encode()).hexdigest()[:16]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TranslationStatus(models.TextChoices):
    CURRENT = "current", _("Översatt")
    MISSING = "missing", _("Saknas")
    OUTDATED = "outdated", _("Inaktuell")


class Texts(models.Model):
    """Texts per language (see the module docstring)."""

    texts = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def source_text(self) -> str:
        return (self.texts.get(SOURCE_LANGUAGE) or {}).get("text", "")

    def translation_status(self, language: str) -> str:
        if language == SOURCE_LANGUAGE:
            return TranslationStatus.CURRENT
        entry = self.texts.get(language) or {}
        if not entry.get("text"):
            return TranslationStatus.MISSING
        if entry.get("source") != text_hash(self.source_text()):
            return TranslationStatus.OUTDATED
        return TranslationStatus.CURRENT

    def text(self, language: str | None = None) -> str:
        """The text in `language` (default: the site's active language), else in Swedish (a
        missing translation falls back)."""
        entry = self.texts.get(language or site_language()) or {}
        return entry.get("text") or self.source_text()

    def set_text(self, language: str, text: str) -> None:
        """Set a text; a translation records the Swedish text it was made from."""
        texts = dict(self.texts)
        if language == SOURCE_LANGUAGE:
            texts[language] = {"text": text}
        else:
            texts[language] = {"text": text, "source": text_hash(self.source_text())}
        self.texts = texts


class RespondentGroup(models.TextChoices):
    PARTICIPANT_START = "participant_start", _("Deltagare vid start")
    PARTICIPANT_DURING = "participant_during", _("Deltagare under insatsen")
    PARTICIPANT_EXIT = "participant_exit", _("Deltagare vid avslut")
    STAFF = "staff", _("Insatspersonal")
    BOARD = "board", _("Styrelse")
    MANAGERS = "managers", _("Chefer i samverkan")
    REFERRERS = "referrers", _("Remittenter")


PARTICIPANT_GROUPS = frozenset(
    {
        RespondentGroup.PARTICIPANT_START,
        RespondentGroup.PARTICIPANT_DURING,
        RespondentGroup.PARTICIPANT_EXIT,
    }
)


class ItemKind(models.TextChoices):
    SCALE = "scale", _("Skala")
    YES_NO = "yes_no", _("Ja/nej")
    ZERO_TEN = "zero_ten", _("0–10")
    FREE_TEXT = "free_text", _("Fritext")


class Origin(models.TextChoices):
    CORE = "core", _("Nationell kärna")
    ASSOCIATION = "association", _("Förbundets egen")


class Source(models.TextChoices):
    WEB = "web", _("Webb")
    PAPER = "paper", _("Papper")


class ReviewStatus(models.TextChoices):
    NONE = "", _("—")
    ENTERED = "entered", _("Inmatad")
    REVIEWED = "reviewed", _("Granskad")


class Questionnaire(Texts, TimeStampedModel):
    association = models.ForeignKey(
        "associations.Association",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questionnaires",
    )
    code = models.SlugField(_("kod"), max_length=64)
    respondent_group = models.CharField(
        _("svarsgrupp"), max_length=24, choices=RespondentGroup.choices
    )
    anonymous = models.BooleanField(_("anonym"), default=True)
    locked = models.BooleanField(_("låst"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["association", "code"], name="questionnaire_code_unique_per_owner"
            ),
            # The national core (no association): unique among itself too.
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(association__isnull=True),
                name="questionnaire_core_code_unique",
            ),
        ]
        ordering = ["code"]

    def __str__(self):
        return self.text()

    @property
    def is_core(self) -> bool:
        return self.association_id is None

    def current_version(self):
        return self.versions.filter(published_at__isnull=False).order_by("-number").first()


class QuestionnaireVersion(TimeStampedModel):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    verified = models.BooleanField(_("verifierad formulering"), default=False)
    note = models.TextField(_("anmärkning"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="questionnaire_version_unique"
            )
        ]
        ordering = ["questionnaire", "number"]

    def __str__(self):
        return f"{self.questionnaire} v{self.number}"

    def has_answers(self) -> bool:
        return self.responses.exists()


class Scale(Texts, TimeStampedModel):
    code = models.SlugField(_("kod"), max_length=32, unique=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.code


class ScalePoint(Texts):
    scale = models.ForeignKey(Scale, on_delete=models.CASCADE, related_name="points")
    code = models.CharField(_("kod"), max_length=16)
    value = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    # False for "vet ej" / "ej aktuellt": stored, never in means or denominators.
    counted = models.BooleanField(default=True)
    positive = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scale", "code"], name="scale_point_code_unique")
        ]
        ordering = ["scale", "order"]

    def __str__(self):
        return f"{self.scale.code}:{self.code}"


class FrozenUnderAnswers(models.Model):
    """A part of a version that has answers is never changed: a new version is loaded instead."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk and Response.objects.filter(version_id=self.version_id).exists():
            raise ValidationError(
                _("Versionen har svar och kan inte ändras. Ladda en ny version i stället.")
            )
        super().save(*args, **kwargs)


class Section(FrozenUnderAnswers, Texts):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections"
    )
    code = models.SlugField(max_length=64)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="section_code_unique")
        ]
        ordering = ["version", "order"]

    def __str__(self):
        return self.text()


class Item(FrozenUnderAnswers, Texts):
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.CASCADE, related_name="items"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("kod"), max_length=64)
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=ItemKind.choices, default=ItemKind.SCALE)
    scale = models.ForeignKey(
        Scale, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    # Shown only if `condition_item` was answered with one of `condition_codes`.
    condition_item = models.CharField(max_length=64, blank=True)
    condition_codes = models.JSONField(default=list, blank=True)
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.CORE)
    required = models.BooleanField(default=False)
    verified = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    # The indicators this item feeds, as stated by the definition (e.g. ["P1"]); the indicator
    # definitions themselves say which items and answers count.
    indicator_codes = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="item_code_unique")]
        ordering = ["version", "section__order", "order"]

    def __str__(self):
        return self.code


class Invitation(TimeStampedModel):
    """A one-time link: only `used` is ever written after it is created (and `email` cleared)."""

    token_hash = models.CharField(max_length=64, unique=True)
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="invitations"
    )
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questionnaire_invitations",
    )
    period = models.CharField(_("mätperiod"), max_length=7, validators=[period_validator])
    expires_at = models.DateTimeField(_("giltig till"))
    used = models.BooleanField(default=False)
    email = EncryptedCharField(_("e-post"), max_length=254, null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    group_link = models.ForeignKey(
        "GroupLink", on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    enrolment = models.ForeignKey(
        "participants.Enrolment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"invitation {self.pk}"  # never the token


class GroupLink(TimeStampedModel):
    token_hash = models.CharField(max_length=64, unique=True)
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="group_links"
    )
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    period = models.CharField(_("mätperiod"), max_length=7, validators=[period_validator])
    expires_at = models.DateTimeField(_("giltig till"))
    max_uses = models.PositiveIntegerField(_("högst antal svar"), default=30)
    per_minute = models.PositiveIntegerField(_("högst per minut"), default=20)
    active = models.BooleanField(default=True)

    def __str__(self):
        return f"group link {self.pk}"


class Draft(models.Model):
    """The answers given so far under one invitation; deleted at submit."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="draft")
    language = models.CharField(max_length=8, default=SOURCE_LANGUAGE)
    # item code -> {"choice": code} | {"value": "7"} | {"text": "…"}
    answers = models.JSONField(default=dict)
    gender = models.CharField(max_length=8, blank=True)

    def __str__(self):
        return f"draft {self.pk}"


class Response(models.Model):
    """One submitted questionnaire. No timestamp, random key: see the module docstring."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
    )
    association = models.ForeignKey(
        "associations.Association", on_delete=models.PROTECT, related_name="+"
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questionnaire_responses",
    )
    respondent_group = models.CharField(max_length=24, choices=RespondentGroup.choices)
    language = models.CharField(max_length=8, default=SOURCE_LANGUAGE)
    period = models.CharField(max_length=7, validators=[period_validator])
    gender = models.CharField(max_length=8, choices=Gender.choices, blank=True)
    enrolment = models.ForeignKey(
        "participants.Enrolment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.WEB)
    review_status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, blank=True, default=""
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["association", "period"])]

    def __str__(self):
        return f"response {self.pk}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item_code = models.CharField(max_length=64)
    choice_code = models.CharField(max_length=16, blank=True)
    value = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item_code"], name="answer_unique_per_item")
        ]
        ordering = ["response", "item_code"]

    def __str__(self):
        return self.item_code
