"""Charts of statistics tables: horizontal bars by gender, drawn server-side with matplotlib.

The figure is built with `matplotlib.figure.Figure` (no pyplot, no global state, thread-safe) on
the Agg backend. Output is deterministic: a fixed SVG hash salt and no dates in the metadata, so the
same table always gives the same bytes. Suppressed cells are drawn as 0 with their "1–4" (or "..")
label, never at their real value.
"""

from __future__ import annotations

import io
import textwrap

import matplotlib

matplotlib.use("Agg")

from matplotlib import rc_context  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties, findfont, get_font  # noqa: E402

from finsam.core.formats import sv_number  # noqa: E402
from finsam.documents.charts import svg_with_alt  # noqa: E402
from finsam.participants.models import Gender  # noqa: E402
from finsam.statistics.engine import Table  # noqa: E402

# Okabe–Ito colour-blind-safe palette.
COLOURS = {"women": "#CC79A7", "men": "#0072B2", "other": "#E69F00"}
TOTAL_COLOUR = "#1D4E6B"  # totals only: the site's dark blue (finsam.css)
SERIES = (("women", "Kvinnor"), ("men", "Män"), ("other", "Annat/ej angivet"))
MAX_ROWS_WITH_ZEROS = 12  # longer tables (municipalities) chart only their non-empty rows

_RC = {
    "svg.hashsalt": "finsam",
    "svg.fonttype": "none",  # text stays text: searchable, selectable, translatable
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _label(text: str) -> str:
    return "\n".join(textwrap.wrap(text, 38)) or text


def _text_width(text: str, size: float) -> float:
    """Width in inches of one line of `text` in the charts' font (as the renderer will set it)."""
    font = get_font(findfont(FontProperties(family=_RC["font.family"])))
    font.set_size(size, 72)
    font.set_text(text)
    return font.get_width_height()[0] / 64 / 72


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


def _figure(table: Table, *, by_gender: bool = True) -> Figure:
    from django.utils.translation import gettext as _

    rows = _rows(table)
    series = _series(table, rows, by_gender)
    legend = len(series) > 1
    bottom = BOTTOM if legend else BOTTOM_WITHOUT_LEGEND
    lines = sum(max(1, len(textwrap.wrap(r.label, 38))) for r in rows)
    height = TOP + bottom + 0.05 + max(len(rows), 1) * (0.22 * len(series) + 0.18) + 0.08 * lines
    width = 7.5
    labels = [_label(r.label) for r in rows]
    left = 0.25 + max([_text_width(line, 9) for text in labels for line in text.split("\n")] + [0])
    figure = Figure(figsize=(width, height))
    axes = figure.add_axes(
        (left / width, bottom / height, 1 - (left + RIGHT) / width, 1 - (TOP + bottom) / height)
    )
    bar = 0.8 / len(series)
    largest = max([getattr(r, key).value or 0 for r in rows for key, _l, _c in series] + [1])
    for index, (key, label, colours) in enumerate(series):
        positions = [i + (index - (len(series) - 1) / 2) * bar for i in range(len(rows))]
        cells = [getattr(r, key) for r in rows]
        values = [c.value or 0 for c in cells]
        bars = axes.barh(
            positions, values, height=bar * 0.92, color=colours, label=_(label) if label else None
        )
        texts = [_bar_text(c) for c in cells]
        axes.bar_label(bars, labels=texts, padding=3, fontsize=8, color="#222222")
    axes.set_yticks(range(len(rows)), labels)
    axes.invert_yaxis()
    axes.set_xlim(0, largest * 1.18 + 1)
    # Every bar carries its number, so there is no x axis to read values from (and fewer texts
    # to draw: documents draw SVG text letter by letter).
    axes.xaxis.set_visible(False)
    axes.spines["bottom"].set_visible(False)
    axes.tick_params(axis="y", length=0)
    axes.set_title(table.title, loc="left", fontsize=11, fontweight="bold")
    if legend:
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


def table_chart_svg(table: Table, *, by_gender: bool = True) -> str:
    """The chart as inline SVG markup (no XML prolog), scaling to its container's width."""
    buffer = io.StringIO()
    with rc_context(_RC):
        _figure(table, by_gender=by_gender).savefig(buffer, format="svg", metadata={"Date": None})
    return svg_with_alt(buffer.getvalue(), table_chart_alt(table, by_gender=by_gender))


def table_chart_png(table: Table, *, dpi=150) -> bytes:
    """The same chart as PNG (for DOCX and other documents)."""
    buffer = io.BytesIO()
    with rc_context({**_RC, "svg.fonttype": "path"}):
        _figure(table).savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
