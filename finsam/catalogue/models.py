"""The public catalogue: one entry per initiative, written by the secretariat and published.

Nothing personal belongs here: the contact is a function or role of the initiative (a public
official's address), never a person's own details. The search text (`search_title`,
`search_body`) repeats the initiative's name, owner, municipalities and target groups with the
entry's texts; `finsam.catalogue.search` indexes it (PostgreSQL: a stored tsvector with the
Swedish configuration and a GIN index; SQLite: an FTS5 table of Swedish stems).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from finsam.core.validators import LONG_TEXT_VALIDATORS, TEXT_VALIDATORS
from finsam.initiatives.models import Status

# Text fields the secretariat writes, in the order of the form and the change log.
ENTRY_TEXT_FIELDS = ("summary", "who_for", "how_to_refer", "contact", "results")


class PublicStatus(models.TextChoices):
    """What the public sees of an initiative's status: running (planned or active) or finished."""

    RUNNING = "running", _("Pågående")
    FINISHED = "finished", _("Avslutad")


def public_status(initiative_status: str) -> str:
    return PublicStatus.FINISHED if initiative_status == Status.ENDED else PublicStatus.RUNNING


class CatalogueEntry(models.Model):
    initiative = models.OneToOneField(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="catalogue_entry"
    )
    published = models.BooleanField(_("publicerad"), default=False)
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    summary = models.TextField(_("sammanfattning"), blank=True, validators=LONG_TEXT_VALIDATORS)
    who_for = models.TextField(
        _("vem insatsen är till för"), blank=True, validators=LONG_TEXT_VALIDATORS
    )
    how_to_refer = models.TextField(
        _("så remitterar du"), blank=True, validators=LONG_TEXT_VALIDATORS
    )
    contact = models.CharField(
        _("kontakt (funktion)"), max_length=300, blank=True, validators=TEXT_VALIDATORS
    )
    results = models.TextField(_("resultat"), blank=True, validators=LONG_TEXT_VALIDATORS)
    # The final report is stored in the database (like a job's result): no file system to back up.
    final_report = models.BinaryField(_("slutrapport"), null=True, blank=True, editable=False)
    final_report_name = models.CharField(_("slutrapportens filnamn"), max_length=200, blank=True)
    final_report_type = models.CharField(max_length=100, blank=True)
    search_title = models.TextField(blank=True, editable=False)
    search_body = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["initiative__name"]
        verbose_name = _("katalogpost")
        verbose_name_plural = _("katalogposter")
        indexes = [models.Index(fields=["published"], name="catalogue_published")]

    def __str__(self):
        return self.initiative.name

    @property
    def public_status(self) -> str:
        return public_status(self.initiative.status)

    @property
    def has_final_report(self) -> bool:
        return bool(self.final_report_name)
