from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save

from finsam.core import data_version

# What the statistics engine reads, for the data versions of its cache (finsam.core.data_version):
# per association, and the reference data every association's tables use.
ASSOCIATION_DATA = ("participants.Enrolment", "initiatives.Initiative", "initiatives.HeadCount")
REFERENCE_DATA = (
    "reference.Code",
    "reference.CodeTranslation",
    "reference.CodeList",
    "reference.CodeListVersion",
    "reference.Municipality",
    "reference.Region",
)
M2M_ACTIONS = ("post_add", "post_remove", "post_clear")


class StatisticsConfig(AppConfig):
    name = "finsam.statistics"

    def ready(self):
        from finsam.associations.models import Association
        from finsam.initiatives.models import Initiative
        from finsam.participants import variables
        from finsam.participants.models import Enrolment

        for model in ASSOCIATION_DATA:
            post_save.connect(_association_data_saved, sender=model, weak=False)
            post_delete.connect(_association_data_saved, sender=model, weak=False)
        for model in REFERENCE_DATA:
            post_save.connect(_reference_data_saved, sender=model, weak=False)
            post_delete.connect(_reference_data_saved, sender=model, weak=False)
        code_sets = [getattr(Enrolment, v.name) for v in variables.VARIABLES if v.multiple]
        for field in (*code_sets, Initiative.target_groups, Initiative.municipalities):
            m2m_changed.connect(_association_m2m_changed, sender=field.through, weak=False)
        m2m_changed.connect(
            _reference_m2m_changed, sender=Association.municipalities.through, weak=False
        )


def association_of(instance) -> int | None:
    """The association of an initiative, or of an enrolment or head count (by its initiative)."""
    from finsam.initiatives.models import Initiative

    if isinstance(instance, Initiative):
        return instance.association_id
    if type(instance).initiative.is_cached(instance):
        return instance.initiative.association_id
    return (
        Initiative.objects.filter(pk=instance.initiative_id)
        .values_list("association_id", flat=True)
        .first()
    )


def _association_data_saved(sender, instance, using, raw=False, **kwargs):
    data_version.changed([association_of(instance)], using=using)


def _reference_data_saved(sender, using, **kwargs):
    data_version.changed(reference=True, using=using)


def _association_m2m_changed(sender, instance, action, reverse, using, **kwargs):
    if action not in M2M_ACTIONS:
        return
    if reverse:  # from the code or municipality's side: any association's rows may change
        data_version.changed(reference=True, using=using)
    else:
        data_version.changed([association_of(instance)], using=using)


def _reference_m2m_changed(sender, action, using, **kwargs):
    if action in M2M_ACTIONS:
        data_version.changed(reference=True, using=using)
