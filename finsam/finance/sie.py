"""The invoices of a year for the association's accounting: an SIE 4 file (the Swedish standard
for moving accounting data, type 4: verifications) and an XLSX list.

SIE 4 as the standard has it: records start with `#`, fields are separated by spaces, texts in
quotes, the file is encoded in CP437 ("#FORMAT PC8"), lines end with CRLF. Each invoice approved by
finance is one verification on its approval day (expense debit, payable credit); each paid
invoice a second one on its payment day (payable debit, bank credit). The account numbers are the
association's `InvoicingSettings` (BAS defaults 4590, 2440, 1930).
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.documents import xlsx
from finsam.finance import invoicing
from finsam.finance.models import Invoice, InvoiceStatus

BOOKED = (InvoiceStatus.FINANCE_APPROVED, InvoiceStatus.PAID)


def _text(value: str) -> str:
    """A quoted SIE field: quotes and backslashes escaped, control characters dropped, only
    what CP437 can hold."""
    value = "".join(ch for ch in str(value) if ch >= " ")
    value = value.replace("\\", "\\\\").replace('"', '\\"')
    value = value.encode("cp437", errors="replace").decode("cp437")
    return f'"{value}"'


def _day(moment) -> str:
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).date()
    return moment.strftime("%Y%m%d")


def booked_invoices(association, year: int):
    return (
        Invoice.objects.filter(initiative__association=association, year=year, status__in=BOOKED)
        .select_related("initiative")
        .order_by("finance_approved_at", "pk")
    )


def sie4(association, year: int, *, now=None) -> bytes:
    """The SIE 4 file of `association`'s booked invoices of `year` (CP437 bytes)."""
    settings = invoicing.settings_for(association)
    now = now or timezone.now()
    accounts = {
        settings.expense_account: _("Kostnader för insatser"),
        settings.payable_account: _("Leverantörsskulder"),
        settings.bank_account: _("Bank"),
    }
    lines = [
        "#FLAGGA 0",
        "#FORMAT PC8",
        "#SIETYP 4",
        f"#PROGRAM {_text('finsam')} {_text('1.0')}",
        f"#GEN {_day(now)}",
        *([f"#ORGNR {association.org_number}"] if association.org_number else []),
        f"#FNAMN {_text(association.name)}",
        f"#RAR 0 {year}0101 {year}1231",
        "#KPTYP BAS2014",
    ]
    lines += [f"#KONTO {number} {_text(name)}" for number, name in sorted(accounts.items())]
    number = 0
    for invoice in booked_invoices(association, year):
        label = f"{invoice.initiative.name} {invoice.period_label} {year}"
        amount = int(invoice.amount)
        number += 1
        day = _day(invoice.finance_approved_at)
        lines += [
            f"#VER {_text('F')} {number} {day} {_text(label)}",
            "{",
            f"#TRANS {settings.expense_account} {{}} {amount}.00",
            f"#TRANS {settings.payable_account} {{}} -{amount}.00",
            "}",
        ]
        if invoice.status == InvoiceStatus.PAID:
            number += 1
            lines += [
                f"#VER {_text('F')} {number} {_day(invoice.paid_at)} "
                f"{_text(_('Betalning') + ' ' + label)}",
                "{",
                f"#TRANS {settings.payable_account} {{}} {amount}.00",
                f"#TRANS {settings.bank_account} {{}} -{amount}.00",
                "}",
            ]
    return ("\r\n".join(lines) + "\r\n").encode("cp437", errors="replace")


def invoices_xlsx(association, year: int) -> bytes:
    """Every invoice of the year (all states) with its lines' total, one row each."""
    book = xlsx.workbook()
    sheet = book.active
    sheet.title = _("Fakturor %(year)s") % {"year": year}
    xlsx.append_title(
        sheet, _("Fakturor %(year)s, %(name)s") % {"year": year, "name": association.name}
    )
    xlsx.append_header(
        sheet,
        [
            _("Insats"),
            _("Period"),
            _("Status"),
            _("Belopp (kr)"),
            _("Underlag (kr)"),
            _("Inlämnad"),
            _("Godkänd av ekonomi"),
            _("Betald"),
        ],
    )
    invoices = (
        Invoice.objects.filter(initiative__association=association, year=year)
        .select_related("initiative")
        .order_by("initiative__name", "period", "submitted_at")
    )
    for invoice in invoices:
        sheet.append(
            [
                xlsx.safe_text(invoice.initiative.name),
                str(invoice.period_label),
                str(invoice.get_status_display()),
                int(invoice.amount),
                int(invoice.basis_amount),
                timezone.localtime(invoice.submitted_at).date(),
                invoice.finance_approved_at
                and timezone.localtime(invoice.finance_approved_at).date(),
                invoice.paid_at and timezone.localtime(invoice.paid_at).date(),
            ]
        )
    xlsx.column_widths(sheet, {1: 36, 2: 12, 3: 20, 4: 14, 5: 14, 6: 12, 7: 12, 8: 12})
    return xlsx.save(book)
