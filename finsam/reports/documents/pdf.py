"""The compiled report as PDF: HTML + print CSS rendered by WeasyPrint.

The table of contents gets its page numbers from WeasyPrint (`target-counter`), the running
header shows the association and the current chapter, the footer "Sida x av y". Charts are the
statistics engine's SVG charts, referenced as `finsam-chart:<n>` images: WeasyPrint fetches them
from the chart pool while it lays the document out, and fetches nothing else (no files, no
network), whatever a report's text contains.
"""

from __future__ import annotations

import logging

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from finsam.reports.documents.charts import PendingCharts
from finsam.reports.documents.content import CompiledDocument

# WeasyPrint logs every layout step of every page at INFO: keep that out of the server log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

CHART_SCHEME = "finsam-chart:"


def _css_string(text: str) -> str:
    """`text` made safe inside a double-quoted CSS string."""
    cleaned = " ".join(str(text).split())
    return mark_safe(cleaned.replace("\\", "\\\\").replace('"', '\\"'))  # noqa: S308


def _chart_svg(svg: str) -> bytes:
    # The inline-HTML sizing style of the chart confuses an SVG drawn as an image: the image box
    # is sized by the CSS of the document instead.
    return svg.replace(' style="max-width:100%;height:auto"', "", 1).encode("utf-8")


def _fetcher(pending: PendingCharts):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ChartFetcher(URLFetcher):
        """Serves the document's charts and refuses every other URL."""

        def fetch(self, url, headers=None):
            if not url.startswith(CHART_SCHEME):
                raise ValueError("Only the report's own charts are embedded.")
            svg = pending.result(int(url.removeprefix(CHART_SCHEME)))
            return URLFetcherResponse(
                url, body=_chart_svg(svg), headers={"Content-Type": "image/svg+xml"}
            )

    return ChartFetcher(fail_on_errors=True)


def render_html(document: CompiledDocument) -> tuple[str, list]:
    """The document's HTML, and the engine tables of its charts (`finsam-chart:<index>`)."""
    wanted = [t for t in document.stat_tables() if t.has_chart]
    for index, table in enumerate(wanted):
        table.rendered_chart = f"{CHART_SCHEME}{index}"
    html = render_to_string("reports/compiled/document.html", {"doc": document})
    return html, [t.chart_source for t in wanted]


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

    html, chart_tables = render_html(document)
    # The charts are drawn in the background while WeasyPrint parses and styles the HTML.
    with PendingCharts(chart_tables, "svg") as pending:
        fetcher = _fetcher(pending)
        font_config = FontConfiguration()
        stylesheet = CSS(string=render_css(document), font_config=font_config, url_fetcher=fetcher)
        rendered = HTML(string=html, base_url=CHART_SCHEME, url_fetcher=fetcher).render(
            stylesheets=[stylesheet], font_config=font_config
        )
    return rendered.write_pdf()
