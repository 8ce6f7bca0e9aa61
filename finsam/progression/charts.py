"""A participant's ratings over time: one line chart per dimension, the self-rating and the
coach's rating as two lines, as inline SVG written directly (the way `finsam.statistics.charts`
draws): a grid over the dimension's whole scale, the dates along the bottom, a legend, a <title>
and a <desc> that says every value in words. Lines differ by colour and by dash and marker shape,
so they read without colour too. Deterministic: the same ratings give the same bytes."""

from __future__ import annotations

import datetime
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

FONT = "DejaVu Sans"
WIDTH, HEIGHT = 560, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 36, 42
# Okabe–Ito: blue for the participant, vermilion (dashed, squares) for the coach.
STYLES = {
    "self": {"colour": "#0072B2", "dash": "", "marker": "circle"},
    "coach": {"colour": "#D55E00", "dash": ' stroke-dasharray="6 3"', "marker": "square"},
}


def _text(x, y, value, size=11, anchor="start", fill="#222222"):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}"'
        f' fill="{fill}" text-anchor="{anchor}">{escape(str(value))}</text>'
    )


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def chart_desc(dimension_ratings) -> str:
    d = dimension_ratings.dimension
    parts = []
    for series in dimension_ratings.series:
        if series.points:
            values = ", ".join(f"{day.isoformat()}: {value}" for day, value in series.points)
        else:
            values = _("inga skattningar")
        parts.append(f"{series.label} – {values}")
    return _("Linjediagram, skala %(min)s–%(max)s. %(series)s.") % {
        "min": d.scale_min,
        "max": d.scale_max,
        "series": "; ".join(parts),
    }


def rating_chart_svg(dimension_ratings, *, chart_id: str) -> str:
    """The chart of one dimension's ratings as inline SVG, labelled by its <title> and <desc>."""
    d = dimension_ratings.dimension
    days = sorted({day for s in dimension_ratings.series for day, _v in s.points})
    x0, x1, y0, y1 = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM
    first = days[0] if days else datetime.date.today()
    span = max((days[-1] - first).days, 1) if days else 1

    def x(day: datetime.date) -> float:
        if len(days) <= 1:
            return (x0 + x1) / 2
        return x0 + (x1 - x0) * (day - first).days / span

    def y(value: int) -> float:
        return y1 - (y1 - y0) * (value - d.scale_min) / (d.scale_max - d.scale_min)

    title = _("%(name)s över tid") % {"name": d.name}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' width="{WIDTH}" height="{HEIGHT}" role="img" class="progression-chart img-fluid"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(chart_desc(dimension_ratings))}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    length = d.scale_max - d.scale_min
    step = 1 if length <= 10 else (2 if length <= 20 else max(1, length // 10))
    for value in range(d.scale_min, d.scale_max + 1, step):
        out.append(
            f'<line x1="{x0}" y1="{y(value):.1f}" x2="{x1}" y2="{y(value):.1f}"'
            ' stroke="#e3e3e3" stroke-width="1"/>'
        )
        out.append(_text(x0 - 6, y(value) + 4, value, 12, "end"))
    out.append(f'<line x1="{x0}" y1="{y1}" x2="{x1}" y2="{y1}" stroke="#000000" stroke-width="1"/>')
    # Dates: the first and the last always, others when there is room.
    shown, last_x = [], -1000.0
    for i, day in enumerate(days):
        px = x(day)
        if i in (0, len(days) - 1) or px - last_x > 120:
            # The last date is set flush right (end-anchored): keep room for the one before.
            if shown and px - last_x < (160 if i == len(days) - 1 else 120):
                shown.pop()
            shown.append(day)
            last_x = px
    for day in shown:
        px = x(day)
        # Dates at the ends stay inside the picture.
        anchor = "start" if px - x0 < 40 else ("end" if x1 - px < 40 else "middle")
        out.append(_text(px, y1 + 18, day.isoformat(), 12, anchor))
    for series in dimension_ratings.series:
        style = STYLES[series.rater]
        points = [(x(day), y(value)) for day, value in series.points]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{style["colour"]}"'
                f' stroke-width="2.5"{style["dash"]}/>'
            )
        for px, py in points:
            out.append(_marker(style["marker"], px, py, style["colour"]))
    at = x0
    for series in dimension_ratings.series:
        style = STYLES[series.rater]
        out.append(
            f'<line x1="{at}" y1="16" x2="{at + 22}" y2="16" stroke="{style["colour"]}"'
            f' stroke-width="2.5"{style["dash"]}/>'
        )
        out.append(_marker(style["marker"], at + 11, 16, style["colour"]))
        out.append(_text(at + 28, 21, series.label, 13))
        at += 28 + 8 * len(series.label) + 24
    if not days:
        out.append(_text((x0 + x1) / 2, (y0 + y1) / 2, _("Inga skattningar ännu"), 11, "middle"))
    out.append("</svg>")
    return "\n".join(out)
