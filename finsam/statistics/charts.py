"""Charts of statistics tables: horizontal bars by gender.

The SVG (the web pages and every PDF) is written here directly from the table: a few rectangles
and texts, the texts measured by the advance widths of the font the documents are set in
(DejaVu Sans, through Pillow's FreeType). Drawing it with matplotlib cost about 150 ms a chart,
most of the cold compilation of a compiled report with its dozens of charts; written here it
costs well under a millisecond. The PNG (DOCX) is drawn by matplotlib
(`matplotlib.figure.Figure`, no pyplot, on the Agg backend) in the same layout (`_layout`).

Output is deterministic: the same table always gives the same bytes (no dates, no random ids).
Suppressed cells are drawn as 0 with their "1–4" (or "..") label, never at their real value.
"""

from __future__ import annotations

import functools
import io
import textwrap
from dataclasses import dataclass
from xml.sax.saxutils import escape

from finsam.core.formats import sv_number
from finsam.documents.charts import svg_with_alt
from finsam.participants.models import Gender
from finsam.statistics.engine import Table

# Okabe–Ito colour-blind-safe palette.
COLOURS = {"women": "#CC79A7", "men": "#0072B2", "other": "#E69F00"}
TOTAL_COLOUR = "#1D4E6B"  # totals only: the site's dark blue (finsam.css)
SERIES = (("women", "Kvinnor"), ("men", "Män"), ("other", "Annat/ej angivet"))
MAX_ROWS_WITH_ZEROS = 12  # longer tables (municipalities) chart only their non-empty rows

# matplotlib's settings for the PNG.
_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _label(text: str) -> str:
    return "\n".join(textwrap.wrap(text, 38)) or text


def _text_width(text: str, size: float) -> float:
    """Width in inches of one line of `text` in the charts' font as matplotlib's renderer sets
    it (hinted to whole pixels, so a little wider than the font's own advance widths)."""
    from matplotlib.font_manager import FontProperties, findfont, get_font

    font = get_font(findfont(FontProperties(family=_RC["font.family"])))
    font.set_size(size, 72)
    font.set_text(text)
    return font.get_width_height()[0] / 64 / 72


@functools.cache
def _font():
    """DejaVu Sans at 1000 units per em, to measure texts with (FreeType, through Pillow)."""
    from PIL import ImageFont

    from finsam.documents.typst import font_dir

    return ImageFont.truetype(str(font_dir() / "DejaVuSans.ttf"), 1000)


def _advance_width(text: str, size: float) -> float:
    """Width in inches of one line of `text` in the charts' font, as a PDF or browser sets it
    (its advance widths, kerned)."""
    return _font().getlength(text) / 1000 * size / 72


# Fixed margins in inches, computed from the labels instead of matplotlib's automatic
# ("constrained") layout, which lays the figure out twice and made a chart cost three times as much.
TOP = 0.42  # the title
BOTTOM = 0.4  # the legend
BOTTOM_WITHOUT_LEGEND = 0.1
RIGHT = 0.2  # the x limit leaves room for the bar labels


def _series(table: Table, rows, by_gender: bool) -> list[tuple[str, str, list]]:
    """(cell attribute, legend label, bar colours) of each series of bars. By gender: women, men
    and, when anyone is in it, the third category. The gender table itself, and any table when
    the user asked for totals only, has one series of totals (the gender table's bars in their
    gender's colour)."""
    if table.dimension == "gender":
        by_row = {Gender.WOMAN.value: "women", Gender.MAN.value: "men"}
        return [("total", "", [COLOURS[by_row.get(r.key, "other")] for r in rows])]
    if not by_gender:
        return [("total", "", [TOTAL_COLOUR] * len(rows))]
    return [
        (key, label, [COLOURS[key]] * len(rows))
        for key, label in SERIES
        if key != "other" or any(r.other.value != 0 for r in rows)
    ]


def _rows(table: Table) -> list:
    """The rows the chart shows (long tables leave out their empty rows)."""
    if len(table.rows) > MAX_ROWS_WITH_ZEROS:
        return [r for r in table.rows if r.total.value != 0]
    return table.rows


def _bar_text(cell) -> str:
    """The number on a bar: the count, or its suppression mark."""
    return cell.display if cell.value is None else sv_number(cell.value, space=" ")


def table_chart_alt(table: Table, *, by_gender: bool = True) -> str:
    """What the chart of `table` shows, in words, for those who cannot see it (the PDF's and the
    DOCX's image description, the web page's aria-label): the same rows, series and numbers as
    the bars, e.g. "Stapeldiagram: Kön – Kvinna 60, Man 59. Totalt 119."."""
    from django.utils.translation import gettext as _

    rows = _rows(table)
    series = _series(table, rows, by_gender)
    if not rows:
        values = _("Inga deltagare")
    elif len(series) == 1:
        values = ", ".join(f"{r.label} {_bar_text(r.total)}" for r in rows)
    else:
        values = "; ".join(
            f"{r.label}: "
            + ", ".join(
                f"{_(label).lower()} {_bar_text(getattr(r, key))}" for key, label, _c in series
            )
            for r in rows
        )
    text = _("Stapeldiagram: %(title)s – %(values)s.") % {"title": table.title, "values": values}
    if rows and table.show_total and table.total is not None:
        text += " " + _("Totalt %(total)s.") % {"total": _bar_text(table.total.total)}
    return text


WIDTH = 7.5  # inches


@dataclass(frozen=True)
class _Layout:
    """What a chart shows and its size, for either renderer (SVG here, PNG by matplotlib)."""

    rows: list
    series: list[tuple[str, str, list]]
    labels: list[str]  # the rows' labels, wrapped
    height: float  # inches
    bottom: float  # inches below the bars (the legend)
    largest: float  # the longest bar's value

    @property
    def legend(self) -> bool:
        return len(self.series) > 1

    def left(self, text_width) -> float:
        """The margin in inches left of the bars: the widest label line and a gap."""
        lines = [line for text in self.labels for line in text.split("\n")]
        return 0.25 + max([text_width(line, 9) for line in lines] + [0])


def _layout(table: Table, by_gender: bool) -> _Layout:
    rows = _rows(table)
    series = _series(table, rows, by_gender)
    bottom = BOTTOM if len(series) > 1 else BOTTOM_WITHOUT_LEGEND
    lines = sum(max(1, len(textwrap.wrap(r.label, 38))) for r in rows)
    height = TOP + bottom + 0.05 + max(len(rows), 1) * (0.22 * len(series) + 0.18) + 0.08 * lines
    largest = max([getattr(r, key).value or 0 for r in rows for key, _l, _c in series] + [1])
    return _Layout(rows, series, [_label(r.label) for r in rows], height, bottom, largest)


def _figure(table: Table, *, by_gender: bool = True):
    from django.utils.translation import gettext as _
    from matplotlib.figure import Figure

    layout = _layout(table, by_gender)
    rows, series, height, bottom = layout.rows, layout.series, layout.height, layout.bottom
    width = WIDTH
    left = layout.left(_text_width)
    figure = Figure(figsize=(width, height))
    axes = figure.add_axes(
        (left / width, bottom / height, 1 - (left + RIGHT) / width, 1 - (TOP + bottom) / height)
    )
    bar = 0.8 / len(series)
    for index, (key, label, colours) in enumerate(series):
        positions = [i + (index - (len(series) - 1) / 2) * bar for i in range(len(rows))]
        cells = [getattr(r, key) for r in rows]
        values = [c.value or 0 for c in cells]
        bars = axes.barh(
            positions, values, height=bar * 0.92, color=colours, label=_(label) if label else None
        )
        texts = [_bar_text(c) for c in cells]
        axes.bar_label(bars, labels=texts, padding=3, fontsize=8, color="#222222")
    axes.set_yticks(range(len(rows)), layout.labels)
    axes.invert_yaxis()
    axes.set_xlim(0, layout.largest * 1.18 + 1)
    # Every bar carries its number, so there is no x axis to read values from.
    axes.xaxis.set_visible(False)
    axes.spines["bottom"].set_visible(False)
    axes.tick_params(axis="y", length=0)
    axes.set_title(table.title, loc="left", fontsize=11, fontweight="bold")
    if layout.legend:
        figure.legend(
            loc="lower center",
            bbox_to_anchor=(0.5, 0.02 / height),
            frameon=False,
            fontsize=8,
            ncols=len(series),
        )
    if not rows:
        axes.text(0.5, 0.5, _("Inga deltagare"), transform=axes.transAxes, ha="center")
    return figure


# --- SVG --------------------------------------------------------------------------------------
# The SVG looks as matplotlib drew it (figure 7.5 inches wide, 1 inch = 72 user units = 72 pt):
# bars of 92 % of their slot, 5 % margins above and below the bars, the numbers 3 pt after each
# bar, labels 3.5 pt left of the axis line, the title 6 pt above the bars, the legend below.

PT = 72
# From the vertical centre of a text down to its baseline, in ems: a label of the axis (centred
# on its capitals, matplotlib's "center_baseline") and a number on a bar (centred on its box).
LABEL_CENTRE = 0.41
NUMBER_CENTRE = 0.29
LINE = 1.28  # line spacing of wrapped labels, in ems
FONT = "DejaVu Sans"


def _text(
    x: float, y: float, value: str, size: float, *, anchor="start", fill="#000000", bold=False
):
    weight = ' font-weight="bold"' if bold else ""
    end = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" font-family="{FONT}" font-size="{size:g}"{weight}'
        f' fill="{fill}"{end}>{escape(value)}</text>'
    )


def _rect(x: float, y: float, width: float, height: float, fill: str) -> str:
    return (
        f'<rect x="{x:.2f}" y="{y:.2f}" width="{width:.2f}" height="{height:.2f}" fill="{fill}"/>'
    )


def _svg(table: Table, by_gender: bool) -> str:
    from django.utils.translation import gettext as _

    layout = _layout(table, by_gender)
    rows, series = layout.rows, layout.series
    width, height = WIDTH * PT, layout.height * PT
    x0, x1 = layout.left(_advance_width) * PT, width - RIGHT * PT
    y0, y1 = TOP * PT, height - layout.bottom * PT
    bar = 0.8 / len(series)
    # The bars' extent in rows (row 0 on top), with matplotlib's 5 % margins.
    low = -(len(series) - 1) / 2 * bar - bar * 0.46
    high = len(rows) - 1 - low
    low, high = (low - 0.05 * (high - low), high + 0.05 * (high - low)) if rows else (0, 1)

    scale = (y1 - y0) / (high - low)  # points a row

    def y(row: float) -> float:
        return y0 + (row - low) * scale

    def x(value: float) -> float:
        return x0 + value / (layout.largest * 1.18 + 1) * (x1 - x0)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}pt" height="{height:.2f}pt"'
        f' viewBox="0 0 {width:g} {height:.2f}" version="1.1">',
        _rect(0, 0, width, height, "#ffffff"),
    ]
    for index, (key, _label_text, colours) in enumerate(series):
        for i, (row, colour) in enumerate(zip(rows, colours, strict=True)):
            cell = getattr(row, key)
            centre = y(i + (index - (len(series) - 1) / 2) * bar)
            end = x(cell.value or 0)
            out.append(_rect(x0, centre - bar * 0.46 * scale, end - x0, bar * 0.92 * scale, colour))
            out.append(
                _text(end + 3, centre + NUMBER_CENTRE * 8, _bar_text(cell), 8, fill="#222222")
            )
    for i, label in enumerate(layout.labels):
        lines = label.split("\n")
        for n, line in enumerate(lines):
            # (matplotlib sets a wrapped label a little lower than centred)
            shift = (n - (len(lines) - 1) / 2) * LINE + (len(lines) - 1) * 0.08
            baseline = y(i) + (LABEL_CENTRE + shift) * 9
            out.append(_text(x0 - 3.5, baseline, line, 9, anchor="end"))
    out.append(
        f'<line x1="{x0:.2f}" y1="{y0:.2f}" x2="{x0:.2f}" y2="{y1:.2f}" stroke="#000000"'
        ' stroke-width="0.8" stroke-linecap="square"/>'
    )
    out.append(_text(x0, y0 - 6, table.title, 11, bold=True))
    if layout.legend:
        # Frameless, centred below the bars: a 16 × 5.6 pt swatch, 6.4 pt, the label; 16 pt
        # between entries (matplotlib's legend at 8 pt).
        entries = [(_(label), COLOURS[key]) for key, label, _c in series]
        widths = [22.4 + _advance_width(text, 8) * PT for text, _c in entries]
        at = (width - sum(widths) - 16 * (len(entries) - 1)) / 2
        baseline = height - 1.44 - 4 - 3.2 - 0.236 * 8  # 0.02 in, pads of 4 and 3.2 pt, descent
        for (text, colour), entry in zip(entries, widths, strict=True):
            out.append(_rect(at, baseline - NUMBER_CENTRE * 8 - 2.8, 16, 5.6, colour))
            out.append(_text(at + 22.4, baseline, text, 8))
            at += entry + 16
    if not rows:
        out.append(
            _text(
                (x0 + x1) / 2,
                (y0 + y1) / 2 + NUMBER_CENTRE * 9,
                _("Inga deltagare"),
                9,
                anchor="middle",
            )
        )
    out.append("</svg>")
    return "\n".join(out)


def table_chart_svg(table: Table, *, by_gender: bool = True) -> str:
    """The chart as inline SVG markup (no XML prolog), scaling to its container's width."""
    return svg_with_alt(_svg(table, by_gender), table_chart_alt(table, by_gender=by_gender))


def table_chart_png(table: Table, *, dpi=150) -> bytes:
    """The same chart as PNG (for DOCX and other documents), drawn by matplotlib."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import rc_context

    buffer = io.BytesIO()
    with rc_context(_RC):
        _figure(table).savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
