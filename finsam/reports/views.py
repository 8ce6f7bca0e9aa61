"""Report pages: reporting periods, the period overview, writing a report (with autosave),
the workflow (submit, return, approve) and comments. Thin: the form parses, the service acts,
the view renders.

Reports outside the user's scope answer 404 (`get_report`), actions outside the user's role 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from finsam.core.access import require
from finsam.core.htmx import wants_partial
from finsam.reports import selectors, services
from finsam.reports.compile import can_download_compiled, typeset_chapter
from finsam.reports.compile_jobs import compiled_report_jobs
from finsam.reports.forms import CommentForm, CreateReportsForm, PeriodForm, ReportForm
from finsam.reports.models import ReportingPeriod, ReportStatus
from finsam.reports.scoping import (
    get_report,
    reporting_periods,
    visible_reports,
    writable_reports,
)


def _get_period(request, pk) -> ReportingPeriod:
    try:
        return reporting_periods(request.access).select_related("association").get(pk=pk)
    except (ValueError, ReportingPeriod.DoesNotExist) as exc:
        raise Http404 from exc


def _error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


# --- Periods ----------------------------------------------------------------------------------


@require("period.read")
@require_GET
def period_list(request):
    context = {
        "periods": selectors.period_list(request.access),
        "can_manage": request.access.can("period.manage"),
    }
    return render(request, "reports/period_list.html", context)


@require("period.manage")
@require_http_methods(["GET", "POST"])
def period_create(request):
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_create(
                access=request.access, association=request.access.association, **form.service_data()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Perioden är skapad. Skapa nu insatsernas rapporter."))
            return redirect("reports:create_reports", pk=period.pk)
    return render(request, "reports/period_form.html", {"form": form, "period": None})


@require("period.manage")
@require_http_methods(["GET", "POST"])
def period_edit(request, pk):
    period = _get_period(request, pk)
    form = PeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        try:
            services.period_update(access=request.access, period=period, data=form.service_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Perioden är sparad."))
            return redirect("reports:period", pk=period.pk)
    stored = reporting_periods(request.access).get(pk=period.pk)
    return render(request, "reports/period_form.html", {"form": form, "period": stored})


@require("period.read")
@require_GET
def period_overview(request, pk):
    period = _get_period(request, pk)
    overview = selectors.period_overview(request.access, period)
    context = {
        "period": period,
        "overview": overview,
        "statuses": [
            (status, label, overview.counts[status]) for status, label in ReportStatus.choices
        ],
        "can_manage": request.access.can("period.manage"),
        "can_download_compiled": can_download_compiled(request.access, period),
        "can_download_approved": can_download_compiled(request.access, period, approved_only=True),
        "compiled_jobs": compiled_report_jobs(request.access, period),
        "warning_days": selectors.DEADLINE_WARNING_DAYS,
    }
    return render(request, "reports/period.html", context)


@require("period.manage")
@require_http_methods(["GET", "POST"])
def create_reports(request, pk):
    period = _get_period(request, pk)
    candidates = selectors.creation_candidates(period=period)
    data = request.POST if request.method == "POST" else None
    form = CreateReportsForm(data, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.reports_create_for_period(
                access=request.access,
                period=period,
                sub_report_initiative_ids=form.cleaned_data["sub_reports"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if created:
                messages.success(
                    request,
                    _("%(n)s rapporter skapades.") % {"n": len(created)}
                    if len(created) != 1
                    else _("1 rapport skapades."),
                )
            else:
                messages.info(request, _("Alla insatser har redan rapporter för perioden."))
            return redirect("reports:period", pk=period.pk)
    context = {"period": period, "candidates": candidates, "form": form}
    return render(request, "reports/create_reports.html", context)


# --- My reports -------------------------------------------------------------------------------


@require("report.list_own")
@require_GET
def my_reports(request):
    today = timezone.localdate()
    rows = []
    for report in selectors.my_reports(request.access):
        days_left = (report.period.deadline - today).days
        rows.append(
            selectors.OverviewRow(
                report=report, days_left=days_left, alert=selectors._alert(report, days_left)
            )
        )
    return render(
        request,
        "reports/mine.html",
        {"rows": rows, "warning_days": selectors.DEADLINE_WARNING_DAYS},
    )


# --- One report -------------------------------------------------------------------------------


def _report_context(request, report, *, form=None, comment_form=None, return_form=None):
    access = request.access
    permissions = selectors.report_permissions(access=access, report=report)
    if form is None and permissions["can_edit"]:
        form = ReportForm(report=report)
    sub_reports = []
    if not report.is_sub_report:
        sub_reports = list(
            visible_reports(access)
            .filter(parent=report)
            .select_related("municipality")
            .order_by("municipality__name")
        )
    return {
        "report": report,
        "period": report.period,
        "form": form if permissions["can_edit"] else None,
        "sections": [
            (name, heading, questions, getattr(report, name))
            for name, heading, questions in report.sections()
        ],
        "statistics": selectors.report_statistics(report=report),
        "comments": selectors.report_comments(report=report),
        "comment_form": comment_form or CommentForm(),
        "return_form": return_form or CommentForm(prefix="return"),
        "sub_reports": sub_reports,
        **permissions,
    }


@require_http_methods(["GET", "POST"])
def report_detail(request, pk):
    """The report page: the form for writers while it is a draft, the text otherwise. A POST
    saves every field at once (the page's save button; without JavaScript)."""
    report = get_report(request.access, pk)
    form = None
    if request.method == "POST":
        if not selectors.report_is_writable(access=request.access, report=report):
            raise PermissionDenied
        form = ReportForm(request.POST, report=report)
        if form.is_valid():
            try:
                services.report_update(
                    access=request.access, report=report, data=form.service_data()
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Rapporten är sparad."))
                return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/detail.html", _report_context(request, report, form=form))


def _writable_report_or_error(request, pk):
    """The report if the user may write it, 404 if they cannot see it, 403 otherwise."""
    report = get_report(request.access, pk)
    if not writable_reports(request.access).filter(pk=report.pk).exists():
        raise PermissionDenied
    return report


@require_POST
def report_autosave(request, pk):
    """HTMX: save the one field named in `field`; answer with the small "Sparat 14:32"."""
    report = _writable_report_or_error(request, pk)
    field = request.POST.get("field", "")
    try:
        if field not in request.POST:
            raise ValidationError(_("Fältet finns inte i rapporten."))
        services.report_autosave(
            access=request.access, report=report, field=field, value=request.POST[field]
        )
    except ValidationError as exc:
        context = {"error": _error_text(exc)}
        return render(request, "reports/_saved.html", context, status=422)
    saved_at = time_format(timezone.localtime(), "H:i")
    return render(request, "reports/_saved.html", {"saved_at": saved_at})


@require_POST
def report_insert_summary(request, pk):
    """Append the summary sentence to the results. The button sits in the report form: what
    the form holds is saved first, so nothing typed is lost."""
    report = _writable_report_or_error(request, pk)
    form = ReportForm(request.POST, report=report)
    try:
        if not form.is_valid():
            raise ValidationError([error for errors in form.errors.values() for error in errors])
        if posted := _posted(form):
            services.report_update(access=request.access, report=report, data=posted)
        report = services.report_insert_summary(access=request.access, report=report)
    except ValidationError as exc:
        if wants_partial(request):
            context = {"error": _error_text(exc)}
            response = render(request, "reports/_saved.html", context, status=422)
            response["HX-Retarget"] = "#saved-results"
            response["HX-Reswap"] = "innerHTML"
            return response
        messages.error(request, _error_text(exc))
        return redirect("reports:detail", pk=pk)
    if wants_partial(request):
        fresh = ReportForm(report=report)
        context = {
            "report": report,
            "field": fresh["results"],
            "saved_at": time_format(timezone.localtime(), "H:i"),
        }
        return render(request, "reports/_section_field.html", context)
    messages.success(request, _("Sammanfattningen är infogad i Resultat."))
    return redirect("reports:detail", pk=pk)


def _posted(form: ReportForm) -> dict:
    """Only the fields the request actually carried (a button may post a partial form)."""
    return {name: value for name, value in form.cleaned_data.items() if name in form.data}


@require_POST
def report_submit(request, pk):
    """Submit the report. The button sits in the report form: the text the form holds is saved
    and submitted in one go, so nothing typed since the last autosave is lost (an autosave
    arriving after the submission is refused and changes nothing)."""
    report = _writable_report_or_error(request, pk)
    form = ReportForm(request.POST, report=report)
    if not form.is_valid():
        context = _report_context(request, report, form=form)
        return render(request, "reports/detail.html", context, status=400)

    def save_and_submit():
        if posted := _posted(form):
            services.report_update(access=request.access, report=report, data=posted)
        return services.report_submit(access=request.access, report=report)

    return _freezing_step(request, pk, save_and_submit, _("Rapporten är inlämnad till kansliet."))


def _freezing_step(request, pk, step, done: str):
    """Run `step`, a submission or approval of report `pk` (it returns the report): a refusal
    is shown as an error; on success `done` is shown and the report's chapter typeset, after
    the commit (typesetting takes a while and must not keep the database locked)."""
    try:
        report = step()
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, done)
        transaction.on_commit(lambda: typeset_chapter(report))
    return redirect("reports:detail", pk=pk)


@require("report.return")
@require_POST
def report_return(request, pk):
    report = get_report(request.access, pk)
    return_form = CommentForm(request.POST, prefix="return")
    if return_form.is_valid():
        try:
            services.report_return(
                access=request.access, report=report, comment=return_form.cleaned_data["text"]
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Rapporten är skickad tillbaka till skribenterna."))
            return redirect("reports:detail", pk=pk)
    else:
        messages.error(
            request, _("Skriv en kommentar om vad som behöver ändras innan du skickar tillbaka.")
        )
    context = _report_context(request, report, return_form=return_form)
    return render(request, "reports/detail.html", context, status=400)


@require("report.approve")
@require_POST
def report_approve(request, pk):
    report = get_report(request.access, pk)
    return _freezing_step(
        request,
        pk,
        lambda: services.report_approve(access=request.access, report=report),
        _("Rapporten är godkänd."),
    )


@require_POST
def report_comment(request, pk):
    report = get_report(request.access, pk)
    if not selectors.report_permissions(access=request.access, report=report)["can_comment"]:
        raise PermissionDenied
    comment_form = CommentForm(request.POST)
    if comment_form.is_valid():
        try:
            services.report_comment_add(
                access=request.access, report=report, text=comment_form.cleaned_data["text"]
            )
        except ValidationError as exc:
            comment_form.add_error("text", exc)
        else:
            messages.success(request, _("Kommentaren är sparad."))
            return redirect(reverse("reports:detail", args=[report.pk]) + "#kommentarer")
    context = _report_context(request, report, comment_form=comment_form)
    return render(request, "reports/detail.html", context, status=400)
