"""Bulk import of enrolments and exits from XLSX or CSV (issue 2, "Bulk import").

Many associations collect registrations in Excel today. This module

- describes the import format (`COLUMNS`; documented in `docs/import-template.md`),
- builds the downloadable template (`template_xlsx`, `template_csv`),
- reads an uploaded file into rows (`read_table`), and
- imports it all-or-nothing (`import_table`): every row is validated, every error is reported by
  row number and column name in Swedish, and nothing is saved if any row fails.

Enrolments are written only through `enrolment_register` / `enrolment_exit` (channel "import"),
so the import obeys exactly the rules of the registration form and is audit-logged the same way.
Error messages never repeat a personal identity number or a name.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from finsam.core.keys import lookup_hash
from finsam.participants import import_guard, variables
from finsam.participants.identity import PersonalNumber, parse_personal_number
from finsam.participants.import_guard import (
    DATA_SHEET,
    MAX_FILE_SIZE,
    MAX_ROWS,
    ImportFileError,
)
from finsam.participants.models import (
    AnonymousReason,
    ConsentMethod,
    Enrolment,
    Gender,
    Participant,
)
from finsam.participants.services import (
    EXIT_FIELDS,
    ConsentInput,
    EnrolmentInput,
    ExitInput,
    enrolment_exit,
    enrolment_register,
    enrolments_register_many,
)
from finsam.reference import codes
from finsam.reference.models import Code, Municipality

INSTRUCTIONS_SHEET = "Instruktioner"
MUNICIPALITIES = "municipality"

KIND_IN = "in"
KIND_OUT = "ut"

# The example row of the template uses Skatteverket's well-known test number; an import that still
# contains it is stopped, so nobody registers "Exempel Exempelsson" by mistake.
EXAMPLE_PERSONAL_NUMBER = "19121212-1212"
EXAMPLE_NAME = "Exempel Exempelsson"


# --- The format -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # the EnrolmentInput / ExitInput field it feeds, or an import-only name
    header: str  # Swedish column header; part of the file format, never translated
    required: str  # for the instructions sheet and the import page (translated)
    description: str  # translated
    code_list: str = ""  # CodeList value, MUNICIPALITIES or ""
    choices: tuple[str, ...] = ()  # fixed values offered in the template's drop-down
    multiple: bool = False
    kind: str = "text"  # text | date | int | code | choice


_REQUIRED_OUT = gettext_lazy("Ja, för ut-rader")


def _variable_column(variable: variables.Variable) -> Column:
    """The column of a registration variable: its codes (by code or label) or an extent."""
    if variable.required:
        required = gettext_lazy("Ja") if variable.phase == variables.IN else _REQUIRED_OUT
    else:
        required = gettext_lazy("Nej")
    return Column(
        variable.name,
        variable.header,
        required,
        variable.description,
        code_list=variable.code_list,
        multiple=variable.multiple,
        kind="code" if variable.is_code else "int",
    )


COLUMNS: tuple[Column, ...] = (
    Column(
        "kind",
        "typ",
        gettext_lazy("Ja"),
        gettext_lazy(
            "in = inregistrering (ett nytt deltagande), ut = utregistrering av ett pågående "
            "deltagande. En in-rad med slutdatum registrerar deltagaren in och ut på en gång."
        ),
        choices=("in", "ut"),
        kind="choice",
    ),
    Column(
        "personal_number",
        "personnummer",
        gettext_lazy("Ja, utom för anonyma"),
        gettext_lazy(
            "Personnummer eller samordningsnummer med tolv siffror: ÅÅÅÅMMDD-NNNN. På ut-rader "
            "hittas deltagandet med personnummer och startdatum. Lämnas tomt för anonyma deltagare."
        ),
    ),
    Column(
        "name",
        "namn",
        gettext_lazy("Nej"),
        gettext_lazy("Deltagarens namn. Lämnas tomt för anonyma deltagare."),
    ),
    Column(
        "anonymous_reason",
        "anonym",
        gettext_lazy("Nej"),
        gettext_lazy(
            "Tomt = deltagaren registreras med personuppgifter (kräver samtycke). "
            "'ej samtycke' eller 'skyddad identitet' = anonym registrering utan personnummer, namn "
            "och samtycke. Anonyma deltagare kan bara importeras som in-rader."
        ),
        choices=("ej samtycke", "skyddad identitet"),
        kind="choice",
    ),
    Column(
        "gender",
        "kön",
        gettext_lazy("Ja, för anonyma"),
        gettext_lazy(
            "kvinna, man eller annat. För deltagare med personnummer räknas könet fram ur "
            "personnumret om kolumnen är tom."
        ),
        choices=("kvinna", "man", "annat"),
        kind="choice",
    ),
    Column(
        "age_at_start",
        "ålder",
        gettext_lazy("Nej"),
        gettext_lazy(
            "Ålder vid start i hela år. Bara för anonyma deltagare; annars räknas åldern fram ur "
            "personnumret."
        ),
        kind="int",
    ),
    Column(
        "start_date",
        "startdatum",
        gettext_lazy("Ja"),
        gettext_lazy(
            "Datum då deltagandet började, ÅÅÅÅ-MM-DD. På ut-rader: startdatum för det pågående "
            "deltagande som ska avslutas."
        ),
        kind="date",
    ),
    Column(
        "consent_given_on",
        "samtycke datum",
        gettext_lazy("Ja, utom för anonyma"),
        gettext_lazy(
            "Datum då samtycket lämnades, ÅÅÅÅ-MM-DD. Ett nytt samtycke krävs för varje deltagande."
        ),
        kind="date",
    ),
    Column(
        "consent_method",
        "samtycke sätt",
        gettext_lazy("Ja, utom för anonyma"),
        gettext_lazy("Hur samtycket lämnades: papper, digitalt eller uppladdat."),
        choices=("papper", "digitalt", "uppladdat"),
        kind="choice",
    ),
    Column(
        "consent_form_version",
        "samtycke blankettversion",
        gettext_lazy("Ja, utom för anonyma"),
        gettext_lazy("Vilken version av samtyckesblanketten som användes, t.ex. 'FK 9443 (2024)'."),
    ),
    Column(
        "home_municipality",
        "hemkommun",
        gettext_lazy("Nej"),
        gettext_lazy(
            "Deltagarens hemkommun: kommunkod med fyra siffror (t.ex. 1496) eller kommunens namn "
            "(t.ex. Skövde). Se fliken Kommuner."
        ),
        code_list=MUNICIPALITIES,
        kind="code",
    ),
    *(_variable_column(v) for v in variables.of_phase(variables.IN)),
    Column(
        "end_date",
        "slutdatum",
        _REQUIRED_OUT,
        gettext_lazy("Datum då deltagandet avslutades, ÅÅÅÅ-MM-DD. Kan inte vara före startdatum."),
        kind="date",
    ),
    *(_variable_column(v) for v in variables.of_phase(variables.OUT)),
)

HEADERS: tuple[str, ...] = tuple(c.header for c in COLUMNS)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED_HEADERS = ("typ", "personnummer", "startdatum")
CONSENT_KEYS = ("consent_given_on", "consent_method", "consent_form_version")
EXIT_KEYS = EXIT_FIELDS


class _SheetNames(Mapping):
    """Code list (or MUNICIPALITIES) → the title of its sheet in the XLSX template: the code
    book's Swedish name of the list (a sheet title has at most 31 characters, none of []:*?/\\).
    Read when used, as the code book may change."""

    def _keys(self) -> list[str]:
        return [*variables.code_lists(), MUNICIPALITIES]

    def __getitem__(self, key: str) -> str:
        if key not in self._keys():
            raise KeyError(key)
        if key == MUNICIPALITIES:
            return "Kommuner"
        name = codes.list_name(key, language="sv")
        return re.sub(r"[\[\]:*?/\\]", "", name)[:31]

    def __iter__(self):
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())


CODE_LIST_SHEETS = _SheetNames()

# Error keys of the participant services (EnrolmentInput / ExitInput field names) → column.
_SERVICE_FIELD_COLUMNS = {
    **{c.key: c.header for c in COLUMNS},
    "consent": "samtycke datum",
    "given_on": "samtycke datum",
    "method": "samtycke sätt",
    "form_version": "samtycke blankettversion",
    "language": "samtycke datum",
    "participant": "personnummer",
}


def _norm(value: str) -> str:
    """Case-, space- and accent-insensitive key ("Kön " == "kon")."""
    value = " ".join(str(value).replace("\u00a0", " ").split()).casefold()
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_HEADER_KEYS = {_norm(c.header): c.key for c in COLUMNS}

_KINDS = {"in": KIND_IN, "inregistrering": KIND_IN, "ut": KIND_OUT, "utregistrering": KIND_OUT}
_ANONYMOUS_REASONS = {
    "ej samtycke": AnonymousReason.NO_CONSENT,
    "samtycke saknas": AnonymousReason.NO_CONSENT,
    "no_consent": AnonymousReason.NO_CONSENT,
    "skyddad identitet": AnonymousReason.PROTECTED_IDENTITY,
    "skyddade personuppgifter": AnonymousReason.PROTECTED_IDENTITY,
    "protected_identity": AnonymousReason.PROTECTED_IDENTITY,
}
_GENDERS = {
    "kvinna": Gender.WOMAN,
    "k": Gender.WOMAN,
    "woman": Gender.WOMAN,
    "man": Gender.MAN,
    "m": Gender.MAN,
    "annat": Gender.OTHER,
    "annat / ej angivet": Gender.OTHER,
    "ej angivet": Gender.OTHER,
    "other": Gender.OTHER,
}
_CONSENT_METHODS = {
    "papper": ConsentMethod.PAPER,
    "skriftligt på papper": ConsentMethod.PAPER,
    "paper": ConsentMethod.PAPER,
    "digitalt": ConsentMethod.DIGITAL,
    "digitalt signerat": ConsentMethod.DIGITAL,
    "digital": ConsentMethod.DIGITAL,
    "uppladdat": ConsentMethod.UPLOADED,
    "inskannat": ConsentMethod.UPLOADED,
    "inskannat och uppladdat": ConsentMethod.UPLOADED,
    "uploaded": ConsentMethod.UPLOADED,
}
_CHOICES = {
    "kind": _KINDS,
    "anonymous_reason": _ANONYMOUS_REASONS,
    "gender": _GENDERS,
    "consent_method": _CONSENT_METHODS,
}
_CHOICES = {key: {_norm(k): v for k, v in values.items()} for key, values in _CHOICES.items()}


# --- Results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int | None  # spreadsheet row number (the header is row 1); None for the whole file
    column: str  # column header, "" when the error concerns the whole row or file
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column:
            return _("Rad %(row)s, kolumn %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Rad %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportResult:
    rows: int = 0
    enrolled: int = 0
    exited: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def done_message(*, enrolled: int, exited: int) -> str:
    """ "Importen är klar: 1 inregistrering och 3 utregistreringar sparades." """
    return _("Importen är klar: %(enrolled)s och %(exited)s sparades.") % {
        "enrolled": ngettext("%(n)s inregistrering", "%(n)s inregistreringar", enrolled)
        % {"n": enrolled},
        "exited": ngettext("%(n)s utregistrering", "%(n)s utregistreringar", exited)
        % {"n": exited},
    }


@dataclass
class Table:
    """The rows of an uploaded file: {column key: raw cell value} per spreadsheet row."""

    rows: list[tuple[int, dict]]


# --- Reading files ----------------------------------------------------------------------------


def read_table(uploaded) -> Table:
    """Read an uploaded .xlsx or .csv file; raise ImportFileError with Swedish messages.

    The limits (import_guard) are checked before anything is parsed, and rows are read one by one.
    """
    name = (getattr(uploaded, "name", "") or "").lower()
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_FILE_SIZE:
        raise import_guard.too_large()
    if name.endswith(".xls"):
        raise ImportFileError(
            _(
                "Det gamla Excel-formatet (.xls) stöds inte. Spara filen som Excel-arbetsbok "
                "(.xlsx) eller som CSV och försök igen."
            )
        )
    if not name.endswith((".xlsx", ".csv", ".txt")):
        raise ImportFileError(
            _("Filtypen stöds inte. Ladda upp en Excel-fil (.xlsx) eller en CSV-fil (.csv).")
        )
    data = uploaded.read(MAX_FILE_SIZE + 1)
    if len(data) > MAX_FILE_SIZE:
        raise import_guard.too_large()
    if not data.strip():
        raise ImportFileError(_("Filen är tom."))
    if name.endswith(".xlsx"):
        return _xlsx_table(data)
    return _table(_csv_rows(data))


def _xlsx_table(data: bytes) -> Table:
    import openpyxl

    if not data.startswith(b"PK"):
        raise import_guard.unreadable_xlsx()
    scan = import_guard.check_xlsx(data)
    if not scan.rows:
        raise ImportFileError(_("Filen är tom."))
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise import_guard.unreadable_xlsx() from exc
    try:
        if DATA_SHEET in workbook.sheetnames:
            sheet = workbook[DATA_SHEET]
        else:
            sheet = workbook.worksheets[0]
        # The checked sheet, and only as far as its last value (declared dimensions are ignored).
        if getattr(sheet, "_worksheet_path", None) != scan.path:
            raise import_guard.unreadable_xlsx()
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_row=scan.last_row, max_col=scan.last_column, values_only=True)
        return _table(rows)
    except ImportFileError:
        raise
    except Exception as exc:
        raise import_guard.unreadable_xlsx() from exc
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" (UTF-16)
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                # Older Swedish Excel writes "CSV (semikolonavgränsad)" in Windows-1252.
                return data.decode("cp1252")
            except UnicodeDecodeError:
                pass
    raise ImportFileError(
        _(
            "Filen kunde inte läsas som text. Spara den som CSV UTF-8 (kommaavgränsad) och "
            "försök igen."
        )
    )


def _csv_rows(data: bytes) -> Iterable[list]:
    text = _decode(data)
    if "\x00" in text or data.startswith(b"PK"):
        raise ImportFileError(
            _(
                "Filen är ingen CSV-fil. Ladda upp en Excel-fil med ändelsen .xlsx eller spara "
                "filen som CSV."
            )
        )
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    try:
        for values in reader:
            import_guard.check_csv_row(values)
            yield values
    except csv.Error as exc:
        raise ImportFileError(
            _("CSV-filen kunde inte läsas (%(error)s).") % {"error": str(exc)}
        ) from exc


def _is_blank(values) -> bool:
    return all(_text(v) == "" for v in values)


def _table(raw_rows: Iterable[list]) -> Table:
    """The rows of a file, read one at a time: rows beyond MAX_ROWS are counted, not kept."""
    raw_rows = iter(raw_rows)
    header = next(raw_rows, None)
    if header is None or _is_blank(header):
        if all(_is_blank(r) for r in raw_rows):
            raise ImportFileError(_("Filen är tom."))
        raise ImportFileError(
            _("Första raden ska innehålla kolumnrubrikerna, t.ex. %(headers)s.")
            % {"headers": ", ".join(REQUIRED_HEADERS)}
        )
    positions: dict[str, int] = {}
    problems = []
    for index, cell in enumerate(header):
        text = _text(cell)
        if not text:
            continue
        key = _HEADER_KEYS.get(_norm(text.rstrip("*").strip()))
        if key is None:
            problems.append(
                _("Okänd kolumn ”%(column)s”. Använd kolumnrubrikerna i mallen.") % {"column": text}
            )
        elif key in positions:
            problems.append(
                _("Kolumnen %(column)s förekommer två gånger.")
                % {"column": COLUMN_BY_KEY[key].header}
            )
        else:
            positions[key] = index
    for header_name in REQUIRED_HEADERS:
        if _HEADER_KEYS[_norm(header_name)] not in positions:
            problems.append(_("Kolumnen %(column)s saknas.") % {"column": header_name})
    if problems:
        raise ImportFileError(problems)

    rows = []
    count = 0
    for number, values in enumerate(raw_rows, start=2):
        if _is_blank(values):
            continue
        count += 1
        if count <= MAX_ROWS:
            cells = {key: values[i] if i < len(values) else None for key, i in positions.items()}
            rows.append((number, cells))
    if not count:
        raise ImportFileError(_("Filen innehåller inga rader att importera (bara rubrikraden)."))
    if count > MAX_ROWS:
        raise import_guard.too_many_rows(count)
    return Table(rows=rows)


# --- Cell values ------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return " ".join(str(value).replace("\u00a0", " ").split())


_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _date(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if not match:
        raise ValidationError(_("Ange datumet som ÅÅÅÅ-MM-DD, t.ex. 2025-03-01."))
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise ValidationError(_("Datumet finns inte. Ange datumet som ÅÅÅÅ-MM-DD.")) from exc


def _int(value) -> int | None:
    text = _text(value).rstrip("%").strip()
    if not text:
        return None
    if not re.fullmatch(r"\d+", text):
        raise ValidationError(_("Ange ett heltal, t.ex. 50."))
    return int(text)


class CodeBook:
    """All codes and municipalities, loaded once per import (two queries whatever the rows)."""

    def __init__(self):
        lists = [c.code_list for c in COLUMNS if c.code_list and c.code_list != MUNICIPALITIES]
        self.codes: dict[str, dict[str, Code]] = {code_list: {} for code_list in lists}
        by_label: dict[str, dict[str, Code]] = {code_list: {} for code_list in lists}
        for code in Code.objects.filter(code_list__in=lists).order_by("-active", "sort_order"):
            self.codes[code.code_list].setdefault(_norm(code.code), code)
            by_label[code.code_list].setdefault(_norm(code.label_sv), code)
        for code_list, labels in by_label.items():
            for key, code in labels.items():
                self.codes[code_list].setdefault(key, code)
        self.municipalities: dict[str, Municipality] = {}
        for municipality in Municipality.objects.all():
            self.municipalities[municipality.code] = municipality
            self.municipalities.setdefault(_norm(municipality.name), municipality)

    def code(self, code_list: str, raw) -> Code | None:
        text = _text(raw)
        if not text:
            return None
        code = self.codes[code_list].get(_norm(text))
        if code is None:
            raise ValidationError(
                _("Okänd kod ”%(value)s”. Tillåtna värden finns på fliken %(sheet)s i mallen.")
                % {"value": text, "sheet": CODE_LIST_SHEETS[code_list]}
            )
        if not code.active:
            raise ValidationError(
                _("Koden ”%(value)s” används inte längre. Välj en aktuell kod.") % {"value": text}
            )
        return code

    def codes_of(self, code_list: str, raw) -> list[Code]:
        text = _text(raw)
        if not text:
            return []
        result: list[Code] = []
        messages = []
        for chunk in re.split(r"[;|]", text):
            # Labels may themselves contain commas ("Arbetar, osubventionerad anställning"):
            # take the longest run of comma-separated parts that names a code.
            parts = chunk.split(",")
            i = 0
            while i < len(parts):
                for j in range(len(parts), i, -1):
                    candidate = ",".join(parts[i:j])
                    if _norm(candidate) in self.codes[code_list]:
                        break
                else:
                    j = i + 1
                    candidate = parts[i]
                i = j
                if not candidate.strip():
                    continue
                try:
                    code = self.code(code_list, candidate)
                except ValidationError as exc:
                    messages.extend(exc.messages)
                    continue
                if code not in result:
                    result.append(code)
        if messages:
            raise ValidationError(messages)
        return result

    def municipality(self, raw) -> Municipality | None:
        text = _text(raw)
        if not text:
            return None
        key = text.zfill(4) if text.isdigit() else _norm(text)
        found = self.municipalities.get(key)
        if found is None and key.endswith(" kommun"):
            found = self.municipalities.get(key.removesuffix(" kommun").strip())
        if found is None:
            raise ValidationError(
                _(
                    "Okänd kommun ”%(value)s”. Ange kommunkoden med fyra siffror eller kommunens "
                    "namn (se fliken Kommuner i mallen)."
                )
                % {"value": text}
            )
        return found


# --- Parsing rows -----------------------------------------------------------------------------


@dataclass
class ParsedRow:
    number: int
    kind: str = ""
    values: dict = field(default_factory=dict)
    personal_number: PersonalNumber | None = None
    errors: list[RowError] = field(default_factory=list)

    def error(self, key_or_header: str, message) -> None:
        column = COLUMN_BY_KEY[key_or_header].header if key_or_header in COLUMN_BY_KEY else ""
        self.errors.append(RowError(self.number, column or key_or_header, str(message)))

    @cached_property
    def identity_key(self) -> str | None:
        """The look-up hash of the personal identity number (read once the row is parsed)."""
        if self.personal_number is None:
            return None
        return lookup_hash(self.personal_number.normalized)

    @property
    def anonymous(self) -> bool:
        return bool(self.values.get("anonymous_reason"))


def parse_row(number: int, cells: dict, book: CodeBook) -> ParsedRow:
    """Convert one row's cells to typed values and check the rules that are the file's own
    (which columns belong to which kind of row). The registration rules themselves are the
    services' business."""
    row = ParsedRow(number=number)
    for column in COLUMNS:
        try:
            row.values[column.key] = _cell_value(column, cells.get(column.key), book)
        except ValidationError as exc:
            row.values[column.key] = None
            for message in exc.messages:
                row.error(column.key, message)
    _check_extents(row)
    _check_kind_and_start(row, cells)
    _parse_identity(row)
    if row.kind == KIND_IN:
        _check_in_row(row, cells)
    elif row.kind == KIND_OUT:
        _check_out_row(row, cells)
    end, start = row.values.get("end_date"), row.values.get("start_date")
    if end and start and end < start:
        row.error("end_date", _("Slutdatum kan inte vara före startdatum."))
    return row


def _choice(column: Column, raw) -> str:
    text = _text(raw)
    if not text:
        return ""
    value = _CHOICES[column.key].get(_norm(text))
    if value is None:
        raise ValidationError(
            _("Ogiltigt värde ”%(value)s”. Tillåtna värden: %(choices)s.")
            % {"value": text, "choices": ", ".join(column.choices)}
        )
    return str(value)


def _cell_value(column: Column, raw, book: CodeBook):
    """The typed value of one cell; `ValidationError` with Swedish messages."""
    if column.kind == "choice":
        return _choice(column, raw)
    if column.kind == "date":
        return _date(raw)
    if column.kind == "int":
        return _int(raw)
    if column.code_list == MUNICIPALITIES:
        return book.municipality(raw)
    if column.multiple:
        return book.codes_of(column.code_list, raw)
    if column.code_list:
        return book.code(column.code_list, raw)
    return _text(raw)


def _check_extents(row: ParsedRow) -> None:
    for key in ("occupation_extent_before", "occupation_extent_after"):
        if row.values.get(key) is not None and not 0 <= row.values[key] <= 100:
            row.error(key, _("Ange omfattningen i procent av heltid, 0–100."))


def _check_kind_and_start(row: ParsedRow, cells: dict) -> None:
    row.kind = row.values.get("kind") or ""
    if not _text(cells.get("kind")):
        row.error("kind", _("Ange in eller ut."))
    if row.values.get("start_date") is None and not _text(cells.get("start_date")):
        row.error("start_date", _("Ange startdatum."))


def _parse_identity(row: ParsedRow) -> None:
    """The personal identity number (and the template's example row, which is refused)."""
    raw = row.values.get("personal_number") or ""
    if not raw:
        return
    try:
        row.personal_number = parse_personal_number(raw)
    except ValidationError as exc:
        for message in exc.messages:
            row.error("personal_number", message)
        return
    if _norm(row.values.get("name") or "") == _norm(EXAMPLE_NAME) and (
        row.personal_number.normalized == EXAMPLE_PERSONAL_NUMBER.replace("-", "")
    ):
        row.error("personal_number", _("Exempelraden från mallen finns kvar. Ta bort den."))


def _filled(cells: dict, key: str) -> bool:
    return _text(cells.get(key)) != ""


def _check_in_row(row: ParsedRow, cells: dict) -> None:
    if row.anonymous:
        for key in ("personal_number", "name"):
            if _filled(cells, key):
                row.error(key, _("Lämna kolumnen tom för anonyma deltagare."))
        if any(_filled(cells, key) for key in CONSENT_KEYS):
            row.error(
                "consent_given_on",
                _("Anonyma deltagare registreras utan samtycke. Lämna samtyckeskolumnerna tomma."),
            )
        if not _filled(cells, "gender"):
            row.error("gender", _("Ange kön (kvinna, man eller annat) för anonyma deltagare."))
    else:
        if not _filled(cells, "personal_number"):
            row.error(
                "personal_number",
                _("Ange personnummer, eller fyll i kolumnen anonym för en anonym deltagare."),
            )
        if _filled(cells, "age_at_start"):
            row.error(
                "age_at_start",
                _("Ålder anges bara för anonyma deltagare. Den räknas fram ur personnumret."),
            )
        if any(_filled(cells, key) for key in CONSENT_KEYS):
            # A partly filled consent is an error of the file; a wholly missing one is left to
            # the service, whose rule (no personal data without consent) it is.
            messages = {
                "consent_given_on": _("Ange datum för samtycket."),
                "consent_method": _("Ange hur samtycket lämnades (papper, digitalt, uppladdat)."),
                "consent_form_version": _("Ange samtyckesblankettens version."),
            }
            for key, message in messages.items():
                if not _filled(cells, key):
                    row.error(key, message)
    if not _filled(cells, "end_date"):
        for key in EXIT_KEYS[1:]:
            if _filled(cells, key):
                row.error(
                    "end_date",
                    _("Ange slutdatum, eller lämna kolumnerna för utregistrering tomma."),
                )
                break
    elif not _filled(cells, "exit_reason"):
        row.error("exit_reason", _("Ange avslutsanledning."))


def _check_out_row(row: ParsedRow, cells: dict) -> None:
    if row.anonymous:
        row.error(
            "anonymous_reason",
            _(
                "Anonyma deltagare kan bara importeras som in-rader (med slutdatum om de "
                "avslutats)."
            ),
        )
        return
    if not _filled(cells, "personal_number"):
        row.error("personal_number", _("Ange personnummer för deltagandet som ska avslutas."))
    if not _filled(cells, "end_date"):
        row.error("end_date", _("Ange slutdatum."))
    if not _filled(cells, "exit_reason"):
        row.error("exit_reason", _("Ange avslutsanledning."))


# --- Importing --------------------------------------------------------------------------------


def _service_errors(number: int, exc: ValidationError) -> list[RowError]:
    """Place the services' ValidationError messages on the columns of the file."""
    if not hasattr(exc, "error_dict"):
        return [RowError(number, "", str(m)) for m in exc.messages]
    errors = []
    for key, messages in exc.message_dict.items():
        column = _SERVICE_FIELD_COLUMNS.get(key, "")
        if not column and key.startswith("consent"):
            suffix = key.removeprefix("consent").lstrip("._")
            column = _SERVICE_FIELD_COLUMNS.get(suffix, "samtycke datum")
        errors.extend(RowError(number, column, str(m)) for m in messages)
    return errors


def import_table(*, access, initiative, table: Table, progress=None) -> ImportResult:
    """Import every row of `table` into `initiative`, all or nothing.

    Every row is validated (first the file's own rules, then the services'), and rows after a
    failing row are still tried so that every error is reported. If any row failed, the whole
    import is rolled back and `result.errors` lists the errors by row and column.
    `progress(done, total)`, if given, hears of every row checked (and saved).

    When every person appears in one row only (the usual file), the in-rows are registered
    together (`enrolments_register_many`: a few queries for the whole file), then the exits
    are written row by row; otherwise every row is written in the file's order.
    """
    result = ImportResult(rows=len(table.rows))
    if initiative.is_volume:
        result.errors.append(RowError(None, "", _volume_message()))
        return result
    book = CodeBook()
    parsed = [parse_row(number, cells, book) for number, cells in table.rows]
    file_errors = _in_file_conflicts(parsed)
    run = _Run(access, initiative, parsed, result, progress)
    with transaction.atomic():
        if _one_row_per_person(parsed):
            run.together(file_errors)
        else:
            run.in_order(file_errors)
        if result.errors:
            transaction.set_rollback(True)
    if result.errors:
        columns = {header: index for index, header in enumerate(HEADERS)}
        result.errors.sort(key=lambda e: (e.row or 0, columns.get(e.column, -1)))
        result.enrolled = result.exited = 0
    return result


def _volume_message() -> str:
    return _(
        "Insatsen är en volyminsats. Där registreras antal deltagare per månad, inte enskilda "
        "personer."
    )


def _in_file_conflicts(parsed: list[ParsedRow]) -> dict[int, RowError]:
    """A person registered in by an earlier row of the file and not registered out before
    this in-row: row number → error."""
    conflicts: dict[int, RowError] = {}
    active: dict[str, tuple[int, datetime.date | None]] = {}  # identity key → (row, start)
    for row in parsed:
        key, start = row.identity_key, row.values.get("start_date")
        if row.kind == KIND_IN and key:
            earlier = active.get(key)
            if earlier is not None:
                message = _(
                    "Personen registreras redan in på rad %(row)s och är inte utregistrerad "
                    "före denna rad."
                ) % {"row": earlier[0]}
                conflicts[row.number] = RowError(row.number, "personnummer", message)
            if not row.values.get("end_date"):
                active[key] = (row.number, start)
        elif row.kind == KIND_OUT and key and active.get(key, (0, None))[1] == start:
            active.pop(key)
    return conflicts


def _one_row_per_person(parsed: list[ParsedRow]) -> bool:
    keys = [row.identity_key for row in parsed if row.identity_key]
    return len(keys) == len(set(keys))


def _enrolment_input(values: dict) -> EnrolmentInput:
    consent = None
    if values.get("consent_given_on"):
        consent = ConsentInput(
            given_on=values["consent_given_on"],
            method=values["consent_method"],
            form_version=values["consent_form_version"],
        )
    return EnrolmentInput(
        start_date=values.get("start_date"),
        personal_number=values.get("personal_number") or "",
        name=values.get("name") or "",
        anonymous_reason=values.get("anonymous_reason") or "",
        gender=values.get("gender") or "",
        age_at_start=values.get("age_at_start"),
        home_municipality=values.get("home_municipality"),
        **_variable_values(values, variables.IN),
        consent=consent,
    )


def _exit_input(values: dict) -> ExitInput:
    return ExitInput(end_date=values["end_date"], **_variable_values(values, variables.OUT))


def _variable_values(values: dict, phase: str) -> dict:
    """The services' input of the registration variables of `phase` from a parsed row."""
    return {
        v.name: (values.get(v.name) or []) if v.multiple else values.get(v.name)
        for v in variables.of_phase(phase)
    }


class _Run:
    """One import's writing, row errors collected in `result`."""

    def __init__(self, access, initiative, parsed, result, progress):
        self.access, self.initiative, self.parsed = access, initiative, parsed
        self.result, self.progress = result, progress
        self.in_rows = {
            (row.identity_key, row.values.get("start_date")): row.number
            for row in parsed
            if row.kind == KIND_IN and row.identity_key
        }
        self.failed_in_rows: set[int] = set()
        self.done = 0

    def _tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, len(self.parsed))

    def _row_errors(self, row: ParsedRow, file_errors: dict) -> list[RowError]:
        errors = list(row.errors)
        if row.number in file_errors:
            errors.append(file_errors[row.number])
        if errors and row.kind == KIND_IN:
            self.failed_in_rows.add(row.number)
        return errors

    def in_order(self, file_errors: dict) -> None:
        """Every row written in the file's order (a person in several rows)."""
        for row in self.parsed:
            self._tick()
            errors = self._row_errors(row, file_errors)
            if errors:
                self.result.errors.extend(errors)
                continue
            enrolment = self._register(row) if row.kind == KIND_IN else self._to_exit(row)
            if enrolment is not None and (row.kind == KIND_OUT or row.values.get("end_date")):
                self._exit(row, enrolment)

    def together(self, file_errors: dict) -> None:
        """The in-rows registered together, then the exits in the file's order."""
        rows = []
        for row in self.parsed:
            errors = self._row_errors(row, file_errors)
            if errors:
                self.result.errors.extend(errors)
            elif row.kind == KIND_IN:
                rows.append(row)
        written = enrolments_register_many(
            access=self.access,
            initiative=self.initiative,
            items=[_enrolment_input(row.values) for row in rows],
            channel="import",
        )
        registered = {}
        for row, outcome in zip(rows, written, strict=True):
            if isinstance(outcome, ValidationError):
                self.failed_in_rows.add(row.number)
                self.result.errors.extend(_service_errors(row.number, outcome))
            else:
                self.result.enrolled += 1
                registered[row.number] = outcome
        for row in self.parsed:
            self._tick()
            if row.number in registered and row.values.get("end_date"):
                self._exit(row, registered[row.number])
            elif row.kind == KIND_OUT and not row.errors:
                enrolment = self._to_exit(row)
                if enrolment is not None:
                    self._exit(row, enrolment)

    def _register(self, row: ParsedRow):
        try:
            with transaction.atomic():
                enrolment = enrolment_register(
                    access=self.access,
                    initiative=self.initiative,
                    data=_enrolment_input(row.values),
                    channel="import",
                )
        except ValidationError as exc:
            self.failed_in_rows.add(row.number)
            self.result.errors.extend(_service_errors(row.number, exc))
            return None
        self.result.enrolled += 1
        return enrolment

    def _to_exit(self, row: ParsedRow):
        found = _enrolment_to_exit(self.initiative, row, self.in_rows, self.failed_in_rows)
        if isinstance(found, RowError):
            self.result.errors.append(found)
            return None
        return found

    def _exit(self, row: ParsedRow, enrolment) -> None:
        try:
            with transaction.atomic():
                enrolment_exit(
                    access=self.access,
                    enrolment=enrolment,
                    data=_exit_input(row.values),
                    channel="import",
                )
        except ValidationError as exc:
            self.result.errors.extend(_service_errors(row.number, exc))
            return
        self.result.exited += 1


def _participant_ids(initiative, key: str):
    return Participant.objects.filter(
        association_id=initiative.association_id, personal_number_hash=key
    ).values("pk")


def _enrolment_to_exit(initiative, row: ParsedRow, in_rows: dict, failed_in_rows: set):
    """The active enrolment an `ut` row closes: same person, same start date, this initiative."""
    key, start = row.identity_key, row.values["start_date"]
    enrolments = list(
        Enrolment.objects.filter(
            initiative=initiative, participant__in=_participant_ids(initiative, key)
        ).order_by("-start_date")
    )
    match = next((e for e in enrolments if e.start_date == start), None)
    if match is not None and match.end_date is None:
        return match
    if match is not None:
        return RowError(
            row.number,
            "slutdatum",
            _("Deltagandet med detta startdatum är redan utregistrerat."),
        )
    in_row = in_rows.get((key, start))
    if in_row is not None and in_row in failed_in_rows:
        return RowError(
            row.number,
            "startdatum",
            _("Inregistreringen på rad %(row)s har fel. Rätta den raden först.") % {"row": in_row},
        )
    if in_row is not None and in_row > row.number:
        return RowError(
            row.number,
            "startdatum",
            _("Ut-raden måste komma efter in-raden (rad %(row)s).") % {"row": in_row},
        )
    active = next((e for e in enrolments if e.end_date is None), None)
    if active is not None:
        return RowError(
            row.number,
            "startdatum",
            _(
                "Personens pågående deltagande i insatsen har ett annat startdatum "
                "(%(date)s). Ange det startdatumet."
            )
            % {"date": active.start_date.isoformat()},
        )
    return RowError(
        row.number,
        "startdatum",
        _("Det finns inget pågående deltagande i insatsen för personen med detta startdatum."),
    )


def import_file(*, access, initiative, uploaded, progress=None) -> ImportResult:
    """Read and import an uploaded file; file-level problems come back as errors without a row."""
    try:
        table = read_table(uploaded)
    except ImportFileError as exc:
        return ImportResult(errors=[RowError(None, "", m) for m in exc.messages])
    return import_table(access=access, initiative=initiative, table=table, progress=progress)


# --- The template -----------------------------------------------------------------------------

INSTRUCTIONS = (
    "Fyll i en rad per in- eller utregistrering på fliken Deltagare. Rad 1 innehåller "
    "kolumnrubrikerna: ändra inte dem. Kolumner som inte behövs får tas bort, utom typ, "
    "personnummer och startdatum.",
    "Ta bort exempelraden (Exempel Exempelsson) innan du importerar.",
    "typ in registrerar ett nytt deltagande. typ ut avslutar ett pågående deltagande; det hittas "
    "med personnummer och startdatum. En ut-rad kan avsluta ett deltagande som registreras in "
    "längre upp i samma fil. En in-rad med slutdatum och avslutsanledning registrerar deltagaren "
    "in och ut på en gång, t.ex. för avslutade deltaganden från tidigare år.",
    "Personuppgifter (personnummer, namn) får bara registreras när deltagaren har samtyckt: fyll "
    "i samtycke datum, samtycke sätt och samtycke blankettversion. Utan samtycke, eller vid "
    "skyddad identitet, registreras deltagaren anonymt: fyll i kolumnen anonym och kön, och lämna "
    "personnummer, namn och samtycke tomma.",
    "Koder anges med koden eller benämningen från flikarna med kodlistor; stora och små "
    "bokstäver spelar ingen roll. Flera försörjningskällor skiljs åt med komma.",
    "Datum skrivs ÅÅÅÅ-MM-DD, t.ex. 2025-03-01.",
    "Importen är allt eller inget: om någon rad har fel sparas ingenting, och alla fel visas "
    "med radnummer och kolumnnamn. Rätta filen och importera den igen.",
    f"Filen får vara högst {MAX_FILE_SIZE // (1024 * 1024)} MB och ha högst {MAX_ROWS} rader. "
    "Spara som Excel-arbetsbok (.xlsx) eller som CSV (UTF-8, semikolon eller komma som "
    "avgränsare).",
)


def _code_lists() -> dict[str, list[tuple[str, str]]]:
    """(code, label) per code list sheet, active codes only, in the lists' own order."""
    lists: dict[str, list[tuple[str, str]]] = {key: [] for key in CODE_LIST_SHEETS}
    wanted = [key for key in CODE_LIST_SHEETS if key != MUNICIPALITIES]
    for code in Code.objects.filter(code_list__in=wanted, active=True).order_by(
        "code_list", "sort_order", "code"
    ):
        lists[code.code_list].append((code.code, code.label_sv))
    lists[MUNICIPALITIES] = list(Municipality.objects.order_by("name").values_list("code", "name"))
    return lists


def example_row(lists: dict[str, list[tuple[str, str]]]) -> dict[str, object]:
    municipalities = lists[MUNICIPALITIES]
    home = next((name for _code, name in municipalities if name == "Skövde"), "")
    return {
        "kind": "in",
        "personal_number": EXAMPLE_PERSONAL_NUMBER,
        "name": EXAMPLE_NAME,
        "start_date": datetime.date(2025, 1, 13),
        "consent_given_on": datetime.date(2025, 1, 13),
        "consent_method": "papper",
        "consent_form_version": "FK 9443 (2024)",
        "home_municipality": home or (municipalities[0][1] if municipalities else ""),
        # The first code of each list registered at enrolment.
        **{
            v.name: ", ".join(name for _code, name in lists[v.code_list][:1])
            for v in variables.of_phase(variables.IN)
            if v.is_code
        },
    }


def template_csv() -> bytes:
    """The template as CSV: UTF-8 with BOM and `;`, as Swedish Excel writes it."""
    example = example_row(_code_lists())
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerow([_text(example.get(c.key)) for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """The template as an Excel workbook: data sheet, instructions, one sheet per code list."""
    from openpyxl.utils import get_column_letter, quote_sheetname

    from finsam.documents import xlsx

    lists = _code_lists()
    example = example_row(lists)
    wrap = xlsx.alignment(wrap_text=True, vertical="top")
    last_row = MAX_ROWS + 1

    workbook = xlsx.workbook(creator=None)
    sheet = workbook.active
    sheet.title = DATA_SHEET
    xlsx.append_header(sheet, HEADERS, colour=xlsx.TEMPLATE_HEADER_FILL)
    for index, column in enumerate(COLUMNS, start=1):
        value = example.get(column.key)
        example_cell = sheet.cell(row=2, column=index, value=value if value != "" else None)
        letter = get_column_letter(index)
        if column.kind == "date":
            example_cell.number_format = xlsx.DATE_FORMAT
        elif column.key == "personal_number":
            example_cell.number_format = xlsx.TEXT_FORMAT
        xlsx.column_widths(sheet, {index: max(14, len(column.header) + 4)})

        if column.choices:
            formula = '"' + ",".join(column.choices) + '"'
        elif column.code_list and lists[column.code_list]:
            name = quote_sheetname(CODE_LIST_SHEETS[column.code_list])
            formula = f"{name}!$B$2:$B${len(lists[column.code_list]) + 1}"
        else:
            continue
        xlsx.list_validation(
            sheet,
            f"{letter}2:{letter}{last_row}",
            formula,
            allow_blank=True,
            showErrorMessage=not column.multiple,
            errorStyle="warning",
            errorTitle="Okänt värde",
            error="Värdet finns inte i listan. Importen godtar också koden från kodlisteflikarna.",
        )
    sheet.freeze_panes = "A2"

    instructions = workbook.create_sheet(INSTRUCTIONS_SHEET)
    xlsx.append_title(instructions, "Importmall för in- och utregistrering av deltagare i finsam")
    instructions.append([])
    for paragraph in INSTRUCTIONS:
        instructions.append([paragraph])
        current = instructions.max_row
        instructions.merge_cells(start_row=current, start_column=1, end_row=current, end_column=4)
        xlsx.style_cell(instructions, alignment=wrap)
        instructions.row_dimensions[current].height = 45
    instructions.append([])
    xlsx.append_header(
        instructions,
        ["Kolumn", "Obligatorisk", "Beskrivning", "Tillåtna värden"],
        colour=xlsx.TEMPLATE_HEADER_FILL,
    )
    for column in COLUMNS:
        if column.choices:
            allowed = ", ".join(column.choices)
        elif column.code_list:
            allowed = f"Se fliken {CODE_LIST_SHEETS[column.code_list]}"
        elif column.kind == "date":
            allowed = "ÅÅÅÅ-MM-DD"
        elif column.kind == "int":
            allowed = "Heltal"
        else:
            allowed = "Text"
        instructions.append([column.header, str(column.required), str(column.description), allowed])
        xlsx.style_row(instructions, alignment=wrap)
    xlsx.column_widths(instructions, {1: 28, 2: 20, 3: 80, 4: 30})

    for key, title in CODE_LIST_SHEETS.items():
        code_sheet = workbook.create_sheet(title)
        rows = [[code, label] for code, label in lists[key]]
        if not lists[key]:
            rows.append(["", "Inga värden är inlagda ännu."])
        xlsx.table_sheet(
            code_sheet,
            ["Kod", "Benämning"],
            rows,
            widths={1: 30, 2: 60},
            colour=xlsx.TEMPLATE_HEADER_FILL,
            freeze="A2",
        )
    return xlsx.save(workbook)
