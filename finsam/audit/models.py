"""The access log: every read and change of personal data (finance-law-privacy.md §4.6).

Rows name the participant by pseudonym only; they never contain the personal data itself,
and they are never changed or deleted by the application.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("Läste")
    LIST = "list", _("Listade")
    CREATE = "create", _("Registrerade")
    UPDATE = "update", _("Ändrade")
    EXIT = "exit", _("Utregistrerade")
    IMPORT = "import", _("Importerade")
    EXPORT = "export", _("Exporterade")
    ANONYMISE = "anonymise", _("Avidentifierade")
    LOOKUP = "lookup", _("Sökte på personnummer")


class AccessEvent(models.Model):
    at = models.DateTimeField(_("tid"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_role = models.CharField(_("roll"), max_length=32, blank=True)
    association = models.ForeignKey(
        "associations.Association", on_delete=models.PROTECT, related_name="access_events"
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("händelse"), max_length=16, choices=Action.choices)
    pseudonym = models.CharField(_("pseudonym"), max_length=12, blank=True, db_index=True)
    fields = models.CharField(_("uppgifter"), max_length=200, blank=True)
    channel = models.CharField(_("kanal"), max_length=8, default="web")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["association", "-at"])]
        verbose_name = _("loggad åtkomst")
        verbose_name_plural = _("loggade åtkomster")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.pseudonym}"
