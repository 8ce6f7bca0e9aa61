"""Versions of the data the statistics are computed from, so that computed tables can be kept in
a cache without ever showing stale figures (issue 9).

A version is a random token per association (its enrolments, initiatives and head counts) and
one for the reference data (code lists, municipalities, regions, the associations'
municipalities). `changed()` gives the touched parts new tokens; a cache key built from
`current()` of the parts a scope reads is therefore never reused after a write. Tokens rather
than counters: two writers never end on the same version, and a token lost from the cache
(culled) just becomes a new one.

Inside a transaction the tokens change when it commits (once, however many rows it wrote): until
then no other process sees the new rows, and the transaction itself reads its statistics without
the cache (`pending()`). The models the engine reads call `changed()` through signals
(`finsam.statistics.apps`); writes that bypass signals (bulk inserts and updates) call it
themselves.

The versions live in the "statistics_versions" cache (settings.CACHES), shared by the server's
processes.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.core.cache import caches
from django.db import transaction

CACHE = "statistics_versions"
REFERENCE = "reference"


def _key(part: str) -> str:
    return f"statistics-version:{part}"


def _bump(parts: tuple[str, ...]) -> None:
    caches[CACHE].set_many({_key(part): secrets.token_hex(8) for part in parts}, timeout=None)


def _bumps_on_commit(using=None) -> list:
    """This transaction's bumps that have not run yet."""
    return [
        func
        for _sids, func, _robust in transaction.get_connection(using).run_on_commit
        if getattr(func, "statistics_parts", None) is not None and not func.done
    ]


def changed(association_ids: Iterable[int] = (), *, reference: bool = False, using=None) -> None:
    """The statistics data of `association_ids` (and with `reference`, of everything) changed."""
    parts = tuple(sorted({str(pk) for pk in association_ids if pk is not None}))
    if reference:
        parts += (REFERENCE,)
    if not transaction.get_connection(using).in_atomic_block:
        _bump(parts)
        return
    if any(func.statistics_parts == parts for func in _bumps_on_commit(using)):
        return

    def bump_on_commit():
        _bump(parts)
        bump_on_commit.done = True

    bump_on_commit.statistics_parts = parts
    bump_on_commit.done = False
    transaction.on_commit(bump_on_commit, using=using)


def pending(using=None) -> bool:
    """Whether this transaction changed statistics data that other processes do not see yet:
    its pages must be computed without the cache."""
    return bool(_bumps_on_commit(using))


def current(association_ids: Iterable[int]) -> str:
    """The version of the data of `association_ids` and of the reference data."""
    parts = [REFERENCE, *sorted(map(str, association_ids))]
    cache = caches[CACHE]
    keys = [_key(part) for part in parts]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:  # never bumped, or culled: any new token will do
            cache.add(key, secrets.token_hex(8), timeout=None)
            found[key] = cache.get(key)
    return "-".join(str(found[key]) for key in keys)
