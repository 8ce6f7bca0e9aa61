"""The indicator results in an initiative's chapter of the compiled report (PDF by both engines,
and DOCX), contributed through `finsam.reports.chapters`."""

import datetime
import io
import re

import pytest
from docx import Document
from pypdf import PdfReader

from finsam.indicators.tests.answers import many, questionnaire
from finsam.reports.compile import compile_docx, compile_pdf
from finsam.reports.documents.content import build_document
from finsam.reports.tests.reporting import InitiativeReportFactory, ReportingPeriodFactory

TODAY = datetime.date(2026, 12, 15)
P1 = "P1 Deltagare känner att de insatser som erbjuds är organiserade runt deras behov"


@pytest.fixture
def period(world):
    version = questionnaire()
    # P1 (D02): 6 of 8 positive = 75 %; P2 (D03): 3 answers, hidden.
    many(
        version,
        association=world.a,
        item="D02",
        choices=["6", "5"] * 3 + ["2", "1"],
        initiative=world.a_initiative,
        period="2026-H2",
    )
    many(
        version,
        association=world.a,
        item="D03",
        choices=["6", "6", "1"],
        initiative=world.a_initiative,
        period="2026-H2",
    )
    period = ReportingPeriodFactory(
        association=world.a,
        name="Delårsrapport januari–augusti 2026",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 8, 31),
        deadline=datetime.date(2026, 9, 30),
    )
    InitiativeReportFactory(period=period, initiative=world.a_initiative)
    InitiativeReportFactory(period=period, initiative=world.a_other)
    return period


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_chapter_of_an_initiative_with_answers_has_its_indicators(world, period):
    document = build_document(association=world.a, period=period, today=TODAY)
    by_title = {c.title: c for c in document.chapters}
    (part,) = by_title["Cresco Create"].parts
    table = part.tables[0]
    rows = {row.label: row.cells for row in table.rows}
    assert rows[P1][:4] == ["8", "75 %", "minst 80 %", "Ej uppfyllt"]
    p2 = next(cells for label, cells in rows.items() if label.startswith("P2 "))
    assert p2[:2] == ["1–4", "För få svar"]
    assert by_title["Level Upgrade"].parts == []  # no answers: no part


@pytest.mark.parametrize("engine", ["typst", "weasyprint"])
def test_the_pdf_shows_indicator_names_shares_and_suppression(world, period, settings, engine):
    settings.PDF_ENGINE = engine
    pdf = compile_pdf(association=world.a, period=period, today=TODAY)
    text = _flat(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "Indikatorer 2026" in text
    assert "organiserade runt deras behov" in text
    assert "75 %" in text
    assert "För få svar" in text


def test_the_docx_shows_indicator_names_shares_and_suppression(world, period):
    document = Document(io.BytesIO(compile_docx(association=world.a, period=period, today=TODAY)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert "Indikatorer" in headings
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert P1 in cells
    assert "75 %" in cells
    assert "För få svar" in cells
