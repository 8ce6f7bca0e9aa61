"""Building import files for the import tests."""

import csv
import datetime
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from finsam.participants.imports import HEADERS
from finsam.reference.models import CodeList
from finsam.reference.tests.factories import CodeFactory, MunicipalityFactory

# Valid personal identity numbers (check digit right), born 1981, 2000 and 1990.
PNR_MAN = "19811218-9876"
PNR_WOMAN = "20000101-2384"
PNR_OTHER = "19900101-0017"
PNR_BAD_CHECK = "19811218-9875"


def codes():
    """Codes and municipalities of our own, so the tests do not depend on the reference data."""
    return {
        "income_a": CodeFactory(
            code_list=CodeList.INCOME_SOURCE, code="imp-lon", label_sv="Imp lön"
        ),
        "income_b": CodeFactory(
            code_list=CodeList.INCOME_SOURCE, code="imp-fbs", label_sv="Imp försörjningsstöd"
        ),
        "occupation": CodeFactory(
            code_list=CodeList.OCCUPATION, code="imp-arbete", label_sv="Imp arbetar, heltid"
        ),
        "education": CodeFactory(
            code_list=CodeList.EDUCATION, code="imp-gymnasial", label_sv="Imp gymnasial"
        ),
        "time": CodeFactory(
            code_list=CodeList.TIME_OUTSIDE_WORK, code="imp-1-2", label_sv="Imp 1–2 år"
        ),
        "referrer": CodeFactory(code_list=CodeList.REFERRER, code="imp-af", label_sv="Imp Af"),
        "exit": CodeFactory(
            code_list=CodeList.EXIT_REASON, code="imp-plan", label_sv="Imp enligt plan"
        ),
        "inactive": CodeFactory(
            code_list=CodeList.EDUCATION, code="imp-gammal", label_sv="Imp gammal", active=False
        ),
        "municipality": MunicipalityFactory(code="1496", name="Skövde"),
        "municipality_0": MunicipalityFactory(code="0114", name="Upplands Väsby"),
    }


def in_row(personal_number=PNR_MAN, **overrides):
    row = {
        "typ": "in",
        "personnummer": personal_number,
        "namn": "Test Testsson",
        "startdatum": "2025-02-03",
        "samtycke datum": "2025-02-01",
        "samtycke sätt": "papper",
        "samtycke blankettversion": "FK 9443",
        "hemkommun": "1496",
        "försörjningskälla före": "imp-lon, Imp försörjningsstöd",
        "sysselsättning före": "imp-arbete",
        "omfattning före": "50",
        "utbildningsnivå": "Imp gymnasial",
        "tid i offentlig försörjning": "IMP-1-2",
        "remittent": "imp-af",
    }
    row.update(overrides)
    return row


def anonymous_row(**overrides):
    row = {
        "typ": "in",
        "anonym": "ej samtycke",
        "kön": "kvinna",
        "ålder": "34",
        "startdatum": "2025-02-03",
        "hemkommun": "Skövde",
    }
    row.update(overrides)
    return row


def out_row(personal_number=PNR_MAN, **overrides):
    row = {
        "typ": "ut",
        "personnummer": personal_number,
        "startdatum": "2025-02-03",
        "slutdatum": "2025-06-30",
        "avslutsanledning": "imp-plan",
        "försörjningskälla efter": "imp-lon",
        "sysselsättning efter": "imp-arbete",
        "omfattning efter": "100",
    }
    row.update(overrides)
    return row


def csv_bytes(rows, headers=HEADERS, delimiter=";", bom=True, encoding="utf-8"):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    text = out.getvalue()
    return (("\ufeff" if bom else "") + text).encode(encoding)


def xlsx_bytes(rows, headers=HEADERS, sheet_title="Deltagare", typed=False):
    """An Excel file; with `typed`, dates are real date cells and numbers real numbers, as
    when a user types them into Excel."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append(list(headers))
    for row in rows:
        values = []
        for h in headers:
            value = row.get(h)
            if typed and isinstance(value, str) and value:
                if h in ("startdatum", "slutdatum", "samtycke datum"):
                    value = datetime.datetime.fromisoformat(value)
                elif h in ("ålder", "omfattning före", "omfattning efter"):
                    value = int(value)
                elif h == "personnummer":
                    value = int(value.replace("-", ""))
            values.append(value if value != "" else None)
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(content: bytes, name="import.xlsx"):
    return SimpleUploadedFile(name, content)
