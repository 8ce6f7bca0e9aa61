"""Limits of the bulk import, and the checks that hold them before a file is parsed.

An .xlsx file is a zip archive of XML parts, and both layers can be bombs: a 1.5 MB workbook whose
cells reach column XFD grew a worker by 2.7 GB, and one of 414 KB with ten million shared strings
held a worker for two minutes. So an upload is checked in order of cost, and openpyxl only sees a
file whose work is bounded:

1. the upload itself: at most `MAX_FILE_SIZE` bytes are kept (`BoundedUploadHandler`);
2. the zip's central directory, nothing unpacked: entries, unpacked size, compression ratio;
3. every XML part streamed once through expat without building anything: no DTD (no entity
   tricks), and its markup counted;
4. the data sheet streamed through expat: rows with content, their columns and cells, so that a
   file with too many rows is refused with its real row count;
5. the shared strings counted, and the markup of everything openpyxl reads whole bounded.

Only then `openpyxl.load_workbook(read_only=True, data_only=True)` reads the data sheet up to its
last row with content and its last column. Every refusal is one clear Swedish message.
"""

from __future__ import annotations

import contextlib
import functools
import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _

from finsam.core import formats

# --- Limits -----------------------------------------------------------------------------------
# An association imports at most a few thousand enrolments a year, and the template has 22
# columns. The limits are set well above that, and far below what hurts a worker (see
# bench/import_bombs.py: the worst crafted file stays far below 100 MB and 30 s).

MAX_FILE_SIZE = settings.IMPORT_MAX_FILE_SIZE  # the upload; the proxy's limit is set beside it
# Every row goes through the participant services (~25-40 ms each on PostgreSQL): 2 000 rows are
# about a minute of work, the most one request should do.
MAX_ROWS = 2000
# Unknown column headings are refused anyway; values beyond column CV are a mistake or a trick.
MAX_COLUMNS = 100
MAX_ZIP_ENTRIES = 1000  # the template has 26; a workbook with pictures and comments a few more
# All parts unpacked: a 2 000-row workbook is 2 MB, a 50 000-row one about 40 MB (that one must
# still be counted, to be refused with its real row count).
MAX_UNPACKED_SIZE = 64 * 1024 * 1024
# Apache POI's default (ZipSecureFile: minimum inflate ratio 0.01). Spreadsheet XML packs about
# 10-20 to 1; a part that packs better than 100 to 1 is made to blow up. Small parts are exempt.
MAX_COMPRESSION_RATIO = 100
RATIO_EXEMPT_SIZE = 1024 * 1024
# Markup ("<" characters, so at least one per element) of the cells openpyxl reads: all
# worksheets (it reads each one's dimension) and the shared strings. A 2 000-row workbook from
# Excel has about 350 000.
MAX_CELL_MARKUP = 1_000_000
# Markup of everything else openpyxl reads whole into objects (styles, theme, workbook, rels):
# about 1.6 kB of memory per element. A workbook from Excel has a few thousand.
MAX_OTHER_MARKUP = 20_000
# Texts in the shared string table: at most one per cell of an allowed data sheet.
MAX_SHARED_STRINGS = 100_000
# The data sheet is counted row by row up to this many XML elements (a 50 000-row sheet has
# about 2 million); beyond it the row count is reported as "at least".
MAX_SCANNED_ELEMENTS = 5_000_000

_CHUNK = 64 * 1024
_MB = 1024 * 1024

_WORKBOOK_TYPES = (  # openpyxl's order (reader/excel.py, _find_workbook_part)
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)
_SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
_WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_SHARED_STRINGS_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Parts openpyxl reads whole at fixed paths, whatever the file says they are.
_FIXED_PARTS = (
    "[Content_Types].xml",
    "xl/styles.xml",
    "xl/theme/theme1.xml",
    "docProps/core.xml",
    "docProps/app.xml",
    "docProps/custom.xml",
)
DATA_SHEET = "Deltagare"  # the sheet read, or the first one if none has this name


class ImportFileError(Exception):
    """The file as a whole cannot be imported (type, size, encoding, columns)."""

    def __init__(self, messages: str | list[str]):
        self.messages = [str(messages)] if isinstance(messages, str) else [str(m) for m in messages]
        super().__init__("; ".join(self.messages))


def n(value: int) -> str:
    """A count in Swedish style: 50 000."""
    return formats.sv_amount(value)


def unreadable_xlsx() -> ImportFileError:
    return ImportFileError(
        _("Filen kunde inte läsas som en Excel-fil (.xlsx). Kontrollera att den inte är skadad.")
    )


def too_large() -> ImportFileError:
    return ImportFileError(
        _("Filen är för stor. Den får vara högst %(mb)s MB.") % {"mb": MAX_FILE_SIZE // _MB}
    )


def too_many_rows(count: int, *, at_least: bool = False) -> ImportFileError:
    if at_least:
        message = _(
            "Filen har minst %(count)s rader. En import får ha högst %(max)s rader; dela upp filen."
        )
    else:
        message = _(
            "Filen har %(count)s rader. En import får ha högst %(max)s rader; dela upp filen."
        )
    return ImportFileError(message % {"count": n(count), "max": n(MAX_ROWS)})


def too_many_columns(count: int) -> ImportFileError:
    return ImportFileError(
        _(
            "Filen har värden i %(count)s kolumner. En import får ha högst %(max)s kolumner; "
            "ta bort kolumner som inte hör till mallen."
        )
        % {"count": n(count), "max": n(MAX_COLUMNS)}
    )


def too_complex(reason: str) -> ImportFileError:
    return ImportFileError(
        _(
            "Excel-filen är för stor eller för invecklad för att importeras (%(reason)s). Kopiera "
            "raderna till importmallen eller spara fliken som CSV och försök igen."
        )
        % {"reason": reason}
    )


# --- The upload -------------------------------------------------------------------------------


class BoundedUploadHandler(FileUploadHandler):
    """Keep at most MAX_FILE_SIZE + 1 bytes of an uploaded file, in memory; read and drop the rest.

    The file keeps its real size, so the import answers "Filen är för stor" on the page instead
    of the upload filling memory or disk (FILE_UPLOAD_HANDLERS in config/settings.py).
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        room = MAX_FILE_SIZE + 1 - start
        if room > 0:
            self.file.write(raw_data[:room])

    def file_complete(self, file_size):
        self.file.seek(0)
        return InMemoryUploadedFile(
            file=self.file,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


# --- CSV --------------------------------------------------------------------------------------


def check_csv_row(values: list) -> None:
    if len(values) > MAX_COLUMNS:
        raise too_many_columns(len(values))


# --- XLSX -------------------------------------------------------------------------------------


@dataclass
class SheetScan:
    """What the data sheet holds, counted before openpyxl reads it."""

    path: str
    rows: int = 0  # rows with at least one value, the header included
    last_row: int = 0  # number of the last row with a value
    last_column: int = 0  # the right-most column with a value
    widest_row: int = 0  # most cells (with or without a value) in one row
    complete: bool = True  # False when the count stopped at MAX_SCANNED_ELEMENTS


@dataclass
class _Part:
    markup: int = 0
    elements: list[dict] = field(default_factory=list)  # collected start tags, when asked for


def check_xlsx(data: bytes) -> SheetScan:
    """Check an .xlsx file before it is parsed; raise ImportFileError, or describe the data sheet.

    The caller reads the sheet `scan.path` (it must be the one openpyxl picks) up to
    `scan.last_row` and `scan.last_column`.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise unreadable_xlsx() from exc
    _check_directory(infos)
    markup = {info.filename: _markup(archive, info.filename) for info in infos}

    def elements(name, tag):
        if markup.get(name, 0) > MAX_OTHER_MARKUP:
            raise too_complex(_("för många XML-element"))
        return _stream(archive, name, collect=tag).elements if name in markup else []

    # The data sheet, found as openpyxl finds it: content types → workbook → its relationships.
    types = {
        e["PartName"].lstrip("/"): e.get("ContentType", "")
        for e in elements("[Content_Types].xml", "Override")
        if "PartName" in e
    }
    workbook = next(
        (part for kind in _WORKBOOK_TYPES for part, t in types.items() if t == kind), None
    )
    if workbook is None:
        raise unreadable_xlsx()
    relations = {
        rel.get("Id"): (target, kind)
        for rel, target, kind in _relationships(elements, _rels_path(workbook))
    }
    sheets = [  # (name, path) of the worksheets openpyxl opens, in order
        (e.get("name", ""), path)
        for e in elements(workbook, "sheet")
        for path, kind in [relations.get(e.get(f"{_REL_NS} id"), ("", ""))]
        if kind == _WORKSHEET_REL and path in markup
    ]
    data_sheet = dict(sheets).get(DATA_SHEET, sheets[0][1] if sheets else "")
    # What openpyxl reads cell by cell (worksheets, the shared strings) may be large; a part that
    # anything else also points to (pivot records, properties, styles) is read whole: "other".
    uses: dict[str, set[str]] = {}
    for name in markup:
        if name.endswith(".rels"):
            for _rel, target, kind in _relationships(elements, name):
                uses.setdefault(target, set()).add(kind)
    shared = next((p for p, t in types.items() if t == _SHARED_STRINGS_TYPE), "")
    cell_parts = {name for name, kinds in uses.items() if kinds == {_WORKSHEET_REL}}
    if uses.get(shared, {_SHARED_STRINGS_REL}) == {_SHARED_STRINGS_REL}:
        cell_parts.add(shared)
    cell_parts -= {*_FIXED_PARTS, workbook}
    if data_sheet not in cell_parts:
        raise unreadable_xlsx()

    # Rows and columns first: a file with too many rows is told so, whatever else is wrong.
    scan = _scan_sheet(archive, data_sheet)
    if scan.rows - 1 > MAX_ROWS:
        raise too_many_rows(scan.rows - 1, at_least=not scan.complete)
    if scan.last_column > MAX_COLUMNS or scan.widest_row > MAX_COLUMNS:
        raise too_many_columns(max(scan.last_column, scan.widest_row))
    if shared in markup and _count(archive, shared, "si", MAX_SHARED_STRINGS) > MAX_SHARED_STRINGS:
        raise ImportFileError(
            _(
                "Filen innehåller fler än %(max)s olika texter. Dela upp filen eller spara den "
                "som CSV."
            )
            % {"max": n(MAX_SHARED_STRINGS)}
        )
    if sum(m for name, m in markup.items() if name in cell_parts) > MAX_CELL_MARKUP:
        raise too_complex(_("för många celler"))
    if sum(m for name, m in markup.items() if name not in cell_parts) > MAX_OTHER_MARKUP:
        raise too_complex(_("för mycket formatering"))
    return scan


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _relationships(elements, rels_path: str):
    """(attributes, target path, type) of the internal relationships in a .rels part, paths
    resolved as openpyxl does (packaging/relationship.py, get_dependents)."""
    parent = posixpath.dirname(posixpath.dirname(rels_path))
    for rel in elements(rels_path, "Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        if target.startswith("/"):
            target = target[1:]
        else:
            target = posixpath.normpath(posixpath.join(parent, target))
        yield rel, target, rel.get("Type", "")


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ZIP_ENTRIES:
        raise too_complex(_("%(count)s delar i zip-filen") % {"count": n(len(infos))})
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED_SIZE:
        raise too_complex(
            _("%(mb)s MB uppackad, högst %(max)s MB")
            % {"mb": n(unpacked // _MB), "max": n(MAX_UNPACKED_SIZE // _MB)}
        )
    for info in infos:
        if info.file_size > RATIO_EXEMPT_SIZE and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            raise too_complex(
                _("en del packas upp mer än %(ratio)s gånger") % {"ratio": MAX_COMPRESSION_RATIO}
            )


class _Stop(Exception):
    pass


def _parser(namespaces: bool = True) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" " if namespaces else None)

    def refuse_dtd(*args):  # OOXML never has one; a DTD is how entity bombs get in
        raise ImportFileError(
            _(
                "Filen kunde inte läsas som en Excel-fil (.xlsx). Kontrollera att den inte "
                "är skadad."
            )
        )

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    return parser


class _NotXML(Exception):
    pass


def _feed(archive: zipfile.ZipFile, name: str, parser, on_chunk=None, binary_ok=False) -> None:
    """Stream a part through `parser`. With `binary_ok`, a part that is not XML from its first
    bytes on (a picture) raises _NotXML unless its name says it is XML; any other fault makes the
    file unreadable."""
    first = True
    try:
        with archive.open(name) as source:
            while chunk := source.read(_CHUNK):
                if on_chunk is not None:
                    on_chunk(chunk)
                parser.Parse(chunk, False)
                first = False
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        if binary_ok and first and not name.endswith((".xml", ".rels")):
            raise _NotXML from exc
        raise unreadable_xlsx() from exc
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise unreadable_xlsx() from exc


def _markup(archive: zipfile.ZipFile, name: str) -> int:
    """The markup of one part ("<" characters, at least one per element), checked to be XML
    without a DTD; 0 for a part that is not XML (never parsed as such)."""
    try:
        return _stream(archive, name, binary_ok=True).markup
    except _NotXML:
        return 0


def _stream(archive, name: str, collect: str = "", binary_ok: bool = False) -> _Part:
    """Parse one part without building anything: its markup count, and the attributes of the
    elements named `collect` (local name) if asked."""
    part = _Part()
    parser = _parser()
    if collect:
        suffix = " " + collect

        def start(tag, attrs):
            if tag == collect or tag.endswith(suffix):
                part.elements.append(attrs)

        parser.StartElementHandler = start

    def count(chunk):
        part.markup += chunk.count(b"<")

    _feed(archive, name, parser, count, binary_ok)
    return part


def _count(archive, name: str, tag: str, limit: int) -> int:
    """How many `tag` elements a part has, counting no further than limit + 1."""
    found = 0
    suffix = " " + tag

    def start(name, attrs):
        nonlocal found
        if name == tag or name.endswith(suffix):
            found += 1
            if found > limit:
                raise _Stop

    parser = _parser()
    parser.StartElementHandler = start
    with contextlib.suppress(_Stop):
        _feed(archive, name, parser)
    return found


_DIGITS = "0123456789"


@functools.lru_cache(maxsize=512)
def _column(letters: str) -> int:
    """ "AB" → 28 (a cell reference without its row number)."""
    number = 0
    for char in letters:
        if not "A" <= char <= "Z":
            return 0
        number = number * 26 + ord(char) - 64
    return number


def _scan_sheet(archive, name: str) -> SheetScan:
    """Count the data sheet's rows with a value, the right-most column with a value and the most
    cells in a row, streaming (memory stays flat whatever the size). A row is summed up when the
    next one starts; the handler is kept lean, as it runs once per element."""
    scan = SheetScan(path=name)
    elements = row = cells = column = 0
    has_value = False

    def close_row():
        if cells > scan.widest_row:
            scan.widest_row = cells
        if has_value:
            scan.rows += 1
            scan.last_row = row

    def start(tag, attrs):
        nonlocal elements, row, cells, column, has_value
        elements += 1
        if elements > MAX_SCANNED_ELEMENTS:
            raise _Stop
        if ":" in tag:  # any prefix: elements are matched by local name
            tag = tag.rpartition(":")[2]
        if tag == "c":
            cells += 1
            reference = attrs.get("r")
            column = _column(reference.rstrip(_DIGITS)) if reference else column + 1
        elif tag == "v" or tag == "is":
            has_value = True
            if column > scan.last_column:
                scan.last_column = column
        elif tag == "row":
            close_row()
            reference = attrs.get("r", "")
            row = int(reference) if reference.isdigit() else row + 1
            cells = column = 0
            has_value = False

    parser = _parser(namespaces=False)
    parser.StartElementHandler = start
    try:
        _feed(archive, name, parser)
        close_row()
    except _Stop:
        scan.complete = False
    return scan
