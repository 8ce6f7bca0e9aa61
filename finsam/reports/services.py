"""Writes for reporting periods and initiative reports.

Every function takes the caller's `access` and keyword-only arguments, checks the policy itself
(`finsam.core.policy`, `PermissionDenied`), validates with Swedish messages, runs in a
transaction, saves nothing when it raises `ValidationError` and records the change in the change
log (`record_change`). The services also guard the workflow (which status may move to which) and
the content rules.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from finsam.audit.services import diff, record_change, snapshot
from finsam.core import formats
from finsam.reports import selectors
from finsam.reports.models import (
    FINAL_SECTIONS,
    HEADER_FIELDS,
    SECTIONS,
    InitiativeReport,
    ReportComment,
    ReportingPeriod,
    ReportKind,
    ReportStatus,
)

PERIOD_FIELDS = ("name", "kind", "start_date", "end_date", "deadline")
# Sections filled in from the initiative's description when a main report is created.
PREFILLED_FROM_INITIATIVE = ("background", "purpose", "goals", "method")
MAX_TEXT_LENGTH = 50_000
# What the workflow changes, as the change log records it.
WORKFLOW_FIELDS = ("status", "submitted_at", "approved_at")


def _fmt(day: datetime.date | None) -> str:
    return date_format(day, "Y-m-d") if day else ""


# --- Reporting periods ------------------------------------------------------------------------


def _validate_period(period: ReportingPeriod) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    period.name = (period.name or "").strip()
    if not period.name:
        add("name", _("Ange ett namn på perioden."))
    if period.kind not in ReportKind.values:
        add("kind", _("Välj delårsrapport eller slutrapport."))
    for name, label in (
        ("start_date", _("startdatum")),
        ("end_date", _("slutdatum")),
        ("deadline", _("sista inlämningsdag")),
    ):
        if getattr(period, name) is None:
            add(name, _("Ange %(field)s.") % {"field": label})
    if period.start_date and period.end_date and period.end_date < period.start_date:
        add("end_date", _("Slutdatum kan inte vara före startdatum."))
    if period.end_date and period.deadline and period.deadline < period.end_date:
        add("deadline", _("Sista inlämningsdag kan inte vara före periodens slutdatum."))
    if (
        period.name
        and ReportingPeriod.objects.filter(association=period.association_id, name=period.name)
        .exclude(pk=period.pk)
        .exists()
    ):
        add("name", _("Förbundet har redan en period med det namnet."))
    if (
        period.pk
        and period.kind != ReportingPeriod.objects.get(pk=period.pk).kind
        and period.reports.exists()
    ):
        add("kind", _("Typen kan inte ändras när perioden har rapporter."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def period_create(
    *,
    access,
    association,
    name: str,
    kind: str = ReportKind.INTERIM,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    deadline: datetime.date | None,
) -> ReportingPeriod:
    access.require("period.manage", association=association)
    period = ReportingPeriod(
        association=association,
        name=name,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        deadline=deadline,
    )
    _validate_period(period)
    period.full_clean()
    period.save()
    changes = diff({}, snapshot(period, PERIOD_FIELDS))
    record_change(access=access, obj=period, action="period.create", changes=changes)
    return period


@transaction.atomic
def period_update(*, access, period: ReportingPeriod, data: dict) -> ReportingPeriod:
    period = ReportingPeriod.objects.select_for_update(of=("self",)).get(pk=period.pk)
    access.require("period.manage", association=period.association_id)
    before = snapshot(period, PERIOD_FIELDS)
    for name in PERIOD_FIELDS:
        if name in data:
            setattr(period, name, data[name])
    _validate_period(period)
    period.full_clean()
    period.save()
    changes = diff(before, snapshot(period, PERIOD_FIELDS))
    record_change(access=access, obj=period, action="period.update", changes=changes)
    return period


# --- Creating the reports of a period ---------------------------------------------------------


def _project_period(initiative) -> str:
    if initiative.end_date:
        return f"{_fmt(initiative.start_date)} – {_fmt(initiative.end_date)}"
    return _("Från %(start)s") % {"start": _fmt(initiative.start_date)}


def _new_main_report(period: ReportingPeriod, initiative) -> InitiativeReport:
    report = InitiativeReport(
        period=period,
        initiative=initiative,
        kind=period.kind,
        project_name=initiative.name,
        owner_organisation=initiative.owner_organisation,
        project_period=_project_period(initiative),
    )
    for name in PREFILLED_FROM_INITIATIVE:
        setattr(report, name, getattr(initiative, name) or "")
    return report


@transaction.atomic
def reports_create_for_period(
    *,
    access,
    period: ReportingPeriod,
    sub_report_initiative_ids: Iterable[int] = (),
) -> list[InitiativeReport]:
    """Create a report for every initiative of the association active in the period that has
    none yet, and one sub-report per municipality for the initiatives in
    `sub_report_initiative_ids` (which must have at least two municipalities). Existing reports
    are left as they are; returns the reports created."""
    # Lock the period: two clicks at once must not create the reports twice.
    locked = ReportingPeriod.objects.select_for_update(of=("self",)).get(pk=period.pk)
    access.require("period.manage", association=locked.association_id)
    candidates = {c.initiative.pk: c for c in selectors.creation_candidates(period=period)}
    wanted_subs = {int(pk) for pk in sub_report_initiative_ids}
    errors = []
    for pk in sorted(wanted_subs):
        candidate = candidates.get(pk)
        if candidate is None:
            errors.append(_("Insatsen är inte aktiv under perioden eller hör inte till förbundet."))
        elif not candidate.can_have_sub_reports:
            errors.append(
                _("%(name)s har färre än två kommuner och kan inte få delrapporter per kommun.")
                % {"name": candidate.initiative.name}
            )
    if errors:
        raise ValidationError(errors)
    if not candidates:
        raise ValidationError(_("Inga insatser är aktiva under perioden."))

    created: list[InitiativeReport] = []
    main_by_initiative = {
        r.initiative_id: r
        for r in InitiativeReport.objects.filter(period=period, parent__isnull=True)
    }
    for pk, candidate in candidates.items():
        initiative = candidate.initiative
        main = main_by_initiative.get(pk)
        if main is None:
            main = _new_main_report(period, initiative)
            main.full_clean(validate_constraints=False)
            main.save()
            created.append(main)
        if pk in wanted_subs:
            for municipality in candidate.municipalities:
                if municipality.pk in candidate.sub_report_municipality_ids:
                    continue
                sub = InitiativeReport(
                    period=period,
                    initiative=initiative,
                    kind=period.kind,
                    parent=main,
                    municipality=municipality,
                    project_name=f"{initiative.name} – {municipality.name}",
                    owner_organisation=initiative.owner_organisation,
                    project_period=main.project_period,
                )
                sub.full_clean(validate_constraints=False)
                sub.save()
                created.append(sub)
    for report in created:
        changes = diff({}, snapshot(report, ("initiative", "municipality", "kind", "status")))
        record_change(access=access, obj=report, action="report.create", changes=changes)
    return created


# --- Writing ----------------------------------------------------------------------------------


def editable_fields(report: InitiativeReport) -> tuple[str, ...]:
    """The fields a writer may change on this report (header and its sections)."""
    return HEADER_FIELDS + tuple(name for name, _h, _q in report.sections())


def _check_writable(report: InitiativeReport) -> None:
    if report.is_locked:
        raise ValidationError(
            _("Rapporten är %(status)s och kan inte ändras.")
            % {"status": report.get_status_display().lower()}
        )


def _locked_report(access, report: InitiativeReport, action: str) -> InitiativeReport:
    """The report, locked for this change, once `access` may do `action` on its initiative."""
    report = (
        InitiativeReport.objects.select_for_update(of=("self",))
        .select_related("period", "initiative", "municipality")
        .get(pk=report.pk)
    )
    access.require(action, initiative=report.initiative)
    return report


def _report_to_write(access, report: InitiativeReport) -> InitiativeReport:
    """The report, locked for a writer's change; refused once submitted or approved."""
    report = _locked_report(access, report, "report.write")
    _check_writable(report)
    return report


def _clean_value(report: InitiativeReport, field: str, value) -> str:
    value = "" if value is None else str(value)
    value = value.replace("\r\n", "\n")
    model_field = InitiativeReport._meta.get_field(field)
    limit = model_field.max_length or MAX_TEXT_LENGTH
    if len(value) > limit:
        raise ValidationError(
            {
                field: _("Texten är för lång (högst %(limit)s tecken).")
                % {"limit": formats.sv_number(limit, space=" ")}
            }
        )
    if field == "project_name" and not value.strip():
        raise ValidationError({field: _("Ange projektets namn.")})
    return value


@transaction.atomic
def report_autosave(
    *, access, report: InitiativeReport, field: str, value: str
) -> InitiativeReport:
    """Save one field of a draft (the autosave of the report page)."""
    report = _report_to_write(access, report)
    if field not in editable_fields(report):
        raise ValidationError(_("Fältet finns inte i rapporten."))
    before = snapshot(report, [field])
    setattr(report, field, _clean_value(report, field, value))
    report.save(update_fields=[field, "updated_at"])
    _record(access, report, "report.update", before, [field])
    return report


def _record(access, report: InitiativeReport, action: str, before: dict, fields) -> None:
    """One change-log row for `report` if any of `fields` changed (`before`: their values)."""
    changes = diff(before, snapshot(report, fields))
    if changes or action != "report.update":
        record_change(access=access, obj=report, action=action, changes=changes)


@transaction.atomic
def report_update(*, access, report: InitiativeReport, data: dict) -> InitiativeReport:
    """Save the header and sections given in `data` (the page's plain save button)."""
    report = _report_to_write(access, report)
    allowed = editable_fields(report)
    before = snapshot(report, allowed)
    changed = []
    errors: dict[str, list[str]] = {}
    for field, value in data.items():
        if field not in allowed:
            continue
        try:
            setattr(report, field, _clean_value(report, field, value))
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
        changed.append(field)
    if errors:
        raise ValidationError(errors)
    if changed:
        report.save(update_fields=[*changed, "updated_at"])
        _record(access, report, "report.update", before, changed)
    return report


@transaction.atomic
def report_insert_summary(*, access, report: InitiativeReport) -> InitiativeReport:
    """Append the summary sentence of the registrations to the results section."""
    report = _report_to_write(access, report)
    before = snapshot(report, ["results"])
    sentence = selectors.live_summary(report=report)
    if not sentence:
        raise ValidationError(_("Det finns ingen sammanfattning att infoga för den här rapporten."))
    current = report.results.rstrip()
    report.results = f"{current}\n\n{sentence}" if current else sentence
    report.save(update_fields=["results", "updated_at"])
    _record(access, report, "report.update", before, ["results"])
    return report


# --- Workflow ---------------------------------------------------------------------------------


def _missing_sections(report: InitiativeReport) -> list[str]:
    headings = {name: str(heading) for name, heading, _q in SECTIONS + FINAL_SECTIONS}
    return [
        headings[name]
        for name in report.required_sections()
        if not (getattr(report, name) or "").strip()
    ]


@transaction.atomic
def report_submit(*, access, report: InitiativeReport) -> InitiativeReport:
    """Submit a draft or returned report: the required sections must be filled; the
    statistics block is frozen into `statistics_snapshot`."""
    report = _locked_report(access, report, "report.write")
    before = snapshot(report, WORKFLOW_FIELDS)
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise ValidationError(
            _("Rapporten är redan %(status)s.") % {"status": report.get_status_display().lower()}
        )
    missing = _missing_sections(report)
    if missing:
        raise ValidationError(
            _(
                "Rapporten kan inte lämnas in förrän alla obligatoriska avsnitt är ifyllda. "
                "Saknas: %(sections)s."
            )
            % {"sections": ", ".join(missing)}
        )
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.approved_at = None
    report.statistics_snapshot = selectors.statistics_snapshot(report=report)
    report.save(
        update_fields=[
            "status",
            "submitted_at",
            "approved_at",
            "statistics_snapshot",
            "updated_at",
        ]
    )
    _record(access, report, "report.submit", before, WORKFLOW_FIELDS)
    return report


@transaction.atomic
def report_return(*, access, report: InitiativeReport, comment: str) -> InitiativeReport:
    """Send a submitted report back to its writers with a comment saying what to change."""
    report = _locked_report(access, report, "report.return")
    before = snapshot(report, WORKFLOW_FIELDS)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Endast inlämnade rapporter kan skickas tillbaka."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            {"text": _("Skriv en kommentar om vad som behöver ändras innan du skickar tillbaka.")}
        )
    report.status = ReportStatus.RETURNED
    report.save(update_fields=["status", "updated_at"])
    _add_comment(user=access.user, report=report, text=comment)
    _record(access, report, "report.return", before, WORKFLOW_FIELDS)
    return report


@transaction.atomic
def report_approve(*, access, report: InitiativeReport) -> InitiativeReport:
    report = _locked_report(access, report, "report.approve")
    before = snapshot(report, WORKFLOW_FIELDS)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Endast inlämnade rapporter kan godkännas."))
    report.status = ReportStatus.APPROVED
    report.approved_at = timezone.now()
    report.save(update_fields=["status", "approved_at", "updated_at"])
    _record(access, report, "report.approve", before, WORKFLOW_FIELDS)
    return report


def _add_comment(*, user, report: InitiativeReport, text: str) -> ReportComment:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Skriv en kommentar.")})
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError({"text": _("Kommentaren är för lång.")})
    comment = ReportComment(report=report, author=user, text=text)
    comment.full_clean()
    comment.save()
    return comment


@transaction.atomic
def report_comment_add(*, access, report: InitiativeReport, text: str) -> ReportComment:
    access.require("report.comment", initiative=report.initiative)
    comment = _add_comment(user=access.user, report=report, text=text)
    record_change(access=access, obj=comment, action="report.comment", label=str(report))
    return comment
