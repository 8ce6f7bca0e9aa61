"""Swedish full-text search of the catalogue: one function, `search`, with two backends.

Both backends stem with the Swedish Snowball algorithm and match every query word as a prefix of
a stem, so that inflections meet ("ungdomar" and "ungdom" share the stem "ungdom"; "sjukskriven"
stems to "sjukskriv", a prefix of "sjukskrivna"'s stem "sjukskrivn") and a half-typed word
already finds something (search as you type). Swedish stop words are left out of the query.

- PostgreSQL: the `swedish` text search configuration over a stored generated `tsvector`
  column (`search_vector`: the title words weighted A, the rest B) with a GIN index, both made by
  migration 0002 on PostgreSQL only; the query is `to_tsquery('swedish', 'word:* & …')`, ranked
  by `ts_rank`.
- SQLite (the embedded default): an FTS5 table `catalogue_search` (made by migration 0002 on
  SQLite only). FTS5 has no Swedish stemmer, so the rows hold the text already stemmed here in
  Python (`snowballstemmer`) and the query is stemmed the same way; ranked by `bm25`. The table
  is kept in sync by `index_entry` (called on every write of an entry and of its initiative).

The entry's own columns `search_title` and `search_body` hold the plain text both backends
index (`document`).
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager

import snowballstemmer
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import BooleanField, FloatField
from django.db.models.expressions import RawSQL

from finsam.catalogue.models import CatalogueEntry

FTS_TABLE = "catalogue_search"
ENTRY_TABLE = CatalogueEntry._meta.db_table
# A query longer than this many words is cut: searching stays cheap whatever is typed.
MAX_QUERY_WORDS = 8
WORD = re.compile(r"[^\W_]+", re.UNICODE)
# PostgreSQL's Swedish stop word list (tsearch_data/swedish.stop), the same on both backends.
_STOP_WORDS = (
    "och det att i en jag hon som han på den med var sig för så till är men ett om hade de av "
    "icke mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde "
    "något från ut när efter upp vi dem vara vad över än dig kan sina här ha mot alla under "
    "någon eller allt mycket sedan ju denna själv detta åt utan varit hur ingen mitt ni bli "
    "blev oss din dessa några deras blir mina samma vilken er sådan vår blivit dess inom "
    "mellan sådant varför varje vilka ditt vem vilket sitta sådana vart dina vars vårt våra "
    "ert era vilkas"
)
STOP_WORDS = frozenset(_STOP_WORDS.split())
_stemmer = snowballstemmer.stemmer("swedish")


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text or "")]


def stem(text: str) -> str:
    """The Swedish stems of `text`'s words, space separated (what the FTS5 table holds)."""
    return " ".join(_stemmer.stemWords(words(text)))


def query_words(query: str) -> list[str]:
    """The words of a query that are searched for: no stop words, at most MAX_QUERY_WORDS."""
    return [w for w in words(query) if w not in STOP_WORDS][:MAX_QUERY_WORDS]


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


# What the filters offer is cached per association; any write to the catalogue changes this key.
VERSION_KEY = "catalogue:version"


def version() -> int:
    return cache.get_or_set(VERSION_KEY, 0)


def changed() -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


@contextmanager
def using_the_index():
    """Run a search's queries (count and page) so that PostgreSQL uses the GIN index.

    The planner prices `tsvector @@ tsquery` on a sequential scan as cheap as an integer
    comparison; with a prefix query on a few thousand entries that makes a sequential scan look
    no dearer than the index, and it is ten times slower (17 ms against 1 ms for 3 000 entries,
    bench/catalogue.py). So the block runs in its own transaction with sequential scans
    discouraged (`SET LOCAL`: only until that transaction ends). SQLite: nothing to do."""
    if not is_postgresql():
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        yield


# --- Indexing ----------------------------------------------------------------------------------


def document(entry: CatalogueEntry) -> tuple[str, str]:
    """The entry's searchable text: (title, body). The title is the initiative's name and owner;
    the body the entry's texts, the municipalities and the target groups."""
    initiative = entry.initiative
    title = f"{initiative.name}\n{initiative.owner_organisation}"
    parts = [entry.summary, entry.who_for, entry.how_to_refer, entry.results]
    parts += [m.name for m in initiative.municipalities.all()]
    parts += [str(code) for code in initiative.target_groups.all()]
    return title, "\n".join(p for p in parts if p)


def index_entry(entry: CatalogueEntry) -> None:
    """Bring the entry's search text (and on SQLite its FTS5 row) up to date."""
    title, body = document(entry)
    changed()
    if (title, body) != (entry.search_title, entry.search_body):
        entry.search_title, entry.search_body = title, body
        CatalogueEntry.objects.filter(pk=entry.pk).update(search_title=title, search_body=body)
    if not is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [entry.pk])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",  # noqa: S608
                [entry.pk, stem(title), stem(body)],
            )


def unindex_entry(entry_id: int) -> None:
    changed()
    if not is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [entry_id])  # noqa: S608


def rebuild() -> int:
    """Index every entry again (after a bulk load); the number of entries."""
    if not is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
    count = 0
    entries = CatalogueEntry.objects.select_related("initiative").prefetch_related(
        "initiative__municipalities", "initiative__target_groups"
    )
    for entry in entries.iterator(chunk_size=500):
        index_entry(entry)
        count += 1
    return count


# --- Searching ---------------------------------------------------------------------------------


# Above this many hits PostgreSQL ranks by the title alone (see `search`).
BROAD = 300


def search(queryset, query: str, *, ranked: bool = True, hits: int | None = None):
    """`queryset` (of CatalogueEntry) narrowed to the entries matching `query`, best first, with
    `rank` annotated. An empty query (or only stop words) leaves the queryset as it is.

    `ranked=False`: only narrowed, in no particular order (to count the hits cheaply). `hits`:
    the number of hits if known; on PostgreSQL a query with more than BROAD hits (a half-typed
    word, a word in most entries) is ranked by the title's words only, then by name: `ts_rank`
    over the whole text of every hit would cost more than the rest of the request."""
    terms = query_words(query)
    if not terms:
        return queryset
    if is_postgresql():
        broad = hits is not None and hits > BROAD
        return _search_postgresql(queryset, terms, ranked, broad)
    return _search_sqlite(queryset, terms, ranked)


def _search_postgresql(queryset, terms, ranked, broad=False):
    tsquery = " & ".join(f"{term}:*" for term in terms)
    vector = f"{ENTRY_TABLE}.search_vector"
    matches = RawSQL(  # noqa: S611 (constant table names; the query is a bound parameter)
        f"{vector} @@ to_tsquery('swedish', %s)", [tsquery], output_field=BooleanField()
    )
    ranked_vector = f"{ENTRY_TABLE}.title_vector" if broad else vector
    rank = RawSQL(  # noqa: S611 (constant table names; the query is a bound parameter)
        f"ts_rank({ranked_vector}, to_tsquery('swedish', %s))",
        [tsquery],
        output_field=FloatField(),
    )
    return queryset.filter(matches).annotate(rank=rank).order_by("-rank", "initiative__name", "pk")


def _search_sqlite(queryset, terms, ranked):
    # Each stem quoted (no FTS5 syntax gets through) and matched as a prefix; all must match.
    match = " ".join(f'"{s}"*' for s in _stemmer.stemWords(terms))
    if not ranked:
        # The matching rowids once (an uncorrelated subquery), then the entries among them.
        ids = RawSQL(  # noqa: S611 (constant table names; the query is a bound parameter)
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
            [match],
        )
        return queryset.filter(pk__in=ids)
    # Ranked: the FTS5 table joined once (bm25 needs the MATCH in the same query; a correlated
    # subquery per entry would run the match once per hit). bm25 is lower for better hits; the
    # title counts ten times the body. SQLite's planner drives this join from the FTS5 table only
    # when it orders by bm25: count the hits with `ranked=False`.
    return queryset.extra(  # noqa: S610 (constant SQL; the query is a bound parameter)
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = {ENTRY_TABLE}.id", f"{FTS_TABLE} MATCH %s"],
        params=[match],
        select={"rank": f"-bm25({FTS_TABLE}, 10.0, 1.0)"},
    ).order_by("-rank", "initiative__name", "pk")
