"""Import bombs: files made to blow up a worker are refused before openpyxl parses them.

The bombs are built here in memory: a worksheet or a shared string table written by hand into a
zip, as a hostile or broken tool would. Each must be refused with a Swedish message without
`openpyxl.load_workbook` being called (the `no_parsing` fixture makes it fail the test).
"""

import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from finsam.participants import import_guard
from finsam.participants.import_guard import (
    MAX_COLUMNS,
    MAX_FILE_SIZE,
    MAX_ROWS,
    MAX_SHARED_STRINGS,
    ImportFileError,
)
from finsam.participants.imports import HEADERS, read_table
from finsam.participants.tests.test_import_support import csv_bytes, in_row, upload
from finsam.participants.tests.test_import_views import counts

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row() -> str:
    letters = [openpyxl.utils.get_column_letter(i) for i in range(1, len(HEADERS) + 1)]
    cells = "".join(_cell(f"{c}1", h) for c, h in zip(letters, HEADERS, strict=True))
    return f'<row r="1">{cells}</row>'


def data_rows(count: int, first: int = 2) -> str:
    """`count` rows with a type and a start date (enough to be rows with content)."""
    return "".join(
        f'<row r="{r}">{_cell(f"A{r}", "in")}{_cell(f"G{r}", "2025-02-03")}</row>'
        for r in range(first, first + count)
    )


def sheet(rows: str, dimension: str = "") -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN}">{dim}<sheetData>{rows}</sheetData></worksheet>'.encode()


def workbook(sheet_xml: bytes, *, shared: bytes | None = None, extra=None, store=None) -> bytes:
    """A minimal .xlsx around one worksheet "Deltagare" (and a shared string table if given).

    `extra` adds parts; `store` names parts written uncompressed."""
    overrides = [
        ("/xl/workbook.xml", f"{CT}.sheet.main+xml"),
        ("/xl/worksheets/sheet1.xml", f"{CT}.worksheet+xml"),
    ]
    rels = [("rId1", "worksheet", "worksheets/sheet1.xml")]
    if shared is not None:
        overrides.append(("/xl/sharedStrings.xml", f"{CT}.sharedStrings+xml"))
        rels.append(("rId2", "sharedStrings", "sharedStrings.xml"))
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
            + "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
            '<sheet name="Deltagare" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PKG_REL}">'
            + "".join(
                f'<Relationship Id="{i}" Type="{REL}/{kind}" Target="{target}"/>'
                for i, kind, target in rels
            )
            + "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet_xml,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    parts.update(extra or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            kind = zipfile.ZIP_STORED if name in (store or ()) else zipfile.ZIP_DEFLATED
            archive.writestr(name, content, compress_type=kind)
    return out.getvalue()


def refused(content: bytes, name="bomb.xlsx") -> str:
    with pytest.raises(ImportFileError) as exc:
        read_table(upload(content, name))
    return " ".join(exc.value.messages)


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail if openpyxl gets to parse the workbook."""

    def load_workbook(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", load_workbook)


# --- What still reads -------------------------------------------------------------------------


def test_a_hand_made_workbook_reads():
    table = read_table(upload(workbook(sheet(header_row() + data_rows(3))), "f.xlsx"))
    assert [number for number, _cells in table.rows] == [2, 3, 4]
    assert table.rows[0][1]["start_date"] == "2025-02-03"


def test_a_picture_in_the_workbook_is_no_obstacle():
    picture = {"xl/media/image1.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 400}
    content = workbook(sheet(header_row() + data_rows(1)), extra=picture)
    assert len(read_table(upload(content, "f.xlsx")).rows) == 1


def test_a_data_sheet_that_is_not_xml_is_unreadable(no_parsing):
    content = workbook(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert "Filen kunde inte läsas som en Excel-fil" in refused(content)


def test_a_huge_declared_dimension_is_ignored_not_trusted():
    content = workbook(sheet(header_row() + data_rows(2), dimension="A1:XFD1048576"))
    assert len(read_table(upload(content, "f.xlsx")).rows) == 2


def test_a_value_far_below_the_data_keeps_its_row_number():
    rows = header_row() + data_rows(1) + data_rows(1, first=1_000_000)
    table = read_table(upload(workbook(sheet(rows)), "f.xlsx"))
    assert [number for number, _cells in table.rows] == [2, 1_000_000]


def test_shared_strings_within_the_limit_read():
    strings = "".join(f"<si><t>{h}</t></si>" for h in HEADERS)
    shared = f'<sst xmlns="{MAIN}">{strings}</sst>'.encode()
    letters = [openpyxl.utils.get_column_letter(i) for i in range(1, len(HEADERS) + 1)]
    header = '<row r="1">' + "".join(
        f'<c r="{c}1" t="s"><v>{i}</v></c>' for i, c in enumerate(letters)
    )
    content = workbook(sheet(header + "</row>" + data_rows(1)), shared=shared)
    assert read_table(upload(content, "f.xlsx")).rows[0][1]["kind"] == "in"


# --- Rows: the real count ---------------------------------------------------------------------


def test_a_50_000_row_workbook_is_refused_with_its_real_row_count(no_parsing):
    message = refused(workbook(sheet(header_row() + data_rows(50_000))))
    assert message == (
        "Filen har 50\xa0000 rader. En import får ha högst 2\xa0000 rader; dela upp filen."
    )


def test_a_50_000_row_csv_is_refused_with_its_real_row_count():
    content = csv_bytes([in_row()] * 50_000, headers=("typ", "personnummer", "startdatum"))
    assert refused(content, "f.csv") == (
        "Filen har 50\xa0000 rader. En import får ha högst 2\xa0000 rader; dela upp filen."
    )


def test_one_row_too_many_is_refused_and_the_limit_itself_is_not(no_parsing):
    assert "Filen har 2\xa0001 rader." in refused(workbook(sheet(header_row() + data_rows(2001))))
    assert "Filen har 2\xa0001 rader." in refused(csv_bytes([in_row()] * 2001), "f.csv")
    assert len(read_table(upload(csv_bytes([in_row()] * MAX_ROWS), "f.csv")).rows) == MAX_ROWS


def test_rows_beyond_the_counting_limit_are_reported_as_at_least(no_parsing, monkeypatch):
    monkeypatch.setattr(import_guard, "MAX_SCANNED_ELEMENTS", 30_000)
    message = refused(workbook(sheet(header_row() + data_rows(20_000))))
    assert message.startswith("Filen har minst ")
    assert "dela upp filen" in message


def test_empty_formatted_rows_are_not_rows():
    styled = "".join(f'<row r="{r}"><c r="A{r}" s="1"/></row>' for r in range(3, 10_003))
    table = read_table(upload(workbook(sheet(header_row() + data_rows(1) + styled)), "f.xlsx"))
    assert len(table.rows) == 1


# --- Columns (the 1.5 MB file that grew a worker by 2.7 GB) -----------------------------------


def test_a_value_in_the_last_column_is_refused(no_parsing):
    rows = header_row() + "".join(
        f'<row r="{r}">{_cell(f"A{r}", "in")}{_cell(f"XFD{r}", "x")}</row>' for r in range(2, 5)
    )
    assert refused(workbook(sheet(rows))) == (
        "Filen har värden i 16\xa0384 kolumner. En import får ha högst 100 kolumner; ta bort "
        "kolumner som inte hör till mallen."
    )


def test_a_row_of_many_cells_without_references_is_refused(no_parsing):
    wide = '<row r="2">' + "<c><v>1</v></c>" * 100_000 + "</row>"
    content = workbook(sheet(header_row() + wide), store=["xl/worksheets/sheet1.xml"])
    assert "Filen har värden i 100\xa0000 kolumner." in refused(content)


def test_a_csv_with_too_many_columns_is_refused():
    content = ";".join(HEADERS).encode() + b"\r\n" + b";" * (MAX_COLUMNS + 5) + b"x\r\n"
    assert "En import får ha högst 100 kolumner" in refused(content, "f.csv")


# --- Shared strings (the 414 kB file that held a worker for two minutes) ----------------------


def test_millions_of_shared_strings_are_refused(no_parsing):
    shared = (f'<sst xmlns="{MAIN}">' + "<si><t>x</t></si>" * 2_000_000 + "</sst>").encode()
    content = workbook(sheet(header_row() + data_rows(1)), shared=shared)
    assert len(content) < 200_000  # it packs into almost nothing
    message = refused(content)
    assert "Excel-filen är för stor eller för invecklad för att importeras" in message


def test_more_shared_strings_than_allowed_are_refused(no_parsing):
    strings = "<si/>" * (MAX_SHARED_STRINGS + 1)
    content = workbook(
        sheet(header_row() + data_rows(1)), shared=f'<sst xmlns="{MAIN}">{strings}</sst>'.encode()
    )
    assert refused(content) == (
        "Filen innehåller fler än 100\xa0000 olika texter. Dela upp filen eller spara den som CSV."
    )


def test_an_entity_bomb_is_refused(no_parsing):
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
        + "".join(
            f'<!ENTITY {b} "{("&" + a + ";") * 10}">'
            for a, b in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + f']><sst xmlns="{MAIN}"><si><t>&i;</t></si></sst>'
    )
    content = workbook(sheet(header_row() + data_rows(1)), shared=laughs.encode())
    assert "Filen kunde inte läsas som en Excel-fil" in refused(content)


# --- The zip ----------------------------------------------------------------------------------


def test_a_part_that_unpacks_far_beyond_its_packed_size_is_refused(no_parsing):
    zeros = {"xl/media/image1.png": b"\0" * (20 * 1024 * 1024)}
    content = workbook(sheet(header_row() + data_rows(1)), extra=zeros)
    assert len(content) < 100_000
    assert "en del packas upp mer än 100 gånger" in refused(content)


def test_a_part_that_lies_about_its_unpacked_size_is_refused(no_parsing):
    rows = header_row() + data_rows(30_000)
    content = bytearray(workbook(sheet(rows)))
    info = zipfile.ZipFile(io.BytesIO(bytes(content))).getinfo("xl/worksheets/sheet1.xml")
    small = (1000).to_bytes(4, "little")
    # The size in the local header (offset 22) and in the central directory entry.
    content[info.header_offset + 22 : info.header_offset + 26] = small
    central = bytes(content).rindex(b"PK\x01\x02", 0, bytes(content).index(b"sheet1.xml", -2000))
    content[central + 24 : central + 28] = small
    assert "Filen kunde inte läsas som en Excel-fil" in refused(bytes(content))


def test_more_unpacked_data_than_allowed_is_refused(no_parsing):
    filler = {"xl/media/notes.xml": b"<a>" + b"x" * (65 * 1024 * 1024) + b"</a>"}
    content = workbook(sheet(header_row() + data_rows(1)), extra=filler)
    assert "uppackad, högst 64 MB" in refused(content)


def test_a_zip_of_many_small_parts_is_refused(no_parsing):
    extra = {f"xl/media/p{i}.bin": b"" for i in range(2000)}
    assert "delar i zip-filen" in refused(workbook(sheet(header_row()), extra=extra))


def test_a_style_bomb_is_refused(no_parsing):
    xfs = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>' * 30_000
    styles = f'<styleSheet xmlns="{MAIN}"><cellXfs>{xfs}</cellXfs></styleSheet>'.encode()
    content = workbook(
        sheet(header_row() + data_rows(1)), extra={"xl/styles.xml": styles}, store=["xl/styles.xml"]
    )
    assert "för mycket formatering" in refused(content)


# --- CSV and the upload -----------------------------------------------------------------------


def test_a_csv_of_only_line_breaks_is_empty():
    assert refused(b"\n" * (MAX_FILE_SIZE - 1), "f.csv") == "Filen är tom."


def test_a_too_large_upload_gets_the_message_on_the_page(world, client_for):
    before = counts()
    content = csv_bytes([in_row()]) + b"\r\n" * (MAX_FILE_SIZE // 2)
    response = client_for(world.registrar).post(
        reverse("participant_import:upload", args=[world.a_initiative.pk]),
        {"file": upload(content, "stor.csv")},
    )
    assert response.status_code == 200
    assert "Filen är för stor. Den får vara högst 5 MB." in response.content.decode()
    assert counts() == before


def test_the_upload_handler_keeps_only_the_allowed_bytes_and_the_real_size():
    handler = import_guard.BoundedUploadHandler()
    handler.new_file("file", "stor.csv", "text/csv", None)
    chunk = b"x" * (1024 * 1024)
    for start in range(0, 8 * len(chunk), len(chunk)):
        handler.receive_data_chunk(chunk, start)
    uploaded = handler.file_complete(8 * len(chunk))
    assert uploaded.size == 8 * len(chunk)
    assert len(uploaded.read()) == MAX_FILE_SIZE + 1
