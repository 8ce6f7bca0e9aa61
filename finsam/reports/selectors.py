"""Reads for reporting periods and initiative reports.

Scoping comes from `finsam.core.access` (`visible_reports`, `writable_reports`,
`reporting_periods`); the functions here add ordering, prefetching and derived figures.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from finsam.core.access import Access
from finsam.core.roles import Role
from finsam.reports.models import InitiativeReport, ReportingPeriod, ReportStatus
from finsam.reports.scoping import report_writer_initiative_ids, visible_reports, writable_reports
from finsam.statistics import charts as statistics_charts

# Reports not submitted this many days before the deadline are flagged on the overview.
DEADLINE_WARNING_DAYS = 14
# The statistics tables of the report page, after the headline table (contract A dimensions).
REPORT_DIMENSIONS = ("gender", "age_group", "income_before", "exit_reason", "outcome")


# --- Periods and reports ----------------------------------------------------------------------


def initiatives_active_in_period(*, period: ReportingPeriod) -> QuerySet:
    """The association's initiatives whose [start, end] overlaps the period."""
    from finsam.initiatives.models import Initiative

    return (
        Initiative.objects.filter(association_id=period.association_id)
        .active_in(period)
        .order_by("name", "pk")
    )


def reports_for_period(access: Access, period: ReportingPeriod) -> QuerySet:
    """The period's reports the user may read (main and sub-reports), ready for a list."""
    return (
        visible_reports(access)
        .filter(period=period)
        .select_related("initiative", "municipality", "period")
        .order_by("initiative__name", "initiative_id", "municipality__name", "pk")
    )


def compiled_reports(
    period: ReportingPeriod, *, pk: int | None = None, approved_only: bool = False
) -> list[InitiativeReport]:
    """Top-level reports of the period (or the one with `pk`) ordered by initiative name, their
    sub-reports prefetched and ordered by municipality name (for the compiled report). With
    `approved_only`, only the approved reports and, of their sub-reports, the approved ones."""
    subs = InitiativeReport.objects.select_related("municipality", "initiative").order_by(
        "municipality__name", "pk"
    )
    reports = InitiativeReport.objects.filter(period=period, parent__isnull=True)
    if approved_only:
        subs = subs.filter(status=ReportStatus.APPROVED)
        reports = reports.filter(status=ReportStatus.APPROVED)
    return list(
        (reports if pk is None else reports.filter(pk=pk))
        .select_related("initiative", "period", "period__association")
        .prefetch_related(Prefetch("sub_reports", queryset=subs))
        .order_by("initiative__name", "pk")
    )


def not_approved_reports(period: ReportingPeriod) -> list[InitiativeReport]:
    """The period's reports (sub-reports included) not yet approved, by initiative name: what a
    compiled report of the approved reports leaves out."""
    return list(
        InitiativeReport.objects.filter(period=period)
        .exclude(status=ReportStatus.APPROVED)
        .select_related("initiative", "municipality", "parent")
        .order_by("initiative__name", "initiative_id", "parent_id", "municipality__name", "pk")
    )


def period_list(access: Access) -> QuerySet:
    from django.db.models import Count

    from finsam.reports.scoping import reporting_periods

    return reporting_periods(access).annotate(
        report_count=Count("reports", filter=Q(reports__in=visible_reports(access)))
    )


def my_reports(access: Access) -> QuerySet:
    """Reports of the initiatives the user writes for, across periods (newest period first)."""
    return (
        writable_reports(access)
        .filter(initiative_id__in=report_writer_initiative_ids(access))
        .select_related("initiative", "municipality", "period")
        .order_by("-period__end_date", "period_id", "initiative__name", "municipality__name", "pk")
    )


def report_is_writable(*, access: Access, report: InitiativeReport) -> bool:
    """Whether the user may change the report's text now (draft or returned, and theirs)."""
    if report.is_locked:
        return False
    return writable_reports(access).filter(pk=report.pk).exists()


def report_permissions(*, access: Access, report: InitiativeReport) -> dict[str, bool]:
    """What the user may do with the report, for the template."""
    is_writer = access.can("report.write", initiative=report.initiative_id)
    status = report.status
    return {
        "can_edit": is_writer and not report.is_locked,
        "can_submit": is_writer and status in (ReportStatus.DRAFT, ReportStatus.RETURNED),
        "can_return": access.can("report.return") and status == ReportStatus.SUBMITTED,
        "can_approve": access.can("report.approve") and status == ReportStatus.SUBMITTED,
        "can_comment": is_writer,
    }


def report_comments(*, report: InitiativeReport) -> QuerySet:
    return report.comments.select_related("author").order_by("created_at", "pk")


# --- Overview ---------------------------------------------------------------------------------


@dataclass
class OverviewRow:
    report: InitiativeReport
    days_left: int
    # "late" (deadline passed, not submitted), "near" (≤ 14 days left, not submitted) or "".
    alert: str
    sub_rows: list[OverviewRow] = field(default_factory=list)

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)


@dataclass
class PeriodOverview:
    period: ReportingPeriod
    rows: list[OverviewRow]
    counts: dict[str, int]
    total: int
    days_left: int
    late: int
    near: int
    missing_initiatives: list


def _alert(report: InitiativeReport, days_left: int) -> str:
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
        return ""
    if days_left < 0:
        return "late"
    if days_left <= DEADLINE_WARNING_DAYS:
        return "near"
    return ""


def period_overview(
    access: Access, period: ReportingPeriod, *, today: datetime.date | None = None
) -> PeriodOverview:
    """Every visible report of the period with its status and deadline alert, the counts per
    status, and the initiatives active in the period that have no report yet (secretariat)."""
    today = today or timezone.localdate()
    days_left = (period.deadline - today).days
    reports = list(reports_for_period(access, period))
    rows: list[OverviewRow] = []
    by_pk: dict[int, OverviewRow] = {}
    orphans: list[OverviewRow] = []
    for report in reports:
        row = OverviewRow(report=report, days_left=days_left, alert=_alert(report, days_left))
        if report.parent_id is None:
            rows.append(row)
            by_pk[report.pk] = row
        else:
            orphans.append(row)
    for row in orphans:
        parent = by_pk.get(row.report.parent_id)
        if parent is not None:
            parent.sub_rows.append(row)
        else:  # the parent is not visible to this user: list the sub-report on its own
            rows.append(row)
    counts = Counter(r.status for r in reports)
    alerts = Counter(
        _alert(r, days_left) for r in reports if r.status not in (ReportStatus.APPROVED,)
    )
    missing = []
    if access.has(Role.SECRETARIAT):
        missing = list(
            initiatives_active_in_period(period=period)
            .exclude(reports__period=period)
            .only("pk", "name")
        )
    return PeriodOverview(
        period=period,
        rows=rows,
        counts={status: counts.get(status, 0) for status in ReportStatus.values},
        total=len(reports),
        days_left=days_left,
        late=alerts.get("late", 0),
        near=alerts.get("near", 0),
        missing_initiatives=missing,
    )


# --- Creating reports for a period ------------------------------------------------------------


@dataclass
class CreationCandidate:
    initiative: object
    municipalities: list
    has_report: bool
    sub_report_municipality_ids: set

    @property
    def can_have_sub_reports(self) -> bool:
        return len(self.municipalities) >= 2


def creation_candidates(*, period: ReportingPeriod) -> list[CreationCandidate]:
    """The initiatives active in the period, whether they already have a report, and their
    municipalities (sub-reports per municipality are offered when there are at least two)."""
    from finsam.reference.models import Municipality

    initiatives = initiatives_active_in_period(period=period).prefetch_related(
        Prefetch("municipalities", queryset=Municipality.objects.order_by("name"))
    )
    existing = InitiativeReport.objects.filter(period=period).values_list(
        "initiative_id", "municipality_id"
    )
    main: set[int] = set()
    subs: dict[int, set] = {}
    for initiative_id, municipality_id in existing:
        if municipality_id is None:
            main.add(initiative_id)
        else:
            subs.setdefault(initiative_id, set()).add(municipality_id)
    return [
        CreationCandidate(
            initiative=initiative,
            municipalities=list(initiative.municipalities.all()),
            has_report=initiative.pk in main,
            sub_report_municipality_ids=subs.get(initiative.pk, set()),
        )
        for initiative in initiatives
    ]


# --- Statistics block -------------------------------------------------------------------------


@dataclass
class StatisticsBlock:
    """The statistics of a report: tables (engine `Table`s), SVG charts and the summary."""

    tables: list
    charts: list[str]
    summary: str
    frozen: bool  # True: from the snapshot taken at submission
    taken_at: datetime.datetime | None = None

    @property
    def pairs(self):
        return list(zip(self.tables, self.charts, strict=False))


def _parse_taken_at(value) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _report_scope_and_filter(report: InitiativeReport):
    from finsam.statistics.engine import Scope, StatsFilter

    initiative = report.initiative
    scope = Scope.of_initiative(initiative)
    flt = StatsFilter(
        period_start=report.period.start_date,
        period_end=report.period.end_date,
        initiative_ids=(initiative.pk,),
        municipality_ids=(report.municipality_id,) if report.municipality_id else (),
    )
    return scope, flt


def live_statistics_tables(*, report: InitiativeReport) -> list:
    """The report's tables computed now from the registrations: headline, then
    REPORT_DIMENSIONS. A sub-report counts participants living in its municipality."""
    from finsam.statistics import engine

    scope, flt = _report_scope_and_filter(report)
    tables = [engine.headline(scope, flt)]
    tables += [engine.stats_table(scope, flt, dimension) for dimension in REPORT_DIMENSIONS]
    return tables


def live_summary(*, report: InitiativeReport) -> str:
    """The summary sentence for the report's initiative on the period's last day, in Swedish
    like the report it goes into. A sub-report gets none: the sentence describes the whole
    initiative, not one municipality."""
    if report.is_sub_report:
        return ""
    from finsam.statistics.engine import summary_sentence

    return summary_sentence(
        initiative=report.initiative,
        period_start=report.period.start_date,
        on_date=report.period.end_date,
        language="sv",  # the report's text, whatever the language of the page
    )


def report_statistics(*, report: InitiativeReport) -> StatisticsBlock:
    """The statistics block shown with a report: the frozen snapshot once the report has been
    submitted, otherwise computed live from the registrations of the period."""
    snapshot = report.statistics_snapshot or {}
    if report.is_locked and snapshot.get("tables") is not None:
        tables = tables_from_snapshot(snapshot)
        summary = snapshot.get("summary", "")
        frozen = True
        taken_at = _parse_taken_at(snapshot.get("taken_at"))
    else:
        tables = live_statistics_tables(report=report)
        summary = live_summary(report=report)
        frozen = False
        taken_at = None
    charts = [statistics_charts.table_chart_svg(table) for table in tables]
    return StatisticsBlock(
        tables=tables, charts=charts, summary=summary, frozen=frozen, taken_at=taken_at
    )


# --- The snapshot frozen at submission --------------------------------------------------------
#
# {"version": 1, "taken_at": ISO datetime, "period_start": "YYYY-MM-DD", "period_end": ...,
#  "municipality": name or null, "summary": "...",
#  "tables": [{"dimension", "title", "population", "suppressed",
#              "rows": [{"key", "label", "women", "men", "other", "total"}], "total": {...}}]}
# Cell values are ints, or null where suppressed.

SNAPSHOT_VERSION = 1


def _cell_to_json(cell):
    if cell.value is None and getattr(cell, "secondary", False):
        return {"value": None, "secondary": True}
    return cell.value


def _cell_from_json(data):
    from finsam.statistics.engine import Cell

    if isinstance(data, dict):
        return Cell(data.get("value"), secondary=bool(data.get("secondary")))
    return Cell(data)


def _row_to_dict(row) -> dict:
    return {
        "key": row.key,
        "label": str(row.label),
        **{name: _cell_to_json(getattr(row, name)) for name in ("women", "men", "other", "total")},
    }


def _row_from_dict(data: dict, code_labels: dict):
    from finsam.statistics.engine import Row

    label = data["label"]
    return Row(
        key=data["key"],
        label=code_labels.get(label) or gettext(label),
        **{name: _cell_from_json(data[name]) for name in ("women", "men", "other", "total")},
    )


def table_to_dict(table) -> dict:
    return {
        "dimension": table.dimension,
        "title": str(table.title),
        "population": str(table.population),
        "suppressed": bool(table.suppressed),
        "multi_valued": bool(getattr(table, "multi_valued", False)),
        "notes": [str(note) for note in getattr(table, "notes", [])],
        "rows": [_row_to_dict(row) for row in table.rows],
        "total": _row_to_dict(table.total),
    }


def _translated_text(text: str) -> str:
    """A stored Swedish text in the current language; a population note may be two sentences."""
    if not text:
        return text
    translated = gettext(text)
    if translated != text:
        return translated
    return ". ".join(gettext(part) for part in text.split(". "))


def table_from_dict(data: dict, code_labels: dict | None = None):
    """A stored table in the current language: its texts are stored in Swedish (the msgids);
    `code_labels` maps the Swedish labels of code rows to the current language's."""
    from finsam.statistics.engine import Table

    code_labels = code_labels or {}
    return Table(
        dimension=data["dimension"],
        title=gettext(data["title"]),
        rows=[_row_from_dict(row, code_labels) for row in data["rows"]],
        total=_row_from_dict(data["total"], code_labels),
        population=_translated_text(data.get("population", "")),
        suppressed=data.get("suppressed", False),
        multi_valued=data.get("multi_valued", False),
        notes=[_translated_text(note) for note in data.get("notes", [])],
    )


def statistics_snapshot(*, report: InitiativeReport) -> dict:
    """The statistics block of the report as JSON, to freeze at submission."""
    # Stored in Swedish, whatever the submitter's language: translated when read.
    with translation.override("sv"):
        return _statistics_snapshot(report)


def _statistics_snapshot(report: InitiativeReport) -> dict:
    return {
        "version": SNAPSHOT_VERSION,
        "taken_at": timezone.now().isoformat(timespec="seconds"),
        "period_start": report.period.start_date.isoformat(),
        "period_end": report.period.end_date.isoformat(),
        "municipality": report.municipality.name if report.municipality_id else None,
        "summary": live_summary(report=report),
        "tables": [table_to_dict(table) for table in live_statistics_tables(report=report)],
    }


def tables_from_snapshot(snapshot: dict) -> list:
    """The engine `Table`s stored in a report's `statistics_snapshot` (for charts and documents)."""
    from finsam.reference.models import Code

    tables = snapshot.get("tables", [])
    code_labels = {}
    if not (translation.get_language() or "sv").startswith("sv"):
        labels = {row["label"] for data in tables for row in data["rows"]}
        code_labels = {
            code.label_sv: str(code) for code in Code.objects.filter(labels__sv__in=labels)
        }
    return [table_from_dict(data, code_labels) for data in tables]


def approved_report_covers(initiative_id: int, day) -> bool:
    """Whether an approved report of the initiative covers `day` (finance holds the payment of
    an invoice's period until then, where the association says so)."""
    return InitiativeReport.objects.filter(
        initiative_id=initiative_id,
        status=ReportStatus.APPROVED,
        period__start_date__lte=day,
        period__end_date__gte=day,
    ).exists()
