"""DOCX with python-docx: the house styles (headings, table text, notes, contents), complex
fields (TOC, PAGE, NUMPAGES), tables kept whole with repeated headers, shading and borders, and
pictures with their text alternative. Producers build their documents with these helpers (or
through the block renderer, finsam.documents.render).
"""

from __future__ import annotations

import io

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

BLUE = RGBColor(0x1D, 0x4E, 0x6B)
GREEN = RGBColor(0x2F, 0x7D, 0x6D)
GREY = RGBColor(0x5B, 0x67, 0x70)
AMBER = RGBColor(0x7A, 0x4B, 0x00)
HEADING_FONT = "Calibri"
BODY_FONT = "Cambria"
TEXT_WIDTH = Cm(16.6)  # A4 minus 2.2 cm left and 2.2 cm right margins
CHART_WIDTH = Cm(14.5)


# --- Helpers -----------------------------------------------------------------------------------


def set_font(style_or_run, name: str, size: float | None = None, *, bold=None, color=None):
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


def field(paragraph, instruction: str, cached: str = "") -> None:
    """A complex field (begin, instruction, separate, cached result, end) in `paragraph`."""
    field_begin(paragraph, instruction)
    if cached:
        paragraph.add_run(cached)
    field_end(paragraph)


def field_begin(paragraph, instruction: str) -> None:
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


def field_end(paragraph) -> None:
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def shade(cell_or_paragraph_pr, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell_or_paragraph_pr.append(shading)


def borders(table, spec: dict[str, tuple[str, int, str]]) -> None:
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


def cell_border(cell, edge: str, size: int, colour: str) -> None:
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


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def cell_text(cell, text: str, *, bold=False, align=None, size=8.5, color=None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph._p.style = "TableText"  # by id: see add_paragraph
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    if size != 8.5:  # the style's size
        run.font.size = Pt(size)
    if bold:
        run.bold = True
    if color is not None:
        run.font.color.rgb = color


def widths(table, widths) -> None:
    widths = [Emu(int(w)) for w in widths]
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width.twips)))


def add_paragraph(doc, text: str = "", style: str | None = None):
    """`doc.add_paragraph(text, style)`, setting the style by id: python-docx looks a style up
    by name through every style of the document each time, which made the tables slow."""
    paragraph = doc.add_paragraph(text)
    if style is not None:
        paragraph._p.style = style.replace(" ", "")
    return paragraph


# --- Styles -----------------------------------------------------------------------------------


def house_styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    set_font(normal, BODY_FONT, 10.5)
    normal.paragraph_format.space_after = Pt(5)
    normal.paragraph_format.line_spacing = 1.15

    for name, size, color, before, after in (
        ("Heading 1", 20, BLUE, 0, 10),
        ("Heading 2", 15, BLUE, 16, 6),
        ("Heading 3", 11.5, BLUE, 10, 3),
    ):
        style = styles[name]
        set_font(style, HEADING_FONT, size, bold=True, color=color)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = True
    styles["Heading 1"].paragraph_format.page_break_before = True

    kicker = styles.add_style("Kicker", WD_STYLE_TYPE.PARAGRAPH)
    kicker.base_style = normal
    set_font(kicker, HEADING_FONT, 8, bold=True, color=GREEN)
    kicker.font.all_caps = True
    kicker.paragraph_format.space_after = Pt(0)
    kicker.paragraph_format.keep_with_next = True

    small = styles.add_style("Note", WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = normal
    set_font(small, HEADING_FONT, 7.5, color=GREY)
    small.paragraph_format.space_after = Pt(6)

    table_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    set_font(table_text, HEADING_FONT, 8.5)
    table_text.paragraph_format.space_after = Pt(1.5)
    table_text.paragraph_format.space_before = Pt(1.5)
    table_text.paragraph_format.line_spacing = 1.0

    caption = styles["Caption"]
    set_font(caption, HEADING_FONT, 9, bold=True, color=BLUE)
    caption.font.italic = False
    caption.paragraph_format.space_before = Pt(8)
    caption.paragraph_format.space_after = Pt(3)
    caption.paragraph_format.keep_with_next = True

    for level, indent, bold in ((1, 0, True), (2, 0.7, False)):
        style = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        set_font(style, HEADING_FONT, 10.5 if level == 1 else 9.5, bold=bold)
        fmt = style.paragraph_format
        fmt.left_indent = Cm(indent)
        fmt.space_before = Pt(4 if level == 1 else 0)
        fmt.space_after = Pt(1)
        fmt.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)

    for name in ("Header", "Footer"):  # their centre/right tabs are for Letter paper
        styles[name].paragraph_format.tab_stops.clear_all()

    toc_heading = styles["TOC Heading"]
    set_font(toc_heading, HEADING_FONT, 20, bold=True, color=BLUE)
    toc_heading.paragraph_format.space_after = Pt(14)


def update_fields_on_open(doc) -> None:
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def a4_section(doc, *, different_first_page: bool = True):
    """The first section as A4 with the house margins (`different_first_page`: the cover has
    no running header or footer)."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = Cm(2.4)
    section.bottom_margin = Cm(2.2)
    section.left_margin = section.right_margin = Cm(2.2)
    section.header_distance = section.footer_distance = Cm(1.1)
    section.different_first_page_header_footer = different_first_page
    return section


def running_header(section, left: str, right: str) -> None:
    """The running header: `left`, and `right` at the right margin."""
    header = section.header.paragraphs[0]
    header.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    run = header.add_run(f"{left}\t{right}")
    set_font(run, HEADING_FONT, 8, color=GREY)


def running_footer(section, left: str, page: str, of: str) -> None:
    """The running footer: `left`, and "<page> x <of> y" (PAGE and NUMPAGES fields) at the
    right margin."""
    footer = section.footer.paragraphs[0]
    footer.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    run = footer.add_run(f"{left}\t{page} ")
    set_font(run, HEADING_FONT, 8, color=GREY)
    field(footer, "PAGE", "1")
    run = footer.add_run(f" {of} ")
    set_font(run, HEADING_FONT, 8, color=GREY)
    field(footer, "NUMPAGES", "1")
    for run in footer.runs:
        run.font.size = Pt(8)
        run.font.color.rgb = GREY


def picture(doc, image: bytes, *, alt: str, title: str, width=CHART_WIDTH) -> None:
    """A picture (a chart) centred on its own, with its text alternative as its description."""
    shape = doc.add_picture(io.BytesIO(image), width=width)
    shape._inline.docPr.set("descr", alt)
    shape._inline.docPr.set("title", title)
    paragraph = doc.paragraphs[-1]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_together = True


def save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
