"""Which invoices a user reaches: those of the initiatives they see (`finsam.initiatives.scoping`)
that the policy lets them read invoices of (association-wide for the secretariat, finance and the
operator; assigned initiatives for initiative managers and the owner's applicants)."""

from __future__ import annotations

from django.http import Http404

from finsam.core.access import Access
from finsam.finance.models import Invoice, InvoiceAttachment
from finsam.initiatives.scoping import visible_initiatives


def invoice_initiatives(access: Access):
    qs = visible_initiatives(access)
    if access.can_throughout("invoice.read"):
        return qs
    if not access.can("invoice.read"):
        return qs.none()
    ids = [
        pk for pk in qs.values_list("pk", flat=True) if access.can("invoice.read", initiative=pk)
    ]
    return qs.filter(pk__in=ids)


def visible_invoices(access: Access):
    return Invoice.objects.filter(initiative__in=invoice_initiatives(access))


def get_invoice(access: Access, pk) -> Invoice:
    try:
        return visible_invoices(access).select_related("initiative__association").get(pk=pk)
    except (ValueError, Invoice.DoesNotExist) as exc:
        raise Http404 from exc


def get_attachment(access: Access, pk) -> InvoiceAttachment:
    try:
        return InvoiceAttachment.objects.filter(invoice__in=visible_invoices(access)).get(pk=pk)
    except (ValueError, InvoiceAttachment.DoesNotExist) as exc:
        raise Http404 from exc
