"""Blocks → DOCX with python-docx, in the house styles (finsam.documents.docx).

Chapters are Heading 1 and sub-chapters Heading 2, so Word's TOC field (pre-rendered with the
titles, filled in with page numbers when Word updates the fields on opening) and its navigation
pane find them. Tables repeat their header row and are kept on one page; charts are PNG pictures
with their text alternative as the picture's description.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt

from finsam.core.progress import Progress, silent
from finsam.documents import blocks
from finsam.documents import docx as d
from finsam.documents.charts import EACH_OWN_DRAWER, DrawnBy, PendingCharts

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CHART_KIND = "png150"


def _cover(doc, cover: blocks.Cover) -> None:
    if cover.organisation:
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(150)
        d.set_font(
            p.add_run(cover.organisation.upper()), d.HEADING_FONT, 15, bold=True, color=d.BLUE
        )
    if cover.kind:
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(4)
        d.set_font(p.add_run(cover.kind.upper()), d.HEADING_FONT, 13, color=d.GREEN)
    p = d.add_paragraph(doc, style="Title")
    d.set_font(p.add_run(cover.title), d.HEADING_FONT, 32, bold=True, color=d.BLUE)
    p.paragraph_format.space_after = Pt(24)
    if cover.subtitle:
        d.set_font(doc.add_paragraph().add_run(cover.subtitle), d.HEADING_FONT, 15)
    for line in cover.lines:
        d.set_font(doc.add_paragraph().add_run(line), d.HEADING_FONT, 9.5, color=d.GREY)


def _contents(doc, document: blocks.Document, *, after_cover: bool) -> None:
    heading = d.add_paragraph(doc, _("Innehåll"), "TOC Heading")
    heading.paragraph_format.page_break_before = after_cover
    entries = list(document.all_chapters())
    if not entries:
        return
    level, first_chapter = entries[0]
    first = d.add_paragraph(doc, style=f"toc {level}")
    d.field_begin(first, 'TOC \\o "1-2" \\h \\z \\u')
    first.add_run(first_chapter.title)
    last = first
    for level, chapter in entries[1:]:
        last = d.add_paragraph(doc, chapter.title, f"toc {level}")
    d.field_end(last)


def _paragraph(doc, block: blocks.Paragraph) -> None:
    if block.note:
        d.add_paragraph(doc, block.text, "Note")
        return
    p = doc.add_paragraph()
    lines = block.text.replace("\r\n", "\n").split("\n")
    for i, line in enumerate(lines):
        run = p.add_run(line)
        if i < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


def _table(doc, block: blocks.Table) -> None:
    d.add_paragraph(doc, block.caption, "Caption")
    n_cols = len(block.columns)
    grid = doc.add_table(rows=1, cols=n_cols)
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    d.borders(grid, {"top": ("single", 8, "1D4E6B"), "insideH": ("single", 2, "D5DDE2")})
    header = grid.rows[0]
    d.repeat_header(header)

    def align(i: int):
        return WD_ALIGN_PARAGRAPH.RIGHT if i >= block.numeric_from else None

    for i, (cell, label) in enumerate(zip(header.cells, block.columns, strict=True)):
        d.cell_text(cell, label, bold=True, align=align(i), color=d.GREY)
        d.cell_border(cell, "bottom", 8, "1D4E6B")
    for values in block.rows:
        for i, (cell, value) in enumerate(zip(grid.add_row().cells, values, strict=True)):
            d.cell_text(cell, value, align=align(i))
    if block.total is not None:
        total = grid.add_row()
        for i, (cell, value) in enumerate(zip(total.cells, block.total, strict=True)):
            d.cell_text(cell, value, bold=True, align=align(i))
            d.cell_border(cell, "top", 6, "8A9AA4")
    rows = list(grid.rows)
    for index, row in enumerate(rows):
        d.cant_split(row)
        if index < len(rows) - 1:  # the table kept whole: each row with the next
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
    number = Cm(2.4)
    labels = max(block.numeric_from, 1)
    numeric = n_cols - labels
    label = (d.TEXT_WIDTH - number * numeric) / labels
    d.widths(grid, [label] * labels + [number] * numeric)
    if block.note:
        d.add_paragraph(doc, block.note, "Note")


def _draft(doc, block: blocks.DraftMark) -> None:
    p = doc.add_paragraph()
    d.set_font(p.add_run(block.text), d.HEADING_FONT, 9, bold=True, color=d.AMBER)
    d.shade(p._p.get_or_add_pPr(), "FFF3CD")


def _chapter(doc, level: int, chapter: blocks.Chapter, pngs: dict) -> None:
    if chapter.kicker:
        kicker = d.add_paragraph(doc, chapter.kicker, "Kicker")
        kicker.paragraph_format.page_break_before = level == 1
    heading = d.add_paragraph(doc, chapter.title, f"Heading {level}")
    if chapter.kicker:
        heading.paragraph_format.page_break_before = False
    for block in chapter.blocks:
        if isinstance(block, blocks.Paragraph):
            _paragraph(doc, block)
        elif isinstance(block, blocks.Table):
            _table(doc, block)
        elif isinstance(block, blocks.Chart):
            d.picture(doc, pngs[id(block)], alt=block.alt, title=block.title)
        elif isinstance(block, blocks.DraftMark):
            _draft(doc, block)
        else:  # pragma: no cover - a new kind of block needs its renderer
            raise TypeError(f"No DOCX for {type(block).__name__}")


def _pngs(document: blocks.Document) -> dict:

    charts = document.charts()
    sources = [DrawnBy(chart.drawer, chart.source) for chart in charts]
    with PendingCharts(sources, CHART_KIND, drawer=EACH_OWN_DRAWER) as pending:
        return {id(chart): pending.result(i) for i, chart in enumerate(charts)}


class DocxRenderer:
    extension = "docx"
    content_type = CONTENT_TYPE

    def render(self, document: blocks.Document, progress: Progress = silent) -> bytes:
        doc = Document()
        d.house_styles(doc)
        section = d.a4_section(doc, different_first_page=document.cover is not None)
        header_right = document.draft.upper() if document.draft else ""
        d.running_header(section, document.header_left, header_right)
        d.running_footer(section, document.footer_left, _("Sida"), _("av"))
        core = doc.core_properties
        core.title = document.title
        core.author = document.author
        core.subject = document.subject
        core.keywords = "finsam"
        core.language = document.lang
        progress(0, gettext_noop("Ritar diagrammen"))
        pngs = _pngs(document)
        if document.cover is not None:
            _cover(doc, document.cover)
        if document.contents:
            _contents(doc, document, after_cover=document.cover is not None)
        for level, chapter in document.all_chapters():
            _chapter(doc, level, chapter, pngs)
        progress(95, gettext_noop("Sparar dokumentet"))
        d.update_fields_on_open(doc)
        return d.save(doc)
