"""A producer other than the compiled report declares blocks and gets a tagged PDF and a DOCX
through the documents layer."""

import io
import re

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

from finsam.core.formats import sv_kronor, sv_number
from finsam.documents import blocks
from finsam.documents.charts import BAR_CHARTS, BarChart
from finsam.documents.render import render, renderers

CHART = BarChart(title="Fördelning per medlem", labels=("Hjo", "Skövde"), values=(1200, 34500))
CHART_ALT = "Stapeldiagram: Fördelning per medlem – Hjo 1\u00a0200, Skövde 34\u00a0500."


def decision_letter() -> blocks.Document:
    """Two pages: a cover, then a chapter with a paragraph, a table and a chart."""
    table = blocks.Table(
        caption="Medlemmarnas bidrag",
        columns=["Medlem", "Andel", "Belopp"],
        rows=[["Hjo", "3 %", sv_kronor(1200)], ["Skövde", "97 %", sv_kronor(34500)]],
        total=["Summa", "100 %", sv_kronor(35700)],
        note="Belopp i kronor.",
        numeric_from=1,
    )
    chapter = blocks.Chapter(
        title="Beslut",
        anchor="beslut",
        kicker="Styrelsen",
        blocks=[
            blocks.DraftMark("Utkast – ej beslutat"),
            blocks.Paragraph("Styrelsen beslutar att fördela medlen enligt tabellen.\nRad två."),
            table,
            blocks.Chart(title=CHART.title, alt=CHART.alt(), source=CHART, drawer=BAR_CHARTS),
            blocks.Paragraph("Beslutet kan överklagas.", note=True),
        ],
    )
    return blocks.Document(
        title="Beslut om fördelning",
        author="Samordningsförbundet Test",
        subject="Beslut",
        cover=blocks.Cover(
            title="Beslut om fördelning",
            organisation="Samordningsförbundet Test",
            kind="Beslut",
            subtitle="Styrelsemöte 2026",
            lines=["Dnr 2026/1"],
        ),
        chapters=[chapter],
        header_left="Samordningsförbundet Test",
        footer_left="Beslut om fördelning",
        draft="Utkast",
    )


def test_the_bar_chart_says_what_it_shows_with_swedish_numbers():
    assert CHART.alt() == CHART_ALT
    assert sv_number(34500) == "34\u00a0500"


@pytest.mark.django_db
def test_a_producer_gets_a_tagged_pdf_through_the_layer():
    data = render(decision_letter(), "pdf")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    catalog = reader.root_object
    assert catalog["/Lang"] == "sv"
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert b"pdfuaid:part" in catalog["/Metadata"].get_data()
    cover, body = (" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Beslut om fördelning" in cover and "Dnr 2026/1" in cover
    assert "Sida" not in cover  # the cover has no running header or footer
    assert "Medlemmarnas bidrag" in body
    assert "Summa" in body and "35 700 kr" in body.replace("\u00a0", " ")
    assert "Sida 2 av 2" in body and "UTKAST" in body and "Utkast – ej beslutat" in body
    # The chart is an SVG image in the structure tree with its text alternative.
    figures = []

    def walk(node):
        if isinstance(node, int):
            return
        node = node.get_object()
        if node.get("/S") == "/Figure":
            figures.append(str(node["/Alt"]))
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if not isinstance(kid, int) and kid.get_object().get("/Type") != "/OBJR":
                walk(kid)

    walk(catalog["/StructTreeRoot"])
    assert figures == [CHART_ALT]
    assert reader.outline and reader.outline[0].title == "Beslut"


@pytest.mark.django_db
def test_a_producer_gets_a_docx_through_the_layer():
    document = DocxDocument(io.BytesIO(render(decision_letter(), "docx")))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 1", "Beslut") in styles
    assert ("Caption", "Medlemmarnas bidrag") in styles
    assert ("Note", "Beslutet kan överklagas.") in styles
    [table] = document.tables
    assert [c.text for c in table.rows[-1].cells] == ["Summa", "100 %", "35\u00a0700\u00a0kr"]
    assert "w:tblHeader" in table.rows[0]._tr.xml and "w:cantSplit" in table.rows[1]._tr.xml
    [picture] = document.inline_shapes
    assert picture._inline.docPr.get("descr") == CHART_ALT
    assert document.sections[0].different_first_page_header_footer  # the cover has none
    assert "UTKAST" in document.sections[0].header.paragraphs[0].text
    assert document.core_properties.title == "Beslut om fördelning"


def test_every_format_has_a_renderer_with_its_content_type():
    found = {ext: r.content_type for ext, r in renderers().items()}
    assert found == {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }


def test_the_fetcher_serves_only_the_documents_own_charts():
    from finsam.documents.pdf import fetcher

    url_fetcher = fetcher(None)
    for url in ("file:///etc/passwd", "https://example.org/x.svg", "finsam-chart:0"):
        with pytest.raises(ValueError, match="own charts"):
            url_fetcher.fetch(url)


@pytest.mark.django_db
def test_the_contents_list_the_chapters_with_their_pages():
    document = decision_letter()
    document.contents = True
    document.chapters.append(
        blocks.Chapter(
            title="Bakgrund",
            anchor="bakgrund",
            blocks=[blocks.Paragraph("Text.")],
            sub_chapters=[blocks.Chapter(title="Tidigare beslut", anchor="tidigare")],
        )
    )
    reader = PdfReader(io.BytesIO(render(document, "pdf")))
    pages = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    assert len(pages) == 4  # cover, contents, two chapters
    contents = pages[1]
    assert "Innehåll" in contents
    assert re.search(r"Beslut \.+ ?3", contents) and re.search(r"Bakgrund \.+ ?4", contents)
    assert re.search(r"Tidigare beslut \.+ ?4", contents)
    assert "Bakgrund" in pages[3] and "Tidigare beslut" in pages[3]
    docx = DocxDocument(io.BytesIO(render(document, "docx")))
    toc = [p.text for p in docx.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert toc == ["Beslut", "Bakgrund", "Tidigare beslut"]
    assert 'TOC \\o "1-2" \\h \\z \\u' in docx.element.body.xml
