"""The estimate's chart: the initiative's cumulative cost against the cumulative public gain
(discounted) year by year, as inline SVG written directly (the way `finsam.statistics.charts`
draws its bars): lines, dots, a grid with amounts, a legend, and the same figures in words for
screen readers. Deterministic: the same result gives the same bytes."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from finsam.core.formats import sv_amount
from finsam.documents.charts import svg_with_alt

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
        % {"year": row.year, "cost": sv_amount(cost), "gain": sv_amount(row.cumulative)}
        for row, cost in zip(result.years, costs, strict=True)
    ]
    return _(
        "Linjediagram: insatsens kostnad och den offentliga vinsten (diskonterad), "
        "sammanlagt år för år – %(values)s."
    ) % {"values": "; ".join(parts)}


def chart_svg(result) -> str:
    costs = cumulative_costs(result)
    gains = [row.cumulative for row in result.years]
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
    legend = [
        (_("Kostnad, sammanlagd"), COST_COLOUR),
        (_("Offentlig vinst, diskonterad, sammanlagd"), GAIN_COLOUR),
    ]
    at = x0
    for label, colour in legend:
        out.append(f'<rect x="{at}" y="14" width="18" height="6" fill="{colour}"/>')
        out.append(_text(at + 24, 21, label, 11))
        at += 24 + 7 * len(label) + 24
    out.append("</svg>")
    return svg_with_alt("\n".join(out), chart_alt(result))
