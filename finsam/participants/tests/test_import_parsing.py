"""Reading import files and checking rows: the file's own rules, before any service is called."""

import datetime
import io

import openpyxl
import pytest

from finsam.participants.imports import (
    CODE_LIST_SHEETS,
    HEADERS,
    INSTRUCTIONS_SHEET,
    MAX_FILE_SIZE,
    CodeBook,
    ImportFileError,
    parse_row,
    read_table,
    template_csv,
    template_xlsx,
)
from finsam.participants.tests.test_import_support import (
    PNR_BAD_CHECK,
    PNR_MAN,
    anonymous_row,
    codes,
    csv_bytes,
    in_row,
    out_row,
    upload,
    xlsx_bytes,
)
from finsam.reference.models import CodeList
from finsam.reference.tests.factories import CodeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def c():
    return codes()


def parse(cells_by_header, book=None):
    table = read_table(upload(csv_bytes([cells_by_header]), "f.csv"))
    number, cells = table.rows[0]
    return parse_row(number, cells, book or CodeBook())


def errors(row):
    return [str(e) for e in row.errors]


# --- Files ------------------------------------------------------------------------------------


def test_it_reads_a_semicolon_csv_with_bom(c):
    table = read_table(upload(csv_bytes([in_row(), out_row()]), "f.csv"))
    assert [n for n, _ in table.rows] == [2, 3]
    assert table.rows[0][1]["personal_number"] == PNR_MAN
    assert table.rows[1][1]["kind"] == "ut"


def test_it_reads_a_comma_csv_with_quoted_multiple_codes(c):
    table = read_table(upload(csv_bytes([in_row()], delimiter=",", bom=False), "f.csv"))
    row = parse_row(*table.rows[0], CodeBook())
    assert row.errors == []
    assert row.values["income_sources_before"] == [c["income_a"], c["income_b"]]


def test_it_reads_a_windows_1252_csv(c):
    content = csv_bytes([in_row()], bom=False, encoding="cp1252")
    row = parse_row(*read_table(upload(content, "f.csv")).rows[0], CodeBook())
    assert row.errors == []
    assert row.values["time_outside_work"] == c["time"]


def test_it_reads_xlsx_with_typed_cells(c):
    content = xlsx_bytes([in_row(), anonymous_row()], typed=True)
    table = read_table(upload(content, "f.xlsx"))
    first = parse_row(*table.rows[0], CodeBook())
    assert first.errors == []
    assert first.values["start_date"] == datetime.date(2025, 2, 3)
    assert first.personal_number.normalized == "198112189876"
    assert first.values["occupation_extent_before"] == 50
    second = parse_row(*table.rows[1], CodeBook())
    assert second.errors == []
    assert second.values["age_at_start"] == 34


def test_it_reads_the_data_sheet_even_if_it_is_not_the_first(c):
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([in_row()])))
    workbook.create_sheet("Anteckningar", 0)
    out = io.BytesIO()
    workbook.save(out)
    table = read_table(upload(out.getvalue(), "f.xlsx"))
    assert table.rows[0][1]["personal_number"] == PNR_MAN


def test_it_skips_blank_rows_but_keeps_spreadsheet_row_numbers(c):
    table = read_table(upload(csv_bytes([in_row(), {}, out_row()]), "f.csv"))
    assert [n for n, _ in table.rows] == [2, 4]


def test_it_accepts_headers_in_any_case_and_order_and_without_optional_columns(c):
    content = "Startdatum;PERSONNUMMER;Typ;Kon\r\n2025-01-01;19811218-9876;in;man\r\n"
    table = read_table(upload(content.encode(), "f.csv"))
    assert table.rows[0][1]["kind"] == "in"
    assert table.rows[0][1]["gender"] == "man"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("f.pdf", b"%PDF-1.4", "Filtypen stöds inte"),
        ("f.xls", b"\xd0\xcf\x11\xe0", "Det gamla Excel-formatet (.xls) stöds inte"),
        ("f.csv", b"", "Filen är tom."),
        ("f.csv", b"\xef\xbb\xbf\r\n\r\n", "Filen är tom."),
        ("f.xlsx", b"not a zip at all", "Filen kunde inte läsas som en Excel-fil"),
        ("f.xlsx", b"PK\x03\x04broken", "Filen kunde inte läsas som en Excel-fil"),
        ("f.csv", b"PK\x03\x04\x00\x00", "Filen är ingen CSV-fil"),
        ("f.csv", b"typ;personnummer;startdatum\r\n", "inga rader att importera"),
        ("f.csv", b"typ;personnummer\r\nin;x\r\n", "Kolumnen startdatum saknas."),
        ("f.csv", b"namn;hemkommun\r\nx;y\r\n", "Kolumnen typ saknas."),
        (
            "f.csv",
            b"typ;personnummer;startdatum;personummer\r\nin;x;y;z\r\n",
            "Okänd kolumn ”personummer”",
        ),
        ("f.csv", b"typ;typ;personnummer;startdatum\r\nin;in;x;y\r\n", "förekommer två gånger"),
    ],
)
def test_it_rejects_bad_files_with_a_swedish_message(name, content, message):
    with pytest.raises(ImportFileError) as exc:
        read_table(upload(content, name))
    assert any(message in m for m in exc.value.messages), exc.value.messages


def test_it_rejects_too_large_files():
    with pytest.raises(ImportFileError) as exc:
        read_table(upload(b"x" * (MAX_FILE_SIZE + 1), "f.csv"))
    assert "för stor" in exc.value.messages[0]


def test_it_reports_every_missing_column_at_once():
    with pytest.raises(ImportFileError) as exc:
        read_table(upload(b"namn\r\nx\r\n", "f.csv"))
    assert len(exc.value.messages) == 3


# --- Rows -------------------------------------------------------------------------------------


def test_a_good_identified_row_parses_to_typed_values(c):
    row = parse(in_row())
    assert row.errors == []
    assert row.kind == "in"
    assert row.values["home_municipality"] == c["municipality"]
    assert row.values["education"] == c["education"]  # by label
    assert row.values["time_outside_work"] == c["time"]  # by code, other case
    assert row.values["consent_method"] == "paper"
    assert row.identity_key


def test_a_good_anonymous_row_parses(c):
    row = parse(anonymous_row(anonym="Skyddad identitet"))
    assert row.errors == []
    assert row.values["anonymous_reason"] == "protected_identity"
    assert row.values["gender"] == "woman"
    assert row.identity_key is None


def test_a_municipality_code_without_its_leading_zero_is_found(c):
    assert parse(in_row(hemkommun="114")).values["home_municipality"] == c["municipality_0"]
    assert (
        parse(in_row(hemkommun="upplands väsby kommun")).values["home_municipality"]
        == (c["municipality_0"])
    )


def test_a_label_with_a_comma_is_one_code_even_in_a_multiple_column(c):
    with_comma = CodeFactory(
        code_list=CodeList.INCOME_SOURCE, code="imp-komma", label_sv="Imp a, b och c"
    )
    row = parse(in_row(**{"försörjningskälla före": "Imp a, b och c, imp-lon"}))
    assert row.errors == []
    assert row.values["income_sources_before"] == [with_comma, c["income_a"]]
    assert (
        parse(in_row(**{"sysselsättning före": "imp arbetar, heltid"})).values["occupation_before"]
        == (c["occupation"])
    )


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"personnummer": PNR_BAD_CHECK},
            "Rad 2, kolumn personnummer: Kontrollsiffran stämmer inte.",
        ),
        ({"personnummer": "8112189876"}, "Rad 2, kolumn personnummer: Ange hela födelseåret"),
        ({"personnummer": ""}, "Rad 2, kolumn personnummer: Ange personnummer"),
        ({"typ": "kanske"}, "Rad 2, kolumn typ: Ogiltigt värde ”kanske”. Tillåtna värden: in, ut."),
        ({"typ": ""}, "Rad 2, kolumn typ: Ange in eller ut."),
        ({"startdatum": ""}, "Rad 2, kolumn startdatum: Ange startdatum."),
        ({"startdatum": "3/2/2025"}, "Rad 2, kolumn startdatum: Ange datumet som ÅÅÅÅ-MM-DD"),
        ({"startdatum": "2025-02-30"}, "Rad 2, kolumn startdatum: Datumet finns inte."),
        ({"utbildningsnivå": "doktor"}, "Rad 2, kolumn utbildningsnivå: Okänd kod ”doktor”."),
        ({"utbildningsnivå": "imp-gammal"}, "Rad 2, kolumn utbildningsnivå: Koden ”imp-gammal”"),
        (
            {"försörjningskälla före": "imp-lon, lotto"},
            "Rad 2, kolumn försörjningskälla före: Okänd kod ”lotto”.",
        ),
        ({"hemkommun": "Gotham"}, "Rad 2, kolumn hemkommun: Okänd kommun ”Gotham”."),
        ({"hemkommun": "9999"}, "Rad 2, kolumn hemkommun: Okänd kommun ”9999”."),
        ({"omfattning före": "hälften"}, "Rad 2, kolumn omfattning före: Ange ett heltal"),
        ({"omfattning före": "150"}, "Rad 2, kolumn omfattning före: Ange omfattningen"),
        ({"ålder": "40"}, "Rad 2, kolumn ålder: Ålder anges bara för anonyma deltagare."),
        ({"samtycke sätt": ""}, "Rad 2, kolumn samtycke sätt: Ange hur samtycket lämnades"),
        (
            {"samtycke blankettversion": ""},
            "Rad 2, kolumn samtycke blankettversion: Ange samtyckesblankettens version.",
        ),
        (
            {"slutdatum": "2025-01-01", "avslutsanledning": "imp-plan"},
            "Rad 2, kolumn slutdatum: Slutdatum kan inte vara före startdatum.",
        ),
        ({"slutdatum": "2025-06-01"}, "Rad 2, kolumn avslutsanledning: Ange avslutsanledning."),
        ({"avslutsanledning": "imp-plan"}, "Rad 2, kolumn slutdatum: Ange slutdatum, eller"),
        (
            {"personnummer": "19121212-1212", "namn": "Exempel Exempelsson"},
            "Rad 2, kolumn personnummer: Exempelraden från mallen finns kvar.",
        ),
    ],
)
def test_a_bad_in_row_gets_a_row_and_column_error(c, overrides, expected):
    messages = errors(parse(in_row(**overrides)))
    assert any(m.startswith(expected) for m in messages), messages


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"personnummer": PNR_MAN}, "Rad 2, kolumn personnummer: Lämna kolumnen tom"),
        ({"namn": "Någon"}, "Rad 2, kolumn namn: Lämna kolumnen tom"),
        ({"kön": ""}, "Rad 2, kolumn kön: Ange kön"),
        ({"kön": "vet ej"}, "Rad 2, kolumn kön: Ogiltigt värde ”vet ej”."),
        ({"samtycke datum": "2025-01-01"}, "Rad 2, kolumn samtycke datum: Anonyma deltagare"),
        ({"anonym": "kanske"}, "Rad 2, kolumn anonym: Ogiltigt värde ”kanske”."),
    ],
)
def test_a_bad_anonymous_row_gets_a_row_and_column_error(c, overrides, expected):
    messages = errors(parse(anonymous_row(**overrides)))
    assert any(m.startswith(expected) for m in messages), messages


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"slutdatum": ""}, "Rad 2, kolumn slutdatum: Ange slutdatum."),
        ({"avslutsanledning": ""}, "Rad 2, kolumn avslutsanledning: Ange avslutsanledning."),
        ({"slutdatum": "2025-01-01"}, "Rad 2, kolumn slutdatum: Slutdatum kan inte vara före"),
        ({"personnummer": ""}, "Rad 2, kolumn personnummer: Ange personnummer"),
        (
            {"personnummer": "", "anonym": "ej samtycke"},
            "Rad 2, kolumn anonym: Anonyma deltagare kan bara importeras som in-rader",
        ),
    ],
)
def test_a_bad_out_row_gets_a_row_and_column_error(c, overrides, expected):
    messages = errors(parse(out_row(**overrides)))
    assert any(m.startswith(expected) for m in messages), messages


def test_an_out_row_ignores_the_in_registration_columns(c):
    row = parse(out_row(namn="Test", **{"samtycke sätt": "papper"}))
    assert row.errors == []


def test_error_messages_never_repeat_the_personal_number(c):
    row = parse(in_row(personnummer=PNR_BAD_CHECK, hemkommun="Gotham"))
    assert row.errors
    assert not any("9875" in str(e) for e in row.errors)


# --- Templates --------------------------------------------------------------------------------


def test_the_xlsx_template_has_headers_example_instructions_and_code_lists(c):
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    assert workbook.sheetnames[0] == "Deltagare"
    assert INSTRUCTIONS_SHEET in workbook.sheetnames
    for title in CODE_LIST_SHEETS.values():
        assert title in workbook.sheetnames
    sheet = workbook["Deltagare"]
    assert tuple(cell.value for cell in sheet[1]) == HEADERS
    assert sheet["A2"].value == "in"
    instructions = [cell.value for cell in workbook[INSTRUCTIONS_SHEET]["A"]]
    assert all(header in instructions for header in HEADERS)
    education = [row[0] for row in workbook["Utbildningsnivå"].iter_rows(values_only=True)]
    assert "imp-gymnasial" in education
    assert "imp-gammal" not in education  # inactive codes are not offered
    municipalities = [row[1] for row in workbook["Kommuner"].iter_rows(values_only=True)]
    assert "Skövde" in municipalities
    validated = {str(dv.sqref).split(":")[0] for dv in sheet.data_validations.dataValidation}
    assert {"A2", "D2", "E2", "K2", "O2"} <= validated  # typ, anonym, kön, hemkommun, utbildning


def test_the_csv_template_is_utf8_with_bom_and_semicolons(c):
    content = template_csv()
    assert content.startswith("\ufeff".encode())
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].split(";") == list(HEADERS)
    assert lines[1].startswith("in;19121212-1212;Exempel Exempelsson;")


def test_the_templates_read_back_and_their_example_row_is_caught(c):
    for name, content in (("m.xlsx", template_xlsx()), ("m.csv", template_csv())):
        table = read_table(upload(content, name))
        assert len(table.rows) == 1
        row = parse_row(*table.rows[0], CodeBook())
        assert [str(e) for e in row.errors] == [
            "Rad 2, kolumn personnummer: Exempelraden från mallen finns kvar. Ta bort den."
        ], name
