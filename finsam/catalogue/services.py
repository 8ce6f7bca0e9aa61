"""Writes of the catalogue: an initiative's entry (its texts and final report) and publishing it.

Each takes the caller's `access`, checks the policy itself, runs in one transaction, keeps the
search index current and records the change in the change log.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.audit.services import diff, record_change, snapshot
from finsam.catalogue import search
from finsam.catalogue.models import ENTRY_TEXT_FIELDS, CatalogueEntry
from finsam.initiatives.models import Initiative

LOGGED_FIELDS = (*ENTRY_TEXT_FIELDS, "final_report_name", "published")


@dataclass(frozen=True)
class ReportFile:
    """A checked final report: its name, content type and bytes (`forms.FinalReportField`)."""

    name: str
    content_type: str
    data: bytes


def _locked_entry(initiative: Initiative) -> CatalogueEntry:
    # Lock the initiative first: two saves of a new entry at once make one entry, not a 500.
    Initiative.objects.select_for_update().filter(pk=initiative.pk).first()
    entry, _created = CatalogueEntry.objects.select_related("initiative").get_or_create(
        initiative=initiative
    )
    return entry


@transaction.atomic
def entry_save(
    *,
    access,
    initiative: Initiative,
    data: dict,
    final_report: ReportFile | None = None,
    remove_final_report: bool = False,
) -> CatalogueEntry:
    """Create or change the catalogue entry of `initiative` (`data`: the texts)."""
    access.require("catalogue.edit", initiative=initiative)
    entry = _locked_entry(initiative)
    before = snapshot(entry, LOGGED_FIELDS)
    for name in ENTRY_TEXT_FIELDS:
        if name in data:
            setattr(entry, name, (data[name] or "").strip())
    if final_report is not None:
        entry.final_report = final_report.data
        entry.final_report_name = final_report.name
        entry.final_report_type = final_report.content_type
    elif remove_final_report:
        entry.final_report, entry.final_report_name, entry.final_report_type = None, "", ""
    if entry.published and not entry.summary:
        raise ValidationError({"summary": _("En publicerad post måste ha en sammanfattning.")})
    entry.updated_by = access.user
    entry.full_clean(exclude=["initiative", "updated_by"])
    entry.save()
    search.index_entry(entry)
    changes = diff(before, snapshot(entry, LOGGED_FIELDS))
    if changes:
        record_change(access=access, obj=entry, action="catalogue.edit", changes=changes)
    return entry


@transaction.atomic
def entry_publish(*, access, initiative: Initiative, published: bool) -> CatalogueEntry:
    """Publish the entry of `initiative` in the public catalogue, or withdraw it. Publishing
    needs a summary. Publishing what is already published (a double submit) changes nothing."""
    access.require("catalogue.publish", initiative=initiative)
    entry = _locked_entry(initiative)
    if entry.published == published:
        return entry
    if published and not entry.summary:
        raise ValidationError(_("Skriv en sammanfattning innan insatsen publiceras i katalogen."))
    entry.published = published
    entry.published_at = timezone.now() if published else None
    entry.updated_by = access.user
    entry.save(update_fields=["published", "published_at", "updated_by", "updated_at"])
    search.changed()
    record_change(
        access=access,
        obj=entry,
        action="catalogue.publish" if published else "catalogue.unpublish",
        changes={"published": [not published, published]},
    )
    return entry
