"""The statistics engine's charts for documents: cached by content, drawn in parallel.

Drawing a chart with matplotlib costs about as much as laying out a page, so:
- each chart is kept in the cache under a hash of the table it shows (the tables of submitted
  reports are frozen, so compiling the report again redraws only what changed);
- the charts still missing are drawn by a pool of forked worker processes, one per CPU, when
  there are enough of them to pay for the pool, while the caller goes on with its own work
  (WeasyPrint parses and styles the document meanwhile, and picks each chart up when it needs
  it; a chart no worker has started yet is then drawn by the caller itself rather than waited
  for). The workers only draw: they get an engine `Table` and return SVG text or PNG bytes, and
  never touch the database.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor

from django.conf import settings
from django.core.cache import caches
from django.utils.connection import ConnectionProxy

CHART_CACHE_SECONDS = 7 * 24 * 3600
# The documents cache (settings.CACHES): charts and typeset parts, shared by the server's processes.
document_cache = ConnectionProxy(caches, "documents")
# Below this many charts to draw, a worker pool costs more than it saves.
PARALLEL_MIN_CHARTS = 6


def chart_key(table, kind: str) -> str:
    from finsam.reports.selectors import table_to_dict

    payload = json.dumps(table_to_dict(table), sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(f"{kind}:{payload}".encode()).hexdigest()
    return f"finsam:compiled-chart:{digest}"


def _draw(job: tuple[str, object]):
    kind, table = job
    from finsam.statistics.charts import table_chart_png, table_chart_svg

    if kind == "svg":
        return table_chart_svg(table)
    return table_chart_png(table, dpi=int(kind.removeprefix("png")))


def _workers(n_jobs: int) -> int:
    configured = getattr(settings, "COMPILED_REPORT_CHART_WORKERS", None)
    workers = configured if configured is not None else (os.cpu_count() or 1)
    if n_jobs < PARALLEL_MIN_CHARTS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(workers, n_jobs))


class PendingCharts:
    """The charts of `tables`, being drawn; `result(i)` waits for the i-th one."""

    def __init__(self, tables: list, kind: str, *, workers: int | None = None):
        self.kind = kind
        self.tables = tables
        self.keys = [chart_key(table, kind) for table in tables]
        self.done: dict = document_cache.get_many(self.keys)
        self.drawn: dict = {}  # the charts drawn here, by cache key
        self.futures: dict[str, Future] = {}
        self.pool = None
        missing: dict = {}
        for key, table in zip(self.keys, tables, strict=True):
            if key not in self.done:
                missing.setdefault(key, table)
        workers = _workers(len(missing)) if workers is None else workers
        if workers > 1:
            # Import matplotlib here once, so that the forked workers inherit it instead of
            # each importing it again.
            import finsam.statistics.charts  # noqa: F401

            self.pool = ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("fork")
            )
            self.futures = {
                key: self.pool.submit(_draw, (kind, table)) for key, table in missing.items()
            }

    def result(self, index: int):
        key = self.keys[index]
        if key not in self.done:
            future = self.futures.get(key)
            if future is not None and not future.cancel():
                chart = future.result()
            else:  # not started by a worker yet: draw it here rather than wait
                chart = _draw((self.kind, self.tables[index]))
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


def charts(tables: list, kind: str = "svg") -> list:
    """The chart of every table in `tables` ("svg" → SVG text, "png150" → PNG bytes at 150 dpi),
    from the cache where the same table was drawn before."""
    with PendingCharts(tables, kind) as pending:
        return [pending.result(i) for i in range(len(tables))]


def chart_svg(table) -> str:
    return charts([table], "svg")[0]


def chart_png(table, *, dpi: int = 150) -> bytes:
    return charts([table], f"png{dpi}")[0]
