"""Charts for documents: cached by content, drawn in parallel.

A producer says what to draw with a *drawer*: an object (module-level, so that worker processes
can receive it) with

- `key(source, kind) -> str`: the cache key of `source` drawn as `kind`, from its content;
- `draw(source, kind)`: SVG text for kind "svg", PNG bytes for kind "png<dpi>" (e.g. "png150");
- `warm()`: imports what drawing needs, once, before worker processes are forked;
- `parallel(kind) -> bool`: whether drawing a chart as `kind` costs enough to pay for a pool of
  worker processes (matplotlib: yes; the statistics charts' SVG, written directly: no).

`BAR_CHARTS` draws the generic `BarChart` below; the statistics tables of the compiled report have
their own drawer (finsam.reports.documents.charts).

Drawing a chart with matplotlib costs about as much as laying out a page, so:
- each chart is kept in the documents cache under its key (the tables of submitted reports are
  frozen, so compiling the report again redraws only what changed);
- the charts still missing are drawn by a pool of forked worker processes, one per CPU, when
  there are enough of them to pay for the pool, while the caller goes on with its own work
  (WeasyPrint parses and styles the document meanwhile, and picks each chart up when it needs
  it; a chart no worker has started yet is then drawn by the caller itself rather than waited
  for). The workers only draw: they get a source and return SVG text or PNG bytes, and never
  touch the database.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from django.conf import settings

from finsam.documents.cache import document_cache

CHART_CACHE_SECONDS = 7 * 24 * 3600
# The kind of chart a PDF embeds, by either engine: SVG (text stays text).
PDF_CHART_KIND = "svg"
# Below this many charts to draw, a worker pool costs more than it saves.
PARALLEL_MIN_CHARTS = 6


class ChartDrawer(Protocol):
    def key(self, source, kind: str) -> str: ...

    def draw(self, source, kind: str) -> str | bytes: ...

    def warm(self) -> None: ...

    def parallel(self, kind: str) -> bool: ...


class Charts(NamedTuple):
    """The charts of a document, in the order its template refers to them, and their drawer."""

    drawer: ChartDrawer | None
    sources: tuple = ()


NO_CHARTS = Charts(None, ())


@dataclass(frozen=True)
class DrawnBy:
    """One chart's source with its own drawer, so charts of several drawers share one pool."""

    drawer: object
    source: object


class _EachOwnDrawer:
    """The drawer of `DrawnBy` charts: each by its own drawer."""

    def parallel(self, kind: str) -> bool:
        return True  # any of them may be costly

    def key(self, chart: DrawnBy, kind: str) -> str:
        return chart.drawer.key(chart.source, kind)

    def draw(self, chart: DrawnBy, kind: str):
        return chart.drawer.draw(chart.source, kind)

    def warm(self) -> None:
        pass


EACH_OWN_DRAWER = _EachOwnDrawer()


def _draw(job: tuple[ChartDrawer, object, str]):
    drawer, source, kind = job
    return drawer.draw(source, kind)


def _workers(n_jobs: int, drawer: ChartDrawer, kind: str) -> int:
    """Worker processes to draw `n_jobs` charts as `kind`: one per CPU for a costly drawing,
    none for a cheap one (forking costs more than it saves); settings.
    COMPILED_REPORT_CHART_WORKERS, when set, for any drawing."""
    configured = getattr(settings, "COMPILED_REPORT_CHART_WORKERS", None)
    default = (os.cpu_count() or 1) if drawer.parallel(kind) else 1
    workers = configured if configured is not None else default
    if n_jobs < PARALLEL_MIN_CHARTS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(workers, n_jobs))


class PendingCharts:
    """The charts of `sources` drawn by `drawer`, being drawn; `result(i)` waits for the i-th."""

    def __init__(
        self, sources: list, kind: str, *, drawer: ChartDrawer | None, workers: int | None = None
    ):
        self.kind = kind
        self.drawer = drawer
        self.sources = list(sources)
        if self.sources and drawer is None:
            raise ValueError("Charts need a drawer.")
        self.keys = [drawer.key(source, kind) for source in self.sources] if drawer else []
        self.done: dict = document_cache.get_many(self.keys) if self.keys else {}
        self.drawn: dict = {}  # the charts drawn here, by cache key
        self.futures: dict[str, Future] = {}
        self.pool = None
        missing: dict = {}
        for key, source in zip(self.keys, self.sources, strict=True):
            if key not in self.done:
                missing.setdefault(key, source)
        if workers is None:
            workers = _workers(len(missing), drawer, kind) if missing else 1
        if workers > 1 and missing:
            # Import matplotlib here once, so that the forked workers inherit it instead of
            # each importing it again.
            drawer.warm()
            self.pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("fork")
            )
            self.futures = {
                key: self.pool.submit(_draw, (drawer, source, kind))
                for key, source in missing.items()
            }

    def result(self, index: int):
        key = self.keys[index]
        if key not in self.done:
            future = self.futures.get(key)
            if future is not None and not future.cancel():
                chart = future.result()
            else:  # not started by a worker yet: draw it here rather than wait
                chart = _draw((self.drawer, self.sources[index], self.kind))
            self.done[key] = self.drawn[key] = chart
            document_cache.set(key, chart, CHART_CACHE_SECONDS)
        return self.done[key]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def charts(sources: list, kind: str = "svg", *, drawer: ChartDrawer) -> list:
    """The chart of every source ("svg" → SVG text, "png150" → PNG bytes at 150 dpi), from the
    cache where the same content was drawn before."""
    with PendingCharts(sources, kind, drawer=drawer) as pending:
        return [pending.result(i) for i in range(len(sources))]


def svg_with_alt(svg: str, alt: str) -> str:
    """Inline SVG markup (no XML prolog) labelled for screen readers with `alt`, scaling to its
    container's width."""
    from xml.sax.saxutils import escape

    svg = svg[svg.index("<svg") :]
    label = escape(alt, {'"': "&quot;"})
    return svg.replace(
        "<svg ", f'<svg role="img" aria-label="{label}" style="max-width:100%;height:auto" ', 1
    )


def image_svg(svg: str) -> str:
    """A chart's SVG as an image of a PDF: without the inline-HTML sizing of `svg_with_alt`,
    which confuses an SVG drawn as an image (the document sizes the image box)."""
    return svg.replace(' style="max-width:100%;height:auto"', "", 1)


# --- A generic bar chart ----------------------------------------------------------------------


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one per label, each carrying its number (`texts`, or the value)."""

    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    texts: tuple[str, ...] = field(default=())
    colour: str = "#1D4E6B"  # the site's dark blue (finsam.css)

    def bar_texts(self) -> list[str]:
        from finsam.core.formats import sv_number

        if self.texts:
            return list(self.texts)
        return [sv_number(int(v)) if float(v).is_integer() else str(v) for v in self.values]

    def alt(self) -> str:
        """What the chart shows, in words (the same numbers as the bars)."""
        from django.utils.translation import gettext as _

        values = ", ".join(
            f"{label} {text}" for label, text in zip(self.labels, self.bar_texts(), strict=True)
        )
        return _("Stapeldiagram: %(title)s – %(values)s.") % {"title": self.title, "values": values}


_RC = {
    "svg.hashsalt": "finsam",
    "svg.fonttype": "none",  # text stays text: searchable, selectable
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


class BarChartDrawer:
    """Draws `BarChart`s with matplotlib (Agg, no pyplot); the same chart gives the same bytes."""

    def parallel(self, kind: str) -> bool:
        return True

    def key(self, source: BarChart, kind: str) -> str:
        payload = json.dumps(
            [source.title, source.labels, source.values, source.bar_texts(), source.colour],
            ensure_ascii=False,
        )
        digest = hashlib.sha256(f"{kind}:{payload}".encode()).hexdigest()
        return f"finsam:bar-chart:{digest}"

    def warm(self) -> None:
        import matplotlib.figure  # noqa: F401

    def _figure(self, chart: BarChart):
        from matplotlib.figure import Figure

        height = 0.7 + 0.32 * max(len(chart.labels), 1)
        figure = Figure(figsize=(7.5, height), layout="constrained")
        axes = figure.add_subplot()
        bars = axes.barh(range(len(chart.values)), chart.values, color=chart.colour)
        axes.bar_label(bars, labels=chart.bar_texts(), padding=3, fontsize=8, color="#222222")
        axes.set_yticks(range(len(chart.labels)), chart.labels)
        axes.invert_yaxis()
        axes.set_xlim(0, max([*chart.values, 1]) * 1.18)
        axes.xaxis.set_visible(False)
        axes.spines["bottom"].set_visible(False)
        axes.tick_params(axis="y", length=0)
        axes.set_title(chart.title, loc="left", fontsize=11, fontweight="bold")
        return figure

    def draw(self, source: BarChart, kind: str) -> str | bytes:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import rc_context

        if kind == "svg":
            buffer = io.StringIO()
            with rc_context(_RC):
                self._figure(source).savefig(buffer, format="svg", metadata={"Date": None})
            return svg_with_alt(buffer.getvalue(), source.alt())
        out = io.BytesIO()
        with rc_context({**_RC, "svg.fonttype": "path"}):
            self._figure(source).savefig(
                out, format="png", dpi=int(kind.removeprefix("png")), metadata={"Software": None}
            )
        return out.getvalue()


BAR_CHARTS = BarChartDrawer()
