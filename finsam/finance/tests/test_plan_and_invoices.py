"""The operational plan and the cost report read the compensation model and the paid invoices."""

import datetime
from decimal import Decimal

from django.utils import timezone

from finsam.finance.cost_report import initiative_outcome
from finsam.finance.models import CompensationModel, InitiativeBudget, Invoice, InvoiceStatus
from finsam.finance.plan import compensation_model_label


def test_the_plan_names_the_compensation_model(world):
    assert compensation_model_label(world.a_initiative, 2024) == ""
    CompensationModel.objects.create(
        initiative=world.a_initiative,
        year=2024,
        kind="per_participant_week",
        rate_per_week=1500,
        counting_rule="enrolled_weeks",
    )
    label = compensation_model_label(world.a_initiative, 2024)
    assert label.startswith("Per deltagarvecka") and "1\xa0500" in label


def test_the_outcome_is_what_was_paid_else_what_was_entered(world):
    InitiativeBudget.objects.create(
        initiative=world.a_initiative, year=2024, amount=300000, outcome=250000
    )
    assert initiative_outcome(world.a_initiative, 2024) == Decimal(250000)
    for period, status in ((1, InvoiceStatus.PAID), (2, InvoiceStatus.PAID), (3, "submitted")):
        Invoice.objects.create(
            initiative=world.a_initiative,
            year=2024,
            period_kind="quarter",
            period=period,
            amount=60000,
            basis_amount=60000,
            status=status,
            submitted_at=timezone.now() - datetime.timedelta(days=1),
        )
    assert initiative_outcome(world.a_initiative, 2024) == Decimal(120000)
