"""PDF with WeasyPrint: the safe URL fetcher, layout with charts drawn alongside, layout in cached
parallel parts, and putting parts together into one tagged PDF.

Charts are referenced from the HTML as `finsam-chart:<n>` images: WeasyPrint fetches them from
the chart pool (finsam.documents.charts) while it lays the document out, and fetches nothing else
(no files, no network), whatever the document's text contains.

Laying out a hundred pages is the slow part (WeasyPrint uses one CPU, about a tenth of a second
a page). A long document can therefore be made of parts, each laid out on its own (`lay_out`):
parts are kept in the documents cache under a hash of their content, so laying out again only
does what changed, and the parts not in the cache are laid out by forked worker processes, one
per idle CPU, each drawing its own charts. `merge` puts the parts together with pypdf and stamps
running headers and footers (laid out text-only, `running_pages`) on every page.

The PDF is tagged for screen readers (PDF/UA-1: structure tree, language from `<html lang>`,
bookmarks, every chart's text alternative as its /Alt). pypdf leaves the parts' structure out
when it puts them together, so the merge joins their structure trees into one; the stamped
running header and footer are marked as artifacts.
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_noop

from finsam.core.progress import Progress, silent
from finsam.documents.cache import document_cache
from finsam.documents.charts import CHART_CACHE_SECONDS, ChartDrawer, PendingCharts

CHART_SCHEME = "finsam-chart:"
ANCHOR_SCHEME = "finsam-anchor:"
# Typeset parts are kept by content: a part whose content did not change is not laid out again.
PART_CACHE_SECONDS = 30 * 24 * 3600
CHART_KIND = "svg"
# A CPU lays out parts when at least this much of it is idle.
IDLE_CPU_FOR_PARTS = 0.5
# Tagged PDF for screen readers (PDF/UA-1): structure tree, /Lang from <html lang>, /Alt on charts.
PDF_VARIANT = "pdf/ua-1"


class Charts(NamedTuple):
    """The charts of a piece of HTML, in `finsam-chart:<index>` order, and their drawer."""

    drawer: ChartDrawer | None
    sources: tuple = ()


NO_CHARTS = Charts(None, ())


def css_string(text: str) -> str:
    """`text` made safe inside a double-quoted CSS string."""
    cleaned = " ".join(str(text).split())
    return mark_safe(cleaned.replace("\\", "\\\\").replace('"', '\\"'))  # noqa: S308


def _chart_svg(svg: str) -> bytes:
    # The inline-HTML sizing style of the chart confuses an SVG drawn as an image: the image box
    # is sized by the CSS of the document instead.
    return svg.replace(' style="max-width:100%;height:auto"', "", 1).encode("utf-8")


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
                url, body=_chart_svg(svg), headers={"Content-Type": "image/svg+xml"}
            )

    return ChartFetcher(fail_on_errors=True)


def layout(html: str, css: str, charts: Charts = NO_CHARTS, *, chart_workers: int | None = None):
    """WeasyPrint's layout of `html`, and the charts it drew (by cache key)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    # The charts are drawn in the background while WeasyPrint parses and styles the HTML.
    with PendingCharts(
        list(charts.sources), CHART_KIND, drawer=charts.drawer, workers=chart_workers
    ) as pending:
        url_fetcher = fetcher(pending)
        font_config = FontConfiguration()
        stylesheet = CSS(string=css, font_config=font_config, url_fetcher=url_fetcher)
        rendered = HTML(string=html, base_url=CHART_SCHEME, url_fetcher=url_fetcher).render(
            stylesheets=[stylesheet], font_config=font_config
        )
    return rendered, pending.drawn


def write_pdf(html: str, css: str, charts: Charts = NO_CHARTS) -> bytes:
    """`html` laid out in one go, as tagged PDF."""
    rendered, _drawn = layout(html, css, charts)
    return rendered.write_pdf(pdf_variant=PDF_VARIANT)


# --- In parts ---------------------------------------------------------------------------------


@dataclass
class Part:
    """One part laid out on its own: its PDF, and where its anchors and chapters are."""

    pdf: bytes
    pages: int
    anchors: dict[str, int]  # anchor → page index in the part (first occurrence)
    headers: list[str]  # running header of each page ("" = as on the page before)
    charts: dict = field(default_factory=dict)  # charts drawn, by cache key (not cached)


Job = tuple[str, str, Charts, bool]  # (html, css, its charts, tagged)


def _lay_out_part(html: str, css: str, charts: Charts, tagged: bool) -> Part:
    """`tagged`: with the structure tree of PDF/UA (not the running header and footer, which
    are stamped onto the pages as artifacts). A page's running header is the first level-1
    bookmark (heading) on it."""
    rendered, drawn = layout(html, css, charts, chart_workers=1)
    anchors: dict[str, int] = {}
    headers = []
    for index, page in enumerate(rendered.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)
        titles = [label for level, label, _target, _state in page.bookmarks if level == 1]
        headers.append(titles[0] if titles else "")
    pdf = rendered.write_pdf(pdf_variant=PDF_VARIANT if tagged else None)
    return Part(pdf, len(rendered.pages), anchors, headers, drawn)


def _job_key(job: Job) -> str:
    """The cache key of a part: its HTML and CSS, its charts' content, WeasyPrint's version and
    whether it is tagged."""
    import weasyprint

    html, css, charts, tagged = job
    digest = hashlib.sha256()
    for text in (
        weasyprint.__version__,
        PDF_VARIANT if tagged else "",
        css,
        html,
        *(charts.drawer.key(source, CHART_KIND) for source in charts.sources),
    ):
        digest.update(text.encode())
        digest.update(b"\0")
    return f"finsam:compiled-part:{digest.hexdigest()}"


def _lay_out_job(job: Job) -> Part:
    return _lay_out_part(*job)


def lay_out(jobs: list[Job], workers: int | None = None, progress: Progress = silent) -> list[Part]:
    """The parts of `jobs`: from the cache where the same content was laid out before, the
    others laid out by `workers` processes (None: as many as CPUs are idle, measured only when
    more than one part is to be laid out; the longest first, each worker taking the next job
    when it is done) and kept in the cache. `progress` hears of every part laid out."""
    keys = [_job_key(job) for job in jobs]
    found = document_cache.get_many(keys)
    missing = {key: job for key, job in zip(keys, jobs, strict=True) if key not in found}
    order = sorted(missing, key=lambda key: -len(missing[key][0]))

    def done(laid: dict) -> None:
        n, total = len(found) + len(laid), len(jobs)
        step = gettext_noop("Lägger ut kapitlen: %(n)s av %(total)s klara")
        progress(100 * n / total, step, n=n, total=total)

    laid = {}
    done(laid)
    if len(order) > 1 and (workers := workers or _part_workers()) > 1:
        drawers = {id(job[2].drawer): job[2].drawer for job in missing.values()}
        for drawer in drawers.values():
            if drawer is not None:
                drawer.warm()  # imported once, before forking
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {pool.submit(_lay_out_job, missing[key]): key for key in order}
            for future in as_completed(futures):
                laid[futures[future]] = future.result()
                done(laid)
    else:
        for key in order:
            laid[key] = _lay_out_job(missing[key])
            done(laid)
    for key, part in laid.items():
        if part.charts:
            document_cache.set_many(part.charts, CHART_CACHE_SECONDS)
            part.charts = {}
        document_cache.set(key, part, PART_CACHE_SECONDS)
    return [found.get(key) or laid[key] for key in keys]


def _idle_cpus() -> float:
    """CPUs not busy with other work right now, sampled over a tenth of a second (the load
    average would still count a job that ended a minute ago)."""
    import psutil

    busy = psutil.cpu_percent(interval=0.1)
    return (os.cpu_count() or 1) * (1 - busy / 100)


def _part_workers() -> int:
    """How many processes lay out the parts not in the cache: this one's CPU, and one more for
    every other CPU at least half idle (setting COMPILED_REPORT_PARTS: a fixed number)."""
    configured = getattr(settings, "COMPILED_REPORT_PARTS", None)
    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover
        return 1
    if configured is not None:
        return max(1, configured)
    cpus = os.cpu_count() or 1
    return max(1, min(cpus, 1 + int(_idle_cpus() + 1 - IDLE_CPU_FOR_PARTS)))


def running_pages(parts: list[Part], page_label: str = "Sida %(n)s av %(total)s"):
    """(running header, footer) of every page of `parts` put together: the heading of the page,
    or of the one before, and "Sida x av y"."""
    headers = [h for part in parts for h in part.headers]
    total = len(headers)
    current, pages = "", []
    for number, header in enumerate(headers, start=1):
        current = header or current
        pages.append((current, page_label % {"n": number, "total": total}))
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
        [stream(b"q\n"), *existing, stream(f"\nQ /Artifact BMC q {name} Do Q EMC\n".encode())]
    )


def _merge_structure(writer, readers: list) -> None:
    """Put the parts' tagged structure together (pypdf's `append` leaves it out): one Document
    element with every part's elements, the pages and link annotations numbered again in one
    parent tree, and the catalog entries of a tagged PDF (language, metadata) from the first
    part."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    document = DictionaryObject({NameObject("/S"): NameObject("/Document")})
    document[NameObject("/Type")] = NameObject("/StructElem")
    document_ref = writer._add_object(document)
    kids, nums = ArrayObject(), ArrayObject()
    root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    root_ref = writer._add_object(root)
    document[NameObject("/P")] = root_ref
    document[NameObject("/K")] = kids
    pages = iter(writer.pages)
    for reader in readers:
        tree = reader.root_object["/StructTreeRoot"].clone(writer).get_object()
        old = tree["/ParentTree"].get_object()["/Nums"]
        parents = {int(old[i]): old[i + 1] for i in range(0, len(old), 2)}
        part_documents = tree["/K"] if isinstance(tree["/K"], list) else [tree["/K"]]
        for part_document in part_documents:
            for kid in part_document.get_object()["/K"]:
                kid.get_object()[NameObject("/P")] = document_ref
                kids.append(kid)
        # pypdf leaves the pages' /StructParents out, the annotations keep their /StructParent.
        for page_in_part in reader.pages:
            page = next(pages)
            numbered = [(page, page_in_part.get("/StructParents"), "/StructParents")]
            for annotation in page.get("/Annots", []):
                annotation = annotation.get_object()
                numbered.append((annotation, annotation.get("/StructParent"), "/StructParent"))
            for target, key, name in numbered:
                if key is not None:
                    target[NameObject(name)] = NumberObject(len(nums) // 2)
                    nums += [NumberObject(len(nums) // 2), parents[int(key)]]
    root[NameObject("/K")] = ArrayObject([document_ref])
    root[NameObject("/ParentTree")] = writer._add_object(
        DictionaryObject({NameObject("/Nums"): nums})
    )
    root[NameObject("/ParentTreeNextKey")] = NumberObject(len(nums) // 2)
    first = readers[0].root_object
    writer._root_object[NameObject("/StructTreeRoot")] = root_ref
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata"):
        if key in first:
            writer._root_object[NameObject(key)] = first[key].clone(writer)


def merge(parts: list[Part], overlays: list[bytes], metadata: dict[str, str]) -> bytes:
    """The parts as one tagged PDF: links across parts (`finsam-anchor:` URIs) made named
    destinations, the pages of `overlays` stamped one by one on the pages as artifacts (the
    running header and footer), and the document information `metadata` ("/Title", …)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    readers = [PdfReader(io.BytesIO(part.pdf)) for part in parts]
    for reader in readers:
        writer.append(reader, import_outline=True)
    _merge_structure(writer, readers)
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
    writer.add_metadata(metadata)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
