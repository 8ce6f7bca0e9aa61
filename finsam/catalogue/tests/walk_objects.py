"""The catalogue's objects and URLs in the permission walk (finsam/core/tests/walk.py)."""

from finsam.catalogue.tests.factories import CatalogueEntryFactory

PDF = b"%PDF-1.7\n%%EOF"


def objects(world, side, association, initiative) -> dict:
    entry = CatalogueEntryFactory(
        initiative=initiative,
        summary=f"Katalogpost ({side})",
        final_report=PDF,
        final_report_name="Slutrapport.pdf",
        final_report_type="application/pdf",
    )
    return {"catalogue_entry": entry, "catalogue_association": association}


def _entry(o):
    return {"slug": o["catalogue_association"].slug, "pk": o["catalogue_entry"].pk}


OBJECT_KWARGS = {
    "catalogue:association": lambda o: {"slug": o["catalogue_association"].slug},
    "catalogue:entry": _entry,
    "catalogue:final_report": _entry,
    "catalogue:edit": lambda o: {"pk": o["catalogue_entry"].initiative_id},
    "catalogue:publish": lambda o: {"pk": o["catalogue_entry"].initiative_id},
}
# Pages without login (no personal data, published entries only).
PUBLIC = {"catalogue:index", "catalogue:association", "catalogue:entry", "catalogue:final_report"}
