"""Keep an entry's search text current when its initiative changes (name, owner, municipalities,
target groups) and drop its FTS5 row when it is deleted (with its initiative too)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from finsam.catalogue import search
from finsam.catalogue.models import CatalogueEntry
from finsam.initiatives.models import Initiative


def _reindex(initiative_id) -> None:
    entry = (
        CatalogueEntry.objects.filter(initiative_id=initiative_id)
        .select_related("initiative")
        .first()
    )
    if entry is not None:
        search.index_entry(entry)


@receiver(post_save, sender=Initiative, dispatch_uid="catalogue_initiative_saved")
def initiative_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _reindex(instance.pk)


def initiative_m2m_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Initiative):
        _reindex(instance.pk)


for _through in (Initiative.municipalities.through, Initiative.target_groups.through):
    m2m_changed.connect(
        initiative_m2m_changed, sender=_through, dispatch_uid=f"catalogue_{_through.__name__}"
    )


@receiver(post_delete, sender=CatalogueEntry, dispatch_uid="catalogue_entry_deleted")
def entry_deleted(sender, instance, **kwargs):
    search.unindex_entry(instance.pk)
