"""Reading code lists: the one place forms, import, API and statistics get codes and labels from.

    codes.label("education", "gymnasial")                      # active language, Swedish fallback
    codes.label("education", "gymnasial", version=1)           # the wording of national version 1
    codes.label("education", "gymnasial", association=a)       # a's own wording if it has one
    codes.choices("education", association=a, on=date)        # [(code, label)] of active codes
    codes.list_name("education")                               # "Utbildningsnivå"
    codes.current_version("education")                         # 3

The lists and the municipalities are read once per process (five queries) and kept until a list
is loaded or edited (`invalidate`, called by the loader and on every save or delete of the
code-list models or a municipality) or, for the other processes of a deployment, until
`settings.CODE_LISTS_CACHE_SECONDS` (60) have passed: a code made inactive may be accepted by
another server process for up to that long, as if it had been sent that much earlier.

Showing a `Code` row needs none of this: `str(code)` uses the row's `labels` (the current national
wording in every language it has), so existing pages keep their number of queries.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from finsam.reference.models import (
    Code,
    CodeList,
    CodeListKey,
    CodeListVersion,
    CodeTranslation,
    Municipality,
    language_direction,
    pick,
)

__all__ = [
    "active_codes",
    "choices",
    "current_version",
    "direction",
    "invalidate",
    "label",
    "list_name",
    "municipalities",
    "version_on",
]


@dataclass
class _Version:
    pk: int
    number: int
    valid_from: date
    valid_to: date | None
    # code value -> {language: label}
    labels: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class _List:
    key: str
    owner_id: int | None
    names: dict[str, str]
    versions: list[_Version] = field(default_factory=list)  # by number


@dataclass
class _Book:
    national: dict[str, _List]
    own: dict[tuple[str, int], _List]  # (key, association id) -> the association's own list
    codes: dict[str, list[Code]]  # key -> codes in pick-list order (active and inactive)
    active: dict[tuple[str, str], Code]  # (key, code) -> the active codes
    municipalities: dict[str, Municipality]  # four-digit code -> municipality
    loaded: float


_lock = threading.Lock()
_book: _Book | None = None


def invalidate() -> None:
    """Forget the lists read so far (the next lookup reads them again)."""
    global _book
    _book = None


def _load() -> _Book:
    lists = {row.pk: _List(row.key, row.owner_id, row.names) for row in CodeList.objects.all()}
    versions: dict[int, _Version] = {}
    for v in CodeListVersion.objects.order_by("number"):
        versions[v.pk] = _Version(v.pk, v.number, v.valid_from, v.valid_to)
        lists[v.code_list_id].versions.append(versions[v.pk])
    codes: dict[str, list[Code]] = {}
    by_pk: dict[int, Code] = {}
    for code in Code.objects.order_by("code_list", "sort_order", "code"):
        codes.setdefault(code.code_list, []).append(code)
        by_pk[code.pk] = code
    for code_id, version_id, language, text in CodeTranslation.objects.values_list(
        "code_id", "version_id", "language", "label"
    ):
        versions[version_id].labels.setdefault(by_pk[code_id].code, {})[language] = text
    return _Book(
        national={lst.key: lst for lst in lists.values() if lst.owner_id is None},
        own={(lst.key, lst.owner_id): lst for lst in lists.values() if lst.owner_id is not None},
        codes=codes,
        active={(c.code_list, c.code): c for c in by_pk.values() if c.active},
        municipalities={m.code: m for m in Municipality.objects.all()},
        loaded=time.monotonic(),
    )


def _get() -> _Book:
    global _book
    book = _book
    max_age = settings.CODE_LISTS_CACHE_SECONDS
    if book is None or time.monotonic() - book.loaded > max_age:
        with _lock:
            book = _book = _load()
    return book


def _association_id(association) -> int | None:
    return getattr(association, "pk", association)


def _wording(lst: _List | None, value: str, number: int | None) -> dict[str, str] | None:
    """The labels of `value` in version `number` of `lst` (default: the newest); a code the
    version does not have takes its wording from the newest earlier version that has it."""
    if lst is None:
        return None
    for version in reversed(lst.versions):
        if number is not None and version.number > number:
            continue
        if value in version.labels:
            return version.labels[value]
    return None


def label(
    list_key: str,
    value: str,
    *,
    version: int | None = None,
    language: str | None = None,
    association=None,
) -> str:
    """The label of code `value` of list `list_key`.

    `version` is a national version number (as kept on an enrolment); `association` (an
    Association or its id) shows that association's own wording where it has one. The label is
    in `language` (default: the active language), else Swedish; an unknown code shows as itself.
    """
    book = _get()
    own = book.own.get((list_key, _association_id(association))) if association else None
    for labels in (
        _wording(own, value, None),
        _wording(book.national.get(list_key), value, version),
    ):
        if labels and (text := pick(labels, language)):
            return text
    code = next((c for c in book.codes.get(list_key, ()) if c.code == value), None)
    return (pick(code.labels, language) if code else "") or value


def version_on(list_key: str, on: date) -> int | None:
    """The number of the national version valid on `on` (None before the first)."""
    lst = _get().national.get(list_key)
    for version in reversed(lst.versions if lst else []):
        if version.valid_from <= on and (version.valid_to is None or on <= version.valid_to):
            return version.number
    return None


def choices(
    list_key: str, *, association=None, on: date | None = None, language: str | None = None
) -> list[tuple[str, str]]:
    """The codes to pick from, as (code, label) in pick-list order.

    Without `on`: the active codes. With `on`: the codes of the national version valid on that
    day. Labels as `label` gives them (the association's own wording first).
    """
    book = _get()
    codes = book.codes.get(list_key, [])
    number = None
    if on is None:
        values = [c.code for c in codes if c.active]
    else:
        number = version_on(list_key, on)
        lst = book.national.get(list_key)
        held = next((v.labels for v in (lst.versions if lst else []) if v.number == number), {})
        values = [c.code for c in codes if c.code in held]
    return [
        (value, label(list_key, value, version=number, language=language, association=association))
        for value in values
    ]


def list_name(list_key: str, *, language: str | None = None) -> str:
    """The name of a national list in the active language (Swedish fallback)."""
    lst = _get().national.get(list_key)
    name = pick(lst.names, language) if lst else ""
    if name:
        return name
    try:
        return str(CodeListKey(list_key).label)
    except ValueError:
        return list_key


def current_version(list_key: str) -> int | None:
    """The number of the newest national version of a list."""
    lst = _get().national.get(list_key)
    return lst.versions[-1].number if lst and lst.versions else None


def direction(language: str) -> str:
    """Text direction of a language code: "rtl" (ar, fa-AF, prs, …) or "ltr"."""
    return language_direction(language)


def active_codes() -> dict[tuple[str, str], Code]:
    """Every active code by (code list, code): what the API's input fields parse against. The
    objects are shared by the process: read them, never change them."""
    return _get().active


def municipalities() -> dict[str, Municipality]:
    """Every municipality by its four-digit code (shared objects, read only)."""
    return _get().municipalities


def _forget_on_change(sender, **kwargs):
    invalidate()


for _model in (CodeList, CodeListVersion, Code, CodeTranslation, Municipality):
    post_save.connect(_forget_on_change, sender=_model, dispatch_uid=f"codes-{_model.__name__}")
    post_delete.connect(_forget_on_change, sender=_model, dispatch_uid=f"codes-{_model.__name__}")
