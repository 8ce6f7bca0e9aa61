"""The compiled report of the demo association (seed 003: Samordningsförbundet Skaraborg).

`fill_demo_reports` writes the seed's interim report texts into the reports of a period (the demo
data keeps them under `interim_report_2021`), with "Stärka individen" split into one sub-report
per municipality as in the seed; it is also used to render the demo PDF by hand.
"""

import datetime
import io
import re

import pytest
from docx import Document
from pypdf import PdfReader

from finsam.associations.models import Association
from finsam.demo.loading import load_demo, read_data
from finsam.reports import services
from finsam.reports.compile import compile_docx, compile_pdf
from finsam.reports.models import InitiativeReport, ReportingPeriod, ReportStatus

DEMO_PERIOD = {
    "name": "Delårsrapport januari–augusti 2021",
    "start_date": datetime.date(2021, 1, 1),
    "end_date": datetime.date(2021, 8, 31),
    "deadline": datetime.date(2021, 9, 30),
}
SUB_REPORT_INITIATIVE = "Stärka individen"
# Left as drafts, to show how unsubmitted reports are marked.
DRAFTS = ("Kick Off", "Startgrid")


def _split_by_municipality(text: str) -> dict[str, str]:
    """ "[Falköping]\n\ntext [Hjo]\n\ntext" → {"Falköping": "text", "Hjo": "text"}."""
    parts = re.split(r"^\[([^\]]+)\]\s*$", text or "", flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}


def fill_demo_reports(*, actor=None) -> tuple[Association, ReportingPeriod]:
    """Create the demo period's reports from the seed texts; submit and approve all but DRAFTS."""
    association = Association.objects.get(slug="skaraborg")
    period, _created = ReportingPeriod.objects.get_or_create(
        association=association, name=DEMO_PERIOD["name"], defaults=DEMO_PERIOD
    )
    sub_initiative = association.initiatives.get(name=SUB_REPORT_INITIATIVE)
    services.reports_create_for_period(
        actor=actor, period=period, sub_report_initiative_ids=[sub_initiative.pk]
    )
    specs = {
        spec["name"]: spec
        for spec in read_data()["associations"][0]["initiatives"]
        if spec.get("interim_report_2021")
    }
    reports = InitiativeReport.objects.filter(period=period).select_related(
        "initiative", "municipality", "period"
    )
    for report in reports:
        spec = specs.get(report.initiative.name)
        if spec is None or report.status != ReportStatus.DRAFT:
            continue
        texts = spec["interim_report_2021"]
        if report.initiative.name == SUB_REPORT_INITIATIVE:
            if report.is_sub_report:
                name = report.municipality.name
                report.results = _split_by_municipality(texts["results"]).get(name, "")
                report.analysis_success_factors = _split_by_municipality(texts["analysis"]).get(
                    name, ""
                )
            else:
                report.results = "Resultat och analys redovisas per kommun nedan."
        else:
            report.results = texts["results"]
            report.analysis_success_factors = texts["analysis"]
        for field in ("background", "purpose", "goals", "method"):
            if not report.is_sub_report:
                setattr(report, field, spec["sections"].get(field, "") or getattr(report, field))
        if spec.get("period_as_written") and not report.is_sub_report:
            report.project_period = spec["period_as_written"]
        report.save()
        if report.initiative.name in DRAFTS or not report.results:
            continue
        report = services.report_submit(actor=actor, report=report)
        services.report_approve(actor=actor, report=report)
    return association, period


@pytest.fixture
def demo(db):
    load_demo()
    return fill_demo_reports()


def _page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def test_it_compiles_the_demo_association_as_pdf(demo):
    association, period = demo
    pdf = compile_pdf(association=association, period=period)
    pages = _page_texts(pdf)
    assert "Projektsammanställning" in pages[0]
    assert "Samordningsförbundet Skaraborg".upper() in pages[0].upper()
    toc = pages[1]
    assert "Innehåll" in toc
    # Every initiative with a report of the period is a chapter listed in the contents.
    names = list(
        InitiativeReport.objects.filter(period=period, parent__isnull=True).values_list(
            "initiative__name", flat=True
        )
    )
    assert len(names) == 23
    toc_text = "\n".join(p for p in pages[1:4] if "Innehåll" in p.split("\n")[0] or True)
    for name in names:
        assert name in toc_text
    for municipality in ("Falköping", "Hjo", "Karlsborg", "Skövde", "Tibro", "Tidaholm"):
        assert municipality in toc_text
    assert "Sammanfattning för förbundet" in pages[-1] or any(
        "Sammanfattning för förbundet" in p for p in pages[-3:]
    )
    # Drafts are marked.
    assert any("Utkast – ej inlämnad" in p for p in pages)


def test_it_compiles_the_demo_association_as_docx(demo):
    association, period = demo
    document = Document(io.BytesIO(compile_docx(association=association, period=period)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "AFI/Sötåsen"
    assert "Cresco Create" in headings
    assert headings[-1] == "Sammanfattning för förbundet"
    subs = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert subs[:6] == ["Falköping", "Hjo", "Karlsborg", "Skövde", "Tibro", "Tidaholm"]
