"""The compiled report as one neutral structure, rendered by `pdf.py` and `docx.py`.

`build_document` reads everything the compiled report shows (the period's reports with their
sub-reports, their statistics and the association's totals) and turns it into plain data
classes: chapters, sections, tables with formatted cells, and the engine tables the renderers
draw charts from. The renderers never query the database, so the PDF and the DOCX cannot drift
apart in content.

Statistics: a submitted or approved report shows the tables frozen in its
`statistics_snapshot`; a draft or returned report shows them computed now from the
registrations of the period (and says so).
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.core.formats import sv_date, sv_number, swedish_sort_key
from finsam.reports.chapters import chapter_parts
from finsam.reports.models import InitiativeReport, ReportingPeriod, ReportKind, ReportStatus
from finsam.statistics.engine import small_cell_label

# Tables of a chapter that also get a chart: the income source before the initiative, which says
# whose clients the initiative serves (municipality, Försäkringskassan, Arbetsförmedlingen, the
# region). One chart per chapter keeps the compiled report short and quick to produce; the gender
# split is in the headline table and the summary chapter has charts across initiatives.
CHART_DIMENSIONS = ("income_before",)
# Statistics tables of a chapter, in order (headline first); others in a snapshot are skipped.
CHAPTER_DIMENSIONS = ("headline", "age_group", "income_before", "outcome", "exit_reason")

STATUS_LABELS = {
    ReportStatus.DRAFT: "Utkast – ej inlämnad",
    ReportStatus.RETURNED: "Återsänd för komplettering – ej godkänd",
    ReportStatus.SUBMITTED: "Inlämnad",
    ReportStatus.APPROVED: "Godkänd",
}
MISSING_REPORT = "Rapport saknas"
# The status of an initiative left out of a compiled report of the approved reports only.
NOT_INCLUDED = "Ej godkänd – ingår inte"


# --- The structure ----------------------------------------------------------------------------


@dataclass
class TableRow:
    label: str
    cells: list[str]


@dataclass
class StatTable:
    """A statistics table ready to print: labels, formatted cells, and the engine table the
    chart is drawn from (None: no chart)."""

    title: str
    population: str
    columns: list[str]
    rows: list[TableRow]
    total: TableRow | None
    chart_source: object | None = None
    key: str = ""
    # Filled by a renderer: where its chart is (the image URL in the PDF's HTML).
    rendered_chart: str = ""

    @property
    def has_chart(self) -> bool:
        return self.chart_source is not None

    @property
    def chart_alt(self) -> str:
        """The chart's text alternative: what it shows, in words (PDF and DOCX alike)."""
        from finsam.statistics.charts import table_chart_alt

        return table_chart_alt(self.chart_source) if self.has_chart else ""


@dataclass
class Section:
    heading: str
    paragraphs: list[str]

    @property
    def is_empty(self) -> bool:
        return not self.paragraphs


@dataclass
class Statistics:
    summary: str
    headline: StatTable | None
    tables: list[StatTable]
    note: str
    empty: bool = False
    headline_source: object | None = None  # the engine headline table (for the summary)


@dataclass
class Chapter:
    anchor: str
    title: str
    level: int  # 1 = initiative, 2 = sub-report per municipality
    kicker: str  # e.g. "Delårsrapport – verksamhetsbeskrivning"
    header: list[tuple[str, str]]
    status: str
    status_key: str
    is_final_status: bool  # submitted or approved
    sections_before_statistics: list[Section]
    statistics: Statistics | None
    sections_after_statistics: list[Section]
    sub_chapters: list[Chapter] = field(default_factory=list)
    page: int | None = None  # set when a renderer knows it before laying out the contents
    # What apps above `reports` contribute after the statistics (`finsam.reports.chapters`).
    parts: list = field(default_factory=list)

    @property
    def sections(self) -> list[Section]:
        return self.sections_before_statistics + self.sections_after_statistics


@dataclass
class InitiativeSummaryRow:
    name: str
    anchor: str | None
    women: str
    men: str
    other: str
    total: str
    status: str
    status_key: str


@dataclass
class SummaryChapter:
    anchor: str
    title: str
    intro: list[str]
    headline: StatTable | None
    gender: StatTable | None
    by_initiative: list[StatTable]  # charts only: participants per initiative by gender
    columns: list[str]
    initiatives: list[InitiativeSummaryRow]
    initiatives_total: InitiativeSummaryRow
    notes: list[str]
    status_counts: list[tuple[str, int]]
    page: int | None = None


@dataclass
class CompiledDocument:
    association_name: str
    kind_label: str  # "Delårsrapport" / "Slutrapport"
    title: str  # "Projektsammanställning"
    period_name: str
    period_dates: str
    compiled_on: str
    chapters: list[Chapter]
    summary: SummaryChapter | None  # None when only a chapter is built (to draw its charts ahead)
    # Only the approved reports (not the complete compilation): the reports left out, by
    # initiative ("Initiative (Municipality)" for a sub-report of an approved report).
    approved_only: bool = False
    not_approved: list[str] = field(default_factory=list)

    @property
    def approved_only_notice(self) -> list[str]:
        """What the cover and the contents of a compilation of the approved reports say: that it
        is not the complete compilation, and whose reports it leaves out (PDF and DOCX alike)."""
        if not self.approved_only:
            return []
        lines = [
            _(
                "Godkända rapporter: detta är inte den fullständiga projektsammanställningen. Den "
                "innehåller bara de rapporter som är godkända."
            )
        ]
        if self.not_approved:
            lines.append(
                _("Rapporter som ännu inte är godkända och inte ingår: %(names)s.")
                % {"names": ", ".join(self.not_approved)}
            )
        else:
            lines.append(_("Alla rapporter för perioden är godkända."))
        return lines

    def stat_tables(self):
        """Every statistics table of the document (chapters, sub-chapters, summary)."""
        for chapter in self.chapters:
            for ch in [chapter, *chapter.sub_chapters]:
                if ch.statistics is not None:
                    if ch.statistics.headline is not None:
                        yield ch.statistics.headline
                    yield from ch.statistics.tables
        summary = self.summary
        if summary is not None:
            for table in (summary.headline, summary.gender, *summary.by_initiative):
                if table is not None:
                    yield table

    @property
    def toc(self) -> list[tuple[int, str, str]]:
        """(level, title, anchor) of every chapter and sub-chapter, in order, then the summary."""
        entries = []
        for chapter in self.chapters:
            entries.append((1, chapter.title, chapter.anchor))
            entries += [(2, sub.title, sub.anchor) for sub in chapter.sub_chapters]
        entries.append((1, self.summary.title, self.summary.anchor))
        return entries


# --- Tables -----------------------------------------------------------------------------------


def _cell(cell) -> str:
    value = getattr(cell, "value", cell)
    if value is None:
        display = getattr(cell, "display", None)
        return display if isinstance(display, str) else small_cell_label()
    return sv_number(int(value))


def _is_zero(row) -> bool:
    return all(getattr(c, "value", None) == 0 for c in (row.women, row.men, row.other, row.total))


def stat_table(table, *, chart: bool) -> StatTable:
    """An engine `Table` as a printable table: rows without anyone dropped, the "other" gender
    column only when someone is in it, and a chart when asked and there is something to draw."""
    rows = [row for row in table.rows if not _is_zero(row)]
    with_other = any(getattr(r.other, "value", 0) != 0 for r in [*table.rows, table.total])
    columns = [_("Kvinnor"), _("Män")] + ([_("Annat/ej angivet")] if with_other else [])
    columns.append(_("Totalt"))

    def cells(row) -> list[str]:
        values = [row.women, row.men] + ([row.other] if with_other else []) + [row.total]
        return [_cell(c) for c in values]

    total_value = getattr(table.total.total, "value", None)
    has_data = bool(rows) and total_value != 0
    is_headline = table.dimension == "headline"
    return StatTable(
        title=str(table.title),
        population=_sentence(str(table.population)),
        columns=columns,
        rows=[TableRow(str(row.label), cells(row)) for row in rows],
        # The headline's total repeats its first row ("active"): no separate total line.
        total=None if is_headline else TableRow(str(table.total.label), cells(table.total)),
        # The chart leaves out empty rows too, so it is no taller than it needs to be.
        chart_source=dataclasses.replace(table, rows=rows) if (chart and has_data) else None,
        key=table.dimension,
    )


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def _has_data(table) -> bool:
    value = getattr(table.total.total, "value", None)
    return value is None or value > 0


# --- Statistics of a report -------------------------------------------------------------------


def _report_tables(report: InitiativeReport) -> tuple[list, str, str]:
    """(engine tables, summary sentence, note on where they come from)."""
    from finsam.reports import selectors

    snapshot = report.statistics_snapshot or {}
    if report.is_locked and snapshot.get("tables") is not None:
        tables = selectors.tables_from_snapshot(snapshot)
        summary = snapshot.get("summary", "")
        taken = snapshot.get("taken_at", "")[:10]
        note = _("Statistiken är fryst vid inlämningen%(date)s.") % {
            "date": f" {taken}" if taken else ""
        }
        return tables, summary, note
    tables = selectors.live_statistics_tables(report=report)
    summary = selectors.live_summary(report=report)
    note = _(
        "Rapporten är inte inlämnad: statistiken är beräknad från registreringarna när "
        "sammanställningen gjordes."
    )
    return tables, summary, note


def report_statistics(report: InitiativeReport) -> Statistics:
    tables, summary, note = _report_tables(report)
    by_dimension = {t.dimension: t for t in tables}
    headline = by_dimension.get("headline")
    if report.is_sub_report and report.municipality_id:
        note += " " + _("Deltagare med hemkommun %(municipality)s.") % {
            "municipality": report.municipality.name
        }
    others = [
        stat_table(by_dimension[d], chart=d in CHART_DIMENSIONS)
        for d in CHAPTER_DIMENSIONS[1:]
        if d in by_dimension and _has_data(by_dimension[d])
    ]
    # Volume initiatives have no enrolments, only the headline's row of monthly head counts.
    empty = headline is None or not any(
        getattr(row.total, "value", 0) != 0 for row in [*headline.rows, headline.total]
    )
    return Statistics(
        summary=summary,
        headline=stat_table(headline, chart=False) if headline is not None else None,
        tables=others,
        note=note,
        empty=empty,
        headline_source=headline,
    )


# --- Chapters ---------------------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    """Split a section's text into paragraphs at blank lines (single newlines are kept)."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return []
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def _status(report: InitiativeReport) -> tuple[str, bool]:
    label = STATUS_LABELS.get(report.status, report.get_status_display())
    if report.status == ReportStatus.APPROVED and report.approved_at:
        label += " " + timezone.localdate(report.approved_at).isoformat()
    elif report.status == ReportStatus.SUBMITTED and report.submitted_at:
        label += " " + timezone.localdate(report.submitted_at).isoformat()
    return label, report.is_locked


def _sections(report: InitiativeReport) -> tuple[list[Section], list[Section]]:
    """The report's sections split around the statistics block, which follows "Resultat".
    A submitted or approved report leaves out the optional sections its writers left empty; a
    draft shows them as not filled in."""
    before: list[Section] = []
    after: list[Section] = []
    target = before
    for field_name, heading, _questions in report.sections():
        section = Section(str(heading), _paragraphs(getattr(report, field_name)))
        if not (section.is_empty and report.is_locked):
            target.append(section)
        if field_name == "results":
            target = after
    return before, after


def _kicker(report: InitiativeReport) -> str:
    if report.kind == ReportKind.FINAL:
        return _("Slutrapport – verksamhetsbeskrivning")
    return _("Delårsrapport – verksamhetsbeskrivning")


def build_chapter(report: InitiativeReport, anchor: str) -> Chapter:
    status, final = _status(report)
    before, after = _sections(report)
    if report.is_sub_report:
        title = report.municipality.name
        header = [(_("Kommun"), report.municipality.name)]
    else:
        title = report.initiative.name
        header = [
            (_("Projektets namn"), report.project_name or report.initiative.name),
            (_("Projektägare"), report.owner_organisation or report.initiative.owner_organisation),
            (_("Projektperiod"), report.project_period or _initiative_period(report.initiative)),
        ]
    header.append((_("Rapportstatus"), status))
    chapter = Chapter(
        anchor=anchor,
        title=title,
        level=2 if report.is_sub_report else 1,
        kicker=_kicker(report),
        header=header,
        status=status,
        status_key=report.status,
        is_final_status=final,
        sections_before_statistics=before,
        statistics=report_statistics(report),
        sections_after_statistics=after,
        parts=chapter_parts(report),
    )
    if not before and not after:  # defensive: a report type without sections
        chapter.sections_before_statistics = []
    return chapter


def _initiative_period(initiative) -> str:
    start = initiative.start_date.isoformat()
    end = initiative.end_date.isoformat() if initiative.end_date else _("tills vidare")
    return f"{start} – {end}"


# --- Summary across initiatives ----------------------------------------------------------------


def _headline_counts(table) -> tuple[int | None, int | None, int | None, int | None]:
    """(women, men, other, total) of the headline's "active" row."""
    row = next((r for r in table.rows if r.key == "active"), table.total)
    return tuple(getattr(c, "value", None) for c in (row.women, row.men, row.other, row.total))


def _association_scope(association):
    from finsam.statistics.engine import Scope

    return Scope(
        kind="association",
        label=association.name,
        initiative_ids=None,
        association_ids=frozenset({association.pk}),
        suppress=False,
    )


# The counts of a row by gender, in the order of `_headline_counts`.
GENDER_FIELDS = ("women", "men", "other", "total")


def _by_gender(counts, make) -> dict:
    """(women, men, other, total) counts as the keyword arguments of a row, each made by
    `make` (a cell, or its text)."""
    return {name: make(value) for name, value in zip(GENDER_FIELDS, counts, strict=True)}


def _fmt(value: int | None) -> str:
    return small_cell_label() if value is None else sv_number(value)


def build_summary(
    *,
    association,
    period: ReportingPeriod,
    reports: list,
    chapters: list[Chapter],
    headlines,
    left_out: tuple = (),
) -> SummaryChapter:
    """`left_out`: initiatives whose (not approved) report a compiled report of the approved
    reports leaves out; listed, with their counts from the registrations, like those without."""
    from finsam.reports.selectors import initiatives_active_in_period
    from finsam.statistics import engine

    scope = _association_scope(association)
    flt = engine.StatsFilter(period_start=period.start_date, period_end=period.end_date)
    association_headline = engine.headline(scope, flt)
    gender = engine.stats_table(scope, flt, "gender")

    rows: list[tuple[str, str | None, tuple, str, str]] = []
    for report, chapter, headline in zip(reports, chapters, headlines, strict=True):
        counts = _headline_counts(headline) if headline is not None else (0, 0, 0, 0)
        rows.append((chapter.title, chapter.anchor, counts, chapter.status, report.status))
    missing = list(initiatives_active_in_period(period=period).exclude(reports__period=period))
    for initiative, status, key in [
        *((i, MISSING_REPORT, "missing") for i in missing),
        *((i, NOT_INCLUDED, "not-included") for i in left_out),
    ]:
        flt_one = engine.StatsFilter(
            period_start=period.start_date,
            period_end=period.end_date,
            initiative_ids=(initiative.pk,),
        )
        one_scope = engine.Scope(
            kind="initiative",
            label=initiative.name,
            initiative_ids=frozenset({initiative.pk}),
            association_ids=frozenset({association.pk}),
            suppress=False,
        )
        counts = _headline_counts(engine.headline(one_scope, flt_one))
        rows.append((initiative.name, None, counts, status, key))
    rows.sort(key=lambda r: swedish_sort_key(r[0]))

    with_other = any(r[2][2] for r in rows)
    summary_rows = []
    sums = [0, 0, 0, 0]
    for name, anchor, counts, status, key in rows:
        for i, value in enumerate(counts):
            sums[i] += value or 0
        summary_rows.append(
            InitiativeSummaryRow(
                name=name, anchor=anchor, **_by_gender(counts, _fmt), status=status, status_key=key
            )
        )
    total_row = InitiativeSummaryRow(
        name=_("Summa över insatserna"),
        anchor=None,
        **_by_gender(sums, sv_number),
        status="",
        status_key="",
    )
    columns = [_("Insats"), _("Kvinnor"), _("Män")]
    if with_other:
        columns.append(_("Annat/ej angivet"))
    columns += [_("Totalt"), _("Rapportstatus")]

    women, men, other, total = _headline_counts(association_headline)
    intro = [
        _(
            "Under perioden %(start)s – %(end)s hade %(association)s %(total)s deltaganden i "
            "insatser med personuppföljning, varav %(women)s kvinnor och %(men)s män."
        )
        % {
            "start": sv_date(period.start_date),
            "end": sv_date(period.end_date),
            "association": association.name,
            "total": _fmt(total),
            "women": _fmt(women),
            "men": _fmt(men),
        }
    ]
    status_counts = []
    all_reports = [r for report in reports for r in [report, *report.sub_reports.all()]]
    for status in (
        ReportStatus.APPROVED,
        ReportStatus.SUBMITTED,
        ReportStatus.RETURNED,
        ReportStatus.DRAFT,
    ):
        n = sum(1 for r in all_reports if r.status == status)
        if n:
            status_counts.append((STATUS_LABELS[status], n))
    if left_out:
        status_counts.append((NOT_INCLUDED, len(left_out)))
    if missing:
        status_counts.append((MISSING_REPORT, len(missing)))
    parts = [f"{label.split(' –')[0].lower()}: {n}" for label, n in status_counts]
    intro.append(
        _("Sammanställningen omfattar %(n)s insatsrapporter (%(parts)s).")
        % {"n": len(all_reports), "parts": ", ".join(parts)}
    )
    notes = [
        _(
            "Antalen per insats är deltaganden som var aktiva någon gång under perioden, ur "
            "respektive rapports statistik. En person som deltagit i flera insatser räknas i "
            "varje insats, så summan över insatserna kan vara större än förbundets totala antal."
        )
    ]
    if left_out:
        notes.append(
            _(
                "Sammanställningen omfattar bara godkända rapporter. Insatser vars rapport inte "
                "är godkänd är markerade ”%(label)s”; deras antal är beräknade från "
                "registreringarna."
            )
            % {"label": NOT_INCLUDED}
        )
    if missing:
        notes.append(
            _(
                "Insatser som var aktiva under perioden men saknar rapport är markerade "
                "”%(label)s”; deras antal är beräknade från registreringarna."
            )
            % {"label": MISSING_REPORT}
        )
    return SummaryChapter(
        anchor="sammanfattning",
        title=_("Sammanfattning för förbundet"),
        intro=intro,
        headline=stat_table(association_headline, chart=False),
        gender=stat_table(gender, chart=True) if _has_data(gender) else None,
        by_initiative=_by_initiative_charts(rows),
        columns=columns,
        initiatives=summary_rows,
        initiatives_total=total_row,
        notes=notes,
        status_counts=status_counts,
    )


# Initiatives per chart in the summary chapter: more would make the chart taller than a page.
INITIATIVES_PER_CHART = 12


def _by_initiative_charts(rows) -> list[StatTable]:
    """Participants per initiative by gender as engine tables, for charts comparing the
    initiatives (initiatives without participants, such as volume initiatives, are left out),
    at most INITIATIVES_PER_CHART initiatives per chart."""
    from finsam.statistics.engine import Cell, Row, Table

    def row(key, label, counts):
        return Row(key=key, label=label, **_by_gender(counts, Cell))

    with_participants = [(name, counts) for name, _a, counts, _s, _k in rows if counts[3]]
    charts = []
    n = len(with_participants)
    for start in range(0, n, INITIATIVES_PER_CHART):
        chunk = with_participants[start : start + INITIATIVES_PER_CHART]
        title = _("Deltagare per insats")
        if n > INITIATIVES_PER_CHART:
            title += f" ({start + 1}–{start + len(chunk)} {_('av')} {n})"
        sums = [sum(counts[i] or 0 for _name, counts in chunk) for i in range(4)]
        table = Table(
            dimension="initiative",
            title=title,
            rows=[row(str(start + i), name, counts) for i, (name, counts) in enumerate(chunk)],
            total=row("total", _("Totalt"), sums),
            population=_("deltaganden som var aktiva någon gång under perioden"),
            suppressed=False,
        )
        charts.append(stat_table(table, chart=True))
    return charts


# --- The whole document -----------------------------------------------------------------------


def build_document(
    *,
    association,
    period: ReportingPeriod,
    today: datetime.date | None = None,
    only_report: InitiativeReport | None = None,
    approved_only: bool = False,
) -> CompiledDocument:
    """Everything the compiled report of `association` for `period` shows; with `only_report`
    (a top-level report) only its chapter and no summary, to draw its charts ahead; with
    `approved_only` only the approved reports, naming the initiatives whose reports it leaves
    out."""
    from finsam.reports.selectors import compiled_reports, not_approved_reports

    if period.association_id != association.pk:
        raise ValueError("The period belongs to another association.")
    today = today or timezone.localdate()
    reports = sorted(
        compiled_reports(
            period, pk=only_report.pk if only_report else None, approved_only=approved_only
        ),
        key=lambda r: swedish_sort_key(r.initiative.name),
    )
    chapters: list[Chapter] = []
    headlines = []
    for report in reports:
        # Anchors by report, not by position: a chapter's typeset pages stay valid (pdf.py caches
        # them by content) when another chapter comes before it.
        chapter = build_chapter(report, anchor=f"rapport-{report.pk}")
        for sub in report.sub_reports.all():
            chapter.sub_chapters.append(build_chapter(sub, anchor=f"rapport-{sub.pk}"))
        chapters.append(chapter)
        headlines.append(chapter.statistics.headline_source)
    left_out = not_approved_reports(period) if approved_only else []
    left_out_initiatives = [r.initiative for r in left_out if r.parent_id is None]
    summary = None
    if only_report is None:
        summary = build_summary(
            association=association,
            period=period,
            reports=reports,
            chapters=chapters,
            headlines=headlines,
            left_out=tuple(left_out_initiatives),
        )
    kind_label = _("Slutrapport") if period.kind == ReportKind.FINAL else _("Delårsrapport")
    return CompiledDocument(
        association_name=association.name,
        kind_label=kind_label,
        title=_("Projektsammanställning – godkända rapporter")
        if approved_only
        else _("Projektsammanställning"),
        period_name=period.name,
        period_dates=f"{sv_date(period.start_date)} – {sv_date(period.end_date)}",
        compiled_on=sv_date(today),
        chapters=chapters,
        summary=summary,
        approved_only=approved_only,
        not_approved=_left_out_names(left_out),
    )


def _left_out_names(reports: list[InitiativeReport]) -> list[str]:
    """Initiatives whose report is not approved; a sub-report of an approved report as
    "Initiative (Municipality)". Names of initiatives and municipalities only."""
    not_approved_mains = {r.pk for r in reports if r.parent_id is None}
    names = []
    for report in reports:
        if report.parent_id is None:
            names.append(report.initiative.name)
        elif report.parent_id not in not_approved_mains:
            municipality = report.municipality.name if report.municipality_id else ""
            names.append(f"{report.initiative.name} ({municipality})")
    return sorted(dict.fromkeys(names), key=swedish_sort_key)
