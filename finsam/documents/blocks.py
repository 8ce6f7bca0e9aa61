"""A document as blocks: what any producer (decision letters, agreements, invoice bases,
operational plans, meeting packs) declares, and what every renderer (finsam.documents.render)
turns into a file.

A `Document` has an optional cover, an optional table of contents, a running header and footer,
and chapters with sub-chapters; a chapter holds blocks: paragraphs, tables (kept whole on one
page, header repeated), charts (drawn as SVG in the PDF and PNG in the DOCX, each with its text
alternative) and draft marks. A document that is not final says so on every page (`draft`).

Blocks hold finished text: producers format numbers, amounts and dates with finsam.core.formats
before they put them in, so every renderer shows the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from finsam.documents.charts import ChartDrawer


@dataclass
class Paragraph:
    """Running text; single newlines are kept as line breaks. `note`: small print."""

    text: str
    note: bool = False


@dataclass
class Table:
    """A table kept whole on one page. `columns` are the header; from `numeric_from` on, the
    columns are right-aligned numbers; `total` is a last, bold row."""

    caption: str
    columns: list[str]
    rows: list[list[str]]
    total: list[str] | None = None
    note: str = ""
    numeric_from: int = 1


@dataclass
class Chart:
    """A chart of `source` drawn by `drawer` (finsam.documents.charts), described by `alt` for
    those who cannot see it."""

    title: str
    alt: str
    source: object
    drawer: ChartDrawer


@dataclass
class DraftMark:
    """A visible flag, e.g. "Utkast – ej beslutat"."""

    text: str


Block = Paragraph | Table | Chart | DraftMark


@dataclass
class Chapter:
    """A chapter (level 1) or sub-chapter (level 2): a heading in the contents and the running
    header, and its blocks. `anchor`: a stable id, unique in the document."""

    title: str
    anchor: str
    blocks: list[Block] = field(default_factory=list)
    sub_chapters: list[Chapter] = field(default_factory=list)
    kicker: str = ""


@dataclass
class Cover:
    """The cover page: organisation, kind of document, title, subtitle and a few lines at the
    foot (date, reference)."""

    title: str
    organisation: str = ""
    kind: str = ""
    subtitle: str = ""
    lines: list[str] = field(default_factory=list)


@dataclass
class Document:
    title: str
    chapters: list[Chapter]
    author: str = ""  # the organisation the document comes from
    subject: str = ""
    lang: str = "sv"
    cover: Cover | None = None
    contents: bool = False  # a table of contents after the cover
    header_left: str = ""  # the running header's left side (the right side is the chapter)
    footer_left: str = ""  # the running footer's left side (the right side is "Sida x av y")
    draft: str = ""  # e.g. "Utkast": shown on every page when set

    def all_chapters(self):
        """Every chapter and sub-chapter, in order, with its level."""
        for chapter in self.chapters:
            yield 1, chapter
            for sub in chapter.sub_chapters:
                yield 2, sub

    def charts(self) -> list[Chart]:
        return [
            block
            for _level, chapter in self.all_chapters()
            for block in chapter.blocks
            if isinstance(block, Chart)
        ]
