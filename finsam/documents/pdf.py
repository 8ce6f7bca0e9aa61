"""PDF with WeasyPrint (the alternative engine to Typst, settings.PDF_ENGINE): the safe URL
fetcher and the layout of a document with its charts drawn alongside.

Charts are referenced from the HTML as `finsam-chart:<n>` images: WeasyPrint fetches them from
the chart pool (finsam.documents.charts) while it lays the document out, and fetches nothing else
(no files, no network), whatever the document's text contains.

The PDF is tagged for screen readers (PDF/UA-1: structure tree, language from `<html lang>`,
bookmarks, every chart's text alternative as its /Alt).
"""

from __future__ import annotations

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_noop

from finsam.core.progress import Progress, silent
from finsam.documents.charts import NO_CHARTS, PDF_CHART_KIND, Charts, PendingCharts, image_svg

CHART_SCHEME = "finsam-chart:"
# Tagged PDF for screen readers (PDF/UA-1): structure tree, /Lang from <html lang>, /Alt on charts.
PDF_VARIANT = "pdf/ua-1"


def css_string(text: str) -> str:
    """`text` made safe inside a double-quoted CSS string."""
    cleaned = " ".join(str(text).split())
    return mark_safe(cleaned.replace("\\", "\\\\").replace('"', '\\"'))  # noqa: S308


def fetcher(pending: PendingCharts | None):
    """WeasyPrint's URL fetcher for a document: serves its charts, refuses every other URL."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ChartFetcher(URLFetcher):
        """Serves the document's charts and refuses every other URL."""

        def fetch(self, url, headers=None):
            if pending is None or not url.startswith(CHART_SCHEME):
                raise ValueError("Only the document's own charts are embedded.")
            svg = pending.result(int(url.removeprefix(CHART_SCHEME)))
            return URLFetcherResponse(
                url, body=image_svg(svg).encode(), headers={"Content-Type": "image/svg+xml"}
            )

    return ChartFetcher(fail_on_errors=True)


def layout(html: str, css: str, charts: Charts = NO_CHARTS):
    """WeasyPrint's layout of `html`."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    # The charts are drawn in the background while WeasyPrint parses and styles the HTML.
    with PendingCharts(list(charts.sources), PDF_CHART_KIND, drawer=charts.drawer) as pending:
        url_fetcher = fetcher(pending)
        font_config = FontConfiguration()
        stylesheet = CSS(string=css, font_config=font_config, url_fetcher=url_fetcher)
        rendered = HTML(string=html, base_url=CHART_SCHEME, url_fetcher=url_fetcher).render(
            stylesheets=[stylesheet], font_config=font_config
        )
    return rendered


def write_pdf(
    html: str, css: str, charts: Charts = NO_CHARTS, progress: Progress = silent
) -> bytes:
    """`html` laid out in one go, as tagged PDF."""
    progress(0, gettext_noop("Ritar diagrammen och lägger ut sidorna"))
    rendered = layout(html, css, charts)
    progress(85, gettext_noop("Skriver PDF-filen"))
    return rendered.write_pdf(pdf_variant=PDF_VARIANT)
