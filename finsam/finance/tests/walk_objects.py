"""Invoicing's objects of the permission walk (finsam/core/tests/walk.py): a per-participant-week
model for 2024 with a cap, a submitted invoice with a PDF attachment."""

import datetime

from django.utils import timezone

from finsam.finance.models import (
    CompensationCap,
    CompensationModel,
    Invoice,
    InvoiceAttachment,
    InvoiceLine,
)
from finsam.reference.tests.factories import MunicipalityFactory

YEAR = 2024


def objects(world, side, association, initiative):
    # The reference data of a migration is gone after a flush (the browser tests): made if needed.
    hjo = MunicipalityFactory(code="1497", name="Hjo")
    model = CompensationModel.objects.create(
        initiative=initiative,
        year=YEAR,
        kind="per_participant_week",
        rate_per_week=1500,
        counting_rule="enrolled_weeks",
    )
    CompensationCap.objects.create(model=model, municipality=hjo, amount=192000)
    invoice = Invoice.objects.create(
        initiative=initiative,
        year=YEAR,
        period_kind="quarter",
        period=1,
        amount=1500,
        basis_amount=1500,
        submitted_by=world.applicant if side == "own" else None,
        submitted_at=timezone.now() - datetime.timedelta(days=1),
    )
    InvoiceLine.objects.create(
        invoice=invoice, kind="weeks", municipality=hjo, quantity=1, amount=1500
    )
    attachment = InvoiceAttachment.objects.create(
        invoice=invoice, name="faktura.pdf", content=b"%PDF-1.7\n%%EOF\n", size=15
    )
    return {"invoice": invoice, "invoice_attachment": attachment, "invoice_hjo": hjo}


def _basis(o):
    return {"pk": o["initiative"].pk, "year": YEAR}


def _period(o):
    return {"pk": o["initiative"].pk, "year": YEAR, "period": 2}


OBJECT_KWARGS = {
    "invoicing:basis": _basis,
    "invoicing:model": _basis,
    "invoicing:basis_period": _period,
    "invoicing:invoice_new": _period,
    "invoicing:units": _period,
    "invoicing:weeks": lambda o: {**_period(o), "municipality": o["invoice_hjo"].pk},
    "invoicing:invoice": lambda o: {"pk": o["invoice"].pk},
    "invoicing:invoice_action": lambda o: {"pk": o["invoice"].pk, "action": "approve"},
    "invoicing:attachment": lambda o: {"pk": o["invoice_attachment"].pk},
}
