"""Participants and their enrolments in initiatives (participant-follow-up.md §2.6–2.10).

Identity (personal identity number and name) lives only on `Participant`, encrypted at rest, with a
keyed hash for look-up. Everything else refers to the participant by pseudonym. An anonymous
enrolment (no consent, or protected identity) has no participant at all.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

from finsam.core.history import LeanHistoricalRecords
from finsam.core.models import TimeStampedModel
from finsam.core.periods import PeriodQuerySet
from finsam.reference.counting import counted_q
from finsam.reference.models import Code, CodeList, Municipality


class Gender(models.TextChoices):
    WOMAN = "woman", _("Kvinna")
    MAN = "man", _("Man")
    OTHER = "other", _("Annat / ej angivet")


class Participant(TimeStampedModel):
    """A person known to the registrars of one association's initiatives."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.PROTECT, related_name="participants"
    )
    pseudonym = models.CharField(_("pseudonym"), max_length=12, unique=True)
    personal_number = EncryptedCharField(_("personnummer"), max_length=13)
    personal_number_hash = models.CharField(max_length=64, db_index=True)
    # Optional (not every registration source has it); empty is stored as NULL because the
    # encrypted field turns "" into NULL.
    name = EncryptedCharField(_("namn"), max_length=200, blank=True, null=True)
    birth_year = models.PositiveSmallIntegerField(_("födelseår"))
    gender = models.CharField(_("kön"), max_length=8, choices=Gender.choices)

    class Meta:
        ordering = ["pseudonym"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "personal_number_hash"],
                name="unique_participant_per_association",
            )
        ]
        verbose_name = _("deltagare")
        verbose_name_plural = _("deltagare")

    def __str__(self):
        # Never the identity: objects are printed in logs and error pages.
        return self.pseudonym


class AnonymousReason(models.TextChoices):
    NO_CONSENT = "no_consent", _("Samtycke saknas")
    PROTECTED_IDENTITY = "protected_identity", _("Skyddade personuppgifter")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Samtycket återkallat")
    RETENTION_ENDED = "retention_ended", _("Gallrad efter lagringstid")


def _codes(code_list):
    return {"code_list": code_list}


def _code(code_list, verbose_name):
    """An optional code of `code_list`; a code in use is never deleted (retired instead)."""
    return models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=_codes(code_list),
        verbose_name=verbose_name,
    )


def _code_set(code_list, verbose_name):
    """Any number of codes of `code_list`."""
    return models.ManyToManyField(
        Code,
        blank=True,
        related_name="+",
        limit_choices_to=_codes(code_list),
        verbose_name=verbose_name,
    )


class EnrolmentQuerySet(PeriodQuerySet, models.QuerySet):
    """Enrolments by the counting and period rules (`finsam.core.periods`): e.g. the statistics'
    population of a period is `Enrolment.objects.counted().active_in(first, last)`."""

    def active(self):
        """Not ended (today's active enrolments, whatever their start date)."""
        return self.filter(end_date__isnull=True)

    def counted(self):
        """Enrolments that count in statistics: wrong registrations are taken out."""
        return self.filter(counted_q())


class Enrolment(TimeStampedModel):
    """One participation of one person (or one anonymous person) in one initiative."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.PROTECT, related_name="enrolments"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments"
    )
    anonymous_reason = models.CharField(
        _("anonym registrering"), max_length=24, choices=AnonymousReason.choices, blank=True
    )
    # Non-identifying facts kept on the enrolment so that statistics never need the identity.
    gender = models.CharField(_("kön"), max_length=8, choices=Gender.choices)
    age_at_start = models.PositiveSmallIntegerField(_("ålder vid start"), null=True, blank=True)
    home_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hemkommun"),
    )

    # In-registration.
    start_date = models.DateField(_("startdatum"))
    income_sources_before = _code_set(CodeList.INCOME_SOURCE, _("försörjningskälla före"))
    occupation_before = _code(CodeList.OCCUPATION, _("sysselsättning före"))
    occupation_extent_before = models.PositiveSmallIntegerField(
        _("omfattning före (% av heltid)"), null=True, blank=True
    )
    education = _code(CodeList.EDUCATION, _("utbildningsnivå"))
    time_outside_work = _code(CodeList.TIME_OUTSIDE_WORK, _("tid i offentlig försörjning"))
    referrer = _code(CodeList.REFERRER, _("remittent"))

    # Out-registration.
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)
    exit_reason = _code(CodeList.EXIT_REASON, _("avslutsanledning"))
    income_sources_after = _code_set(CodeList.INCOME_SOURCE, _("försörjningskälla efter"))
    occupation_after = _code(CodeList.OCCUPATION, _("sysselsättning efter"))
    occupation_extent_after = models.PositiveSmallIntegerField(
        _("omfattning efter (% av heltid)"), null=True, blank=True
    )

    # The national version number of each code list as registered: {"education": 1, ...}, set
    # from the chosen codes at in- and out-registration (finsam.reference.codes shows a code in
    # the wording of that version).
    code_versions = models.JSONField(
        _("kodlisteversioner"), default=dict, blank=True, editable=False
    )

    history = LeanHistoricalRecords(
        m2m_fields=[income_sources_before, income_sources_after],
        excluded_fields=["created_at", "updated_at", "code_versions"],
    )
    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="enrolment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(models.Q(participant__isnull=True) & ~models.Q(anonymous_reason=""))
                | (models.Q(participant__isnull=False) & models.Q(anonymous_reason="")),
                name="enrolment_identified_xor_anonymous",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True, exit_reason__isnull=True)
                | models.Q(end_date__isnull=False, exit_reason__isnull=False),
                name="enrolment_exit_has_reason",
            ),
            # R2 allows re-entry after exit, never two open enrolments of one person at once.
            models.UniqueConstraint(
                fields=["initiative", "participant"],
                condition=models.Q(end_date__isnull=True, participant__isnull=False),
                name="one_active_enrolment_per_participant",
            ),
        ]
        indexes = [models.Index(fields=["initiative", "end_date"])]
        verbose_name = _("deltagande")
        verbose_name_plural = _("deltaganden")

    def __str__(self):
        return f"{self.pseudonym} / {self.initiative_id}"

    @property
    def is_anonymous(self):
        return self.participant_id is None

    @property
    def is_active(self):
        return self.end_date is None

    @property
    def pseudonym(self):
        if self.participant_id is None:
            return f"A-{str(self.uuid)[:8].upper()}"
        return self.participant.pseudonym


class ConsentMethod(models.TextChoices):
    PAPER = "paper", _("Skriftligt på papper")
    DIGITAL = "digital", _("Digitalt signerat")
    UPLOADED = "uploaded", _("Inskannat och uppladdat")


class Consent(TimeStampedModel):
    """The participant's consent for one enrolment (R3: a new consent per enrolment)."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="consent")
    given_on = models.DateField(_("datum för samtycke"))
    method = models.CharField(_("hur"), max_length=16, choices=ConsentMethod.choices)
    form_version = models.CharField(_("blankettversion"), max_length=50)
    language = models.CharField(_("språk"), max_length=32, default="svenska")
    collected_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    withdrawn_on = models.DateField(_("återkallat"), null=True, blank=True)

    history = LeanHistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("samtycke")
        verbose_name_plural = _("samtycken")
