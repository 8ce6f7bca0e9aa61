"""`manage.py compile_report`."""

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from pypdf import PdfReader

from finsam.reports.tests.reporting import InitiativeReportFactory, ReportingPeriodFactory


@pytest.fixture
def periods(world):
    older = ReportingPeriodFactory(
        association=world.a,
        name="Delår 1 2021",
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2021, 4, 30),
        deadline=datetime.date(2021, 5, 31),
    )
    InitiativeReportFactory(period=older, initiative=world.a_other, filled=True)
    latest = ReportingPeriodFactory(
        association=world.a,
        name="Delår 2 2021",
        start_date=datetime.date(2021, 5, 1),
        end_date=datetime.date(2021, 8, 31),
        deadline=datetime.date(2021, 9, 30),
    )
    InitiativeReportFactory(period=latest, initiative=world.a_initiative, filled=True)
    # A later period without reports is not the default.
    ReportingPeriodFactory(
        association=world.a,
        name="Delår 3 2021",
        start_date=datetime.date(2021, 9, 1),
        end_date=datetime.date(2021, 12, 31),
        deadline=datetime.date(2022, 1, 31),
    )
    return older, latest


def _run(*args):
    out = io.StringIO()
    call_command("compile_report", *args, stdout=out)
    return out.getvalue()


def _pdf_text(path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def test_it_writes_the_latest_period_with_reports_as_pdf(periods, tmp_path):
    target = tmp_path / "sammanstallning.pdf"
    output = _run("--association", "a", "--format", "pdf", "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF")
    text = _pdf_text(target)
    assert "Delår 2 2021" in text
    assert "Projektets namn Cresco Create" in " ".join(text.split())
    # Level Upgrade reported in the older period only: listed as missing in the summary.
    assert "Projektets namn Level Upgrade" not in " ".join(text.split())
    assert "Level Upgrade 0 0 0 Rapport saknas" in text
    assert f"Wrote {target}" in output
    assert "Delår 2 2021" in output and "1 initiative reports" in output


def test_it_takes_the_period_by_name_or_id_and_the_association_by_id(world, periods, tmp_path):
    older, _latest = periods
    target = tmp_path / "delar1.docx"
    _run("--association", str(world.a.pk), "--period", "delår 1 2021", "--output", str(target))
    headings = [p.text for p in Document(str(target)).paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Level Upgrade", "Sammanfattning för förbundet"]
    target = tmp_path / "by-id.pdf"
    _run("--association", "a", "--period", str(older.pk), "--output", str(target))
    assert "Level Upgrade" in _pdf_text(target)


def test_it_writes_to_standard_output(periods, capsysbinary):
    call_command("compile_report", "--association", "a", "--format", "pdf", "--output", "-")
    assert capsysbinary.readouterr().out.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--association", "nope"],
            "Unknown association 'nope': give its slug or id (known: a, b)",
        ),
        (["--association", "a", "--period", "Delår 9"], "Unknown period 'Delår 9' for a"),
        (["--association", "b"], "b has no reporting period with reports"),
    ],
)
def test_it_explains_unknown_associations_and_periods(periods, tmp_path, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        _run(*args, "--format", "pdf", "--output", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_it_lists_the_known_periods_when_the_period_is_unknown(periods, tmp_path):
    older, latest = periods
    with pytest.raises(CommandError) as error:
        _run("--association", "a", "--period", "999999", "--output", str(tmp_path / "x.pdf"))
    assert f"{latest.pk}: Delår 2 2021" in str(error.value)
    assert f"{older.pk}: Delår 1 2021" in str(error.value)


def test_it_needs_a_format_it_can_tell(periods, tmp_path):
    with pytest.raises(CommandError, match="Give --format pdf or --format docx"):
        _run("--association", "a", "--output", str(tmp_path / "report.txt"))
    with pytest.raises(CommandError, match="does not exist"):
        _run("--association", "a", "--output", str(tmp_path / "missing" / "report.pdf"))
    with pytest.raises(CommandError):
        _run("--association", "a", "--format", "odt", "--output", str(tmp_path / "r.odt"))


def test_it_compiles_the_approved_reports_only(periods, tmp_path):
    from finsam.reports.models import ReportStatus

    _older, latest = periods
    approved = InitiativeReportFactory(
        period=latest, initiative=world_other(latest), filled=True, status=ReportStatus.APPROVED
    )
    approved.results = "Godkand resultattext."
    approved.save()
    latest.reports.filter(pk__lt=approved.pk).update(results="Utkastets resultattext.")
    target = tmp_path / "godkanda.pdf"
    output = _run("--association", "a", "--approved-only", "--output", str(target))
    text = " ".join(_pdf_text(target).split())
    assert "Projektsammanställning – godkända rapporter" in text
    assert "Godkand resultattext." in text
    assert "Utkastets resultattext." not in text
    assert "inte ingår: Cresco Create." in text
    assert "1 approved initiative reports" in output


def world_other(period):
    return period.association.initiatives.get(name="Level Upgrade")
