"""The compiled report as PDF: HTML + print CSS rendered by WeasyPrint.

The running header shows the association and the current chapter, the footer "Sida x av y".
Charts are the statistics engine's SVG charts, referenced as `finsam-chart:<n>` images: WeasyPrint
fetches them from the chart pool while it lays the document out, and fetches nothing else (no
files, no network), whatever a report's text contains.

Laying out a hundred pages is the slow part, and WeasyPrint uses one CPU. When a second CPU is
free and there are enough chapters, the chapters are split in two parts laid out at the same time
(this process and one forked worker), each part drawing its own charts; then the contents (cover
and table of contents, with the page numbers now known) are laid out, the parts are put together
with pypdf, and the running header and footer are stamped on every page from a text-only layout.
Otherwise the whole document is one layout and WeasyPrint numbers the contents itself
(`target-counter`). Both give the same pages (tested).
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from finsam.reports.documents.charts import CHART_CACHE_SECONDS, PendingCharts
from finsam.reports.documents.content import CompiledDocument

# WeasyPrint logs every layout step of every page at INFO: keep that out of the server log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

CHART_SCHEME = "finsam-chart:"
ANCHOR_SCHEME = "finsam-anchor:"
# Fewer chapters than this are laid out in one go: splitting would not pay for itself.
PARALLEL_MIN_CHAPTERS = 8
PLACEHOLDER_PAGE = 888
# Two parts are laid out at once when at least this much of a CPU is idle (1 − load per CPU).
IDLE_CPU_FOR_PARTS = 0.5


def _css_string(text: str) -> str:
    """`text` made safe inside a double-quoted CSS string."""
    cleaned = " ".join(str(text).split())
    return mark_safe(cleaned.replace("\\", "\\\\").replace('"', '\\"'))  # noqa: S308


def _chart_svg(svg: str) -> bytes:
    # The inline-HTML sizing style of the chart confuses an SVG drawn as an image: the image box
    # is sized by the CSS of the document instead.
    return svg.replace(' style="max-width:100%;height:auto"', "", 1).encode("utf-8")


def _fetcher(pending: PendingCharts | None):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ChartFetcher(URLFetcher):
        """Serves the document's charts and refuses every other URL."""

        def fetch(self, url, headers=None):
            if pending is None or not url.startswith(CHART_SCHEME):
                raise ValueError("Only the report's own charts are embedded.")
            svg = pending.result(int(url.removeprefix(CHART_SCHEME)))
            return URLFetcherResponse(
                url, body=_chart_svg(svg), headers={"Content-Type": "image/svg+xml"}
            )

    return ChartFetcher(fail_on_errors=True)


def render_css(
    document: CompiledDocument, *, running: bool = True, literal_page_numbers: bool = False
) -> str:
    return render_to_string(
        "reports/compiled/print.css",
        {
            "running": running,
            "literal_page_numbers": literal_page_numbers,
            "association_name": _css_string(document.association_name),
            "footer_left": _css_string(f"{document.title} · {document.period_name}"),
        },
    )


def render_html(
    document: CompiledDocument,
    *,
    front: bool = True,
    chapters: list | None = None,
    summary: bool = True,
    link: str = "#",
    page_numbers: bool = False,
) -> tuple[str, list]:
    """The HTML of the document (or of one part of it), and the engine tables of its charts
    (`finsam-chart:<index>`)."""
    chapters = document.chapters if chapters is None else chapters
    tables = []
    for chapter in chapters:
        for ch in [chapter, *chapter.sub_chapters]:
            st = ch.statistics
            if st is not None:
                tables += [st.headline, *st.tables] if st.headline else st.tables
    if summary:
        s = document.summary
        tables += [s.headline, s.gender, *s.by_initiative]
    wanted = [t for t in tables if t is not None and t.has_chart]
    for index, table in enumerate(wanted):
        table.rendered_chart = f"{CHART_SCHEME}{index}"
    html = render_to_string(
        "reports/compiled/document.html",
        {
            "doc": document,
            "front": front,
            "chapters": chapters,
            "summary": summary,
            "link": link,
            "page_numbers": page_numbers,
        },
    )
    return html, [t.chart_source for t in wanted]


def _layout(html: str, css: str, chart_tables: list, *, chart_workers: int | None = None):
    """WeasyPrint's layout of `html`, and the charts it drew (by cache key)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    # The charts are drawn in the background while WeasyPrint parses and styles the HTML.
    with PendingCharts(chart_tables, "svg", workers=chart_workers) as pending:
        fetcher = _fetcher(pending)
        font_config = FontConfiguration()
        stylesheet = CSS(string=css, font_config=font_config, url_fetcher=fetcher)
        rendered = HTML(string=html, base_url=CHART_SCHEME, url_fetcher=fetcher).render(
            stylesheets=[stylesheet], font_config=font_config
        )
    return rendered, pending.drawn


def _render_single(document: CompiledDocument) -> bytes:
    html, chart_tables = render_html(document)
    rendered, _drawn = _layout(html, render_css(document), chart_tables)
    return rendered.write_pdf()


# --- In parallel ------------------------------------------------------------------------------


@dataclass
class Part:
    """One part laid out on its own: its PDF, and where its anchors and chapters are."""

    pdf: bytes
    pages: int
    anchors: dict[str, int]  # anchor → page index in the part (first occurrence)
    headers: list[str]  # running header of each page ("" = as on the page before)
    charts: dict = field(default_factory=dict)  # charts drawn, by cache key


def _lay_out_part(html: str, css: str, chart_tables: list) -> Part:
    rendered, drawn = _layout(html, css, chart_tables, chart_workers=1)
    anchors: dict[str, int] = {}
    headers = []
    for index, page in enumerate(rendered.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)
        titles = [label for level, label, _target, _state in page.bookmarks if level == 1]
        headers.append(titles[0] if titles else "")
    return Part(rendered.write_pdf(), len(rendered.pages), anchors, headers, drawn)


def _lay_out_parts(jobs: list[tuple[str, str, list]]) -> list[Part]:
    """Several parts one after the other (in the worker process)."""
    return [_lay_out_part(*job) for job in jobs]


def _idle_cpus() -> float:
    """CPUs not busy with other work right now (from the load average)."""
    try:
        return (os.cpu_count() or 1) - os.getloadavg()[0]
    except OSError:  # pragma: no cover - no load average on this platform
        return 0.0


def _part_workers(document: CompiledDocument) -> int:
    """2 to lay the document out in two parts at once, 1 for one layout. Two parts cost some
    more work in all (contents twice, the running header stamped on, fonts per part), which pays
    only when a second CPU is free: by default they are used when the load average leaves at
    least half a CPU idle (setting COMPILED_REPORT_PARTS: 1 never, 2 always, given enough
    chapters)."""
    configured = getattr(settings, "COMPILED_REPORT_PARTS", None)
    if len(document.chapters) < PARALLEL_MIN_CHAPTERS:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover
        return 1
    if configured is not None:
        return 2 if configured >= 2 else 1
    return 2 if _idle_cpus() >= IDLE_CPU_FOR_PARTS else 1


def _weight(chapter) -> int:
    """A rough measure of how long a chapter takes to lay out (text, tables, charts)."""
    total = 0
    for ch in [chapter, *chapter.sub_chapters]:
        total += sum(len(p) for s in ch.sections for p in s.paragraphs) + 600
        if ch.statistics is not None:
            tables = ch.statistics.tables + [ch.statistics.headline]
            total += sum(1200 + 150 * len(t.rows) for t in tables if t is not None)
            total += sum(2500 for t in ch.statistics.tables if t.has_chart)
    return total


def _split(document: CompiledDocument) -> tuple[list, list]:
    """The chapters in two runs of about equal weight. The second run goes to the worker with
    the summary and the first layout of the contents, so it is weighted with them."""
    weights = [_weight(c) for c in document.chapters]
    extra = 8000 + 4000 * len(document.summary.by_initiative) + 300 * len(document.toc)
    half = (sum(weights) + extra) / 2
    running, cut = 0, len(weights)
    for index, weight in enumerate(weights):
        if running + weight / 2 > half:
            cut = index
            break
        running += weight
    cut = max(1, min(cut, len(weights) - 1))
    return document.chapters[:cut], document.chapters[cut:]


def _set_page_numbers(document: CompiledDocument, offsets: list[tuple[Part, int]]) -> None:
    """Each chapter's page number from the part it is in and where that part starts."""
    where = {}
    for part, first_page in offsets:
        for name, index in part.anchors.items():
            where.setdefault(name, first_page + index)
    for chapter in document.chapters:
        for ch in [chapter, *chapter.sub_chapters]:
            ch.page = where.get(ch.anchor)
    document.summary.page = where.get(document.summary.anchor)


def _placeholder_page_numbers(document: CompiledDocument) -> None:
    for chapter in document.chapters:
        for ch in [chapter, *chapter.sub_chapters]:
            ch.page = PLACEHOLDER_PAGE
    document.summary.page = PLACEHOLDER_PAGE


def _running_job(document: CompiledDocument, pages: list[tuple[str, str]], first: bool):
    """The layout job of pages that carry only the running header and footer, for stamping
    onto the document's pages; `first`: the first of them is the cover, which has none."""
    html = render_to_string("reports/compiled/running.html", {"pages": pages})
    css = render_css(document, literal_page_numbers=True) + (
        "body { margin: 0; } .page { break-after: page; height: 1px; "
        "string-set: chapter attr(data-header), pageno attr(data-footer); }"
    )
    if first:
        css += (
            "@page :first { @top-left { content: none; } @top-right { content: none; } "
            "@bottom-left { content: none; } @bottom-right { content: none; } }"
        )
    return html, css, []


def _running_pages(parts: list[Part]) -> list[tuple[str, str]]:
    """(running header, footer) of every page: the chapter of the page, or of the one before."""
    headers = [h for part in parts for h in part.headers]
    total = len(headers)
    current, pages = "", []
    for number, header in enumerate(headers, start=1):
        current = header or current
        pages.append((current, f"Sida {number} av {total}"))
    return pages


def _stamp(writer, page, stamp, name: str) -> None:
    """Draw `stamp` (a page of another PDF) over `page` as a form XObject, without parsing or
    rewriting the page's own content."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    form = DecodedStreamObject()
    form.set_data(stamp.get_contents().get_data())
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): stamp.mediabox,
            NameObject("/Resources"): stamp["/Resources"].clone(writer),
        }
    )
    form_ref = writer._add_object(form)
    resources = page["/Resources"].get_object()
    xobjects = resources.get("/XObject")
    if xobjects is None:
        xobjects = DictionaryObject()
        resources[NameObject("/XObject")] = xobjects
    xobjects.get_object()[NameObject(name)] = form_ref

    def stream(data: bytes):
        obj = DecodedStreamObject()
        obj.set_data(data)
        return writer._add_object(obj)

    contents = page["/Contents"]
    is_array = isinstance(contents.get_object(), list)
    existing = list(contents.get_object()) if is_array else [contents]
    page[NameObject("/Contents")] = ArrayObject(
        [stream(b"q\n"), *existing, stream(f"\nQ q {name} Do Q\n".encode())]
    )


def _merge(document: CompiledDocument, parts: list[Part], overlays: list[bytes]) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part.pdf)), import_outline=True)
    # Links across parts were written as finsam-anchor: URIs: make them named destinations,
    # which the parts brought along.
    for page in writer.pages:
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            action = annotation.get("/A")
            uri = str(action.get_object().get("/URI", "")) if action is not None else ""
            if uri.startswith(ANCHOR_SCHEME):
                del annotation["/A"]
                annotation[NameObject("/Dest")] = TextStringObject(uri.removeprefix(ANCHOR_SCHEME))
    stamps = [page for overlay in overlays for page in PdfReader(io.BytesIO(overlay)).pages]
    for number, (page, stamp) in enumerate(zip(writer.pages, stamps, strict=True), start=1):
        _stamp(writer, page, stamp, f"/FinsamRunning{number}")
    writer.add_metadata(
        {
            "/Title": f"{document.title} – {document.association_name} – {document.period_name}",
            "/Author": document.association_name,
            "/Subject": f"{document.kind_label}: {document.title}, {document.period_name}",
            "/Creator": "finsam",
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _render_parallel(document: CompiledDocument) -> bytes:
    first, second = _split(document)
    css = render_css(document, running=False)
    first_job = render_html(
        document, front=False, chapters=first, summary=False, link=ANCHOR_SCHEME
    )
    second_job = render_html(
        document, front=False, chapters=second, summary=True, link=ANCHOR_SCHEME
    )
    # The contents take the same number of pages whatever the numbers in them: a first layout
    # with placeholders tells where the chapters start.
    _placeholder_page_numbers(document)
    placeholder_front, _ = render_html(
        document, chapters=[], summary=False, link=ANCHOR_SCHEME, page_numbers=True
    )
    import finsam.statistics.charts  # noqa: F401 - imported once, before forking

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        later = pool.submit(
            _lay_out_parts,
            [(placeholder_front, css, []), (second_job[0], css, second_job[1])],
        )
        first_part = _lay_out_part(first_job[0], css, first_job[1])
        front_pages, second_part = later.result()
        offsets = [
            (first_part, front_pages.pages + 1),
            (second_part, front_pages.pages + first_part.pages + 1),
        ]
        _set_page_numbers(document, offsets)
        running = _running_pages([front_pages, first_part, second_part])
        # The running header and footer of the second half of the pages are laid out by the
        # worker while this process lays out the contents and the first half.
        half = len(running) // 2 + 3
        later = pool.submit(_lay_out_parts, [_running_job(document, running[half:], False)])
        front_html, _ = render_html(
            document, chapters=[], summary=False, link=ANCHOR_SCHEME, page_numbers=True
        )
        front = _lay_out_part(front_html, css, [])
        first_running = _lay_out_part(*_running_job(document, running[:half], True))
        (second_running,) = later.result()
    if front.pages != front_pages.pages:  # pragma: no cover - the contents grew a page
        return _render_single(document)
    cache.set_many({**first_part.charts, **second_part.charts}, CHART_CACHE_SECONDS)
    parts = [front, first_part, second_part]
    return _merge(document, parts, [first_running.pdf, second_running.pdf])


def render_pdf(document: CompiledDocument) -> bytes:
    if _part_workers(document) > 1:
        return _render_parallel(document)
    return _render_single(document)
