"""The statistics tables as the pages read them: computed by the engine once per version of the
data they count (`finsam.core.data_version`) and kept in the "statistics" cache (issue 9).

The key holds everything a table depends on: the data version of the scope's associations (all
of them for the national scope) and of the reference data, the scope and the filter, the
language of the labels and the small-cell limit. A write the engine reads gives its association
a new version, so the next page computes again: never stale, only reused while nothing changed.
A transaction that changed such data (not yet committed) computes without the cache.
"""

from __future__ import annotations

import hashlib

from django.core.cache import caches
from django.utils.translation import get_language

from finsam.core import data_version
from finsam.statistics import engine

CACHE = "statistics"
ALL = "all"
# Keys change with the data, so an entry is never wrong, only unused: expire the unused ones.
TIMEOUT_SECONDS = 24 * 60 * 60


def _cache():
    return caches[CACHE]


def _version(scope: engine.Scope) -> str | None:
    """The data version the scope's tables are kept under; None: not to be kept."""
    from finsam.associations.models import Association

    if data_version.pending():
        return None
    ids = scope.association_ids
    if ids is None:
        ids = Association.objects.values_list("pk", flat=True)
    return data_version.current(ids)


def _key(scope: engine.Scope, flt: engine.StatsFilter, name: str, version: str) -> str:
    def ids(values):
        return None if values is None else sorted(values)

    payload = repr(
        (
            version,
            scope.kind,
            ids(scope.initiative_ids),
            ids(scope.association_ids),
            scope.suppress,
            flt,
            get_language(),
            engine.small_cell_limit(),
            name,
        )
    )
    return "statistics-tables:" + hashlib.sha256(payload.encode()).hexdigest()


def all_tables(scope: engine.Scope, flt: engine.StatsFilter) -> list[engine.Table]:
    """`engine.all_tables`: the headline, then every dimension."""
    version = _version(scope)
    if version is None:
        return engine.all_tables(scope, flt)
    key = _key(scope, flt, ALL, version)
    tables = _cache().get(key)
    if tables is None:
        tables = engine.all_tables(scope, flt)
        _cache().set(key, tables, TIMEOUT_SECONDS)
    return tables


def stats_table(scope: engine.Scope, flt: engine.StatsFilter, dimension: str) -> engine.Table:
    """`engine.stats_table` (the headline too): taken from the page's tables when they are
    kept, else computed alone."""
    version = _version(scope)
    if version is None:
        return _compute(scope, flt, dimension)
    tables = _cache().get(_key(scope, flt, ALL, version))
    if tables is not None:
        return next(t for t in tables if t.dimension == dimension)
    key = _key(scope, flt, dimension, version)
    table = _cache().get(key)
    if table is None:
        table = _compute(scope, flt, dimension)
        _cache().set(key, table, TIMEOUT_SECONDS)
    return table


def _compute(scope: engine.Scope, flt: engine.StatsFilter, dimension: str) -> engine.Table:
    if dimension == "headline":
        return engine.headline(scope, flt)
    return engine.stats_table(scope, flt, dimension)
