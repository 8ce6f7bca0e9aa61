"""Applications for funding (finance-law-privacy.md §6): rounds, forms as data, applications with
their answers, revisions, attachments, co-applicants and comments, the workflow's history, the
diary numbers and the register of declared interests.

A form is data (`FormVersion.definition`, read by `finsam.applications.formdef`); a round uses one
version and every application keeps a copy of the definition it was written in, so a new version
of a form never reshapes stored answers.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from finsam.applications.workflow import BY_APPLICANT, BY_SECRETARIAT, WITHDRAWABLE, Status
from finsam.core.models import TimeStampedModel
from finsam.core.validators import LONG_TEXT_VALIDATORS, TEXT_VALIDATORS


class ApplicationForm(TimeStampedModel):
    """A form applicants fill in; `association` empty for a form shipped with finsam."""

    association = models.ForeignKey(
        "associations.Association",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="application_forms",
    )
    code = models.SlugField(_("kod"), max_length=60)
    name = models.CharField(_("namn"), max_length=200, validators=TEXT_VALIDATORS)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["association", "code"], name="unique_form_code"),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(association__isnull=True),
                name="unique_shipped_form_code",
            ),
        ]
        verbose_name = _("ansökningsformulär")
        verbose_name_plural = _("ansökningsformulär")

    def __str__(self):
        return self.name


class FormVersion(TimeStampedModel):
    """One version of a form; never edited once a round uses it (a new version is made)."""

    form = models.ForeignKey(ApplicationForm, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["form", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="unique_form_version"),
        ]
        verbose_name = _("formulärversion")
        verbose_name_plural = _("formulärversioner")

    def __str__(self):
        return f"{self.form} v{self.number}"


class Round(TimeStampedModel):
    """An application round (ansökningsomgång): open from `opens_on` through `closes_on`, or
    continuous (no closing date)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="application_rounds"
    )
    title = models.CharField(_("namn"), max_length=200, validators=TEXT_VALIDATORS)
    description = models.TextField(_("beskrivning"), blank=True, validators=LONG_TEXT_VALIDATORS)
    opens_on = models.DateField(_("öppnar"))
    closes_on = models.DateField(
        _("stänger"),
        null=True,
        blank=True,
        help_text=_("Sista dag att lämna in. Lämna tomt för en löpande omgång."),
    )
    form_version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("formulär")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "title"]
        constraints = [
            models.UniqueConstraint(fields=["association", "title"], name="unique_round_title"),
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=F("opens_on")),
                name="round_closes_after_opening",
            ),
        ]
        verbose_name = _("ansökningsomgång")
        verbose_name_plural = _("ansökningsomgångar")

    def __str__(self):
        return self.title

    @property
    def continuous(self) -> bool:
        return self.closes_on is None

    def is_open(self, day=None) -> bool:
        """Open on `day` (today in Stockholm by default): submissions count through the whole
        closing day."""
        day = day or timezone.localdate()
        return self.opens_on <= day and (self.closes_on is None or day <= self.closes_on)


class ApplicationQuerySet(models.QuerySet):
    def submitted(self):
        return self.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])


class Application(TimeStampedModel):
    """An application from an applicant organisation to its association."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    association = models.ForeignKey(
        "associations.Association", on_delete=models.PROTECT, related_name="applications"
    )
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="applications", verbose_name=_("omgång")
    )
    organisation = models.ForeignKey(
        "accounts.ApplicantOrganisation",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("sökande organisation"),
    )
    title = models.CharField(_("projektnamn"), max_length=200, validators=TEXT_VALIDATORS)
    status = FSMField(_("status"), max_length=32, choices=Status.choices, default=Status.DRAFT)
    # The definition the answers were written in: a copy of the round's form version.
    form_version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="applications"
    )
    form_definition = models.JSONField(_("formulär"))
    answers = models.JSONField(_("svar"), default=dict, blank=True)
    # Bumped on every save of the answers: a save based on an older one is refused.
    lock_version = models.PositiveIntegerField(default=0)
    # Derived from the answers on every save (`formdef.applied_by_year`, `formdef.period`).
    amount_applied = models.DecimalField(
        _("sökt belopp"), max_digits=12, decimal_places=0, null=True, blank=True
    )
    applied_by_year = models.JSONField(_("sökt belopp per år"), default=dict, blank=True)
    period_start = models.DateField(_("projektstart"), null=True, blank=True)
    period_end = models.DateField(_("projektslut"), null=True, blank=True)
    # Given at submission: "2026/012", gap-free per association and year.
    diary_year = models.PositiveSmallIntegerField(null=True, blank=True)
    diary_sequence = models.PositiveIntegerField(null=True, blank=True)
    diary_number = models.CharField(_("diarienummer"), max_length=20, blank=True)
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)
    late_reason = models.TextField(
        _("skäl att ta emot sent"), blank=True, validators=LONG_TEXT_VALIDATORS
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The initiative a granted application became.
    initiative = models.OneToOneField(
        "initiatives.Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "diary_year", "diary_sequence"],
                condition=Q(diary_sequence__isnull=False),
                name="unique_application_diary_number",
            ),
        ]
        verbose_name = _("ansökan")
        verbose_name_plural = _("ansökningar")

    def __str__(self):
        return f"{self.diary_number} {self.title}".strip()

    @property
    def applicant_status(self):
        from finsam.applications.workflow import APPLICANT_NAMES

        return APPLICANT_NAMES[self.status]

    # --- The workflow's transitions (finsam.applications.workflow) ----------------------------
    # `custom["by"]` says who takes it; `finsam.applications.services.transition` checks it.

    @transition(status, source=Status.DRAFT, target=Status.SUBMITTED, custom={"by": BY_APPLICANT})
    def submit(self):
        pass

    @transition(status, source=Status.DRAFT, target=Status.SUBMITTED, custom={"by": BY_SECRETARIAT})
    def accept_late(self):
        pass

    @transition(
        status, source=Status.SUBMITTED, target=Status.FORMAL_CHECK, custom={"by": BY_SECRETARIAT}
    )
    def start_formal_check(self):
        pass

    @transition(
        status,
        source=Status.FORMAL_CHECK,
        target=Status.PREPARATION,
        custom={"by": BY_SECRETARIAT},
    )
    def start_preparation(self):
        pass

    @transition(
        status,
        source=[Status.FORMAL_CHECK, Status.PREPARATION, Status.RECOMMENDED],
        target=Status.SUPPLEMENT_REQUESTED,
        custom={"by": BY_SECRETARIAT},
    )
    def request_supplement(self):
        pass

    @transition(
        status,
        source=Status.SUPPLEMENT_REQUESTED,
        target=Status.PREPARATION,
        custom={"by": BY_APPLICANT},
    )
    def supplement(self):
        pass

    @transition(
        status, source=Status.PREPARATION, target=Status.RECOMMENDED, custom={"by": BY_SECRETARIAT}
    )
    def recommend(self):
        pass

    @transition(
        status, source=Status.RECOMMENDED, target=Status.PROPOSED, custom={"by": BY_SECRETARIAT}
    )
    def propose(self):
        pass

    @transition(
        status, source=Status.PROPOSED, target=Status.RECOMMENDED, custom={"by": BY_SECRETARIAT}
    )
    def withdraw_proposal(self):
        pass

    @transition(
        status, source=Status.PROPOSED, target=Status.DECIDED, custom={"by": BY_SECRETARIAT}
    )
    def decide(self):
        pass

    @transition(status, source=Status.DECIDED, target=Status.GRANTED, custom={"by": BY_SECRETARIAT})
    def grant(self):
        pass

    @transition(
        status, source=Status.DECIDED, target=Status.REJECTED, custom={"by": BY_SECRETARIAT}
    )
    def reject(self):
        pass

    @transition(
        status, source=Status.DECIDED, target=Status.RECOMMENDED, custom={"by": BY_SECRETARIAT}
    )
    def table(self):
        pass

    @transition(
        status, source=Status.GRANTED, target=Status.AGREEMENT, custom={"by": BY_SECRETARIAT}
    )
    def sign_agreement(self):
        pass

    @transition(
        status, source=Status.AGREEMENT, target=Status.RUNNING, custom={"by": BY_SECRETARIAT}
    )
    def start(self):
        pass

    @transition(
        status, source=Status.RUNNING, target=Status.FINAL_REPORT, custom={"by": BY_SECRETARIAT}
    )
    def receive_final_report(self):
        pass

    @transition(
        status, source=Status.FINAL_REPORT, target=Status.FINISHED, custom={"by": BY_SECRETARIAT}
    )
    def finish(self):
        pass

    @transition(
        status, source=list(WITHDRAWABLE), target=Status.WITHDRAWN, custom={"by": BY_APPLICANT}
    )
    def withdraw(self):
        pass


class Step(models.Model):
    """One step of an application's history: which transition, by whom, when, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="steps")
    transition = models.CharField(max_length=40)
    from_status = models.CharField(max_length=32, choices=Status.choices)
    to_status = models.CharField(max_length=32, choices=Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    by_role = models.CharField(max_length=40, blank=True)
    comment = models.TextField(blank=True, validators=LONG_TEXT_VALIDATORS)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "at", "pk"]
        verbose_name = _("steg")
        verbose_name_plural = _("steg")

    def __str__(self):
        return f"{self.application}: {self.from_status} → {self.to_status}"


class DiaryCounter(models.Model):
    """The last diary number given per association and year (gap-free; taken under a row lock
    in the submitting transaction, so a rolled-back submission gives its number back)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["association", "year"], name="unique_diary_counter"),
        ]

    def __str__(self):
        return f"{self.association_id}/{self.year}: {self.last}"


class Revision(models.Model):
    """A stored copy of the answers: at each submission and when the writer saves a version."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    answers = models.JSONField()
    reason = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="unique_revision"),
        ]
        verbose_name = _("version")
        verbose_name_plural = _("versioner")

    def __str__(self):
        return f"{self.application} v{self.number}"


def _attachment_path(instance, filename):
    return f"applications/{instance.application.uuid}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file of an application's file block, checked by its content on upload."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    block = models.CharField(max_length=60)
    file = models.FileField(upload_to=_attachment_path)
    name = models.CharField(_("filnamn"), max_length=200, validators=TEXT_VALIDATORS)
    kind = models.CharField(max_length=10)  # pdf, docx, xlsx, png, jpeg: found by content
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "block", "uploaded_at"]
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")

    def __str__(self):
        return self.name


class CoApplicantPermission(models.TextChoices):
    VIEW = "view", _("Läsa")
    COMMENT = "comment", _("Läsa och kommentera")
    EDIT = "edit", _("Läsa och skriva")


class CoApplicant(TimeStampedModel):
    """A person of a partner organisation invited to an application (medsökande)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="co_applicants"
    )
    email = models.EmailField(_("e-post"))
    organisation_name = models.CharField(
        _("organisation"), max_length=200, validators=TEXT_VALIDATORS
    )
    permission = models.CharField(
        _("behörighet"),
        max_length=10,
        choices=CoApplicantPermission.choices,
        default=CoApplicantPermission.COMMENT,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="co_applications",
    )
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["application", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "email"], name="unique_co_applicant_email"
            ),
        ]
        verbose_name = _("medsökande")
        verbose_name_plural = _("medsökande")

    def __str__(self):
        return f"{self.organisation_name} ({self.get_permission_display()})"


class Comment(models.Model):
    """A comment on an application: between applicants and the secretariat, or staff only."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("kommentar"), validators=LONG_TEXT_VALIDATORS)
    staff_only = models.BooleanField(_("bara för kansliet"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "created_at"]
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")

    def __str__(self):
        return f"{self.application}: {self.text[:40]}"


class InterestQuerySet(models.QuerySet):
    def current(self, day=None):
        day = day or timezone.localdate()
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class Interest(TimeStampedModel):
    """A declared interest (jäv): a reviewer, board member or officer's tie to an applicant
    organisation. While it holds, that person takes no part in the organisation's review or
    decision, and the minutes say so."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="interests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declared_interests"
    )
    organisation = models.ForeignKey(
        "accounts.ApplicantOrganisation",
        on_delete=models.CASCADE,
        related_name="declared_interests",
        verbose_name=_("organisation"),
    )
    description = models.TextField(
        _("vad intresset består i"), blank=True, validators=LONG_TEXT_VALIDATORS
    )
    valid_from = models.DateField(_("gäller från"), default=timezone.localdate)
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)

    objects = InterestQuerySet.as_manager()

    class Meta:
        ordering = ["association", "user", "organisation"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="interest_ends_after_start",
            ),
        ]
        verbose_name = _("jävsanmälan")
        verbose_name_plural = _("jävsregister")

    def __str__(self):
        return f"{self.user} – {self.organisation}"
