"""The access log: every read and change of personal data (finance-law-privacy.md §4.6).

One `AccessEvent` per read or change (a list page that shows fifty participants is one event),
with one `AccessedPseudonym` row per participant it showed or changed, indexed so that the log
can be searched per person. Rows name the participant by pseudonym only; they never contain the
personal data itself.

The log is append-only: the application inserts rows and never changes them. Saving an existing
row, `delete()` and the querysets' `update()`/`delete()` raise `AppendOnlyError`; the one way
out is `finsam.audit.services.access_log_purge`, which removes events older than
`AUDIT_RETENTION_MONTHS`. On PostgreSQL a trigger (migration 0002) refuses UPDATE and DELETE
statements on both tables from anyone else as well.

The change log (`ChangeEvent`) is append-only the same way: one row per change made by a write
service — who, in which role, when, which object, what changed. Values are recorded for
non-personal fields only; a personal field is recorded as changed, without its values.
"""

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
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


class AppendOnlyError(RuntimeError):
    """The access log is never changed or deleted, except by its retention (`access_log_purge`)."""

    def __init__(self):
        super().__init__(
            "The access log is append-only: rows are never changed; old rows are removed only "
            "by finsam.audit.services.access_log_purge."
        )


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError()

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError()

    def delete(self):
        raise AppendOnlyError()

    def purge(self):
        """Delete the rows; for `access_log_purge` only (see its database setting)."""
        return super().delete()


class AccessEventQuerySet(AppendOnlyQuerySet):
    def for_pseudonym(self, pseudonym: str):
        """Events that read or changed the personal data of the participant `pseudonym`."""
        return self.filter(
            Exists(
                AccessedPseudonym.objects.filter(
                    event=OuterRef("pk"), pseudonym=normalise_pseudonym(pseudonym)
                )
            )
        )


def normalise_pseudonym(value: str) -> str:
    """Pseudonyms are upper case; searching is case-insensitive (and uses the index)."""
    return (value or "").strip().upper()


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError()


class LogEvent(AppendOnlyModel):
    """What both logs record of an event: when, who (and in which role), through which channel.
    Each log adds its association (its own related name), what happened and to what."""

    at = models.DateTimeField(_("tid"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_role = models.CharField(_("roll"), max_length=32, blank=True)
    channel = models.CharField(_("kanal"), max_length=8, default="web")

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]
        # Both logs are read per association, newest first.
        indexes = [models.Index(fields=["association", "-at"])]


class AccessEvent(LogEvent):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.PROTECT, related_name="access_events"
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(_("händelse"), max_length=16, choices=Action.choices)
    fields = models.CharField(_("uppgifter"), max_length=200, blank=True)

    objects = AccessEventQuerySet.as_manager()

    class Meta(LogEvent.Meta):
        verbose_name = _("loggad åtkomst")
        verbose_name_plural = _("loggade åtkomster")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def pseudonyms(self) -> list[str]:
        """The participants the event showed or changed, in the order they were shown."""
        return [row.pseudonym for row in self.pseudonym_rows.all()]


class AccessedPseudonym(AppendOnlyModel):
    """One participant an access event showed or changed."""

    event = models.ForeignKey(AccessEvent, on_delete=models.CASCADE, related_name="pseudonym_rows")
    pseudonym = models.CharField(_("pseudonym"), max_length=12)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["pseudonym", "event"])]
        verbose_name = _("loggad pseudonym")
        verbose_name_plural = _("loggade pseudonymer")

    def __str__(self):
        return self.pseudonym


class ChangeEventQuerySet(AppendOnlyQuerySet):
    pass


# What each recorded change is called on the change-log page (the services' action names).
CHANGE_ACTIONS = {
    # Applications (finsam.applications): starting one and each step of the workflow.
    "application.create": _("Startade en ansökan"),
    "application.answers": _("Ändrade en ansökans svar"),
    "application.revision": _("Sparade en version av en ansökan"),
    "application.comment": _("Kommenterade en ansökan"),
    "application.initiative": _("Gjorde en beviljad ansökan till en insats"),
    "applicant_organisation.register": _("Registrerade en sökande organisation"),
    "applicant_organisation.invite": _("Bjöd in en användare till en sökande organisation"),
    "applicant_organisation.join": _("Gick med i en sökande organisation"),
    "co_applicant.invite": _("Bjöd in en medsökande"),
    "co_applicant.accept": _("Blev medsökande"),
    "co_applicant.change": _("Ändrade en medsökandes behörighet"),
    "co_applicant.remove": _("Tog bort en medsökande"),
    "round.create": _("Skapade en ansökningsomgång"),
    "round.update": _("Ändrade en ansökningsomgång"),
    "application_form.create": _("Skapade ett ansökningsformulär"),
    "form_version.create": _("Skapade en formulärversion"),
    "meeting.create": _("Planerade ett styrelsemöte"),
    "meeting.agenda_add": _("Lade till ett ärende på dagordningen"),
    "meeting.agenda_remove": _("Tog bort ett ärende från dagordningen"),
    "meeting.invite": _("Skickade kallelse till styrelsemöte"),
    "meeting.approve_minutes": _("Justerade protokollet"),
    "decision.create": _("Registrerade ett beslut"),
    "decision.sign_agreement": _("Registrerade ett tecknat avtal"),
    "catalogue.edit": _("Ändrade en katalogpost"),
    "catalogue.publish": _("Publicerade en insats i katalogen"),
    "catalogue.unpublish": _("Tog bort en insats från katalogen"),
    "compensation_model.create": _("Fastställde en ersättningsmodell"),
    "compensation_model.counting": _("Ändrade en ersättningsmodells räkneregler"),
    "finance.contribution_key_set": _("Satte fördelningsnyckeln och beräknade medlemsbidragen"),
    "finance.plan_lines_save": _("Ändrade budgetposter, utfall och prognos"),
    "finance.year_close": _("Stängde ett år"),
    "invoice.submit": _("Lämnade in en faktura"),
    "invoicing_settings.change": _("Ändrade inställningarna för fakturering"),
    "unit_delivery.set": _("Registrerade levererade enheter"),
    "application.submit": _("Lämnade in en ansökan"),
    "application.accept_late": _("Tog emot en ansökan efter sista dag"),
    "application.start_formal_check": _("Påbörjade formell kontroll"),
    "application.start_preparation": _("Lämnade en ansökan till beredning"),
    "application.request_supplement": _("Begärde komplettering"),
    "application.supplement": _("Lämnade in en komplettering"),
    "application.recommend": _("Lämnade beredningens rekommendation"),
    "application.propose": _("Lade fram en ansökan för styrelsen"),
    "application.withdraw_proposal": _("Drog tillbaka ett förslag till styrelsen"),
    "application.decide": _("Registrerade styrelsens beslut"),
    "application.grant": _("Beviljade en ansökan (justerat protokoll)"),
    "application.reject": _("Avslog en ansökan (justerat protokoll)"),
    "application.table": _("Bordlade en ansökan (justerat protokoll)"),
    "application.sign_agreement": _("Registrerade ett tecknat avtal"),
    "application.start": _("Startade en beviljad insats"),
    "application.receive_final_report": _("Tog emot slutrapporten"),
    "application.finish": _("Avslutade ett projekt"),
    "application.withdraw": _("Återtog en ansökan"),
    "association.create": _("Skapade förbundet"),
    "association.update": _("Ändrade förbundet"),
    "association.member_add": _("Lade till en medlem"),
    "association.member_change": _("Ändrade en medlem"),
    "association.member_delete": _("Tog bort en medlem"),
    "assignment.add": _("Gav ett uppdrag i insatsen"),
    "assignment.remove": _("Tog bort ett uppdrag i insatsen"),
    "budget.create": _("Lade till en budget"),
    "budget.change": _("Ändrade en budget"),
    "budget.delete": _("Tog bort en budget"),
    "finance.year_create": _("Lade till ett år i ekonomin"),
    "finance.year_update": _("Ändrade ett år i ekonomin"),
    "finance.year_delete": _("Tog bort ett år i ekonomin"),
    "finance.equity_band_set": _("Satte intervallet för eget kapital"),
    "estimate.assumption_set": _("Ändrade ett antagande för socioekonomisk uppskattning"),
    "estimate.create": _("Lade till en socioekonomisk uppskattning"),
    "estimate.change": _("Ändrade en socioekonomisk uppskattning"),
    "estimate.delete": _("Tog bort en socioekonomisk uppskattning"),
    # Progression (finsam.progression): the association's dimensions, a participant's ratings.
    "progression.dimension_add": _("Lade till en progressionsdimension"),
    "progression.dimension_change": _("Ändrade en progressionsdimension"),
    "progression.rating_record": _("Registrerade en skattning"),
    "progression.rating_change": _("Ändrade en skattning"),
    "progression.rating_delete": _("Tog bort en skattning"),
    # Questionnaires (finsam.questionnaires): distribution and paper answers (never an answer).
    "questionnaire.invitations": _("Skapade engångslänkar till en enkät"),
    "questionnaire.group_link": _("Skapade en grupplänk till en enkät"),
    "questionnaire.email_invitations": _("Skickade e-postinbjudningar till en enkät"),
    "questionnaire.reminders": _("Skickade påminnelser om en enkät"),
    "questionnaire.invite_enrolment": _("Skapade en enkätlänk till en deltagare"),
    "questionnaire.enter_paper": _("Matade in en pappersenkät"),
    "questionnaire.review_paper": _("Granskade en pappersenkät"),
    "head_count.change": _("Ändrade antal per månad"),
    "initiative.create": _("Skapade insatsen"),
    "initiative.update": _("Ändrade insatsen"),
    "period.create": _("Skapade rapportperioden"),
    "period.update": _("Ändrade rapportperioden"),
    "report.create": _("Skapade rapporten"),
    "report.update": _("Ändrade rapporten"),
    "report.submit": _("Lämnade in rapporten"),
    "report.return": _("Skickade tillbaka rapporten"),
    "report.approve": _("Godkände rapporten"),
    "report.comment": _("Kommenterade rapporten"),
    "user.invite": _("Bjöd in en användare"),
    "user.invitation_cancel": _("Drog tillbaka en inbjudan"),
    "user.role_remove": _("Tog bort en roll"),
    # Preparation (finsam.preparation).
    "review.save": _("Sparade ett utkast till bedömning"),
    "review.submit": _("Lämnade in en bedömning"),
    "recommendation.record": _("Registrerade beredningens rekommendation"),
    "interest.declare": _("Anmälde jäv"),
    "interest.end": _("Avslutade en jävsanmälan"),
}


class ChangeEvent(LogEvent):
    """One change made by a write service (`finsam.audit.services.record_change`)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.PROTECT, related_name="change_events"
    )
    # The changed object: its model (app_label.model_name), primary key and, for objects that
    # are not personal data, its name as it was then.
    object_type = models.CharField(_("objekttyp"), max_length=64, db_index=True)
    object_id = models.CharField(_("objekt-id"), max_length=64)
    object_label = models.CharField(_("objekt"), max_length=200, blank=True)
    action = models.CharField(_("händelse"), max_length=32)
    # {field: [old, new]}; a personal field's values are left out: {field: null}.
    changes = models.JSONField(_("ändringar"), default=dict, blank=True)

    objects = ChangeEventQuerySet.as_manager()

    class Meta(LogEvent.Meta):
        indexes = [*LogEvent.Meta.indexes, models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("loggad ändring")
        verbose_name_plural = _("loggade ändringar")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"
