"""The statistics engine's charts for documents: cached by content, drawn in parallel.

Drawing a chart with matplotlib costs more than laying out its page, so:
- each chart is kept in the cache under a hash of the table it shows (the tables of submitted
  reports are frozen, so compiling the report again redraws only what changed);
- the charts still missing are drawn by a pool of forked worker processes, one per CPU, when
  there are enough of them to pay for the pool. The workers only draw: they get an engine
  `Table` and return SVG text or PNG bytes, and never touch the database.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings
from django.core.cache import cache

CHART_CACHE_SECONDS = 7 * 24 * 3600
# Below this many charts to draw, a worker pool costs more than it saves.
PARALLEL_MIN_CHARTS = 6


def _key(table, kind: str) -> str:
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


def _draw_many(jobs: list[tuple[str, object]]) -> list:
    workers = _workers(len(jobs))
    if workers == 1:
        return [_draw(job) for job in jobs]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        chunk = max(1, len(jobs) // (workers * 4))
        return list(pool.map(_draw, jobs, chunksize=chunk))


def charts(tables: list, kind: str = "svg") -> list:
    """The chart of every table in `tables` ("svg" → SVG text, "png150" → PNG bytes at 150 dpi),
    from the cache where the same table was drawn before."""
    keys = [_key(table, kind) for table in tables]
    found = cache.get_many(keys)
    missing = {}
    for key, table in zip(keys, tables, strict=True):
        if key not in found and key not in missing:
            missing[key] = table
    if missing:
        drawn = _draw_many([(kind, table) for table in missing.values()])
        new = dict(zip(missing.keys(), drawn, strict=True))
        cache.set_many(new, CHART_CACHE_SECONDS)
        found.update(new)
    return [found[key] for key in keys]


def chart_svg(table) -> str:
    return charts([table], "svg")[0]


def chart_png(table, *, dpi: int = 150) -> bytes:
    return charts([table], f"png{dpi}")[0]
