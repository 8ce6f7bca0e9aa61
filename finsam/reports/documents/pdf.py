"""The compiled report as PDF, by either engine of the documents layer (settings.PDF_ENGINE):

- Typst (the default): `typst_data` turns the document into data (every text a string) that
  compiled.typ typesets with the house style (finsam/documents/typst/house.typ), compiled in
  process by finsam.documents.typst;
- WeasyPrint: HTML (templates/reports/compiled/) and documents/print.css laid out in one go by
  finsam.documents.pdf, the contents numbered by WeasyPrint (`target-counter`).

The running header shows the association and the current chapter, the footer "Sida x av y".
Charts are the statistics engine's SVG charts, drawn once per content (the documents cache).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from finsam.core.progress import Progress, silent
from finsam.documents import charts as document_charts
from finsam.documents import pdf as layer
from finsam.documents import typst as typst_engine
from finsam.documents.charts import Charts
from finsam.documents.pdf import CHART_SCHEME, css_string
from finsam.reports.documents.charts import STATISTICS_CHARTS
from finsam.reports.documents.content import CompiledDocument


def _metadata(document: CompiledDocument) -> dict[str, str]:
    return {
        "title": f"{document.title} – {document.association_name} – {document.period_name}",
        "author": document.association_name,
        "subject": f"{document.kind_label}: {document.title}, {document.period_name}",
    }


# --- WeasyPrint -------------------------------------------------------------------------------


def render_css(document: CompiledDocument) -> str:
    return render_to_string(
        "documents/print.css",
        {
            "cover": True,
            "contents": True,
            "header_left": css_string(document.association_name),
            "footer_left": css_string(f"{document.title} · {document.period_name}"),
            "draft": "",
        },
    )


def render_html(document: CompiledDocument) -> tuple[str, Charts]:
    """The HTML of the document, and the engine tables of its charts (`finsam-chart:<index>`)."""
    wanted = [table for table in document.stat_tables() if table.has_chart]
    for index, table in enumerate(wanted):
        table.rendered_chart = f"{CHART_SCHEME}{index}"
    html = render_to_string("reports/compiled/document.html", {"doc": document})
    return html, Charts(STATISTICS_CHARTS, tuple(t.chart_source for t in wanted))


def _weasyprint(document: CompiledDocument, progress: Progress) -> bytes:
    html, charts = render_html(document)
    return layer.write_pdf(html, render_css(document), charts, progress=progress)


# --- Typst ------------------------------------------------------------------------------------

TEMPLATE = Path(__file__).parent / "compiled.typ"


def _table_data(table, charts: list) -> dict:
    chart = None
    if table.has_chart:
        chart = typst_engine.chart_path(len(charts))
        charts.append(table.chart_source)
    return {
        "title": table.title,
        "columns": table.columns,
        "rows": [[row.label, *row.cells] for row in table.rows],
        "total": [table.total.label, *table.total.cells] if table.total else None,
        "population": table.population,
        "chart": chart,
        "alt": table.chart_alt,
    }


def _chapter_data(chapter, parent_title: str, charts: list) -> dict:
    def sections(items):
        return [{"heading": s.heading, "paragraphs": s.paragraphs} for s in items]

    st = chapter.statistics
    statistics = None
    if st is not None:
        statistics = {
            "summary": st.summary,
            "empty": st.empty,
            "headline": _table_data(st.headline, charts) if st.headline else None,
            "tables": [_table_data(t, charts) for t in st.tables],
            "note": st.note,
        }
    return {
        "level": chapter.level,
        "kicker": parent_title if chapter.level == 2 else chapter.kicker,
        "title": chapter.title,
        "anchor": chapter.anchor,
        "draft": "" if chapter.is_final_status else chapter.status,
        "header": [list(pair) for pair in chapter.header],
        "before": sections(chapter.sections_before_statistics),
        "statistics": statistics,
        "after": sections(chapter.sections_after_statistics),
        "parts": [
            {
                "heading": part.heading,
                "paragraphs": part.paragraphs,
                "tables": [_table_data(t, charts) for t in part.tables],
                "note": part.note,
            }
            for part in chapter.parts
        ],
    }


def typst_data(document: CompiledDocument) -> tuple[dict, Charts]:
    """What compiled.typ shows, as data (every text a string), and the charts it refers to."""
    charts: list = []
    chapters, toc = [], []
    for chapter in document.chapters:
        chapters.append(_chapter_data(chapter, "", charts))
        flag = "" if chapter.is_final_status else chapter.status.lower()
        toc.append({"level": 1, "title": chapter.title, "anchor": chapter.anchor, "flag": flag})
        for sub in chapter.sub_chapters:
            chapters.append(_chapter_data(sub, chapter.title, charts))
            toc.append({"level": 2, "title": sub.title, "anchor": sub.anchor})
    s = document.summary
    with_other = len(s.columns) == 6

    def counts(row) -> list[str]:
        return [row.women, row.men, *([row.other] if with_other else []), row.total]

    summary = {
        "kicker": f"{document.kind_label} · {document.period_name}",
        "title": s.title,
        "anchor": s.anchor,
        "intro": s.intro,
        "headline": _table_data(s.headline, charts) if s.headline else None,
        "gender": _table_data(s.gender, charts) if s.gender else None,
        "columns": s.columns,
        "initiatives": [
            {
                "name": row.name,
                "anchor": row.anchor,
                "counts": counts(row),
                "status": row.status,
                "status_key": row.status_key,
            }
            for row in s.initiatives
        ],
        "total": {"name": s.initiatives_total.name, "counts": counts(s.initiatives_total)},
        "notes": s.notes,
        "by_initiative": [_table_data(t, charts) for t in s.by_initiative],
    }
    n = len(document.chapters)
    data = {
        "meta": {
            **_metadata(document),
            "header-left": document.association_name,
            "footer-left": f"{document.title} · {document.period_name}",
            "draft": "",
        },
        "doc": {
            "association": document.association_name,
            "kind": document.kind_label,
            "title": document.title,
            "period": document.period_name,
            "dates": document.period_dates,
            "notice": document.approved_only_notice,
            "foot": [
                ngettext("%(n)s insats", "%(n)s insatser", n) % {"n": n}
                + f" · {_('Sammanställd')} {document.compiled_on}",
                _("Sammanställd i finsam från insatsernas rapporter och deltagarregistreringar."),
            ],
        },
        "labels": {
            "contents": _("Innehåll"),
            "statistics_title": _("Statistik för perioden"),
            "no_participants": _("Inga deltagare registrerade under perioden."),
            "not_filled": _("Ej ifyllt."),
            "per_initiative": _("Deltagare och rapportstatus per insats"),
        },
        "toc": toc,
        "chapters": chapters,
        "summary": summary,
    }
    return data, Charts(STATISTICS_CHARTS, tuple(charts))


def _typst(document: CompiledDocument, progress: Progress) -> bytes:
    data, charts = typst_data(document)
    return typst_engine.write_pdf(TEMPLATE, data, charts, progress=progress)


ENGINES = {"typst": _typst, "weasyprint": _weasyprint}


def render_pdf(document: CompiledDocument, progress: Progress = silent) -> bytes:
    """The PDF of `document` by the engine of settings.PDF_ENGINE."""
    return ENGINES[settings.PDF_ENGINE](document, progress)


def draw_charts(document: CompiledDocument) -> None:
    """Draw the charts of `document` into the documents cache (as compiling it would)."""
    wanted = [table.chart_source for table in document.stat_tables() if table.has_chart]
    document_charts.charts(wanted, document_charts.PDF_CHART_KIND, drawer=STATISTICS_CHARTS)
