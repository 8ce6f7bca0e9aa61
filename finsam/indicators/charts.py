"""The indicator chart: one horizontal bar per indicator, the share of positive answers on a
0–100 % axis, the target as a tick, and (association scope) the region's and the whole
installation's shares as thinner bars beside it.

Written directly as SVG like the statistics charts (`finsam.statistics.charts`): a few rectangles
and texts, deterministic (the same results give the same bytes). A hidden figure is drawn as no
bar with its "För få svar" label, never at its real value.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from finsam.documents.charts import svg_with_alt
from finsam.indicators import presentation as p

OWN, REGION, INSTALLATION = "#1D4E6B", "#0072B2", "#E69F00"
TARGET = "#C0392B"
FONT = "DejaVu Sans"
WIDTH = 540
LEFT = 44
RIGHT = 70
TOP = 26


def _text(x, y, value, size=9, *, anchor="start", fill="#222222", bold=False):
    weight = ' font-weight="bold"' if bold else ""
    end = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}"{weight}'
        f' fill="{fill}"{end}>{escape(value)}</text>'
    )


def _rect(x, y, width, height, fill):
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{fill}"/>'
    )


def series_of(found) -> list[tuple[str, str, str]]:
    """(attribute of a result, legend label, colour) of the bars drawn."""
    series = [("total", found.scope_label, OWN)]
    if found.compared:
        series += [
            ("region", found.region_label or _("Regionen"), REGION),
            ("installation", _("Alla förbund"), INSTALLATION),
        ]
    return series


def chart_alt(found) -> str:
    parts = []
    for indicator, result in found.pairs():
        values = ", ".join(
            f"{label} {p.share_text(getattr(result, attr))}"
            for attr, label, _colour in series_of(found)
        )
        parts.append(f"{indicator.code}: {values}")
    return _("Stapeldiagram: andel positiva svar per indikator %(year)s – %(values)s.") % {
        "year": found.year,
        "values": "; ".join(parts),
    }


def indicator_chart_svg(found) -> str:
    series = series_of(found)
    pairs = found.pairs()
    bar = 10 if len(series) > 1 else 14
    row = len(series) * bar + 8
    height = TOP + len(pairs) * row + 34
    x0, x1 = LEFT, WIDTH - RIGHT

    def x(share):
        return x0 + share * (x1 - x0)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}pt" height="{height}pt"'
        f' viewBox="0 0 {WIDTH} {height}" version="1.1">',
        _rect(0, 0, WIDTH, height, "#ffffff"),
        _text(x0, 14, _("Andel positiva svar %(year)s") % {"year": found.year}, 11, bold=True),
    ]
    for tick in (0, 0.5, 1):
        out.append(
            f'<line x1="{x(tick):.1f}" y1="{TOP - 4}" x2="{x(tick):.1f}"'
            f' y2="{TOP + len(pairs) * row}" stroke="#D5DDE2" stroke-width="0.6"/>'
        )
        out.append(
            _text(
                x(tick),
                TOP + len(pairs) * row + 11,
                f"{round(tick * 100)} %",
                7,
                anchor="middle",
                fill="#555555",
            )
        )
    for i, (indicator, result) in enumerate(pairs):
        top = TOP + i * row + 2
        out.append(
            _text(x0 - 4, top + len(series) * bar / 2 + 3.5, indicator.code, 9, anchor="end")
        )
        for s, (attr, _label, colour) in enumerate(series):
            figure = getattr(result, attr)
            y = top + s * bar
            share = figure.share if figure is not None else None
            if share is None:
                label = p.share_text(figure) if figure is not None and figure.n else "–"
                out.append(_text(x0 + 3, y + bar - 1.5, label, 7, fill="#555555"))
                continue
            out.append(_rect(x0, y, max(x(share) - x0, 0.8), bar * 0.9, colour))
            out.append(_text(x(share) + 3, y + bar - 1.5, p.share_text(figure), 7))
        if result.rule.target_share is not None:
            tx = x(float(result.rule.target_share) / 100)
            out.append(
                f'<line x1="{tx:.1f}" y1="{top - 1:.1f}" x2="{tx:.1f}"'
                f' y2="{top + len(series) * bar + 1:.1f}" stroke="{TARGET}" stroke-width="1.6"/>'
            )
    legend_y = height - 8
    at = x0
    for _attr, label, colour in series:
        out.append(_rect(at, legend_y - 7, 10, 7, colour))
        out.append(_text(at + 14, legend_y, label, 8))
        at += 24 + len(label) * 5
    out.append(
        f'<line x1="{at:.1f}" y1="{legend_y - 8}" x2="{at:.1f}" y2="{legend_y + 1}"'
        f' stroke="{TARGET}" stroke-width="1.6"/>'
    )
    out.append(_text(at + 5, legend_y, _("Mål"), 8))
    out.append("</svg>")
    return svg_with_alt("\n".join(out), chart_alt(found))
