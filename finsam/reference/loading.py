"""Loading the national reference data shipped in `finsam/reference/data/` (see its README).

`sync_reference_data()` is an idempotent upsert: regions and municipalities are matched on their
official code. The national code lists (`data/code_lists/*.json`) are loaded with
`load_code_list`, which adds a version only when a list changed. Nothing is ever deleted, because
enrolments and initiatives point at these rows; a code that is no longer in its file is set
inactive.

Code lists (`load_code_list`, `manage.py load_code_list`; the file format is in
`data/README.md`). The rule that keeps codes meaning one thing for good:

- a code once published is never deleted; a code missing from a later file is deactivated;
- a code keeps its meaning: its report category may never change, and its Swedish label may change
  only when the file lists the code in `wording_changes` (the same meaning, new wording). Anything
  else needs a new code value; the file is refused with a Swedish message saying so;
- other languages' labels are translations and may change freely;
- every load that changes something is a new version (number + 1, `valid_from`); the previous
  version ends the day before. Enrolments keep the number of the version they were registered with.
- an association's file (`association=`) is that association's own wording of a national list: it
  may only word national codes (no codes of its own, no categories) and shows only for it.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from finsam.core import data_version

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class SyncResult:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deactivated: int = 0

    def __str__(self):
        parts = [
            f"{name}: {self.created.get(name, 0)} created, {self.updated.get(name, 0)} updated"
            for name in ("regions", "municipalities", "codes")
        ]
        return "; ".join(parts) + f"; codes deactivated: {self.deactivated}"


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as f:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]


def _upsert(model, rows: list[dict], key: tuple[str, ...], fields: list[str]) -> tuple[int, int]:
    """Create missing rows and update changed ones; returns (created, updated)."""
    existing = {tuple(getattr(obj, k) for k in key): obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for row in rows:
        obj = existing.get(tuple(row[k] for k in key))
        if obj is None:
            to_create.append(model(**{k: row[k] for k in key}, **{f: row[f] for f in fields}))
        elif any(getattr(obj, f) != row[f] for f in fields):
            for f in fields:
                setattr(obj, f, row[f])
            to_update.append(obj)
    model.objects.bulk_create(to_create)
    if to_update:
        model.objects.bulk_update(to_update, fields)
    if to_create or to_update:
        data_version.changed(reference=True)  # bulk writes send no signals
    return len(to_create), len(to_update)


@transaction.atomic
def sync_reference_data() -> SyncResult:
    """Upsert regions, municipalities and codes from the CSV files."""
    from finsam.reference.models import Municipality, Region

    result = SyncResult()

    regions = read_csv("regions.csv")
    result.created["regions"], result.updated["regions"] = _upsert(
        Region, regions, ("code",), ["name"]
    )

    region_ids = dict(Region.objects.values_list("code", "pk"))
    municipalities = [
        {"code": r["code"], "name": r["name"], "region_id": region_ids[r["region_code"]]}
        for r in read_csv("municipalities.csv")
    ]
    result.created["municipalities"], result.updated["municipalities"] = _upsert(
        Municipality, municipalities, ("code",), ["name", "region_id"]
    )

    for path in sorted((DATA_DIR / "code_lists").glob("*.json")):
        loaded = load_code_list(read_code_list(path))
        result.created["codes"] = result.created.get("codes", 0) + loaded.created
        result.updated["codes"] = result.updated.get("codes", 0) + loaded.updated
        result.deactivated += loaded.deactivated
    return result


class CodeListError(ValueError):
    """A code-list file that cannot be loaded; the message is Swedish, for the operator."""


@dataclass
class CodeListResult:
    key: str
    version: int | None  # the new version's number; None when nothing changed
    created: int = 0
    updated: int = 0
    deactivated: int = 0

    def __str__(self):
        if self.version is None:
            return f"{self.key}: unchanged"
        return (
            f"{self.key}: version {self.version}; {self.created} created, {self.updated} updated, "
            f"{self.deactivated} deactivated"
        )


def read_code_list(path: Path | str) -> dict:
    """The parsed JSON of a code-list file (UTF-8)."""
    try:
        with Path(path).open(encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CodeListError(
            _("Filen kan inte läsas som en kodlista: %(error)s") % {"error": error}
        ) from error
    if not isinstance(data, dict):
        raise CodeListError(_("Filen kan inte läsas som en kodlista: %(error)s") % {"error": "{}"})
    return data


def _date(value, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CodeListError(
            _("”%(name)s” ska vara ett datum (ÅÅÅÅ-MM-DD), inte ”%(value)s”.")
            % {"name": name, "value": value}
        ) from None


def _parse_codes(data: dict) -> list[dict]:
    rows = data.get("codes")
    if not isinstance(rows, list) or not rows:
        raise CodeListError(_("Filen saknar koder (”codes”)."))
    seen, parsed = set(), []
    for n, row in enumerate(rows, start=1):
        value = str(row.get("code", "")).strip() if isinstance(row, dict) else ""
        if not value or not value.isascii() or value != value.lower() or " " in value:
            raise CodeListError(
                _("Kod nummer %(n)s har inget giltigt kodvärde (gemener a–z, 0–9 och -).")
                % {"n": n}
            )
        if value in seen:
            raise CodeListError(_("Koden ”%(code)s” finns två gånger.") % {"code": value})
        seen.add(value)
        labels = row.get("labels") or {}
        if not isinstance(labels, dict) or not str(labels.get("sv", "")).strip():
            raise CodeListError(
                _("Koden ”%(code)s” saknar svensk benämning (”sv”).") % {"code": value}
            )
        parsed.append(
            {
                "code": value,
                "labels": {str(k): str(v).strip() for k, v in labels.items() if str(v).strip()},
                "category": str(row.get("category", "")).strip(),
                "order": int(row.get("order") or 10 * n),
                "has_category": "category" in row,
            }
        )
    return parsed


def _refuse_new_meaning(code: str, list_name: str, old: str, new: str, wording: set[str]):
    if old and old != new and code not in wording:
        raise CodeListError(
            _(
                "Koden ”%(code)s” i kodlistan ”%(list)s” betyder redan ”%(old)s” och kan inte få "
                "benämningen ”%(new)s”. En kod får aldrig återanvändas med en annan betydelse: ge "
                "den nya betydelsen ett nytt kodvärde. Ändras bara formuleringen, ange koden i "
                "”wording_changes”."
            )
            % {"code": code, "list": list_name, "old": old, "new": new}
        )


def _check_meaning(row, code, association, before, list_name: str, wording: set) -> None:
    """Refuse a file row that would give the code `code` (None: new) another meaning: another
    report category, or another Swedish wording not listed in `wording_changes`; an association
    may only reword national codes."""
    if association is not None:
        if code is None:
            raise CodeListError(
                _(
                    "Koden ”%(code)s” finns inte i den nationella kodlistan ”%(list)s”. Ett "
                    "förbund kan bara formulera om de nationella koderna."
                )
                % {"code": row["code"], "list": list_name}
            )
        old = before.get(row["code"], {}).get("sv", "")
    elif code is not None:
        if row["category"] != code.category:
            raise CodeListError(
                _(
                    "Koden ”%(code)s” i kodlistan ”%(list)s” räknas redan som ”%(old)s” i "
                    "rapporterna, inte ”%(new)s”. En kod får aldrig återanvändas med en annan "
                    "betydelse: ge den nya betydelsen ett nytt kodvärde."
                )
                % {
                    "code": row["code"],
                    "list": list_name,
                    "old": code.category or "–",
                    "new": row["category"] or "–",
                }
            )
        old = before.get(row["code"], {}).get("sv") or code.labels.get("sv", "")
    else:
        old = ""
    if association is not None and row["has_category"] and row["category"] != code.category:
        raise CodeListError(
            _("Ett förbund kan inte ändra kodens ”%(code)s” rapportkategori.")
            % {"code": row["code"]}
        )
    _refuse_new_meaning(row["code"], list_name, old, row["labels"]["sv"], wording)


@transaction.atomic
def load_code_list(
    data: dict, *, association=None, by=None, today: date | None = None
) -> CodeListResult:
    """Load one code list (the parsed file) as a new version of the national list, or of
    `association`'s own wording of it; the version records the user who loads it (`by`; none
    for the lists shipped with finsam). Refuses (CodeListError) anything that would give a code
    another meaning; adds no version when nothing changed."""
    from finsam.reference import codes as lookups
    from finsam.reference.models import (
        Code,
        CodeList,
        CodeListKey,
        CodeListVersion,
        CodeTranslation,
        SourceStatus,
    )

    key = str(data.get("key", ""))
    if key not in CodeListKey.values:
        raise CodeListError(_("Okänd kodlista ”%(key)s”.") % {"key": key})
    status = data.get("status", SourceStatus.PLACEHOLDER)
    if status not in SourceStatus.values:
        raise CodeListError(
            _("”status” ska vara ”confirmed” eller ”placeholder”, inte ”%(value)s”.")
            % {"value": status}
        )
    source = data.get("source") or {}
    rows = _parse_codes(data)
    wording = {str(c) for c in data.get("wording_changes") or []}
    valid_from = _date(data.get("valid_from"), "valid_from")
    valid_to = _date(data.get("valid_to"), "valid_to")
    names = data.get("names") or {}

    code_list, _created = CodeList.objects.get_or_create(key=key, owner=association)
    code_list.names = names or code_list.names or {"sv": str(CodeListKey(key).label)}
    code_list.source_document = str(source.get("document", ""))[:300]
    code_list.source_date = _date(source.get("date"), "source.date")
    code_list.status = status
    code_list.notes = str(data.get("notes", ""))
    code_list.save()
    list_name = str(code_list)

    existing = {c.code: c for c in Code.objects.filter(code_list=key)}
    previous = code_list.versions.order_by("-number").first()
    before: dict[str, dict[str, str]] = {}
    if previous is not None:
        for value, language, text in CodeTranslation.objects.filter(version=previous).values_list(
            "code__code", "language", "label"
        ):
            before.setdefault(value, {})[language] = text

    for row in rows:
        _check_meaning(row, existing.get(row["code"]), association, before, list_name, wording)

    after = {row["code"]: row["labels"] for row in rows}
    # A new version when the wording or the set of codes changed; otherwise the rows are only
    # brought back in line with the file (order, a label edited by hand).
    if previous is not None and after == before:
        result = CodeListResult(key, None)
        if association is None:
            _sync_codes(result, key, rows, existing, previous.number)
        return result
    valid_from = valid_from or today or date.today()
    if previous is not None:
        if valid_from < previous.valid_from:
            raise CodeListError(
                _("”valid_from” (%(new)s) får inte vara före den förra versionens (%(old)s).")
                % {"new": valid_from, "old": previous.valid_from}
            )
        if previous.valid_to is None or previous.valid_to >= valid_from:
            # Two versions on one day: the newer one applies (see codes.version_on).
            previous.valid_to = max(previous.valid_from, valid_from - timedelta(days=1))
            previous.save(update_fields=["valid_to"])
    version = CodeListVersion.objects.create(
        code_list=code_list,
        number=(previous.number + 1) if previous else 1,
        valid_from=valid_from,
        valid_to=valid_to,
        source_document=code_list.source_document,
        source_date=code_list.source_date,
        notes=code_list.notes,
        loaded_by=by,
    )
    result = CodeListResult(key, version.number)

    if association is None:
        _sync_codes(result, key, rows, existing, version.number)
    CodeTranslation.objects.bulk_create(
        CodeTranslation(code=existing[row["code"]], version=version, language=lang, label=text)
        for row in rows
        for lang, text in row["labels"].items()
    )
    transaction.on_commit(lookups.invalidate)
    lookups.invalidate()
    data_version.changed(reference=True)  # bulk writes send no signals
    return result


def reword_code(
    code, labels: dict[str, str], *, by=None, today: date | None = None
) -> CodeListResult:
    """A new version of `code`'s national list in which only `code`'s wording changed (the
    operator `by`'s edit in the admin: the same meaning, in other words)."""
    from finsam.reference.models import Code, CodeList

    code_list = CodeList.objects.get(key=code.code_list, owner=None)
    rows = []
    for other in Code.objects.filter(code_list=code.code_list, active=True):
        rows.append(
            {
                "code": other.code,
                "category": other.category,
                "order": other.sort_order,
                "labels": labels if other.pk == code.pk else other.labels,
            }
        )
    return load_code_list(
        {
            "key": code_list.key,
            "names": code_list.names,
            "status": code_list.status,
            "source": {
                "document": code_list.source_document,
                "date": code_list.source_date.isoformat() if code_list.source_date else None,
            },
            "notes": code_list.notes,
            "valid_from": (today or date.today()).isoformat(),
            "wording_changes": [code.code],
            "codes": rows,
        },
        by=by,
    )


def _sync_codes(result, key: str, rows: list[dict], existing: dict, number: int) -> None:
    """Bring the national `Code` rows in line with the file: new codes created, wording, order
    and version updated, codes missing from the file deactivated (never deleted)."""
    from finsam.reference.models import Code

    to_create, to_update = [], []
    for row in rows:
        code = existing.get(row["code"])
        if code is None:
            code = Code(code_list=key, code=row["code"], category=row["category"])
            to_create.append(code)
        elif (code.labels, code.sort_order, code.active, code.version) != (
            row["labels"],
            row["order"],
            True,
            number,
        ):
            to_update.append(code)
        code.labels, code.sort_order, code.active, code.version = (
            row["labels"],
            row["order"],
            True,
            number,
        )
    in_file = {row["code"] for row in rows}
    stale = [c for value, c in existing.items() if value not in in_file and c.active]
    for code in stale:
        code.active = False
    Code.objects.bulk_create(to_create)
    if to_update or stale:
        Code.objects.bulk_update(
            [*to_update, *stale], ["labels", "sort_order", "active", "version"]
        )
    existing.update({c.code: c for c in to_create})
    result.created, result.updated, result.deactivated = len(to_create), len(to_update), len(stale)
