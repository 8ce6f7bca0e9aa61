"""The operational plan's objects of the permission walk (finsam/core/tests/walk.py)."""

from finsam.finance.tests.factories import AssociationYearFactory


def objects(world, side, association, initiative):
    return {"plan_year": AssociationYearFactory(association=association, year=2020)}


OBJECT_KWARGS = {
    f"finance:{name}": (lambda o: {"pk": o["plan_year"].pk})
    for name in (
        "plan",
        "plan_lines",
        "plan_pdf",
        "plan_docx",
        "contribution_key",
        "year_close",
        "cost_report",
        "cost_report_xlsx",
    )
}
