import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from PIL import Image

from finsam.applications.formdef import check_file
from finsam.applications.formdef.files import sha256

ALL = ["pdf", "docx", "xlsx", "png", "jpeg"]
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def image(fmt):
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(out, format=fmt)
    return out.getvalue()


def docx():
    out = io.BytesIO()
    document = Document()
    document.add_paragraph("Budget")
    document.save(out)
    return out.getvalue()


def xlsx():
    out = io.BytesIO()
    book = openpyxl.Workbook()
    book.active["A1"] = "Budget"
    book.save(out)
    return out.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("plan.pdf", PDF, "pdf"),
        ("bild.png", image("PNG"), "png"),
        ("foto.jpg", image("JPEG"), "jpeg"),
        ("foto.jpeg", image("JPEG"), "jpeg"),
        ("text.docx", docx(), "docx"),
        ("budget.xlsx", xlsx(), "xlsx"),
    ],
)
def test_real_files_are_accepted_by_content(name, data, kind):
    assert check_file(upload(name, data), ALL, 10_000_000) == (kind, None)


def test_a_png_named_pdf_is_refused():
    assert check_file(upload("budget.pdf", image("PNG")), ALL, 10_000_000) == (
        None,
        "Filen är inte en PDF fast namnet slutar på .pdf.",
    )


def test_a_docx_that_is_a_spreadsheet_or_plain_zip_is_refused():
    assert (
        check_file(upload("text.docx", xlsx()), ALL, 10_000_000)[1]
        == "Filen är inte en Word-dokument (DOCX) fast namnet slutar på .docx."
    )
    zipped = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("a.txt", "x")
    assert check_file(upload("arkiv.zip", zipped.getvalue()), ALL, 10_000_000)[0] is None


def test_other_kinds_oversized_and_empty_files_are_refused():
    kind, error = check_file(upload("skript.exe", b"MZ\x90\x00" + b"\x00" * 100), ALL, 10_000_000)
    assert kind is None and error.startswith("Filtypen tas inte emot.")
    assert (
        check_file(upload("bild.png", image("PNG")), ["pdf"], 10_000_000)[1]
        == "Filtypen tas inte emot. Välj en fil av typen: PDF."
    )
    assert check_file(upload("plan.pdf", PDF + b"0" * 3_000_000), ALL, 2 * 1024 * 1024) == (
        None,
        "Filen är för stor: högst 2 MB.",
    )
    assert check_file(upload("tom.pdf", b""), ALL, 10_000_000) == (None, "Filen är tom.")
    assert check_file(upload("plan", PDF), ALL, 10_000_000) == (
        None,
        "Filnamnet ska sluta på .pdf för en PDF.",
    )


def test_bytes_and_the_hash():
    assert check_file(PDF, ["pdf"], 1000) == ("pdf", None)
    assert sha256(upload("plan.pdf", PDF)) == sha256(PDF)
