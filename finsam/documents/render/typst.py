"""Blocks → data → tagged PDF (PDF/UA-1, PDF/A-2a) with Typst (finsam.documents.typst).

The template is typst/document.typ with the house style: cover, contents with page numbers,
chapters as headings (bookmarks, the running header), tables kept whole, charts as SVG images
with their text alternative. Every text of the document goes in as a string of data.json.
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from finsam.core.progress import Progress, silent
from finsam.documents import blocks
from finsam.documents import typst as engine
from finsam.documents.charts import EACH_OWN_DRAWER, Charts, DrawnBy
from finsam.documents.render import PDF_CONTENT_TYPE

TEMPLATE = Path(engine.__file__).parent / "typst" / "document.typ"


def _block(block: blocks.Block, charts: list) -> dict:
    if isinstance(block, blocks.Paragraph):
        return {"kind": "paragraph", "text": block.text.replace("\r\n", "\n"), "note": block.note}
    if isinstance(block, blocks.Table):
        return {
            "kind": "table",
            "caption": block.caption,
            "columns": block.columns,
            "rows": block.rows,
            "total": block.total,
            "note": block.note,
            "numeric_from": block.numeric_from,
        }
    if isinstance(block, blocks.Chart):
        path = engine.chart_path(len(charts))
        charts.append(DrawnBy(block.drawer, block.source))
        return {"kind": "chart", "path": path, "alt": block.alt}
    return {"kind": "draftmark", "text": block.text}


def document_data(document: blocks.Document) -> tuple[dict, Charts]:
    """What document.typ shows, as data (every text a string), and the charts it refers to."""
    charts: list = []
    chapters = [
        {
            "level": level,
            "title": chapter.title,
            "anchor": chapter.anchor,
            "kicker": chapter.kicker,
            "blocks": [_block(block, charts) for block in chapter.blocks],
        }
        for level, chapter in document.all_chapters()
    ]
    cover = document.cover
    data = {
        "meta": {
            "title": document.title,
            "author": document.author,
            "subject": document.subject,
            "header-left": document.header_left,
            "footer-left": document.footer_left,
            "draft": document.draft,
        },
        "cover": None
        if cover is None
        else {
            "organisation": cover.organisation,
            "kind": cover.kind,
            "title": cover.title,
            "subtitle": cover.subtitle,
            "lines": cover.lines,
        },
        "contents": document.contents,
        "contents_title": _("Innehåll"),
        "chapters": chapters,
    }
    return data, Charts(EACH_OWN_DRAWER, tuple(charts))


class TypstRenderer:
    extension = "pdf"
    content_type = PDF_CONTENT_TYPE

    def render(self, document: blocks.Document, progress: Progress = silent) -> bytes:
        data, charts = document_data(document)
        return engine.write_pdf(TEMPLATE, data, charts, progress=progress)
