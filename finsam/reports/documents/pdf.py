"""The compiled report as PDF: HTML + print CSS rendered by WeasyPrint.

The table of contents gets its page numbers from WeasyPrint (`target-counter`), the running
header shows the association and the current chapter, the footer "Sida x av y". Charts are the
statistics engine's SVG charts, embedded as images so they scale to their box.
"""

from __future__ import annotations

import base64
import logging

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from finsam.reports.documents.charts import charts
from finsam.reports.documents.content import CompiledDocument

# WeasyPrint logs every layout step of every page at INFO: keep that out of the server log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _css_string(text: str) -> str:
    """`text` made safe inside a double-quoted CSS string."""
    cleaned = " ".join(str(text).split())
    return mark_safe(cleaned.replace("\\", "\\\\").replace('"', '\\"'))  # noqa: S308


def _svg_uri(svg: str) -> str:
    # The inline-HTML sizing style of the chart confuses an SVG drawn as an image: the image box
    # is sized by the CSS of the document instead.
    svg = svg.replace(' style="max-width:100%;height:auto"', "", 1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def render_html(document: CompiledDocument) -> str:
    wanted = [t for t in document.stat_tables() if t.has_chart and not t.rendered_chart]
    for table, svg in zip(wanted, charts([t.chart_source for t in wanted], "svg"), strict=True):
        table.rendered_chart = _svg_uri(svg)
    return render_to_string("reports/compiled/document.html", {"doc": document})


def render_css(document: CompiledDocument) -> str:
    return render_to_string(
        "reports/compiled/print.css",
        {
            "association_name": _css_string(document.association_name),
            "footer_left": _css_string(f"{document.title} · {document.period_name}"),
        },
    )


def render_pdf(document: CompiledDocument) -> bytes:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    stylesheet = CSS(string=render_css(document), font_config=font_config)
    html = HTML(string=render_html(document), base_url=".")
    return html.write_pdf(stylesheets=[stylesheet], font_config=font_config)
