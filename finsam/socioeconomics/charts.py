"""The estimate's chart: the initiative's cumulative cost against the cumulative public gain
(discounted) year by year, as inline SVG written directly (the way `finsam.statistics.charts`
draws its bars): lines, dots, a grid with amounts, a legend, and the same figures in words for
screen readers. Deterministic: the same result gives the same bytes."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from finsam.core.formats import sv_amount
from finsam.documents.charts import svg_with_alt
from finsam.socioeconomics.selectors import amount

COST_COLOUR = "#D55E00"  # Okabe–Ito vermilion
GAIN_COLOUR = "#0072B2"  # Okabe–Ito blue
FONT = "DejaVu Sans"
WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 92, 20, 40, 44


def cumulative_costs(result) -> list[Decimal]:
    """The cumulative cost at the end of each year of the horizon: budget lines one per year in
    order, an entered cost all in year 1."""
    h = result.inputs.years
    if result.cost_lines:
        per_year = [amount for _y, amount, _o in result.cost_lines]
    else:
        per_year = [result.inputs.cost]
    out, total = [], Decimal(0)
    for t in range(h):
        if t < len(per_year):
            total += per_year[t]
        out.append(total)
    # Budget years beyond the horizon still count: the whole cost is the estimate's cost.
    if out and len(per_year) > h:
        out[-1] = result.inputs.cost
    return out


def _text(x, y, value, size=11, anchor="start", fill="#222222", bold=False):
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}"{weight}'
        f' fill="{fill}" text-anchor="{anchor}">{escape(value)}</text>'
    )


def _nice_step(largest: float) -> float:
    raw = largest / 5 or 1
    magnitude = 10 ** len(str(int(raw))) / 10
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def chart_alt(result) -> str:
    costs = cumulative_costs(result)
    parts = [
        _("år %(year)s: kostnad %(cost)s kr, vinst %(gain)s kr")
        % {"year": row.year, "cost": amount(cost), "gain": amount(row.cumulative)}
        for row, cost in zip(result.years, costs, strict=True)
    ]
    return _(
        "Linjediagram: insatsens kostnad och den offentliga vinsten (diskonterad), "
        "sammanlagt år för år – %(values)s."
    ) % {"values": "; ".join(parts)}


@dataclass(frozen=True)
class LineChart:
    """What the chart shows, plain and picklable (documents draw it in worker processes)."""

    costs: tuple[float, ...]
    gains: tuple[float, ...]
    labels: tuple[str, str]
    alt: str


def chart_source(result) -> LineChart:
    return LineChart(
        tuple(float(c) for c in cumulative_costs(result)),
        tuple(float(row.cumulative) for row in result.years),
        (_("Kostnad, sammanlagd"), _("Offentlig vinst, diskonterad, sammanlagd")),
        chart_alt(result),
    )


def chart_svg(result) -> str:
    """The chart as inline SVG for the web page, labelled for screen readers."""
    source = chart_source(result)
    return svg_with_alt(_svg(source), source.alt)


def _svg(source: LineChart) -> str:
    costs = [Decimal(str(c)) for c in source.costs]
    gains = [Decimal(str(g)) for g in source.gains]
    h = len(gains)
    largest = float(max(costs + gains + [Decimal(1)]))
    step = _nice_step(largest)
    top_value = step * (int(largest / step) + 1)
    x0, x1 = LEFT, WIDTH - RIGHT
    y0, y1 = TOP, HEIGHT - BOTTOM

    def x(year: int) -> float:
        return x0 + (x1 - x0) * year / max(h, 1)

    def y(value) -> float:
        return y1 - (y1 - y0) * float(value) / top_value

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}"'
        f' viewBox="0 0 {WIDTH} {HEIGHT}" version="1.1">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    value = 0.0
    while value <= top_value + 1e-9:
        out.append(
            f'<line x1="{x0}" y1="{y(value):.1f}" x2="{x1}" y2="{y(value):.1f}"'
            ' stroke="#dddddd" stroke-width="1"/>'
        )
        out.append(_text(x0 - 6, y(value) + 4, sv_amount(Decimal(str(value))), 10, "end"))
        value += step
    for year in range(0, h + 1):
        if h <= 15 or year % 2 == 0:
            out.append(_text(x(year), y1 + 16, str(year), 10, "middle"))
    out.append(_text((x0 + x1) / 2, HEIGHT - 8, _("År"), 10, "middle"))
    out.append(f'<line x1="{x0}" y1="{y1}" x2="{x1}" y2="{y1}" stroke="#000000" stroke-width="1"/>')
    for values, colour, dash in (
        (costs, COST_COLOUR, ' stroke-dasharray="6 3"'),
        (gains, GAIN_COLOUR, ""),
    ):
        points = [(x(0), y(0))] + [(x(t + 1), y(v)) for t, v in enumerate(values)]
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>'
        )
        for px, py in points[1:]:
            out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}"/>')
    legend = [(source.labels[0], COST_COLOUR), (source.labels[1], GAIN_COLOUR)]
    at = x0
    for label, colour in legend:
        out.append(f'<rect x="{at}" y="14" width="18" height="6" fill="{colour}"/>')
        out.append(_text(at + 24, 21, label, 11))
        at += 24 + 7 * len(label) + 24
    out.append("</svg>")
    return "\n".join(out)


class LineChartDrawer:
    """Draws the estimate's `LineChart` for documents: the SVG above (PDF), matplotlib's PNG in
    the same colours (DOCX)."""

    def parallel(self, kind: str) -> bool:
        return kind != "svg"

    def key(self, source: LineChart, kind: str) -> str:
        payload = json.dumps([kind, source.costs, source.gains, source.labels], ensure_ascii=False)
        return "finsam:estimate-chart:" + hashlib.sha256(payload.encode()).hexdigest()

    def warm(self) -> None:
        import matplotlib.figure  # noqa: F401

    def draw(self, source: LineChart, kind: str) -> str | bytes:
        if kind == "svg":
            return _svg(source)
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure

        years = list(range(len(source.gains) + 1))
        figure = Figure(figsize=(7.5, 3.6), layout="constrained")
        axes = figure.add_subplot()
        axes.plot(
            years,
            [0, *source.costs],
            color=COST_COLOUR,
            linestyle="--",
            marker="o",
            label=source.labels[0],
        )
        axes.plot(years, [0, *source.gains], color=GAIN_COLOUR, marker="o", label=source.labels[1])
        axes.set_xlabel(_("År"))
        axes.yaxis.set_major_formatter(lambda value, _pos: sv_amount(Decimal(str(value))))
        axes.spines["top"].set_visible(False)
        axes.spines["right"].set_visible(False)
        axes.legend(frameon=False, fontsize=8, loc="upper left")
        out = io.BytesIO()
        figure.savefig(
            out, format="png", dpi=int(kind.removeprefix("png") or 150), metadata={"Software": None}
        )
        return out.getvalue()


LINE_CHARTS = LineChartDrawer()
