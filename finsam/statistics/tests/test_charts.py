import xml.etree.ElementTree as ET

import pytest

from finsam.statistics.charts import table_chart_alt, table_chart_png, table_chart_svg
from finsam.statistics.engine import Cell, Row, Table

SVG = "{http://www.w3.org/2000/svg}"


def make_table(rows):
    built = [
        Row(f"k{i}", label, Cell(w), Cell(m), Cell(o), Cell(t))
        for i, (label, w, m, o, t) in enumerate(rows)
    ]
    return Table("income_before", "Försörjningskälla före", built, built[0], "", True)


TABLE = make_table(
    [
        ("Försörjningsstöd (ekonomiskt bistånd)", 12, None, 0, 15),
        ("Sjukpenning/rehabiliteringspenning", 30, 25, 0, 55),
        ("Uppgift saknas", 0, 0, 0, 0),
    ]
)


def texts(svg):
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_it_draws_an_inline_svg_with_labels_values_and_suppression():
    svg = table_chart_svg(TABLE)
    assert svg.startswith("<svg ")  # no XML prolog, ready to inline
    assert "<?xml" not in svg and "DOCTYPE" not in svg
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    assert root.tag == f"{SVG}svg"
    assert root.get("aria-label") == table_chart_alt(TABLE)
    found = texts(svg)
    assert "Försörjningsstöd (ekonomiskt bistånd)" in found
    assert "Sjukpenning/rehabiliteringspenning" in found
    assert "Kvinnor" in found and "Män" in found
    assert "Annat/ej angivet" not in found  # no "other" bars when all are zero
    assert "30" in found and "25" in found
    assert "1–4" in found  # the suppressed cell is labelled, never its value


def test_it_is_deterministic():
    assert table_chart_svg(TABLE) == table_chart_svg(TABLE)
    assert table_chart_png(TABLE) == table_chart_png(TABLE)
    assert "<dc:date>" not in table_chart_svg(TABLE)


def test_it_draws_a_png():
    png = table_chart_png(TABLE, dpi=72)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 1000


def test_it_shows_secondary_suppression_and_the_other_gender():
    table = make_table([("A", 10, 8, 3, 21), ("B", 9, 7, None, 16)])
    table.rows[1].other.secondary = True
    found = texts(table_chart_svg(table))
    assert "Annat/ej angivet" in found
    assert ".." in found and "3" in found


def test_it_charts_only_non_empty_rows_of_long_tables():
    rows = [(f"Kommun {i}", i % 2 * 6, 0, 0, i % 2 * 6) for i in range(30)]
    found = texts(table_chart_svg(make_table(rows)))
    assert "Kommun 1" in found and "Kommun 0" not in found


def test_it_draws_an_empty_table():
    table = make_table([("Kommun", 0, 0, 0, 0)])
    table.rows = []
    assert "Inga deltagare" in texts(table_chart_svg(table))


def test_the_gender_table_has_one_bar_a_gender_in_its_colour():
    rows = [
        Row("woman", "Kvinnor", Cell(12), Cell(0), Cell(0), Cell(12)),
        Row("man", "Män", Cell(0), Cell(9), Cell(0), Cell(9)),
        Row("other", "Annat/ej angivet", Cell(0), Cell(0), Cell(0), Cell(0)),
    ]
    svg = table_chart_svg(Table("gender", "Kön", rows, rows[0], "", True))
    found = texts(svg)
    assert found.count("Kvinnor") == 1 and found.count("Män") == 1  # labels, no legend
    assert "12" in found and "9" in found
    assert found.count("0") == 1  # no empty bars of the other genders beside each one
    assert "#cc79a7" in svg.lower() and "#0072b2" in svg.lower()


def test_totals_only_draws_one_bar_a_row_without_legend():
    found = texts(table_chart_svg(TABLE, by_gender=False))
    assert "Kvinnor" not in found and "Män" not in found
    assert "15" in found and "55" in found
    assert "30" not in found and "1–4" not in found  # no gender figures


def test_the_text_alternative_says_what_the_bars_show():
    assert table_chart_alt(TABLE) == (
        "Stapeldiagram: Försörjningskälla före – "
        "Försörjningsstöd (ekonomiskt bistånd): kvinnor 12, män 1–4; "
        "Sjukpenning/rehabiliteringspenning: kvinnor 30, män 25; "
        "Uppgift saknas: kvinnor 0, män 0. Totalt 15."
    )
    assert table_chart_alt(TABLE, by_gender=False) == (
        "Stapeldiagram: Försörjningskälla före – Försörjningsstöd (ekonomiskt bistånd) 15, "
        "Sjukpenning/rehabiliteringspenning 55, Uppgift saknas 0. Totalt 15."
    )


def test_the_gender_tables_text_alternative_names_each_gender_once():
    rows = [
        Row("W", "Kvinna", Cell(60), Cell(0), Cell(0), Cell(60)),
        Row("M", "Man", Cell(0), Cell(59), Cell(0), Cell(59)),
    ]
    total = Row("total", "Totalt", Cell(60), Cell(59), Cell(0), Cell(119))
    table = Table("gender", "Deltagare efter kön", rows, total, "", False)
    assert (
        table_chart_alt(table)
        == "Stapeldiagram: Deltagare efter kön – Kvinna 60, Man 59. Totalt 119."
    )
    assert table_chart_alt(Table("gender", "Kön", [], total, "", False)) == (
        "Stapeldiagram: Kön – Inga deltagare."
    )


def test_the_svg_is_written_in_the_layout_of_the_png():
    import io

    from PIL import Image

    root = ET.fromstring(table_chart_svg(TABLE))  # noqa: S314 (our own output)
    png = Image.open(io.BytesIO(table_chart_png(TABLE, dpi=72)))
    width, height = (float(root.get(side).removesuffix("pt")) for side in ("width", "height"))
    assert abs(width - png.width) < 1 and abs(height - png.height) < 1
    # Bars as long as their numbers: women 12 and 30 (the suppressed men's cell drawn as 0).
    bars = {r.get("fill"): [] for r in root.iter(f"{SVG}rect")}
    for r in root.iter(f"{SVG}rect"):
        bars[r.get("fill")].append(float(r.get("width")))
    women = bars["#CC79A7"]
    assert women[0] / women[1] == pytest.approx(12 / 30, abs=0.01)
    assert bars["#0072B2"][0] == 0
