"""The compiled report as DOCX (python-docx), for the secretariat to edit further in Word.

The table of contents is a real Word TOC field over the heading styles (Heading 1 for the
initiatives and the summary, Heading 2 for the sub-reports per municipality). Its cached result
is pre-rendered with the chapter titles (without page numbers, which only Word can know for its
own layout), so the list reads right before the fields are updated; the document asks Word to
update its fields when opened (`w:updateFields`), which fills in the page numbers. The footer's
"Sida x av y" are PAGE/NUMPAGES fields that Word always computes. Charts are the statistics
engine's PNG charts.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt

from finsam.core.progress import Progress, silent
from finsam.documents import docx as d
from finsam.documents.docx import AMBER, BLUE, GREEN, GREY, HEADING_FONT, TEXT_WIDTH
from finsam.reports.documents.charts import charts
from finsam.reports.documents.content import Chapter, CompiledDocument, Section, StatTable


def _page_setup(doc, document: CompiledDocument) -> None:
    section = d.a4_section(doc)  # the cover has no running header or footer
    d.running_header(section, document.association_name, document.period_name)
    d.running_footer(section, f"{document.title} · {document.kind_label}", _("Sida"), _("av"))


# --- Content ----------------------------------------------------------------------------------


def _cover(doc, document: CompiledDocument) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(150)
    run = p.add_run(document.association_name.upper())
    d.set_font(run, HEADING_FONT, 15, bold=True, color=BLUE)
    p = doc.add_paragraph()
    run = p.add_run(document.kind_label.upper())
    d.set_font(run, HEADING_FONT, 13, color=GREEN)
    p.paragraph_format.space_after = Pt(4)
    p = d.add_paragraph(doc, style="Title")
    run = p.add_run(document.title)
    d.set_font(run, HEADING_FONT, 32, bold=True, color=BLUE)
    p.paragraph_format.space_after = Pt(24)
    p = doc.add_paragraph()
    run = p.add_run(document.period_name)
    d.set_font(run, HEADING_FONT, 15)
    p = doc.add_paragraph()
    run = p.add_run(document.period_dates)
    d.set_font(run, HEADING_FONT, 11.5, color=GREY)
    p.paragraph_format.space_after = Pt(220)
    if document.approved_only:  # not the complete compilation: said before anything else
        p.paragraph_format.space_after = Pt(24)
        _approved_only_notice(doc, document, space_after=Pt(130))
    p = doc.add_paragraph()
    n = len(document.chapters)
    count = f"{n} {_('insats') if n == 1 else _('insatser')}"
    run = p.add_run(f"{count} · {_('Sammanställd')} {document.compiled_on}")
    d.set_font(run, HEADING_FONT, 9.5)
    p = doc.add_paragraph()
    run = p.add_run(
        _("Sammanställd i finsam från insatsernas rapporter och deltagarregistreringar.")
    )
    d.set_font(run, HEADING_FONT, 8, color=GREY)


def _approved_only_notice(doc, document: CompiledDocument, *, space_after) -> None:
    """That a compilation of the approved reports is not the complete one, and what it lacks."""
    lines = document.approved_only_notice
    for i, line in enumerate(lines):
        p = doc.add_paragraph()
        run = p.add_run(line)
        d.set_font(run, HEADING_FONT, 10.5, bold=i == 0, color=AMBER)
        p.paragraph_format.space_after = space_after if i == len(lines) - 1 else Pt(4)


def _toc(doc, document: CompiledDocument) -> None:
    heading = d.add_paragraph(doc, _("Innehåll"), "TOC Heading")
    heading.paragraph_format.page_break_before = True
    if document.approved_only:
        _approved_only_notice(doc, document, space_after=Pt(12))
    entries = document.toc
    first = d.add_paragraph(doc, style=f"toc {entries[0][0]}")
    d.field_begin(first, 'TOC \\o "1-2" \\h \\z \\u')
    first.add_run(entries[0][1])
    last = first
    for level, title, _anchor in entries[1:]:
        last = d.add_paragraph(doc, title, f"toc {level}")
    d.field_end(last)
    note = d.add_paragraph(
        doc,
        _(
            "Sidnumren fylls i när Word uppdaterar fälten (Word frågar när dokumentet öppnas; "
            "annars: högerklicka på innehållsförteckningen och välj Uppdatera fält)."
        ),
        "Note",
    )
    note.paragraph_format.space_before = Pt(12)


def _section(doc, section: Section) -> None:
    d.add_paragraph(doc, section.heading, "Heading 3")
    if section.is_empty:
        p = doc.add_paragraph()
        run = p.add_run(_("Ej ifyllt."))
        run.italic = True
        run.font.color.rgb = GREY
        return
    for text in section.paragraphs:
        p = doc.add_paragraph()
        lines = text.split("\n")
        for i, line in enumerate(lines):
            run = p.add_run(line)
            if i < len(lines) - 1:
                run.add_break(WD_BREAK.LINE)


def _stat_table(doc, table: StatTable, *, width=TEXT_WIDTH) -> None:
    d.add_paragraph(doc, table.title, "Caption")
    n_cols = 1 + len(table.columns)
    grid = doc.add_table(rows=1, cols=n_cols)
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    d.borders(grid, {"top": ("single", 8, "1D4E6B"), "insideH": ("single", 2, "D5DDE2")})
    header = grid.rows[0]
    d.repeat_header(header)
    d.cell_text(header.cells[0], "", bold=True)
    for cell, label in zip(header.cells[1:], table.columns, strict=True):
        d.cell_text(cell, label, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, color=GREY)
    for cell in header.cells:
        d.cell_border(cell, "bottom", 8, "1D4E6B")
    for row in table.rows:
        cells = grid.add_row().cells
        d.cell_text(cells[0], row.label)
        for cell, value in zip(cells[1:], row.cells, strict=True):
            d.cell_text(cell, value, align=WD_ALIGN_PARAGRAPH.RIGHT)
    if table.total is not None:
        total = grid.add_row()
        d.cell_text(total.cells[0], table.total.label, bold=True)
        for cell, value in zip(total.cells[1:], table.total.cells, strict=True):
            d.cell_text(cell, value, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
        for cell in total.cells:
            d.cell_border(cell, "top", 6, "8A9AA4")
    for row in grid.rows:
        d.cant_split(row)
    number = Cm(2.0)
    d.widths(grid, [width - number * (n_cols - 1)] + [number] * (n_cols - 1))
    d.add_paragraph(doc, table.population, "Note")


def _chart(doc, table: StatTable, png: bytes, *, width=d.CHART_WIDTH) -> None:
    """The chart of `table`, with its text alternative as the picture's description."""
    d.picture(doc, png, alt=table.chart_alt, title=table.title, width=width)


def _header_block(doc, chapter: Chapter) -> None:
    block = doc.add_table(rows=0, cols=2)
    d.borders(block, {})
    for label, value in chapter.header:
        cells = block.add_row().cells
        d.cell_text(cells[0], label, bold=True, color=GREY, size=9)
        d.cell_text(cells[1], value, size=9)
        for cell in cells:
            d.shade(cell._tc.get_or_add_tcPr(), "F2F6F8")
    d.widths(block, [Cm(3.6), TEXT_WIDTH - Cm(3.6)])
    doc.add_paragraph().paragraph_format.space_after = Pt(2)


def _statistics(doc, chapter: Chapter, pngs: dict) -> None:
    st = chapter.statistics
    d.add_paragraph(doc, _("Statistik för perioden"), "Heading 3")
    if st.summary:
        p = doc.add_paragraph(st.summary)
        d.shade(p._p.get_or_add_pPr(), "EEF5F3")
        p.paragraph_format.left_indent = Cm(0.2)
    if st.empty:
        p = doc.add_paragraph()
        run = p.add_run(_("Inga deltagare registrerade under perioden."))
        run.italic = True
    else:
        if st.headline is not None:
            _stat_table(doc, st.headline)
        for table in st.tables:
            _stat_table(doc, table)
            if table.has_chart:
                _chart(doc, table, pngs[id(table)])
    d.add_paragraph(doc, st.note, "Note")


def _chapter(doc, chapter: Chapter, pngs: dict) -> None:
    if chapter.level == 1:
        d.add_paragraph(doc, chapter.kicker, "Kicker").paragraph_format.page_break_before = True
        heading = d.add_paragraph(doc, chapter.title, "Heading 1")
        heading.paragraph_format.page_break_before = False
    else:
        d.add_paragraph(doc, chapter.title, "Heading 2")
    if not chapter.is_final_status:
        p = doc.add_paragraph()
        run = p.add_run(chapter.status)
        d.set_font(run, HEADING_FONT, 9, bold=True, color=AMBER)
        d.shade(p._p.get_or_add_pPr(), "FFF3CD")
    _header_block(doc, chapter)
    for section in chapter.sections_before_statistics:
        _section(doc, section)
    if chapter.statistics is not None:
        _statistics(doc, chapter, pngs)
    for part in chapter.parts:
        d.add_paragraph(doc, part.heading, "Heading 3")
        for text in part.paragraphs:
            doc.add_paragraph(text)
        for table in part.tables:
            _stat_table(doc, table)
        if part.note:
            d.add_paragraph(doc, part.note, "Note")
    for section in chapter.sections_after_statistics:
        _section(doc, section)
    for sub in chapter.sub_chapters:
        _chapter(doc, sub, pngs)


def _summary(doc, document: CompiledDocument, pngs: dict) -> None:
    s = document.summary
    d.add_paragraph(doc, f"{document.kind_label} · {document.period_name}", "Kicker")
    doc.paragraphs[-1].paragraph_format.page_break_before = True
    d.add_paragraph(doc, s.title, "Heading 1").paragraph_format.page_break_before = False
    for text in s.intro:
        doc.add_paragraph(text)
    if s.headline is not None:
        _stat_table(doc, s.headline)
    if s.gender is not None:
        _stat_table(doc, s.gender)
        if s.gender.has_chart:
            _chart(doc, s.gender, pngs[id(s.gender)], width=Cm(12))
    d.add_paragraph(doc, _("Deltagare och rapportstatus per insats"), "Heading 3")
    grid = doc.add_table(rows=1, cols=len(s.columns))
    d.borders(grid, {"top": ("single", 8, "1D4E6B"), "insideH": ("single", 2, "D5DDE2")})
    header = grid.rows[0]
    d.repeat_header(header)
    last = len(s.columns) - 1
    for i, (cell, label) in enumerate(zip(header.cells, s.columns, strict=True)):
        align = WD_ALIGN_PARAGRAPH.RIGHT if 0 < i < last else None
        d.cell_text(cell, label, bold=True, align=align, color=GREY)
        d.cell_border(cell, "bottom", 8, "1D4E6B")
    with_other = len(s.columns) == 6

    def values(row):
        counts = [row.women, row.men] + ([row.other] if with_other else []) + [row.total]
        return [row.name, *counts, row.status]

    for row in s.initiatives:
        cells = grid.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, values(row), strict=True)):
            align = WD_ALIGN_PARAGRAPH.RIGHT if 0 < i < last else None
            flagged = row.status_key in ("draft", "returned", "missing", "not-included")
            color = AMBER if i == last and flagged else None
            d.cell_text(cell, value, align=align, color=color)
    total = grid.add_row()
    for i, (cell, value) in enumerate(zip(total.cells, values(s.initiatives_total), strict=True)):
        align = WD_ALIGN_PARAGRAPH.RIGHT if 0 < i < last else None
        d.cell_text(cell, value, bold=True, align=align)
        d.cell_border(cell, "top", 6, "8A9AA4")
    number = Cm(1.8)
    status = Cm(4.4)
    n_numbers = len(s.columns) - 2
    d.widths(grid, [TEXT_WIDTH - status - number * n_numbers] + [number] * n_numbers + [status])
    for note in s.notes:
        d.add_paragraph(doc, note, "Note")
    for chart in s.by_initiative:
        if chart.has_chart:
            _chart(doc, chart, pngs[id(chart)], width=Cm(15))


def _pngs(document: CompiledDocument) -> dict:
    wanted = [t for t in document.stat_tables() if t.has_chart]
    drawn = charts([t.chart_source for t in wanted], "png150")
    return {id(table): png for table, png in zip(wanted, drawn, strict=True)}


def render_docx(document: CompiledDocument, progress: Progress = silent) -> bytes:
    doc = Document()
    d.house_styles(doc)
    _page_setup(doc, document)
    core = doc.core_properties
    core.title = f"{document.title} – {document.period_name}"
    core.author = document.association_name
    core.subject = document.kind_label
    core.keywords = "finsam"
    progress(0, gettext_noop("Ritar diagrammen"))
    pngs = _pngs(document)
    _cover(doc, document)
    _toc(doc, document)
    total = len(document.chapters)
    for n, chapter in enumerate(document.chapters, start=1):
        step = gettext_noop("Skriver kapitel %(n)s av %(total)s")
        progress(60 + 35 * n / total, step, n=n, total=total)
        _chapter(doc, chapter, pngs)
    progress(95, gettext_noop("Sparar dokumentet"))
    _summary(doc, document, pngs)
    d.update_fields_on_open(doc)
    return d.save(doc)
