"""The compiled report: content, PDF (table of contents with the right page numbers) and DOCX."""

import datetime
import io
import os
import re

import pytest
from docx import Document
from pypdf import PdfReader

from finsam.core.formats import swedish_sort_key
from finsam.initiatives.tests.factories import InitiativeFactory
from finsam.participants.models import Gender
from finsam.participants.tests.factories import EnrolmentFactory
from finsam.reference.models import Municipality
from finsam.reports import services
from finsam.reports.compile import (
    all_reports_approved,
    compile_docx,
    compile_pdf,
    compiled_filename,
    latest_period_with_reports,
)
from finsam.reports.documents.content import build_document
from finsam.reports.models import InitiativeReport, ReportStatus
from finsam.reports.tests.reporting import FILLED, InitiativeReportFactory, ReportingPeriodFactory
from finsam.staff.access import build_access

TODAY = datetime.date(2021, 9, 15)
LONG_TEXT = "\n\n".join(
    "Deltagarna har under perioden arbetat med kartläggning, hälsa och arbetsträning i egen "
    "takt, med stöd av handledare och i samverkan med Försäkringskassan och Arbetsförmedlingen."
    for _ in range(14)
)


def _enrol(initiative, n, gender, **kwargs):
    for _ in range(n):
        EnrolmentFactory(
            initiative=initiative,
            gender=gender,
            start_date=kwargs.get("start_date", datetime.date(2021, 2, 1)),
            age_at_start=kwargs.get("age", 30),
            home_municipality=kwargs.get("municipality"),
        )


@pytest.fixture
def compiled(world):
    """Association A's period with four initiative reports: Cresco Create (approved, long
    text), Level Upgrade (draft), Stärka individen (approved, with sub-reports for Hjo and
    Skövde) and Åsbo träffpunkt (submitted; sorts last in Swedish)."""
    a = world.a
    hjo = Municipality.objects.get(name="Hjo")
    skovde = Municipality.objects.get(name="Skövde")
    starka = InitiativeFactory(association=a, name="Stärka individen", owner_organisation="Hjo")
    starka.municipalities.set([hjo, skovde])
    asbo = InitiativeFactory(association=a, name="Åsbo träffpunkt")
    _enrol(world.a_initiative, 6, Gender.WOMAN)
    _enrol(world.a_initiative, 5, Gender.MAN, age=22)
    _enrol(world.a_other, 2, Gender.WOMAN)
    _enrol(starka, 3, Gender.WOMAN, municipality=hjo)
    _enrol(starka, 4, Gender.MAN, municipality=skovde)
    period = ReportingPeriodFactory(
        association=a, name="Delårsrapport januari–augusti 2021", deadline=TODAY
    )
    services.reports_create_for_period(
        access=build_access(world.secretariat), period=period, sub_report_initiative_ids=[starka.pk]
    )
    reports = {
        (r.initiative.name, r.municipality.name if r.municipality_id else None): r
        for r in InitiativeReport.objects.filter(period=period).select_related(
            "initiative", "municipality"
        )
    }
    for (name, municipality), report in reports.items():
        if municipality:
            report.results = f"Resultat i {municipality}: deltagarna har tagit steg framåt."
        else:
            for field, value in FILLED.items():
                setattr(report, field, value)
            report.analysis_success_factors = f"Framgångsfaktorer för {name}."
        if name == "Cresco Create":
            report.results = LONG_TEXT
        report.save()
    # The secretariat submits: the initiative manager writes only Cresco Create's reports.
    for key in [("Cresco Create", None), ("Stärka individen", None), ("Åsbo träffpunkt", None)]:
        report = services.report_submit(access=build_access(world.secretariat), report=reports[key])
        if key[0] != "Åsbo träffpunkt":
            services.report_approve(access=build_access(world.secretariat), report=report)
    for municipality in ("Hjo", "Skövde"):
        report = services.report_submit(
            access=build_access(world.secretariat),
            report=reports[("Stärka individen", municipality)],
        )
        services.report_approve(access=build_access(world.secretariat), report=report)
    assert asbo.reports.filter(period=period).exists()
    return period


CHAPTERS = ["Cresco Create", "Level Upgrade", "Stärka individen", "Åsbo träffpunkt"]
SUMMARY = "Sammanfattning för förbundet"
# The charts of the `compiled` period: one per chapter with participants (income before) and
# the summary's gender and per-initiative charts.
CHARTS = 7


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _toc_entries(toc_text: str) -> dict[str, int]:
    """ "Cresco Create.......... 3" lines → {"Cresco Create": 3}."""
    entries = {}
    for line in toc_text.splitlines():
        match = re.match(r"^\s*(.+?)(?:\s*\(.*\))?[\s.]*?\.{3,}\s*(\d+)\s*$", line)
        if match:
            entries[match.group(1).strip(" .")] = int(match.group(2))
    return entries


# --- Content ----------------------------------------------------------------------------------


def test_it_orders_chapters_by_name_the_swedish_way(compiled, world):
    document = build_document(association=world.a, period=compiled, today=TODAY)
    assert [c.title for c in document.chapters] == CHAPTERS
    assert sorted(["Östra", "Åsbo", "Ädel", "Zeta"], key=swedish_sort_key) == [
        "Zeta",
        "Åsbo",
        "Ädel",
        "Östra",
    ]
    starka = document.chapters[2]
    assert [s.title for s in starka.sub_chapters] == ["Hjo", "Skövde"]
    assert [level for level, _t, _a in document.toc] == [1, 1, 1, 2, 2, 1, 1]


def test_it_marks_drafts_and_takes_statistics_from_the_snapshot_when_submitted(compiled, world):
    document = build_document(association=world.a, period=compiled, today=TODAY)
    cresco, level, starka, asbo = document.chapters
    assert level.status == "Utkast – ej inlämnad"
    assert not level.is_final_status
    assert "inte inlämnad" in level.statistics.note
    assert cresco.status.startswith("Godkänd")
    assert asbo.status.startswith("Inlämnad")
    assert "fryst" in cresco.statistics.note
    # Sections left empty are left out of a submitted report, shown as empty in a draft.
    assert "Analys: intag och samverkan" not in [s.heading for s in cresco.sections]
    empty = [s for s in level.sections if s.heading == "Analys: intag och samverkan"]
    assert len(empty) == 1 and empty[0].is_empty
    # Registrations after submission do not change a submitted report's figures...
    _enrol(world.a_initiative, 3, Gender.WOMAN)
    _enrol(world.a_other, 1, Gender.MAN)
    again = build_document(association=world.a, period=compiled, today=TODAY)
    cresco_active = again.chapters[0].statistics.headline.rows[0]
    assert cresco_active.label == "Aktiva någon gång under perioden"
    assert cresco_active.cells == ["6", "5", "11"]
    # ...but a draft's are computed now.
    level_active = again.chapters[1].statistics.headline.rows[0]
    assert level_active.cells == ["2", "1", "3"]


def test_it_counts_sub_reports_by_the_participants_municipality(compiled, world):
    document = build_document(association=world.a, period=compiled, today=TODAY)
    hjo, skovde = document.chapters[2].sub_chapters
    assert hjo.header[0] == ("Kommun", "Hjo")
    assert hjo.statistics.headline.rows[0].cells == ["3", "0", "3"]
    assert skovde.statistics.headline.rows[0].cells == ["0", "4", "4"]
    assert [s.heading for s in hjo.sections][0] == "Resultat"


def test_it_summarises_the_association(compiled, world):
    document = build_document(association=world.a, period=compiled, today=TODAY)
    summary = document.summary
    rows = {row.name: row for row in summary.initiatives}
    assert list(rows) == CHAPTERS
    assert (rows["Cresco Create"].women, rows["Cresco Create"].men) == ("6", "5")
    assert rows["Cresco Create"].total == "11"
    assert rows["Level Upgrade"].status == "Utkast – ej inlämnad"
    assert rows["Åsbo träffpunkt"].total == "0"
    assert summary.initiatives_total.total == "20"
    assert summary.headline.rows[0].cells == ["11", "9", "20"]
    assert summary.gender is not None and summary.gender.has_chart
    assert "20 deltaganden" in summary.intro[0]
    assert "6 insatsrapporter" in summary.intro[1]


def test_it_lists_initiatives_active_in_the_period_without_a_report(compiled, world):
    late = InitiativeFactory(association=world.a, name="Nystart", start_date=TODAY)
    _enrol(late, 2, Gender.MAN, start_date=datetime.date(2021, 9, 10))
    InitiativeFactory(association=world.a, name="Bygget", start_date=datetime.date(2021, 3, 1))
    document = build_document(association=world.a, period=compiled, today=TODAY)
    rows = {row.name: row for row in document.summary.initiatives}
    assert rows["Bygget"].status == "Rapport saknas"
    assert rows["Bygget"].anchor is None
    assert "Nystart" not in rows  # starts after the period


def test_it_refuses_a_period_of_another_association(compiled, world):
    with pytest.raises(ValueError):
        build_document(association=world.b, period=compiled)


def test_it_finds_the_latest_period_with_reports(compiled, world):
    ReportingPeriodFactory(
        association=world.a,
        name="Empty, later",
        start_date=datetime.date(2021, 9, 1),
        end_date=datetime.date(2021, 12, 31),
        deadline=datetime.date(2022, 1, 31),
    )
    assert latest_period_with_reports(world.a) == compiled
    assert latest_period_with_reports(world.b) is None
    assert not all_reports_approved(compiled)
    assert compiled_filename(compiled, "pdf") == (
        "projektsammanstallning-a-delarsrapport-januari-augusti-2021.pdf"
    )


# --- PDF --------------------------------------------------------------------------------------


@pytest.fixture(params=["typst", "weasyprint"])
def pdf_engine(request, settings):
    """Every PDF engine (settings.PDF_ENGINE, pdf.py) must give the same document."""
    settings.PDF_ENGINE = request.param
    return request.param


def _link_targets(pdf: bytes) -> dict[int, list[int]]:
    """Page number → the page numbers its internal links go to."""
    reader = PdfReader(io.BytesIO(pdf))
    dests = reader.named_destinations
    out = {}
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots", []):
            name = annotation.get_object().get("/Dest")
            if name is not None:
                target = reader.get_destination_page_number(dests[str(name)]) + 1
                out.setdefault(number, []).append(target)
    return out


def test_it_renders_a_pdf_whose_contents_point_at_the_chapters(compiled, world, pdf_engine):
    pdf = compile_pdf(association=world.a, period=compiled, today=TODAY)
    assert pdf.startswith(b"%PDF")
    pages = _pages(pdf)
    cover = _flat(pages[0])
    assert "Projektsammanställning" in cover
    assert "DELÅRSRAPPORT" in cover.upper()
    assert "Samordningsförbundet A".upper() in cover.upper()
    assert "Delårsrapport januari–augusti 2021" in cover
    assert "1 januari 2021 – 31 augusti 2021" in cover
    assert "15 september 2021" in cover

    assert pages[1].lstrip().startswith("Innehåll")
    assert "Samordningsförbundet A" in pages[1]  # the running header
    toc = _toc_entries(pages[1])
    assert list(toc) == CHAPTERS[:3] + ["Hjo", "Skövde", CHAPTERS[3], SUMMARY]
    # Cresco Create's long text makes its chapter more than one page long.
    assert toc["Level Upgrade"] > toc["Cresco Create"] + 1
    for title, number in toc.items():
        page = _flat(pages[number - 1])
        previous = _flat(pages[number - 2])
        if title in ("Hjo", "Skövde"):
            assert f"Kommun {title}" in page
            assert f"Kommun {title}" not in previous
        elif title == SUMMARY:
            assert "Deltagare och rapportstatus per insats" in page
        else:
            assert f"Projektets namn {title}" in page
            assert f"Projektets namn {title}" not in previous
    # Footer "Sida x av y" on every page after the cover; the running header names the chapter.
    assert f"Sida 2 av {len(pages)}" in pages[1]
    assert f"Sida {len(pages)} av {len(pages)}" in pages[-1]
    assert "Sida" not in pages[0]
    # The contents link to the chapters, and so does the summary's table of initiatives.
    links = _link_targets(pdf)
    assert set(links[2]) == set(toc.values())
    summary_links = set(links[toc[SUMMARY]] + links.get(toc[SUMMARY] + 1, []))
    assert {toc["Cresco Create"], toc["Level Upgrade"], toc["Åsbo träffpunkt"]} <= summary_links
    # The outline (bookmarks) has the chapters, with the sub-reports under their initiative.
    outline = PdfReader(io.BytesIO(pdf)).outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles == ["Innehåll", *CHAPTERS, SUMMARY]
    assert [item.title for item in outline[4]] == ["Hjo", "Skövde"]
    level_page = _flat(pages[toc["Level Upgrade"] - 1])
    assert "Utkast – ej inlämnad" in level_page
    assert "Statistik för perioden" in _flat(" ".join(pages[toc["Cresco Create"] - 1 :]))
    assert "Den 31 augusti 2021 hade Cresco Create 11 deltagare" in _flat(" ".join(pages))


def test_it_draws_charts_in_the_pdf(compiled, world, monkeypatch):
    drawn = []
    from finsam.statistics import charts

    real = charts.table_chart_svg

    def spy(table):
        drawn.append(table.dimension)
        return real(table)

    monkeypatch.setattr(charts, "table_chart_svg", spy)
    monkeypatch.setattr("finsam.documents.charts.PARALLEL_MIN_CHARTS", 10_000)
    compile_pdf(association=world.a, period=compiled, today=TODAY)
    assert "income_before" in drawn
    assert "age_group" not in drawn  # one chart per chapter; the age groups are a table
    assert "gender" in drawn and "initiative" in drawn  # the summary chapter's charts
    # Drawn once per table content: compiling again draws nothing new.
    drawn.clear()
    compile_pdf(association=world.a, period=compiled, today=TODAY)
    assert drawn == []


# --- DOCX -------------------------------------------------------------------------------------


def test_it_renders_a_docx_with_headings_contents_and_tables(compiled, world):
    data = compile_docx(association=world.a, period=compiled, today=TODAY)
    document = Document(io.BytesIO(data))
    paragraphs = document.paragraphs
    styles = [(p.style.name, p.text) for p in paragraphs]
    headings = [text for style, text in styles if style in ("Heading 1", "Heading 2")]
    assert headings == CHAPTERS[:3] + ["Hjo", "Skövde", CHAPTERS[3], SUMMARY]
    assert [text for style, text in styles if style == "Heading 2"] == ["Hjo", "Skövde"]
    # A real TOC field over the headings, with the titles pre-rendered as its result.
    body = document.element.body.xml
    assert 'TOC \\o "1-2" \\h \\z \\u' in body
    toc = [text for style, text in styles if style in ("toc 1", "toc 2")]
    assert toc == headings
    assert "<w:updateFields" in document.settings.element.xml
    # Page numbers in the footer are fields.
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert document.sections[0].different_first_page_header_footer
    # Statistics tables and charts.
    captions = [text for style, text in styles if style == "Caption"]
    assert "Deltagare under perioden" in captions
    assert "Åldersgrupp (ålder vid start)" in captions
    assert len(document.tables) > 10
    assert len(document.inline_shapes) >= 3
    status_cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "Utkast – ej inlämnad" in status_cells
    all_text = "\n".join(p.text for p in paragraphs)
    assert "Projektsammanställning" in all_text
    assert LONG_TEXT.split("\n\n")[0] in all_text
    assert "Framgångsfaktorer för Level Upgrade." in all_text


def test_it_compiles_a_period_without_reports(world):
    period = ReportingPeriodFactory(association=world.a)
    pdf = compile_pdf(association=world.a, period=period)
    pages = _pages(pdf)
    assert SUMMARY in _flat(" ".join(pages))
    document = Document(io.BytesIO(compile_docx(association=world.a, period=period)))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [SUMMARY]


def test_it_draws_nothing_for_an_initiative_without_participants(world):
    period = ReportingPeriodFactory(association=world.a)
    InitiativeReportFactory(period=period, initiative=world.a_other, filled=True)
    document = build_document(association=world.a, period=period)
    statistics = document.chapters[0].statistics
    assert statistics.empty
    assert not [t for t in document.stat_tables() if t.has_chart]
    assert document.chapters[0].status_key == ReportStatus.DRAFT


def test_it_draws_charts_in_worker_processes_the_same_as_here(settings):
    from finsam.reports.documents import charts
    from finsam.statistics.engine import Cell, Row, Table

    def table(n):
        row = Row(
            key="a",
            label="Försörjningsstöd",
            women=Cell(n),
            men=Cell(2),
            other=Cell(0),
            total=Cell(n + 2),
        )
        return Table(
            dimension="income_before",
            title=f"Tabell {n}",
            rows=[row],
            total=row,
            population="",
            suppressed=False,
        )

    tables = [table(n) for n in range(5, 13)] + [table(5)]  # the last one twice
    settings.COMPILED_REPORT_CHART_WORKERS = 2
    parallel = charts.charts(tables, "svg")
    assert parallel[0] == parallel[-1]
    assert all(svg.lstrip().startswith("<svg") for svg in parallel)
    charts.document_cache.clear()
    settings.COMPILED_REPORT_CHART_WORKERS = 1
    assert charts.charts(tables, "svg") == parallel
    png = charts.chart_png(tables[0])
    assert png.startswith(b"\x89PNG")


def test_only_charts_costly_to_draw_get_worker_processes(settings):
    from finsam.documents.charts import _workers
    from finsam.reports.documents.charts import STATISTICS_CHARTS

    settings.COMPILED_REPORT_CHART_WORKERS = 2
    assert _workers(38, STATISTICS_CHARTS, "svg") == 2  # as configured
    settings.COMPILED_REPORT_CHART_WORKERS = None
    assert _workers(38, STATISTICS_CHARTS, "svg") == 1  # written in well under a millisecond
    assert _workers(38, STATISTICS_CHARTS, "png150") == min(os.cpu_count() or 1, 38)


def test_it_shows_the_head_counts_of_a_volume_initiative(world):
    from finsam.initiatives.tests.factories import HeadCountFactory

    period = ReportingPeriodFactory(association=world.a)
    volume = InitiativeFactory(association=world.a, name="Rehabforum", volume=True)
    HeadCountFactory(initiative=volume, month=datetime.date(2021, 3, 1), women=7, men=3)
    HeadCountFactory(initiative=volume, month=datetime.date(2021, 4, 1), women=2, men=1)
    InitiativeReportFactory(period=period, initiative=volume, filled=True)
    chapter = build_document(association=world.a, period=period).chapters[0]
    assert not chapter.statistics.empty
    rows = {row.label: row.cells for row in chapter.statistics.headline.rows}
    assert rows["Volyminsatser: summa av antal per månad"] == ["9", "4", "13"]


def test_a_changed_report_changes_its_chapter(compiled, world, pdf_engine):
    first = compile_pdf(association=world.a, period=compiled, today=TODAY)
    assert _pages(compile_pdf(association=world.a, period=compiled, today=TODAY)) == _pages(first)
    report = InitiativeReport.objects.get(
        period=compiled, initiative__name="Level Upgrade", parent=None
    )
    report.purpose = "Ett nytt syfte."
    report.save()
    again = _pages(compile_pdf(association=world.a, period=compiled, today=TODAY))
    assert again != _pages(first) and len(again) == len(_pages(first))
    assert "Ett nytt syfte." in _flat(" ".join(again))
    assert "Ett nytt syfte." not in _flat(" ".join(_pages(first)))


def test_report_texts_never_become_markup(compiled, world, pdf_engine):
    from finsam.documents.tests.test_typst import HOSTILE

    report = InitiativeReport.objects.get(
        period=compiled, initiative__name="Level Upgrade", parent=None
    )
    report.purpose = "\n\n".join(HOSTILE)
    report.project_name = HOSTILE[0]
    report.save()
    text = _flat(" ".join(_pages(compile_pdf(association=world.a, period=compiled, today=TODAY))))
    for hostile in HOSTILE:
        assert _flat(hostile) in text, hostile
    assert "root:" not in text


def test_approving_a_report_draws_its_charts_ahead(
    compiled, world, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from finsam.reports import compile as compile_module
    from finsam.statistics import charts

    drawn = []
    real = charts.table_chart_svg

    def spy(table):
        drawn.append(table.dimension)
        return real(table)

    monkeypatch.setattr(charts, "table_chart_svg", spy)
    monkeypatch.setattr("finsam.documents.charts.PARALLEL_MIN_CHARTS", 10_000)
    ahead = []
    monkeypatch.setattr("finsam.reports.views.typeset_chapter", ahead.append)
    asbo = InitiativeReport.objects.get(period=compiled, initiative__name="Åsbo träffpunkt")
    # Drawn once the approval is committed, not holding the database meanwhile.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(world.secretariat).post(reverse("reports:approve", args=[asbo.pk]))
    assert response.status_code == 302 and len(callbacks) == 1
    assert [report.pk for report in ahead] == [asbo.pk]
    level = InitiativeReport.objects.get(period=compiled, initiative__name="Level Upgrade")
    compile_module.typeset_chapter(level)
    assert drawn == ["income_before"]  # Level Upgrade's chart (Åsbo träffpunkt has none)
    drawn.clear()
    compile_pdf(association=world.a, period=compiled)
    assert len(drawn) == CHARTS - 1  # all but Level Upgrade's, drawn ahead


def test_a_failure_to_draw_ahead_does_not_fail_the_approval(
    compiled, world, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from finsam.reports.documents import pdf

    def broken(document):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(pdf, "draw_charts", broken)
    asbo = InitiativeReport.objects.get(period=compiled, initiative__name="Åsbo träffpunkt")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(world.secretariat).post(reverse("reports:approve", args=[asbo.pk]))
    assert response.status_code == 302 and len(callbacks) == 1
    asbo.refresh_from_db()
    assert asbo.status == ReportStatus.APPROVED


def _steps(calls):
    return [(percent, step % args if args else step) for percent, step, args in calls]


def test_it_reports_its_progress_step_by_step(compiled, world, pdf_engine):
    calls = []
    compile_pdf(
        association=world.a,
        period=compiled,
        today=TODAY,
        progress=lambda percent, step, **args: calls.append((percent, step, args)),
    )
    steps = _steps(calls)
    percents = [p for p, _s in steps]
    assert percents == sorted(percents) and percents[0] == 0 and percents[-1] < 100
    texts = [s for _p, s in steps]
    assert texts == [
        "Hämtar rapporter och statistik",
        "Ritar diagrammen och lägger ut sidorna",
        "Skriver PDF-filen",
    ]


def test_the_docx_reports_each_chapter(compiled, world):
    calls = []
    compile_docx(
        association=world.a,
        period=compiled,
        today=TODAY,
        progress=lambda percent, step, **args: calls.append((percent, step, args)),
    )
    texts = [s for _p, s in _steps(calls)]
    n = len(CHAPTERS)
    assert texts == [
        "Hämtar rapporter och statistik",
        "Ritar diagrammen",
        *[f"Skriver kapitel {i} av {n}" for i in range(1, n + 1)],
        "Sparar dokumentet",
    ]


# --- The approved reports only ----------------------------------------------------------------

APPROVED_CHAPTERS = ["Cresco Create", "Stärka individen"]
NOT_APPROVED = ["Level Upgrade", "Åsbo träffpunkt"]


def test_it_compiles_only_the_approved_reports_and_names_the_others(compiled, world):
    document = build_document(association=world.a, period=compiled, today=TODAY, approved_only=True)
    assert [c.title for c in document.chapters] == APPROVED_CHAPTERS
    assert [s.title for s in document.chapters[1].sub_chapters] == ["Hjo", "Skövde"]
    assert document.title == "Projektsammanställning – godkända rapporter"
    assert document.not_approved == NOT_APPROVED
    notice = " ".join(document.approved_only_notice)
    assert "inte den fullständiga projektsammanställningen" in notice
    assert "Level Upgrade, Åsbo träffpunkt." in notice
    # The summary still lists every initiative, those left out without a chapter to link to.
    rows = {row.name: row for row in document.summary.initiatives}
    assert list(rows) == CHAPTERS
    assert rows["Level Upgrade"].status == "Ej godkänd – ingår inte"
    assert rows["Level Upgrade"].anchor is None
    assert rows["Level Upgrade"].total == "2"  # from the registrations
    assert "Utkast – ej inlämnad" not in [row.status for row in rows.values()]
    assert summary_text_mentions_left_out(document)
    # The complete compilation says nothing of the kind.
    complete = build_document(association=world.a, period=compiled, today=TODAY)
    assert complete.approved_only_notice == [] and complete.not_approved == []


def summary_text_mentions_left_out(document) -> bool:
    return any("bara godkända rapporter" in note for note in document.summary.notes)


def test_it_leaves_out_a_sub_report_not_approved(compiled, world):
    skovde = InitiativeReport.objects.get(period=compiled, municipality__name="Skövde")
    InitiativeReport.objects.filter(pk=skovde.pk).update(status=ReportStatus.RETURNED)
    document = build_document(association=world.a, period=compiled, today=TODAY, approved_only=True)
    assert [s.title for s in document.chapters[1].sub_chapters] == ["Hjo"]
    assert document.not_approved == [
        *NOT_APPROVED[:1],
        "Stärka individen (Skövde)",
        NOT_APPROVED[1],
    ]


def test_the_approved_reports_pdf_and_docx_say_what_they_leave_out(compiled, world, pdf_engine):
    LONG = LONG_TEXT.split("\n\n")[0]
    pdf = compile_pdf(association=world.a, period=compiled, today=TODAY, approved_only=True)
    pages = _pages(pdf)
    cover = _flat(pages[0])
    assert "Projektsammanställning – godkända rapporter" in cover
    assert "inte den fullständiga projektsammanställningen" in cover
    assert "Level Upgrade, Åsbo träffpunkt." in cover
    assert "2 insatser" in cover
    assert "inte den fullständiga projektsammanställningen" in _flat(pages[1])  # contents
    toc = _toc_entries(pages[1])
    assert list(toc) == [*APPROVED_CHAPTERS, "Hjo", "Skövde", SUMMARY]
    text = _flat(" ".join(pages))
    assert LONG in text
    assert "Framgångsfaktorer för Stärka individen." in text
    assert "Framgångsfaktorer för Level Upgrade." not in text
    assert "Framgångsfaktorer för Åsbo träffpunkt." not in text
    assert "Utkast – ej inlämnad" not in text

    document = Document(
        io.BytesIO(
            compile_docx(association=world.a, period=compiled, today=TODAY, approved_only=True)
        )
    )
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    headings = [text for style, text in styles if style in ("Heading 1", "Heading 2")]
    assert headings == [*APPROVED_CHAPTERS, "Hjo", "Skövde", SUMMARY]
    all_text = "\n".join(text for _style, text in styles)
    assert all_text.count("inte den fullständiga projektsammanställningen") == 2  # cover, contents
    assert "Level Upgrade, Åsbo träffpunkt." in all_text
    assert "Framgångsfaktorer för Level Upgrade." not in all_text
    assert LONG in all_text


def test_it_compiles_the_approved_reports_when_none_is_approved(world):
    period = ReportingPeriodFactory(association=world.a)
    InitiativeReportFactory(period=period, initiative=world.a_initiative, filled=True)
    pages = _pages(compile_pdf(association=world.a, period=period, approved_only=True))
    text = _flat(" ".join(pages))
    assert "som ännu inte är godkända och inte ingår: Cresco Create." in text
    assert SUMMARY in text
    document = Document(
        io.BytesIO(compile_docx(association=world.a, period=period, approved_only=True))
    )
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [SUMMARY]


def test_the_approved_reports_have_their_own_file_name(compiled):
    assert compiled_filename(compiled, "pdf", approved_only=True) == (
        "projektsammanstallning-godkanda-rapporter-a-delarsrapport-januari-augusti-2021.pdf"
    )
