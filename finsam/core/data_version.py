"""Versions of the data the statistics are computed from, so that computed tables can be kept in
a cache without ever showing stale figures (issue 9).

A version is a random token per association (its enrolments, initiatives and head counts), one
for "any association" (the national scope) and one for the reference data (code lists,
municipalities, regions, the associations' municipalities). `changed()` gives the touched parts
new tokens; a cache key built from `current()` of the parts a scope reads is therefore never
reused after a write. Tokens rather than counters: two writers never end on the same version,
and a token lost from the cache (culled) just becomes a new one.

`changed()` bumps at once (later reads in the same transaction see new figures) and again when
the transaction commits (a reader that computed from the data before the commit, under the
first token, is not read after the commit). The models the engine reads call it through signals
(`finsam.statistics.apps`); writes that bypass signals (bulk inserts and updates) call it
themselves.

The versions live in the "statistics" cache (settings.CACHES), shared by the server's processes.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.core.cache import caches
from django.db import transaction

CACHE = "statistics"
ANY = "any"
REFERENCE = "reference"


def _cache():
    return caches[CACHE]


def _key(part: str) -> str:
    return f"statistics-version:{part}"


def _bump(parts: tuple[str, ...]) -> None:
    _cache().set_many({_key(part): secrets.token_hex(8) for part in parts}, timeout=None)


def _pending(parts: tuple[str, ...], using: str | None) -> bool:
    """Whether this transaction already bumps `parts` when it commits."""
    connection = transaction.get_connection(using)
    return any(
        getattr(func, "statistics_parts", None) == parts
        for _sids, func, _robust in connection.run_on_commit
    )


def changed(association_ids: Iterable[int] = (), *, reference: bool = False, using=None) -> None:
    """The statistics data of `association_ids` (and with `reference`, of everything) changed."""
    parts = tuple(sorted({str(pk) for pk in association_ids if pk is not None}))
    parts = (*parts, ANY, REFERENCE) if reference else (*parts, ANY)
    _bump(parts)
    if transaction.get_connection(using).in_atomic_block and not _pending(parts, using):

        def bump_on_commit():
            _bump(parts)

        bump_on_commit.statistics_parts = parts
        transaction.on_commit(bump_on_commit, using=using)


def current(association_ids: Iterable[int] | None) -> str:
    """The version of the data of `association_ids` (None: every association)."""
    parts = [REFERENCE, *([ANY] if association_ids is None else sorted(map(str, association_ids)))]
    cache = _cache()
    keys = [_key(part) for part in parts]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:  # never bumped, or culled: any new token will do
            cache.add(key, secrets.token_hex(8), timeout=None)
            found[key] = cache.get(key)
    return "-".join(str(found[key]) for key in keys)
