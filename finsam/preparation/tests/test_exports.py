"""A round's export: one row per submitted application, in CSV and XLSX, formula-safe and with
nothing personal beyond the organisation."""

import datetime
import io

import openpyxl
from django.urls import reverse

from finsam.applications.workflow import Status
from finsam.preparation import services
from finsam.preparation.exports import round_rows, safe
from finsam.preparation.models import Verdict
from finsam.preparation.tests.test_services import ALL_FOUR
from finsam.staff.access import build_access


def _prepared(world, make_application):
    application = make_application(
        title='=HYPERLINK("http://evil")',
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2028, 12, 31),
    )
    services.review_save(
        access=build_access(world.reviewer),
        application=application,
        scores=ALL_FOUR,
        recommendation=Verdict.GRANT,
        comment="Personlig kommentar som inte ska exporteras.",
        submit=True,
    )
    services.recommendation_record(
        access=build_access(world.secretariat),
        application=application,
        verdict=Verdict.GRANT,
        summary="Bifall.",
        proposed_by_year={"2027": 250000, "2028": 150000},
    )
    make_application(status=Status.DRAFT, diary_number="", title="Utkastet")
    return application


def test_rows_of_submitted_applications_only(world, make_application):
    application = _prepared(world, make_application)
    header, rows = round_rows(application.round)
    assert header[:5] == [
        "Diarienummer",
        "Projektnamn",
        "Sökande organisation",
        "Status",
        "Sökt belopp totalt (kr)",
    ]
    assert "Sökt 2027 (kr)" in header and "Sökt 2028 (kr)" in header
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Diarienummer"] == "2026/001"
    assert row["Projektnamn"].startswith("'=")
    assert row["Sökande organisation"] == world.a_organisation.name
    assert row["Status"] == "Rekommendation lämnad"
    assert row["Sökt belopp totalt (kr)"] == 500000
    assert row["Sökt 2027 (kr)"] == 300000 and row["Sökt 2028 (kr)"] == 200000
    assert row["Period"] == "2027-01-01 – 2028-12-31"
    assert row["Rekommendation"] == "Bevilja"
    assert row["Föreslaget belopp (kr)"] == 400000
    assert row["Genomsnittligt betyg"] == round(sum(ALL_FOUR.values()) / 6, 2)
    assert row["Antal bedömningar"] == 1


def test_every_formula_start_is_escaped():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert safe(start + "1+1").startswith("'")
    assert safe("Projekt") == "Projekt"


def test_csv_download(world, client_for, make_application):
    application = _prepared(world, make_application)
    response = client_for(world.secretariat).get(
        reverse("preparation:export_csv", kwargs={"pk": application.round.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffDiarienummer;")
    assert "'=HYPERLINK" in text
    assert ";=" not in text and ';"=' not in text  # no cell starts with the formula
    assert "Utkastet" not in text
    assert "Personlig kommentar" not in text and world.reviewer.email not in text


def test_xlsx_download(world, client_for, make_application):
    application = _prepared(world, make_application)
    response = client_for(world.secretariat).get(
        reverse("preparation:export_xlsx", kwargs={"pk": application.round.pk})
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Diarienummer"
    assert values[1][0] == "2026/001"
    assert values[1][1] == '\'=HYPERLINK("http://evil")'
    assert sheet.cell(row=2, column=2).data_type == "s"  # text, not a formula
    assert values[1][4] == 500000
    assert len(values) == 2


def test_the_export_is_the_secretariats(world, client_for, make_application):
    application = make_application()
    for who in (world.reviewer, world.board):
        response = client_for(who).get(
            reverse("preparation:export_csv", kwargs={"pk": application.round.pk})
        )
        assert response.status_code == 403
