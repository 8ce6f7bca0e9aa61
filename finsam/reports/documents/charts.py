"""The statistics engine's charts in the compiled report, drawn through the documents layer
(finsam.documents.charts: cached by content; the PNGs, matplotlib's, drawn in parallel).

`STATISTICS_CHARTS` is the drawer of engine `Table`s: its cache key is a hash of the table's
content and the charts are the statistics app's (finsam.statistics.charts).
"""

from __future__ import annotations

import hashlib
import json

from finsam.documents import charts as document_charts
from finsam.documents.cache import document_cache  # noqa: F401 - the cache the charts are kept in
from finsam.documents.charts import CHART_CACHE_SECONDS, PendingCharts  # noqa: F401


def chart_key(table, kind: str) -> str:
    from finsam.reports.selectors import table_to_dict

    payload = json.dumps(table_to_dict(table), sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(f"{kind}:{payload}".encode()).hexdigest()
    return f"finsam:compiled-chart:{digest}"


class StatisticsChartDrawer:
    """Draws the statistics engine's tables (bars by gender)."""

    def parallel(self, kind: str) -> bool:
        return kind != "svg"  # an SVG takes well under a millisecond; a PNG is matplotlib's

    def key(self, table, kind: str) -> str:
        return chart_key(table, kind)

    def draw(self, table, kind: str):
        from finsam.statistics import charts

        if kind == "svg":
            return charts.table_chart_svg(table)
        return charts.table_chart_png(table, dpi=int(kind.removeprefix("png")))

    def warm(self) -> None:
        import matplotlib.figure  # noqa: F401 - the PNG's (the SVG is written without it)

        import finsam.statistics.charts  # noqa: F401


STATISTICS_CHARTS = StatisticsChartDrawer()


def charts(tables: list, kind: str = "svg") -> list:
    """The chart of every table in `tables` ("svg" → SVG text, "png150" → PNG bytes at 150 dpi),
    from the cache where the same table was drawn before."""
    return document_charts.charts(tables, kind, drawer=STATISTICS_CHARTS)


def chart_svg(table) -> str:
    return charts([table], "svg")[0]


def chart_png(table, *, dpi: int = 150) -> bytes:
    return charts([table], f"png{dpi}")[0]
