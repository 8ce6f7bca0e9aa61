from finsam.documents import charts
from finsam.documents.charts import BAR_CHARTS, BarChart


def test_it_draws_charts_in_worker_processes_the_same_as_here(settings):
    sources = [BarChart(f"Diagram {n}", ("a", "b"), (n, 2)) for n in range(5, 13)]
    sources.append(sources[0])  # the first one twice
    settings.COMPILED_REPORT_CHART_WORKERS = 2
    parallel = charts.charts(sources, "svg", drawer=BAR_CHARTS)
    assert parallel[0] == parallel[-1]
    assert all(svg.startswith('<svg role="img" aria-label="Stapeldiagram: ') for svg in parallel)
    charts.document_cache.clear()
    settings.COMPILED_REPORT_CHART_WORKERS = 1
    assert charts.charts(sources, "svg", drawer=BAR_CHARTS) == parallel
    assert charts.charts(sources[:1], "png72", drawer=BAR_CHARTS)[0].startswith(b"\x89PNG")


def test_a_chart_is_drawn_once_per_content(monkeypatch):
    drawn = []
    real = BAR_CHARTS.draw

    def spy(source, kind):
        drawn.append(source.title)
        return real(source, kind)

    monkeypatch.setattr(BAR_CHARTS, "draw", spy)
    chart = BarChart("Ett diagram", ("a",), (1,))
    first = charts.charts([chart], drawer=BAR_CHARTS)
    assert charts.charts([BarChart("Ett diagram", ("a",), (1,))], drawer=BAR_CHARTS) == first
    assert drawn == ["Ett diagram"]
    charts.charts([BarChart("Ett diagram", ("a",), (2,))], drawer=BAR_CHARTS)
    assert len(drawn) == 2


def test_svg_with_alt_labels_the_image_and_escapes_quotes():
    svg = charts.svg_with_alt('<?xml version="1.0"?>\n<svg width="1"></svg>', 'Ett "citat" & mer')
    assert svg == (
        '<svg role="img" aria-label="Ett &quot;citat&quot; &amp; mer" '
        'style="max-width:100%;height:auto" width="1"></svg>'
    )
