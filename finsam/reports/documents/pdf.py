"""The compiled report as PDF: HTML + print CSS rendered by WeasyPrint through the documents
layer (finsam.documents.pdf: the safe URL fetcher, cached parallel layout in parts, merging).

The running header shows the association and the current chapter, the footer "Sida x av y".
Charts are the statistics engine's SVG charts, referenced as `finsam-chart:<n>` images.

With enough chapters the document is made of parts, each laid out on its own: every chapter
(with its sub-chapters), the summary chapter, the contents (cover and table of contents) and the
running header and footer. Compiling again lays out only what changed: a chapter whose report
was submitted or approved is typeset once. Once the chapters' page counts are known the contents
are laid out with their page numbers, the parts are put together, and the running header and
footer are stamped on every page from a text-only layout. Chapters start on a new page, so the
parts give the same pages as one layout of the whole document, which is used for short documents
and in which WeasyPrint numbers the contents itself (`target-counter`) (tested).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext_noop

from finsam.core.progress import Progress, silent, within
from finsam.documents import pdf as layer
from finsam.documents.pdf import ANCHOR_SCHEME, CHART_SCHEME, NO_CHARTS, Charts, Part, css_string
from finsam.reports.documents.charts import STATISTICS_CHARTS
from finsam.reports.documents.content import CompiledDocument

# Fewer chapters than this are laid out in one go: parts would not pay for themselves.
PARTS_MIN_CHAPTERS = 8
PLACEHOLDER_PAGE = 888
# `Part` is imported here too: parts typeset before the documents layer existed are in the
# documents cache under the name finsam.reports.documents.pdf.Part.


def render_css(
    document: CompiledDocument, *, running: bool = True, literal_page_numbers: bool = False
) -> str:
    return render_to_string(
        "reports/compiled/print.css",
        {
            "running": running,
            "literal_page_numbers": literal_page_numbers,
            "association_name": css_string(document.association_name),
            "footer_left": css_string(f"{document.title} · {document.period_name}"),
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
) -> tuple[str, Charts]:
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
    return html, Charts(STATISTICS_CHARTS, tuple(t.chart_source for t in wanted))


def _render_single(document: CompiledDocument, progress: Progress = silent) -> bytes:
    progress(0, gettext_noop("Ritar diagrammen och lägger ut sidorna"))
    html, charts = render_html(document)
    rendered, _drawn = layer.layout(html, render_css(document), charts)
    progress(85, gettext_noop("Skriver PDF-filen"))
    return rendered.write_pdf(pdf_variant=layer.PDF_VARIANT)


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
    return html, css, NO_CHARTS, False


def _metadata(document: CompiledDocument) -> dict[str, str]:
    return {
        "/Title": f"{document.title} – {document.association_name} – {document.period_name}",
        "/Author": document.association_name,
        "/Subject": f"{document.kind_label}: {document.title}, {document.period_name}",
        "/Creator": "finsam",
    }


def _chapter_jobs(document: CompiledDocument, css: str) -> list[layer.Job]:
    jobs = []
    for chapter in document.chapters:
        html, charts = render_html(
            document, front=False, chapters=[chapter], summary=False, link=ANCHOR_SCHEME
        )
        jobs.append((html, css, charts, True))
    return jobs


def typeset_chapters(document: CompiledDocument) -> None:
    """Lay out the chapters of `document` into the cache (as compiling it in parts would), so
    that compiling the period later finds them there."""
    layer.lay_out(_chapter_jobs(document, render_css(document, running=False)), workers=1)


def _render_in_parts(document: CompiledDocument, progress: Progress = silent) -> bytes:
    css = render_css(document, running=False)
    summary, summary_charts = render_html(
        document, front=False, chapters=[], summary=True, link=ANCHOR_SCHEME
    )
    # The contents take the same number of pages whatever the numbers in them: a first layout
    # with placeholders tells where the chapters start.
    _placeholder_page_numbers(document)
    placeholder_front, _ = render_html(
        document, chapters=[], summary=False, link=ANCHOR_SCHEME, page_numbers=True
    )
    jobs = [
        (placeholder_front, css, NO_CHARTS, True),
        *_chapter_jobs(document, css),
        (summary, css, summary_charts, True),
    ]
    front_pages, *body = layer.lay_out(jobs, progress=within(progress, 0, 80))
    first_page = front_pages.pages + 1
    offsets = []
    for part in body:
        offsets.append((part, first_page))
        first_page += part.pages
    _set_page_numbers(document, offsets)
    running = layer.running_pages([front_pages, *body])
    front_html, _ = render_html(
        document, chapters=[], summary=False, link=ANCHOR_SCHEME, page_numbers=True
    )
    # The running header and footer are laid out in two parts, the contents beside the
    # smaller one.
    progress(80, gettext_noop("Lägger ut innehållsförteckning, sidhuvud och sidfot"))
    third = len(running) // 3
    front, first_running, other_running = layer.lay_out(
        [
            (front_html, css, NO_CHARTS, True),
            _running_job(document, running[:third], True),
            _running_job(document, running[third:], third == 0),
        ]
    )
    if front.pages != front_pages.pages:  # pragma: no cover - the contents grew a page
        return _render_single(document)
    overlays = [first_running.pdf] if third else []
    progress(92, gettext_noop("Sammanfogar delarna"))
    return layer.merge([front, *body], [*overlays, other_running.pdf], _metadata(document))


def render_pdf(document: CompiledDocument, progress: Progress = silent) -> bytes:
    if len(document.chapters) >= PARTS_MIN_CHAPTERS:
        return _render_in_parts(document, progress)
    return _render_single(document, progress)
