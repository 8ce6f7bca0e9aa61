"""The invoicing demo (issue 12): seed 002's Stärka individen in Samordningsförbundet Östra
Skaraborg is paid 1 500 kr per participant-week in 2020, capped per municipality (Skövde 1 173 000,
Falköping 894 000, Tidaholm 286 500, Tibro 312 000, Hjo 192 000, Karlsborg 142 500 kr).

The compensation model is set through the service as the secretariat; Hjo gets enough anonymous
enrolments in 2020 (a demo assumption: the seed's three places would not reach the cap) to pass its
cap of 128 weeks during the year; the four quarters of 2020 are invoiced by the owner's report
writer and are in different states (paid, approved by finance, sent back and invoiced again,
submitted). The logins of finance (`ekonomi@…`) and the owner (`agare@…`) are in
`finsam.demo.loading.LOGINS`. Idempotent: what exists is left alone.
"""

from __future__ import annotations

import datetime

from finsam.accounts.models import User
from finsam.finance import invoices, invoicing
from finsam.finance.models import CompensationModel, Invoice, InvoicePeriodKind, InvoicingSettings
from finsam.finance.services import compensation_models_set
from finsam.initiatives.models import Initiative
from finsam.participants.models import Enrolment
from finsam.reference.models import EXIT_WRONG_REGISTRATION, Code, CodeList, Municipality
from finsam.staff.access import build_access

SLUG = "ostra-skaraborg"
NAME = "Stärka individen"
YEAR = 2020
FINANCE_EMAIL = "ekonomi@ostraskaraborg.demo.finsam.se"
OWNER_EMAIL = "agare@ostraskaraborg.demo.finsam.se"
SECRETARIAT_EMAIL = "kansli@ostraskaraborg.demo.finsam.se"
# Hjo passes its cap (192 000 kr = 128 weeks) with this many weeks in the year.
HJO_WEEKS = 150


def _hjo_enrolments(initiative, result) -> None:
    hjo = Municipality.objects.get(code="1497")
    counted = invoicing.participant_weeks(
        [initiative.pk], YEAR, InvoicePeriodKind.QUARTER, as_of=datetime.date(YEAR, 12, 31)
    )
    have = sum(counted.get((initiative.pk, hjo.pk), [0]))
    reason = (
        Code.objects.filter(code_list=CodeList.EXIT_REASON, code="avslutad-enligt-plan").first()
        or Code.objects.filter(code_list=CodeList.EXIT_REASON)
        .exclude(code=EXIT_WRONG_REGISTRATION)
        .first()
    )
    start, end = datetime.date(YEAR, 1, 7), datetime.date(YEAR, 11, 27)  # 47 weeks
    new = []
    while have < HJO_WEEKS:
        new.append(
            Enrolment(
                initiative=initiative,
                anonymous_reason="no_consent",
                gender="woman" if len(new) % 2 else "man",
                age_at_start=35 + len(new),
                home_municipality=hjo,
                start_date=start,
                end_date=end,
                exit_reason=reason,
            )
        )
        have += 47
    Enrolment.objects.bulk_create(new)
    result.add("enrolment", len(new))


def load_invoicing(*, today=None, result) -> None:
    """The invoicing demo in Östra Skaraborg (after the associations, users and enrolments)."""
    initiative = Initiative.objects.filter(association__slug=SLUG, name=NAME).first()
    if initiative is None:
        return
    association = initiative.association
    InvoicingSettings.objects.get_or_create(association=association)
    secretariat = User.objects.get(email=SECRETARIAT_EMAIL)
    sec_access = build_access(secretariat, association.pk)
    finance = User.objects.get(email=FINANCE_EMAIL)
    owner = User.objects.get(email=OWNER_EMAIL)
    if not CompensationModel.objects.filter(initiative=initiative, year=YEAR).exists():
        compensation_models_set(
            access=sec_access,
            initiative=initiative,
            years=[YEAR],
            data={
                "kind": "per_participant_week",
                "rate_per_week": 1500,
                "counting_rule": "enrolled_weeks",
                "caps": {
                    "1496": 1_173_000,  # Skövde
                    "1499": 894_000,  # Falköping
                    "1498": 286_500,  # Tidaholm
                    "1472": 312_000,  # Tibro
                    "1497": 192_000,  # Hjo
                    "1446": 142_500,  # Karlsborg
                },
            },
        )
        result.add("compensationmodel")
    if Invoice.objects.filter(initiative=initiative).exists():
        return
    _hjo_enrolments(initiative, result)
    owner_access = build_access(owner, association.pk)
    fin_access = build_access(finance, association.pk)

    def submit(period, share=1.0, comment=""):
        found = invoicing.basis(initiative, YEAR, period, kind=InvoicePeriodKind.QUARTER)
        return invoices.invoice_submit(
            access=owner_access,
            initiative=initiative,
            year=YEAR,
            period=period,
            amount=int(found.total_available * share),
            comment=comment,
        )

    first = submit(1, comment="Deltagarveckor kvartal 1 enligt underlaget.")
    invoices.invoice_approve(access=sec_access, invoice=first)
    invoices.invoice_approve_finance(access=fin_access, invoice=first)
    invoices.invoice_pay(access=fin_access, invoice=first)
    second = submit(2)
    invoices.invoice_approve(access=sec_access, invoice=second)
    invoices.invoice_approve_finance(access=fin_access, invoice=second)
    third = submit(3, share=0.5)
    invoices.invoice_return(
        access=sec_access,
        invoice=third,
        comment="Beloppet stämmer inte med underlaget; fakturera hela perioden.",
    )
    third = submit(3)
    invoices.invoice_approve(access=sec_access, invoice=third)
    submit(4)
    result.add("invoice", 5)
