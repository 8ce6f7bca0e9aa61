"""The compiled report of the demo association: Samordningsförbundet Skaraborg's interim report
January–August 2021, the compilation of seed 003 (23 initiatives, Stärka individen with one
sub-report per municipality), as `load_demo` loads it."""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from finsam.associations.models import Association
from finsam.core.formats import swedish_sort_key
from finsam.demo.loading import load_demo
from finsam.reports.compile import compile_docx, compile_pdf
from finsam.reports.models import ReportingPeriod
from finsam.reports.selectors import compiled_reports

DEMO_PERIOD = "Delårsrapport januari–augusti 2021"
SUMMARY = "Sammanfattning för förbundet"


@pytest.fixture
def demo(db):
    load_demo()
    association = Association.objects.get(slug="skaraborg")
    period = ReportingPeriod.objects.get(association=association, name=DEMO_PERIOD)
    expected = []
    for report in sorted(
        compiled_reports(period), key=lambda r: swedish_sort_key(r.initiative.name)
    ):
        expected.append(report.initiative.name)
        expected += [sub.municipality.name for sub in report.sub_reports.all()]
    return association, period, expected


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_it_compiles_the_demo_association_as_pdf_and_docx(demo):
    """One test for both (loading the demo takes a while)."""
    association, period, expected = demo
    assert len(compiled_reports(period)) == 23
    assert {"Falköping", "Hjo", "Skövde"} <= set(expected)
    pdf = compile_pdf(association=association, period=period)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]

    cover = _flat(pages[0])
    assert "SAMORDNINGSFÖRBUNDET SKARABORG" in cover
    assert "Projektsammanställning" in cover
    assert DEMO_PERIOD in cover

    # The contents list every chapter in order, each with the page its chapter starts on.
    toc = []
    for line in pages[1].splitlines():
        if "...." in line:
            title, number = line.rsplit(" ", 1)
            title = title.rstrip(" .").split(" (")[0]
            toc.append((title, int(number)))
    assert [title for title, _n in toc] == [*expected, SUMMARY]
    numbers = [n for _t, n in toc]
    assert numbers == sorted(numbers)
    municipalities = {"Falköping", "Hjo", "Karlsborg", "Skövde", "Tibro", "Tidaholm"}
    for title, number in toc:
        page, previous = _flat(pages[number - 1]), _flat(pages[number - 2])
        if title == SUMMARY:
            assert f"{SUMMARY} Under perioden 1 januari 2021" in page
        elif title in municipalities:  # a sub-report of Stärka individen
            assert page.count(f"Kommun {title}") == 1
            assert f"Kommun {title}" not in previous
        else:
            assert page.startswith(f"DELÅRSRAPPORT – VERKSAMHETSBESKRIVNING {title} ")
            assert "Projektets namn" in page
    assert f"Sida {len(pages)} av {len(pages)}" in pages[-1]
    everything = _flat(" ".join(pages))
    # Seed 003's figures of Cresco Create come back from the registrations.
    assert "hade Cresco Create 119 deltagare totalt, varav 60 kvinnor och 59 män" in everything
    # Reports not yet approved say so.
    assert "Utkast – ej inlämnad" in everything
    assert "Återsänd för komplettering" in everything

    document = Document(io.BytesIO(compile_docx(association=association, period=period)))
    headings = [p.text for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert headings == [*expected, SUMMARY]
    toc = [p.text for p in document.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert toc == headings
    assert len(document.tables) > 100
    assert len(document.inline_shapes) > 10
