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

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

from finsam.jobs.progress import Progress, silent
from finsam.reports.documents.charts import charts
from finsam.reports.documents.content import Chapter, CompiledDocument, Section, StatTable

BLUE = RGBColor(0x1D, 0x4E, 0x6B)
GREEN = RGBColor(0x2F, 0x7D, 0x6D)
GREY = RGBColor(0x5B, 0x67, 0x70)
AMBER = RGBColor(0x7A, 0x4B, 0x00)
HEADING_FONT = "Calibri"
BODY_FONT = "Cambria"
TEXT_WIDTH = Cm(16.6)  # A4 minus 2.2 cm left and 2.2 cm right margins
CHART_WIDTH = Cm(14.5)


# --- Low-level helpers ------------------------------------------------------------------------


def _set_font(style_or_run, name: str, size: float | None = None, *, bold=None, color=None):
    font = style_or_run.font
    font.name = name
    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if color is not None:
        font.color.rgb = color


def _field(paragraph, instruction: str, cached: str = "") -> None:
    """A complex field (begin, instruction, separate, cached result, end) in `paragraph`."""
    _field_begin(paragraph, instruction)
    if cached:
        paragraph.add_run(cached)
    _field_end(paragraph)


def _field_begin(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)


def _field_end(paragraph) -> None:
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def _shade(cell_or_paragraph_pr, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell_or_paragraph_pr.append(shading)


def _borders(table, spec: dict[str, tuple[str, int, str]]) -> None:
    """Table borders: {"top": ("single", size in 1/8 pt, colour), ...}; others none."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        value, size, colour = spec.get(edge, ("nil", 0, "auto"))
        element.set(qn("w:val"), value)
        if value != "nil":
            element.set(qn("w:sz"), str(size))
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), colour)
        borders.append(element)
    tbl_pr.append(borders)


def _cell_border(cell, edge: str, size: int, colour: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = tc_pr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tc_pr.append(borders)
    element = OxmlElement(f"w:{edge}")
    element.set(qn("w:val"), "single")
    element.set(qn("w:sz"), str(size))
    element.set(qn("w:space"), "0")
    element.set(qn("w:color"), colour)
    borders.append(element)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _cell_text(cell, text: str, *, bold=False, align=None, size=8.5, color=None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph._p.style = "TableText"  # by id: see _add
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    if size != 8.5:  # the style's size
        run.font.size = Pt(size)
    if bold:
        run.bold = True
    if color is not None:
        run.font.color.rgb = color


def _widths(table, widths) -> None:
    widths = [Emu(int(w)) for w in widths]
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width.twips)))


def _add(doc, text: str = "", style: str | None = None):
    """`doc.add_paragraph(text, style)`, setting the style by id: python-docx looks a style up
    by name through every style of the document each time, which made the tables slow."""
    paragraph = doc.add_paragraph(text)
    if style is not None:
        paragraph._p.style = style.replace(" ", "")
    return paragraph


# --- Styles -----------------------------------------------------------------------------------


def _styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    _set_font(normal, BODY_FONT, 10.5)
    normal.paragraph_format.space_after = Pt(5)
    normal.paragraph_format.line_spacing = 1.15

    for name, size, color, before, after in (
        ("Heading 1", 20, BLUE, 0, 10),
        ("Heading 2", 15, BLUE, 16, 6),
        ("Heading 3", 11.5, BLUE, 10, 3),
    ):
        style = styles[name]
        _set_font(style, HEADING_FONT, size, bold=True, color=color)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = True
    styles["Heading 1"].paragraph_format.page_break_before = True

    kicker = styles.add_style("Kicker", WD_STYLE_TYPE.PARAGRAPH)
    kicker.base_style = normal
    _set_font(kicker, HEADING_FONT, 8, bold=True, color=GREEN)
    kicker.font.all_caps = True
    kicker.paragraph_format.space_after = Pt(0)
    kicker.paragraph_format.keep_with_next = True

    small = styles.add_style("Note", WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = normal
    _set_font(small, HEADING_FONT, 7.5, color=GREY)
    small.paragraph_format.space_after = Pt(6)

    table_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    _set_font(table_text, HEADING_FONT, 8.5)
    table_text.paragraph_format.space_after = Pt(1.5)
    table_text.paragraph_format.space_before = Pt(1.5)
    table_text.paragraph_format.line_spacing = 1.0

    caption = styles["Caption"]
    _set_font(caption, HEADING_FONT, 9, bold=True, color=BLUE)
    caption.font.italic = False
    caption.paragraph_format.space_before = Pt(8)
    caption.paragraph_format.space_after = Pt(3)
    caption.paragraph_format.keep_with_next = True

    for level, indent, bold in ((1, 0, True), (2, 0.7, False)):
        style = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _set_font(style, HEADING_FONT, 10.5 if level == 1 else 9.5, bold=bold)
        fmt = style.paragraph_format
        fmt.left_indent = Cm(indent)
        fmt.space_before = Pt(4 if level == 1 else 0)
        fmt.space_after = Pt(1)
        fmt.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)

    for name in ("Header", "Footer"):  # their centre/right tabs are for Letter paper
        styles[name].paragraph_format.tab_stops.clear_all()

    toc_heading = styles["TOC Heading"]
    _set_font(toc_heading, HEADING_FONT, 20, bold=True, color=BLUE)
    toc_heading.paragraph_format.space_after = Pt(14)


def _page_setup(doc, document: CompiledDocument) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = Cm(2.4)
    section.bottom_margin = Cm(2.2)
    section.left_margin = section.right_margin = Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.1)
    section.different_first_page_header_footer = True  # the cover has none

    header = section.header.paragraphs[0]
    header.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    run = header.add_run(f"{document.association_name}\t{document.period_name}")
    _set_font(run, HEADING_FONT, 8, color=GREY)

    footer = section.footer.paragraphs[0]
    footer.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    run = footer.add_run(f"{document.title} · {document.kind_label}\t{_('Sida')} ")
    _set_font(run, HEADING_FONT, 8, color=GREY)
    _field(footer, "PAGE", "1")
    run = footer.add_run(f" {_('av')} ")
    _set_font(run, HEADING_FONT, 8, color=GREY)
    _field(footer, "NUMPAGES", "1")
    for run in footer.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = GREY


def _update_fields_on_open(doc) -> None:
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


# --- Content ----------------------------------------------------------------------------------


def _cover(doc, document: CompiledDocument) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(150)
    run = p.add_run(document.association_name.upper())
    _set_font(run, HEADING_FONT, 15, bold=True, color=BLUE)
    p = doc.add_paragraph()
    run = p.add_run(document.kind_label.upper())
    _set_font(run, HEADING_FONT, 13, color=GREEN)
    p.paragraph_format.space_after = Pt(4)
    p = _add(doc, style="Title")
    run = p.add_run(document.title)
    _set_font(run, HEADING_FONT, 32, bold=True, color=BLUE)
    p.paragraph_format.space_after = Pt(24)
    p = doc.add_paragraph()
    run = p.add_run(document.period_name)
    _set_font(run, HEADING_FONT, 15)
    p = doc.add_paragraph()
    run = p.add_run(document.period_dates)
    _set_font(run, HEADING_FONT, 11.5, color=GREY)
    p.paragraph_format.space_after = Pt(220)
    if document.approved_only:  # not the complete compilation: said before anything else
        p.paragraph_format.space_after = Pt(24)
        _approved_only_notice(doc, document, space_after=Pt(130))
    p = doc.add_paragraph()
    n = len(document.chapters)
    count = f"{n} {_('insats') if n == 1 else _('insatser')}"
    run = p.add_run(f"{count} · {_('Sammanställd')} {document.compiled_on}")
    _set_font(run, HEADING_FONT, 9.5)
    p = doc.add_paragraph()
    run = p.add_run(
        _("Sammanställd i finsam från insatsernas rapporter och deltagarregistreringar.")
    )
    _set_font(run, HEADING_FONT, 8, color=GREY)


def _approved_only_notice(doc, document: CompiledDocument, *, space_after) -> None:
    """That a compilation of the approved reports is not the complete one, and what it lacks."""
    lines = document.approved_only_notice
    for i, line in enumerate(lines):
        p = doc.add_paragraph()
        run = p.add_run(line)
        _set_font(run, HEADING_FONT, 10.5, bold=i == 0, color=AMBER)
        p.paragraph_format.space_after = space_after if i == len(lines) - 1 else Pt(4)


def _toc(doc, document: CompiledDocument) -> None:
    heading = _add(doc, _("Innehåll"), "TOC Heading")
    heading.paragraph_format.page_break_before = True
    if document.approved_only:
        _approved_only_notice(doc, document, space_after=Pt(12))
    entries = document.toc
    first = _add(doc, style=f"toc {entries[0][0]}")
    _field_begin(first, 'TOC \\o "1-2" \\h \\z \\u')
    first.add_run(entries[0][1])
    last = first
    for level, title, _anchor in entries[1:]:
        last = _add(doc, title, f"toc {level}")
    _field_end(last)
    note = _add(
        doc,
        _(
            "Sidnumren fylls i när Word uppdaterar fälten (Word frågar när dokumentet öppnas; "
            "annars: högerklicka på innehållsförteckningen och välj Uppdatera fält)."
        ),
        "Note",
    )
    note.paragraph_format.space_before = Pt(12)


def _section(doc, section: Section) -> None:
    _add(doc, section.heading, "Heading 3")
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
    _add(doc, table.title, "Caption")
    n_cols = 1 + len(table.columns)
    grid = doc.add_table(rows=1, cols=n_cols)
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    _borders(grid, {"top": ("single", 8, "1D4E6B"), "insideH": ("single", 2, "D5DDE2")})
    header = grid.rows[0]
    _repeat_header(header)
    _cell_text(header.cells[0], "", bold=True)
    for cell, label in zip(header.cells[1:], table.columns, strict=True):
        _cell_text(cell, label, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, color=GREY)
    for cell in header.cells:
        _cell_border(cell, "bottom", 8, "1D4E6B")
    for row in table.rows:
        cells = grid.add_row().cells
        _cell_text(cells[0], row.label)
        for cell, value in zip(cells[1:], row.cells, strict=True):
            _cell_text(cell, value, align=WD_ALIGN_PARAGRAPH.RIGHT)
    if table.total is not None:
        total = grid.add_row()
        _cell_text(total.cells[0], table.total.label, bold=True)
        for cell, value in zip(total.cells[1:], table.total.cells, strict=True):
            _cell_text(cell, value, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
        for cell in total.cells:
            _cell_border(cell, "top", 6, "8A9AA4")
    for row in grid.rows:
        _cant_split(row)
    number = Cm(2.0)
    _widths(grid, [width - number * (n_cols - 1)] + [number] * (n_cols - 1))
    _add(doc, table.population, "Note")


def _chart(doc, table: StatTable, png: bytes, *, width=CHART_WIDTH) -> None:
    """The chart of `table`, with its text alternative as the picture's description."""
    shape = doc.add_picture(io.BytesIO(png), width=width)
    shape._inline.docPr.set("descr", table.chart_alt)
    shape._inline.docPr.set("title", table.title)
    picture = doc.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.keep_together = True


def _header_block(doc, chapter: Chapter) -> None:
    block = doc.add_table(rows=0, cols=2)
    _borders(block, {})
    for label, value in chapter.header:
        cells = block.add_row().cells
        _cell_text(cells[0], label, bold=True, color=GREY, size=9)
        _cell_text(cells[1], value, size=9)
        for cell in cells:
            _shade(cell._tc.get_or_add_tcPr(), "F2F6F8")
    _widths(block, [Cm(3.6), TEXT_WIDTH - Cm(3.6)])
    doc.add_paragraph().paragraph_format.space_after = Pt(2)


def _statistics(doc, chapter: Chapter, pngs: dict) -> None:
    st = chapter.statistics
    _add(doc, _("Statistik för perioden"), "Heading 3")
    if st.summary:
        p = doc.add_paragraph(st.summary)
        _shade(p._p.get_or_add_pPr(), "EEF5F3")
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
    _add(doc, st.note, "Note")


def _chapter(doc, chapter: Chapter, pngs: dict) -> None:
    if chapter.level == 1:
        _add(doc, chapter.kicker, "Kicker").paragraph_format.page_break_before = True
        heading = _add(doc, chapter.title, "Heading 1")
        heading.paragraph_format.page_break_before = False
    else:
        _add(doc, chapter.title, "Heading 2")
    if not chapter.is_final_status:
        p = doc.add_paragraph()
        run = p.add_run(chapter.status)
        _set_font(run, HEADING_FONT, 9, bold=True, color=AMBER)
        _shade(p._p.get_or_add_pPr(), "FFF3CD")
    _header_block(doc, chapter)
    for section in chapter.sections_before_statistics:
        _section(doc, section)
    if chapter.statistics is not None:
        _statistics(doc, chapter, pngs)
    for section in chapter.sections_after_statistics:
        _section(doc, section)
    for sub in chapter.sub_chapters:
        _chapter(doc, sub, pngs)


def _summary(doc, document: CompiledDocument, pngs: dict) -> None:
    s = document.summary
    _add(doc, f"{document.kind_label} · {document.period_name}", "Kicker")
    doc.paragraphs[-1].paragraph_format.page_break_before = True
    _add(doc, s.title, "Heading 1").paragraph_format.page_break_before = False
    for text in s.intro:
        doc.add_paragraph(text)
    if s.headline is not None:
        _stat_table(doc, s.headline)
    if s.gender is not None:
        _stat_table(doc, s.gender)
        if s.gender.has_chart:
            _chart(doc, s.gender, pngs[id(s.gender)], width=Cm(12))
    _add(doc, _("Deltagare och rapportstatus per insats"), "Heading 3")
    grid = doc.add_table(rows=1, cols=len(s.columns))
    _borders(grid, {"top": ("single", 8, "1D4E6B"), "insideH": ("single", 2, "D5DDE2")})
    header = grid.rows[0]
    _repeat_header(header)
    last = len(s.columns) - 1
    for i, (cell, label) in enumerate(zip(header.cells, s.columns, strict=True)):
        align = WD_ALIGN_PARAGRAPH.RIGHT if 0 < i < last else None
        _cell_text(cell, label, bold=True, align=align, color=GREY)
        _cell_border(cell, "bottom", 8, "1D4E6B")
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
            _cell_text(cell, value, align=align, color=color)
    total = grid.add_row()
    for i, (cell, value) in enumerate(zip(total.cells, values(s.initiatives_total), strict=True)):
        _cell_text(cell, value, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT if 0 < i < last else None)
        _cell_border(cell, "top", 6, "8A9AA4")
    number = Cm(1.8)
    status = Cm(4.4)
    n_numbers = len(s.columns) - 2
    _widths(grid, [TEXT_WIDTH - status - number * n_numbers] + [number] * n_numbers + [status])
    for note in s.notes:
        _add(doc, note, "Note")
    for chart in s.by_initiative:
        if chart.has_chart:
            _chart(doc, chart, pngs[id(chart)], width=Cm(15))


def _pngs(document: CompiledDocument) -> dict:
    wanted = [t for t in document.stat_tables() if t.has_chart]
    drawn = charts([t.chart_source for t in wanted], "png150")
    return {id(table): png for table, png in zip(wanted, drawn, strict=True)}


def render_docx(document: CompiledDocument, progress: Progress = silent) -> bytes:
    doc = Document()
    _styles(doc)
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
    _update_fields_on_open(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
