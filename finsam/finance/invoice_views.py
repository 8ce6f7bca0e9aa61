"""The invoicing pages (issue 12): the invoice basis of an initiative and year, the weeks behind an
amount (pseudonyms only, access-logged), invoicing a period, an invoice and its approval, the
association's invoices with the exports, the invoicing settings and the compensation model of an
initiative where no board decision set it.

Initiatives are scoped by `finsam.initiatives.scoping` (another association's answers 404); the
policy rows `invoice.*` say what a role may do (`finsam.core.policy`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from finsam.associations.forms import BootstrapForm
from finsam.audit.models import Action
from finsam.audit.services import log_access
from finsam.core.access import require
from finsam.finance import compensation as compensation_rules
from finsam.finance import invoices as services
from finsam.finance import invoicing, sie
from finsam.finance.invoice_scoping import get_attachment, get_invoice, visible_invoices
from finsam.finance.models import (
    CompensationKind,
    CompensationModel,
    FixedPeriod,
    InvoicePeriodKind,
    InvoiceStatus,
    UnitDelivery,
)
from finsam.finance.services import compensation_models_set
from finsam.initiatives.scoping import get_initiative, visible_initiatives


def _apply(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _association(request):
    if request.access.association is None:
        raise Http404
    return request.access.association


def _initiative(request, pk):
    initiative = get_initiative(request.access, pk)
    request.access.require("invoice.read", initiative=initiative)
    return initiative


def _asked_year(request) -> int:
    asked = request.GET.get("year", "")
    return _year(int(asked)) if asked.isdigit() and len(asked) == 4 else timezone.localdate().year


def _year(year: int) -> int:
    if not 2000 < year < 2200:
        raise Http404
    return year


# --- Forms -------------------------------------------------------------------------------------


class MultiplePdfInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePdfField(forms.FileField):
    widget = MultiplePdfInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePdfInput(attrs={"accept": "application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultiplePdfField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class InvoiceForm(BootstrapForm):
    amount = forms.CharField(
        label=gettext_lazy("Belopp (kr)"),
        help_text=gettext_lazy("Hela kronor, högst det som går att fakturera för perioden."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    comment = forms.CharField(
        label=gettext_lazy("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultiplePdfField(
        label=gettext_lazy("Bilagor (PDF)"),
        required=False,
        help_text=gettext_lazy("Högst fem PDF-filer om högst 10 MB var."),
    )


class UnitsForm(BootstrapForm):
    units = forms.CharField(
        label=gettext_lazy("Levererade enheter"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class ReturnForm(BootstrapForm):
    return_comment = forms.CharField(
        label=gettext_lazy("Varför skickas fakturan tillbaka?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class SettingsForm(BootstrapForm):
    period_kind = forms.ChoiceField(
        label=gettext_lazy("Faktureringsperiod"), choices=InvoicePeriodKind.choices
    )
    hold_until_report_approved = forms.BooleanField(
        label=gettext_lazy("Betala en period först när periodens delrapport är godkänd"),
        required=False,
    )
    expense_account = forms.CharField(label=gettext_lazy("Konto för insatskostnader"), max_length=4)
    payable_account = forms.CharField(
        label=gettext_lazy("Konto för leverantörsskulder"), max_length=4
    )
    bank_account = forms.CharField(label=gettext_lazy("Konto för bank"), max_length=4)


class CountingForm(BootstrapForm):
    count_anonymous = forms.BooleanField(
        label=gettext_lazy("Räkna anonyma registreringar i sin hemkommun"), required=False
    )
    volume_weeks_per_head_month = forms.CharField(
        label=gettext_lazy("Deltagarveckor per person och månad för volymregistrering"),
        help_text=gettext_lazy("T.ex. 4,33. Lämna tomt om volymregistreringar inte ersätts."),
        required=False,
    )


class ModelForm(BootstrapForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Ersättningsmodell"),
        choices=[("", "—"), *CompensationKind.choices],
        required=False,
    )
    fixed_amount = forms.CharField(label=gettext_lazy("Fast belopp (kr)"), required=False)
    fixed_period = forms.ChoiceField(
        label=gettext_lazy("Period för fast belopp"),
        choices=[("", "—"), *FixedPeriod.choices],
        required=False,
    )
    rate_per_week = forms.CharField(
        label=gettext_lazy("Ersättning per deltagarvecka (kr)"), required=False
    )
    counting_rule = forms.ChoiceField(
        label=gettext_lazy("Räkneregel"),
        choices=[("", "—"), *compensation_rules.COUNTING_RULES.items()],
        required=False,
    )
    unit_name = forms.CharField(label=gettext_lazy("Enhet"), required=False, max_length=100)
    unit_price = forms.CharField(label=gettext_lazy("Pris per enhet (kr)"), required=False)

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = list(municipalities)
        for municipality in self.municipalities:
            self.fields[f"cap_{municipality.code}"] = forms.CharField(
                label=_("Tak för %(name)s (kr per år)") % {"name": municipality.name},
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "numeric"}),
            )

    def data_for_service(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in compensation_rules.EMPTY}
        data["caps"] = {
            m.code: self.cleaned_data[f"cap_{m.code}"]
            for m in self.municipalities
            if self.cleaned_data.get(f"cap_{m.code}")
        }
        return data


# --- Pages -------------------------------------------------------------------------------------


@require_GET
@require("invoice.read")
def home(request):
    """The user's initiatives with their bases, and the invoices (all of the association for
    secretariat and finance)."""
    association = _association(request)
    year = _asked_year(request)
    initiatives = (
        visible_initiatives(request.access)
        .filter(compensation_models__year=year)
        .order_by("name")
        .distinct()
    )
    invoices = visible_invoices(request.access).filter(year=year).select_related("initiative")
    status = request.GET.get("status", "")
    if status in InvoiceStatus.values:
        invoices = invoices.filter(status=status)
    context = {
        "association": association,
        "year": year,
        "years": sorted(
            set(
                CompensationModel.objects.filter(
                    initiative__in=visible_initiatives(request.access)
                ).values_list("year", flat=True)
            )
            | {year, timezone.localdate().year}
        ),
        "initiatives": [i for i in initiatives if request.access.can("invoice.read", initiative=i)],
        "invoices": invoices.order_by("initiative__name", "period", "-submitted_at"),
        "statuses": InvoiceStatus.choices,
        "status": status,
        "can_export": request.access.can("invoice.export", association=association),
        "can_settings": request.access.can("invoice.settings", association=association),
    }
    return render(request, "finance/invoicing/home.html", context)


@require_GET
def basis_page(request, pk, year, period=None):
    initiative = _initiative(request, pk)
    year = _year(year)
    kind = invoicing.settings_for(initiative.association).period_kind
    count = invoicing.period_count(kind)
    if period is None:
        today = timezone.localdate()
        period = invoicing.period_of(year, kind, today) if today.year == year else count
    if not 1 <= period <= count:
        raise Http404
    found = invoicing.basis(initiative, year, period, kind=kind)
    access = request.access
    invoices = visible_invoices(access).filter(initiative=initiative, year=year, period_kind=kind)
    active = invoices.exclude(status=InvoiceStatus.RETURNED).filter(period=period).first()
    index = period - 1
    rows = [
        {
            "line": line,
            "cell": {
                "weeks": line.weeks[index],
                "earned": line.earned[index],
                "basis": line.bases[index],
            },
            "invoiced_year": sum(line.invoiced),
        }
        for line in found.lines
    ]
    context = {
        "initiative": initiative,
        "year": year,
        "period": period,
        "periods": [
            {"number": n, "label": invoicing.period_label_for(kind, n)} for n in range(1, count + 1)
        ],
        "period_label": invoicing.period_label_for(kind, period),
        "basis": found,
        "rows": rows,
        "model_lines": compensation_rules.describe(_model_data(found.model), _names(found.model)),
        "invoices": invoices.order_by("period", "-submitted_at"),
        "active": active,
        "can_submit": access.can("invoice.submit", initiative=initiative) and active is None,
        "can_set_model": access.can("budget.change", initiative=initiative),
        "per_unit": found.model is not None and found.model.kind == CompensationKind.PER_UNIT,
    }
    return render(request, "finance/invoicing/basis.html", context)


def _model_data(model) -> dict:
    if model is None:
        return {}
    return {
        "kind": model.kind,
        "fixed_amount": model.fixed_amount,
        "fixed_period": model.fixed_period,
        "rate_per_week": model.rate_per_week,
        "counting_rule": model.counting_rule,
        "caps": {cap.municipality.code: cap.amount for cap in model.caps.all()},
        "unit_name": model.unit_name,
        "unit_price": model.unit_price,
    }


def _names(model) -> dict:
    if model is None:
        return {}
    return {cap.municipality.code: cap.municipality.name for cap in model.caps.all()}


@require_GET
def weeks_page(request, pk, year, period, municipality):
    """The enrolments behind one municipality's weeks of a period: pseudonyms, dates, weeks; the
    read is access-logged like other pseudonym lists."""
    initiative = _initiative(request, pk)
    year = _year(year)
    kind = invoicing.settings_for(initiative.association).period_kind
    if not 1 <= period <= invoicing.period_count(kind):
        raise Http404
    model = invoicing.model_for(initiative, year)
    if model is None or model.kind not in (
        CompensationKind.PER_PARTICIPANT_WEEK,
        CompensationKind.MIXED,
    ):
        raise Http404
    municipality_id = municipality or None
    rows = invoicing.week_rows(initiative, year, kind, period, municipality_id, model)
    pseudonyms = [row[0] for row in rows if row[0]]
    if pseudonyms:
        log_access(
            access=request.access,
            action=Action.LIST,
            initiative=initiative,
            pseudonyms=pseudonyms,
            fields="invoice basis weeks: pseudonym, start_date, end_date",
        )
    from finsam.reference.models import Municipality

    name = (
        Municipality.objects.filter(pk=municipality_id).values_list("name", flat=True).first()
        if municipality_id
        else _("Hemkommun saknas")
    )
    if municipality_id and name is None:
        raise Http404
    start, end = invoicing.period_bounds(year, kind, period)
    context = {
        "initiative": initiative,
        "year": year,
        "period": period,
        "period_label": invoicing.period_label_for(kind, period),
        "municipality": name,
        "rows": rows,
        "total": sum(row[4] for row in rows),
        "rule": compensation_rules.COUNTING_RULES.get(model.counting_rule, ""),
        "start": start,
        "end": end,
    }
    return render(request, "finance/invoicing/weeks.html", context)


@require_http_methods(["GET", "POST"])
def invoice_new(request, pk, year, period):
    initiative = _initiative(request, pk)
    request.access.require("invoice.submit", initiative=initiative)
    year = _year(year)
    kind = invoicing.settings_for(initiative.association).period_kind
    if not 1 <= period <= invoicing.period_count(kind):
        raise Http404
    form = InvoiceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = [(f.name, f.read()) for f in form.cleaned_data["attachments"]]
        try:
            invoice = services.invoice_submit(
                access=request.access,
                initiative=initiative,
                year=year,
                period=period,
                amount=form.cleaned_data["amount"],
                comment=form.cleaned_data["comment"],
                attachments=files,
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Fakturan är inlämnad."))
            return redirect("invoicing:invoice", invoice.pk)
    found = invoicing.basis(initiative, year, period, kind=kind)
    context = {
        "initiative": initiative,
        "year": year,
        "period": period,
        "period_label": invoicing.period_label_for(kind, period),
        "basis": found,
        "form": form,
    }
    status = 422 if form.errors else 200
    return render(request, "finance/invoicing/invoice_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def units_edit(request, pk, year, period):
    initiative = _initiative(request, pk)
    request.access.require("invoice.submit", initiative=initiative)
    year = _year(year)
    kind = invoicing.settings_for(initiative.association).period_kind
    if not 1 <= period <= invoicing.period_count(kind):
        raise Http404
    found = UnitDelivery.objects.filter(
        initiative=initiative, year=year, period_kind=kind, period=period
    ).first()
    form = UnitsForm(request.POST or None, initial={"units": found.units if found else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.units_set(
                access=request.access,
                initiative=initiative,
                year=year,
                period=period,
                units=form.cleaned_data["units"],
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Antalet levererade enheter är sparat."))
            return redirect("invoicing:basis_period", initiative.pk, year, period)
    context = {
        "initiative": initiative,
        "year": year,
        "period": period,
        "period_label": invoicing.period_label_for(kind, period),
        "form": form,
    }
    return render(
        request,
        "finance/invoicing/units_form.html",
        context,
        status=422 if form.errors else 200,
    )


def _invoice_context(request, invoice, *, return_form=None, error=None):
    access = request.access
    initiative = invoice.initiative
    own = invoice.submitted_by_id == getattr(access.user, "pk", None)
    can_approve = (
        invoice.status == InvoiceStatus.SUBMITTED
        and access.can("invoice.approve", initiative=initiative)
        and not own
    )
    can_finance = invoice.status == InvoiceStatus.APPROVED and access.can(
        "invoice.approve_finance", initiative=initiative
    )
    can_pay = invoice.status == InvoiceStatus.FINANCE_APPROVED and access.can(
        "invoice.pay", initiative=initiative
    )
    return {
        "invoice": invoice,
        "initiative": initiative,
        "lines": invoice.lines.select_related("municipality"),
        "attachments": invoice.attachments.only("pk", "name", "size", "invoice_id"),
        "can_approve": can_approve,
        "can_finance": can_finance,
        "can_pay": can_pay,
        "can_return": can_approve or can_finance,
        "held": can_pay
        and invoicing.settings_for(initiative.association).hold_until_report_approved
        and not services.report_approved_for(invoice),
        "return_form": return_form or ReturnForm(),
        "error": error,
    }


@require_GET
def invoice_detail(request, pk):
    invoice = get_invoice(request.access, pk)
    return render(request, "finance/invoicing/invoice.html", _invoice_context(request, invoice))


ACTIONS = {
    "approve": (services.invoice_approve, gettext_lazy("Fakturan är godkänd.")),
    "approve-finance": (
        services.invoice_approve_finance,
        gettext_lazy("Fakturan är godkänd av ekonomi."),
    ),
    "pay": (services.invoice_pay, gettext_lazy("Fakturan är markerad som betald.")),
}


@require_POST
def invoice_action(request, pk, action):
    invoice = get_invoice(request.access, pk)
    return_form = None
    try:
        if action == "return":
            return_form = ReturnForm(request.POST)
            return_form.is_valid()
            services.invoice_return(
                access=request.access,
                invoice=invoice,
                comment=return_form.cleaned_data.get("return_comment", ""),
            )
            message = _("Fakturan är skickad tillbaka.")
        elif action in ACTIONS:
            service, message = ACTIONS[action]
            service(access=request.access, invoice=invoice)
        else:
            raise Http404
    except ValidationError as exc:
        if return_form is not None and "return_comment" in exc.message_dict:
            return_form.add_error("return_comment", exc.message_dict["return_comment"])
            error = None
        else:
            error = " ".join(m for ms in exc.message_dict.values() for m in ms)
        invoice.refresh_from_db()
        context = _invoice_context(request, invoice, return_form=return_form, error=error)
        return render(request, "finance/invoicing/invoice.html", context, status=422)
    messages.success(request, str(message))
    return redirect("invoicing:invoice", invoice.pk)


@require_GET
def attachment(request, pk):
    found = get_attachment(request.access, pk)
    response = HttpResponse(bytes(found.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bilaga-{found.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@require("invoice.export")
def export_sie(request):
    association = _association(request)
    year = _asked_year(request)
    request.access.require("invoice.export", association=association)
    data = sie.sie4(association, _year(year))
    response = HttpResponse(data, content_type="text/plain; charset=cp437")
    response["Content-Disposition"] = f'attachment; filename="fakturor-{year}.se"'
    return response


@require_GET
@require("invoice.export")
def export_xlsx(request):
    association = _association(request)
    year = _asked_year(request)
    request.access.require("invoice.export", association=association)
    data = sie.invoices_xlsx(association, _year(year))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="fakturor-{year}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
@require("invoice.settings")
def settings_edit(request):
    association = _association(request)
    current = invoicing.settings_for(association)
    initial = {name: getattr(current, name) for name in services.SETTINGS_FIELDS}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_save(
                access=request.access, association=association, data=form.cleaned_data
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Inställningarna är sparade."))
            return redirect("invoicing:home")
    return render(
        request,
        "finance/invoicing/settings.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def model_edit(request, pk, year):
    """The compensation model of an initiative and year: set here where no board decision set it
    (then fixed: a change is a new decision), and how it counts anonymous and volume
    registrations."""
    initiative = _initiative(request, pk)
    if not request.access.can("budget.change", initiative=initiative):
        raise PermissionDenied
    year = _year(year)
    model = invoicing.model_for(initiative, year)
    from finsam.associations.models import Member

    municipalities = [
        m.municipality
        for m in Member.objects.filter(
            association=initiative.association, municipality__isnull=False
        )
        .select_related("municipality")
        .order_by("municipality__name")
    ]
    model_form = counting_form = None
    if model is None:
        model_form = ModelForm(request.POST or None, municipalities=municipalities)
        if request.method == "POST" and model_form.is_valid():
            try:
                compensation_models_set(
                    access=request.access,
                    initiative=initiative,
                    years=[year],
                    data=model_form.data_for_service(),
                )
            except ValidationError as exc:
                _apply(model_form, exc)
            else:
                messages.success(request, _("Ersättningsmodellen är sparad."))
                return redirect("invoicing:model", initiative.pk, year)
    else:
        counting_form = CountingForm(
            request.POST or None,
            initial={
                "count_anonymous": model.count_anonymous,
                "volume_weeks_per_head_month": model.volume_weeks_per_head_month or "",
            },
        )
        if request.method == "POST" and counting_form.is_valid():
            try:
                services.model_counting_set(
                    access=request.access,
                    model=model,
                    count_anonymous=counting_form.cleaned_data["count_anonymous"],
                    volume_weeks_per_head_month=counting_form.cleaned_data[
                        "volume_weeks_per_head_month"
                    ],
                )
            except ValidationError as exc:
                _apply(counting_form, exc)
            else:
                messages.success(request, _("Räknereglerna är sparade."))
                return redirect("invoicing:model", initiative.pk, year)
    form = model_form or counting_form
    context = {
        "initiative": initiative,
        "year": year,
        "model": model,
        "model_lines": compensation_rules.describe(_model_data(model), _names(model)),
        "form": form,
        "model_form": model_form,
        "cap_fields": [model_form[f"cap_{m.code}"] for m in municipalities] if model_form else [],
    }
    status = 422 if form is not None and form.errors else 200
    return render(request, "finance/invoicing/model.html", context, status=status)
