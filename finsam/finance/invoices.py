"""Invoices (issue 12): the owner invoices a period against the invoice basis
(`finsam.finance.invoicing`), the initiative manager or the secretariat approves (step 1), the
association's finance approves (step 2) and pays, or either sends the invoice back with a comment.

Every write locks the rows it decides on (the initiative when invoicing a period, the invoice when
moving it), so a double click finds the first click's result and answers with a message, never a
duplicate; the unique constraint on an active invoice per period is the last guard.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.audit.services import diff, record_change, snapshot
from finsam.finance import invoicing
from finsam.finance.models import (
    CompensationModel,
    Invoice,
    InvoiceAttachment,
    InvoiceLine,
    InvoicePeriodKind,
    InvoiceStatus,
    InvoicingSettings,
    UnitDelivery,
)
from finsam.initiatives.models import Initiative

MAX_ATTACHMENT = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
SETTINGS_FIELDS = (
    "period_kind",
    "hold_until_report_approved",
    "expense_account",
    "payable_account",
    "bank_account",
)
INVOICE_FIELDS = (
    "status",
    "amount",
    "approved_by",
    "finance_approved_by",
    "paid_by",
    "returned_by",
)

paid_total = invoicing.paid_total


def parse_amount(value, field: str = "amount") -> int:
    """Whole kronor, positive, or a ValidationError in Swedish."""
    text = str(value if value is not None else "").replace("\u00a0", "").replace(" ", "")
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValidationError({field: _("Ange beloppet i hela kronor, t.ex. 42000.")}) from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValidationError({field: _("Ange beloppet i hela kronor, t.ex. 42000.")})
    if number < 0:
        raise ValidationError({field: _("Beloppet kan inte vara negativt.")})
    if number == 0:
        raise ValidationError({field: _("Beloppet ska vara större än noll.")})
    if number > Decimal("999999999999"):
        raise ValidationError({field: _("Beloppet är för stort.")})
    return int(number)


def check_pdf(name: str, content: bytes) -> None:
    """An attachment must be a PDF by its content (not its name) and not too large."""
    if len(content) > MAX_ATTACHMENT:
        raise ValidationError(
            {"attachments": _("%(name)s är större än 10 MB.") % {"name": name[:100]}}
        )
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-2048:]:
        raise ValidationError(
            {"attachments": _("%(name)s är inte en PDF-fil.") % {"name": name[:100]}}
        )


def _check_period(year: int, kind: str, period: int) -> None:
    if not 2000 < year < 2200 or not 1 <= period <= invoicing.period_count(kind):
        raise ValidationError({"period": _("Perioden finns inte.")})


def units_set(*, access, initiative: Initiative, year: int, period: int, units) -> UnitDelivery:
    """The owner enters the units delivered in a period (per delivered unit); refused once the
    period is invoiced."""
    access.require("invoice.submit", initiative=initiative)
    kind = invoicing.settings_for(initiative.association).period_kind
    _check_period(year, kind, period)
    try:
        units = int(str(units).strip())
    except ValueError:
        raise ValidationError({"units": _("Ange antalet enheter som ett heltal.")}) from None
    if units < 0:
        raise ValidationError({"units": _("Antalet kan inte vara negativt.")})
    with transaction.atomic():
        Initiative.objects.select_for_update().get(pk=initiative.pk)
        if _active(initiative, year, kind, period).exists():
            raise ValidationError({"units": _("Perioden är redan fakturerad.")})
        found = UnitDelivery.objects.filter(
            initiative=initiative, year=year, period_kind=kind, period=period
        ).first()
        before = {"units": found.units} if found else {}
        delivery, _created = UnitDelivery.objects.update_or_create(
            initiative=initiative,
            year=year,
            period_kind=kind,
            period=period,
            defaults={"units": units},
        )
        record_change(
            access=access,
            obj=delivery,
            action="unit_delivery.set",
            changes=diff(before, {"units": units}),
        )
    return delivery


def _active(initiative, year, kind, period):
    return Invoice.objects.filter(
        initiative=initiative, year=year, period_kind=kind, period=period
    ).filter(invoicing.ACTIVE_INVOICE)


def invoice_submit(
    *,
    access,
    initiative: Initiative,
    year: int,
    period: int,
    amount,
    comment: str = "",
    attachments=(),
    as_of=None,
) -> Invoice:
    """Invoice `period` of `year` for `amount` (whole kronor, at most what the basis leaves,
    which is never above the cap left). `attachments`: (name, bytes) pairs, PDFs."""
    access.require("invoice.submit", initiative=initiative)
    kind = invoicing.settings_for(initiative.association).period_kind
    _check_period(year, kind, period)
    amount = parse_amount(amount)
    attachments = list(attachments)
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("Bifoga högst fem filer.")})
    for name, content in attachments:
        check_pdf(name, content)
    comment = (comment or "").strip()[:4000]
    try:
        with transaction.atomic():
            # One invoice per period: the initiative's row serialises concurrent submits.
            Initiative.objects.select_for_update().get(pk=initiative.pk)
            if _active(initiative, year, kind, period).exists():
                raise ValidationError({"period": _("Perioden är redan fakturerad.")})
            found = invoicing.basis(initiative, year, period, kind=kind, as_of=as_of)
            if found.model is None:
                raise ValidationError(
                    {
                        "period": _("Insatsen har ingen ersättningsmodell för %(year)s.")
                        % {"year": year}
                    }
                )
            available = found.total_available
            if available <= 0:
                raise ValidationError({"amount": _("Det finns inget att fakturera för perioden.")})
            if amount > available:
                raise ValidationError(
                    {
                        "amount": _(
                            "Beloppet är större än underlaget och vad som återstår under taket: "
                            "högst %(available)s kr."
                        )
                        % {"available": f"{available:,}".replace(",", "\u00a0")}
                    }
                )
            invoice = Invoice.objects.create(
                initiative=initiative,
                year=year,
                period_kind=kind,
                period=period,
                amount=amount,
                basis_amount=available,
                comment=comment,
                submitted_by=access.user,
                submitted_at=timezone.now(),
            )
            parts = invoicing.allocate(amount, found.lines)
            InvoiceLine.objects.bulk_create(
                InvoiceLine(
                    invoice=invoice,
                    kind=line.kind,
                    municipality_id=line.municipality_id,
                    quantity=line.weeks[period - 1] or 0,
                    amount=part,
                )
                for line, part in zip(found.lines, parts, strict=True)
                if part or line.weeks[period - 1]
            )
            InvoiceAttachment.objects.bulk_create(
                InvoiceAttachment(
                    invoice=invoice, name=name[:200], content=content, size=len(content)
                )
                for name, content in attachments
            )
            record_change(
                access=access,
                obj=invoice,
                action="invoice.submit",
                changes=diff({}, {"amount": amount, "period": period, "year": year}),
            )
    except IntegrityError:
        raise ValidationError({"period": _("Perioden är redan fakturerad.")}) from None
    return invoice


def _locked(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update().select_related("initiative").get(pk=invoice.pk)


def _move(access, invoice, action, expected, changes, message):
    current = _locked(invoice)
    if current.status != expected:
        raise ValidationError({"status": message})
    before = snapshot(current, INVOICE_FIELDS)
    for name, value in changes.items():
        setattr(current, name, value)
    current.save()
    record_change(
        access=access,
        obj=current,
        action=action,
        changes=diff(before, snapshot(current, INVOICE_FIELDS)),
    )
    return current


@transaction.atomic
def invoice_approve(*, access, invoice: Invoice) -> Invoice:
    """Step 1: the initiative manager or the secretariat (never the one who submitted it)."""
    access.require("invoice.approve", initiative=invoice.initiative)
    if invoice.submitted_by_id == getattr(access.user, "pk", None):
        raise ValidationError(
            {"status": _("Du kan inte godkänna en faktura som du själv lämnat in.")}
        )
    return _move(
        access,
        invoice,
        "invoice.approve",
        InvoiceStatus.SUBMITTED,
        {
            "status": InvoiceStatus.APPROVED,
            "approved_by": access.user,
            "approved_at": timezone.now(),
        },
        _("Fakturan väntar inte på godkännande av insatsen."),
    )


@transaction.atomic
def invoice_approve_finance(*, access, invoice: Invoice) -> Invoice:
    """Step 2: the association's finance."""
    access.require("invoice.approve_finance", initiative=invoice.initiative)
    return _move(
        access,
        invoice,
        "invoice.approve_finance",
        InvoiceStatus.APPROVED,
        {
            "status": InvoiceStatus.FINANCE_APPROVED,
            "finance_approved_by": access.user,
            "finance_approved_at": timezone.now(),
        },
        _("Fakturan väntar inte på godkännande av ekonomi."),
    )


# Whether an approved report of the initiative covers a day: (initiative id, day) -> bool. The
# reports app, which sits above finance, registers it when it starts
# (`register_report_approved_check`); without it no period is held.
_report_approved_on = None


def register_report_approved_check(check) -> None:
    global _report_approved_on
    _report_approved_on = check


def report_approved_for(invoice: Invoice) -> bool:
    """Whether an approved report of the initiative covers the end of the invoice's period."""
    if _report_approved_on is None:
        return True
    _start, end = invoicing.period_bounds(invoice.year, invoice.period_kind, invoice.period)
    return _report_approved_on(invoice.initiative_id, end)


@transaction.atomic
def invoice_pay(*, access, invoice: Invoice) -> Invoice:
    """Mark paid; held until the period's interim report is approved where the association
    says so."""
    access.require("invoice.pay", initiative=invoice.initiative)
    settings = invoicing.settings_for(invoice.initiative.association)
    if settings.hold_until_report_approved and not report_approved_for(invoice):
        raise ValidationError(
            {"status": _("Betalningen väntar tills periodens delrapport är godkänd.")}
        )
    return _move(
        access,
        invoice,
        "invoice.pay",
        InvoiceStatus.FINANCE_APPROVED,
        {"status": InvoiceStatus.PAID, "paid_by": access.user, "paid_at": timezone.now()},
        _("Fakturan är inte godkänd av ekonomi."),
    )


@transaction.atomic
def invoice_return(*, access, invoice: Invoice, comment: str) -> Invoice:
    """Send back with a comment: a submitted invoice by step 1's approvers, an approved one by
    finance. The period may then be invoiced again."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"return_comment": _("Skriv varför fakturan skickas tillbaka.")})
    current = _locked(invoice)
    if current.status == InvoiceStatus.SUBMITTED:
        access.require("invoice.approve", initiative=current.initiative)
    elif current.status == InvoiceStatus.APPROVED:
        access.require("invoice.approve_finance", initiative=current.initiative)
    elif current.status == InvoiceStatus.RETURNED:
        access.require("invoice.read", initiative=current.initiative)
        raise ValidationError({"status": _("Fakturan är redan skickad tillbaka.")})
    else:
        access.require("invoice.read", initiative=current.initiative)
        raise ValidationError({"status": _("En godkänd eller betald faktura kan inte ändras.")})
    return _move(
        access,
        current,
        "invoice.return",
        current.status,
        {
            "status": InvoiceStatus.RETURNED,
            "returned_by": access.user,
            "returned_at": timezone.now(),
            "return_comment": comment[:4000],
        },
        "",
    )


def settings_save(*, access, association, data: dict) -> InvoicingSettings:
    """The association's invoicing settings; the period cannot change in a year with invoices."""
    access.require("invoice.settings", association=association)
    errors = {}
    kind = data.get("period_kind")
    if kind not in InvoicePeriodKind.values:
        errors["period_kind"] = _("Välj kvartal eller halvår.")
    for name in ("expense_account", "payable_account", "bank_account"):
        value = str(data.get(name) or "").strip()
        if not (value.isdigit() and len(value) == 4):
            errors[name] = _("Ange ett kontonummer med fyra siffror.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        settings, _created = InvoicingSettings.objects.select_for_update().get_or_create(
            association=association
        )
        if (
            settings.period_kind != kind
            and Invoice.objects.filter(
                initiative__association=association, year=timezone.localdate().year
            ).exists()
        ):
            raise ValidationError(
                {
                    "period_kind": _(
                        "Årets perioder är redan fakturerade; perioden kan ändras från nästa år."
                    )
                }
            )
        before = snapshot(settings, SETTINGS_FIELDS)
        settings.period_kind = kind
        settings.hold_until_report_approved = bool(data.get("hold_until_report_approved"))
        for name in ("expense_account", "payable_account", "bank_account"):
            setattr(settings, name, str(data[name]).strip())
        settings.save()
        record_change(
            access=access,
            obj=settings,
            action="invoicing_settings.change",
            changes=diff(before, snapshot(settings, SETTINGS_FIELDS)),
        )
    return settings


def model_counting_set(
    *, access, model: CompensationModel, count_anonymous: bool, volume_weeks_per_head_month
) -> CompensationModel:
    """How a per-participant-week model counts anonymous and volume registrations."""
    access.require("budget.change", initiative=model.initiative)
    factor = None
    if volume_weeks_per_head_month not in (None, ""):
        try:
            factor = Decimal(str(volume_weeks_per_head_month).replace(",", "."))
        except InvalidOperation:
            factor = Decimal(-1)
        if not factor.is_finite() or factor < 0 or factor > 31 or factor != round(factor, 2):
            raise ValidationError(
                {
                    "volume_weeks_per_head_month": _(
                        "Ange antal veckor per person och månad, t.ex. 4,33."
                    )
                }
            )
    with transaction.atomic():
        current = CompensationModel.objects.select_for_update().get(pk=model.pk)
        fields = ("count_anonymous", "volume_weeks_per_head_month")
        before = snapshot(current, fields)
        current.count_anonymous = bool(count_anonymous)
        current.volume_weeks_per_head_month = factor
        current.save(update_fields=[*fields, "updated_at"])
        record_change(
            access=access,
            obj=current,
            action="compensation_model.counting",
            changes=diff(before, snapshot(current, fields)),
        )
    return current
