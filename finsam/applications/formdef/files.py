"""Attachments checked by their content, not only by their name.

`check_file` reads the first bytes with the `filetype` library and compares the real type with
the kinds the block accepts and with the file name's extension: a PNG named "budget.pdf" is
refused, as is a file larger than the block allows.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finsam.core.formats import sv_number


@dataclass(frozen=True)
class Kind:
    code: str
    name: str  # what a reader calls it (translated when shown)
    extensions: tuple[str, ...]
    mimes: tuple[str, ...]
    content_type: str


KINDS: dict[str, Kind] = {
    "pdf": Kind("pdf", "PDF", (".pdf",), ("application/pdf",), "application/pdf"),
    "docx": Kind(
        "docx",
        gettext_lazy("Word-dokument (DOCX)"),
        (".docx",),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": Kind(
        "xlsx",
        gettext_lazy("Excel-fil (XLSX)"),
        (".xlsx",),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "png": Kind("png", gettext_lazy("PNG-bild"), (".png",), ("image/png",), "image/png"),
    "jpeg": Kind(
        "jpeg", gettext_lazy("JPEG-bild"), (".jpg", ".jpeg"), ("image/jpeg",), "image/jpeg"
    ),
}

HEAD_BYTES = 8192


def _read_all(uploaded) -> bytes:
    if isinstance(uploaded, (bytes, bytearray)):
        return bytes(uploaded)
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    data = uploaded.read()
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    return data


def _office_kind(data: bytes) -> str | None:
    """A DOCX or XLSX is a ZIP: its parts say which (filetype alone may call both "zip")."""
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def sniff(data: bytes) -> str | None:
    """The kind of the content, or None when it is none of the accepted kinds."""
    guess = filetype.guess(data[:HEAD_BYTES])
    mime = guess.mime if guess else ""
    for kind in KINDS.values():
        if mime in kind.mimes and kind.code not in ("docx", "xlsx"):
            return kind.code
    if (
        mime in ("application/zip", *KINDS["docx"].mimes, *KINDS["xlsx"].mimes)
        or data[:4] == b"PK\x03\x04"
    ):
        return _office_kind(data)
    return None


def sha256(uploaded) -> str:
    return hashlib.sha256(_read_all(uploaded)).hexdigest()


def check_file(uploaded, allowed_kinds, max_bytes: int) -> tuple[str | None, str | None]:
    """(kind, None) for an accepted file, (None, message) otherwise. `uploaded`: an
    UploadedFile (with `name` and `size`) or bytes."""
    name = getattr(uploaded, "name", "") or ""
    size = getattr(uploaded, "size", None)
    if size is None:
        size = len(_read_all(uploaded))
    if size == 0:
        return None, _("Filen är tom.")
    if size > max_bytes:
        return None, _("Filen är för stor: högst %(max)s MB.") % {
            "max": sv_number(max(1, max_bytes // (1024 * 1024)), space=" ")
        }
    allowed = [KINDS[k] for k in allowed_kinds if k in KINDS]
    names = ", ".join(str(kind.name) for kind in allowed)
    data = _read_all(uploaded)
    kind = sniff(data)
    extension = PurePath(name).suffix.lower()
    claimed = next((k for k in KINDS.values() if extension in k.extensions), None)
    if claimed and kind != claimed.code:
        return None, _("Filen är inte en %(kind)s fast namnet slutar på %(ext)s.") % {
            "kind": claimed.name,
            "ext": extension,
        }
    if kind is None or kind not in allowed_kinds:
        return None, _("Filtypen tas inte emot. Välj en fil av typen: %(kinds)s.") % {
            "kinds": names
        }
    if name and claimed is None:
        return None, _("Filnamnet ska sluta på %(ext)s för en %(kind)s.") % {
            "ext": KINDS[kind].extensions[0],
            "kind": KINDS[kind].name,
        }
    return kind, None
