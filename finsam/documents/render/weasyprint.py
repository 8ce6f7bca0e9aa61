"""Blocks → HTML and print CSS → tagged PDF (PDF/UA-1) with WeasyPrint (finsam.documents.pdf).

The HTML is templates/documents/document.html: cover, contents numbered by WeasyPrint
(`target-counter`), chapters as headings (bookmarks, and the running header through
`string-set`), tables that do not break across pages, and charts as SVG images with their text
alternative, fetched from the chart pool by the safe URL fetcher.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from finsam.core.progress import Progress, silent
from finsam.documents import blocks
from finsam.documents.charts import EACH_OWN_DRAWER, Charts, DrawnBy
from finsam.documents.pdf import CHART_SCHEME, css_string, write_pdf
from finsam.documents.render import PDF_CONTENT_TYPE


def _paragraph_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").split("\n")


def render_html(document: blocks.Document) -> tuple[str, Charts]:
    """The HTML of `document` and its charts (`finsam-chart:<index>`, in order)."""
    charts = document.charts()
    urls = {id(chart): f"{CHART_SCHEME}{index}" for index, chart in enumerate(charts)}
    chapters = []
    for level, chapter in document.all_chapters():
        items = []
        for block in chapter.blocks:
            kind = type(block).__name__.lower()
            extra = {}
            if isinstance(block, blocks.Chart):
                extra["url"] = urls[id(block)]
            elif isinstance(block, blocks.Paragraph):
                extra["lines"] = _paragraph_lines(block.text)
            items.append({"kind": kind, "block": block, **extra})
        chapters.append({"level": level, "chapter": chapter, "items": items})
    html = render_to_string("documents/document.html", {"doc": document, "chapters": chapters})
    sources = tuple(DrawnBy(chart.drawer, chart.source) for chart in charts)
    return html, Charts(EACH_OWN_DRAWER, sources)


def render_css(document: blocks.Document) -> str:
    return render_to_string(
        "documents/print.css",
        {
            "cover": document.cover is not None,
            "contents": document.contents,
            "header_left": css_string(document.header_left),
            "footer_left": css_string(document.footer_left),
            "draft": css_string(document.draft),
        },
    )


class WeasyPrintRenderer:
    extension = "pdf"
    content_type = PDF_CONTENT_TYPE

    def render(self, document: blocks.Document, progress: Progress = silent) -> bytes:
        html, charts = render_html(document)
        return write_pdf(html, render_css(document), charts, progress=progress)
