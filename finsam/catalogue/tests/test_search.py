"""Swedish full-text search on the backend in use: run on SQLite (the default) and on
PostgreSQL (DATABASE_URL=postgres://…): the same behaviour on both."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam.catalogue import search, selectors
from finsam.catalogue.models import CatalogueEntry
from finsam.catalogue.tests.factories import CatalogueEntryFactory
from finsam.initiatives.models import Status
from finsam.initiatives.tests.factories import InitiativeFactory
from finsam.reference.models import CodeList
from finsam.reference.tests.factories import CodeFactory, MunicipalityFactory


def names(entries):
    return [e.initiative.name for e in entries]


@pytest.fixture
def corpus(world):
    a = world.a

    def entry(name, summary, **initiative):
        return CatalogueEntryFactory(
            initiative=InitiativeFactory(association=a, name=name, **initiative),
            summary=summary,
        )

    return {
        "sick": entry("Fokus", "Stöd till personer som är sjukskrivna sedan länge."),
        "young": entry("Steget vidare", "En insats riktad till ungdom mellan 16 och 20 år."),
        "newcomers": entry("MEKA", "Etablering för nyanlända kvinnor och män i Strömsund."),
        "social": entry(
            "Stödfunktion för socialt företagande",
            "Rådgivning till invånare som vill starta sociala företag.",
            status=Status.ENDED,
            start_date=datetime.date(2012, 1, 1),
            end_date=datetime.date(2014, 12, 31),
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sjukskriven", ["Fokus"]),  # the participle finds the plural "sjukskrivna"
        ("sjukskrivna", ["Fokus"]),
        ("ungdomar", ["Steget vidare"]),  # the plural finds the singular "ungdom"
        ("ungdomarna", ["Steget vidare"]),
        ("nyanländ", ["MEKA"]),
        ("företag", ["Stödfunktion för socialt företagande"]),
        ("sociala företagen", ["Stödfunktion för socialt företagande"]),
        ("SJUKSKRIVEN", ["Fokus"]),
        ("sjuksk", ["Fokus"]),  # half a word while typing
        ("strömsund", ["MEKA"]),
        ("ungdomar sjukskriven", []),  # every word must match
        ("pensionärer", []),
    ],
)
def test_swedish_inflections_find_each_other(corpus, world, query, expected):
    found = selectors.catalogue_search(world.a, query=query)
    assert names(found) == expected


def test_the_name_ranks_above_the_text(world):
    CatalogueEntryFactory(
        initiative=InitiativeFactory(association=world.a, name="Arbetsträning i Falköping"),
        summary="Stöd till personer.",
    )
    CatalogueEntryFactory(
        initiative=InitiativeFactory(association=world.a, name="Kom igång"),
        summary="Praktik, studier och arbetsträning.",
    )
    assert names(selectors.catalogue_search(world.a, query="arbetsträning")) == [
        "Arbetsträning i Falköping",
        "Kom igång",
    ]


def test_stop_words_and_punctuation_alone_leave_the_list_as_it_is(corpus, world):
    every = names(selectors.catalogue_search(world.a))
    assert names(selectors.catalogue_search(world.a, query="och i som")) == every
    assert names(selectors.catalogue_search(world.a, query='"*)(:&|!<->')) == every
    # Query syntax is not syntax: the words are searched for as words.
    assert names(selectors.catalogue_search(world.a, query='"ungdom" OR NEAR(fokus*')) == []
    assert names(selectors.catalogue_search(world.a, query="ungdomar och")) == ["Steget vidare"]


def test_a_changed_initiative_is_found_by_its_new_name(corpus, world):
    initiative = corpus["young"].initiative
    initiative.name = "Vägen till arbete"
    initiative.save()
    assert names(selectors.catalogue_search(world.a, query="vägen")) == ["Vägen till arbete"]
    assert names(selectors.catalogue_search(world.a, query="steget")) == []


def test_municipalities_and_target_groups_are_searched(world):
    entry = CatalogueEntryFactory(initiative=InitiativeFactory(association=world.a, name="Lots"))
    entry.initiative.municipalities.add(MunicipalityFactory(code="1380", name="Halmstad"))
    assert names(selectors.catalogue_search(world.a, query="halmstad")) == ["Lots"]


def test_a_deleted_entry_leaves_the_index(corpus, world):
    corpus["sick"].delete()
    assert names(selectors.catalogue_search(world.a, query="sjukskriven")) == []
    if not search.is_postgresql():
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM catalogue_search")
            assert cursor.fetchone()[0] == CatalogueEntry.objects.count()


class TestFilters:
    @pytest.fixture
    def data(self, world):
        halmstad = MunicipalityFactory(code="1380", name="Halmstad")
        laholm = MunicipalityFactory(code="1381", name="Laholm")
        youth = CodeFactory(code_list=CodeList.TARGET_GROUP, code="unga", label_sv="Unga")
        running = CatalogueEntryFactory(
            initiative=InitiativeFactory(
                association=world.a,
                name="Pågående",
                owner_organisation="Halmstads kommun",
                start_date=datetime.date(2024, 1, 1),
            )
        )
        running.initiative.municipalities.add(halmstad)
        running.initiative.target_groups.add(youth)
        finished = CatalogueEntryFactory(
            initiative=InitiativeFactory(
                association=world.a,
                name="Avslutad",
                owner_organisation="Laholms kommun",
                start_date=datetime.date(2012, 1, 1),
                end_date=datetime.date(2014, 12, 31),
                status=Status.ENDED,
            )
        )
        finished.initiative.municipalities.add(laholm)
        return {"halmstad": halmstad, "laholm": laholm, "youth": youth}

    @pytest.mark.parametrize(
        ("criteria", "expected"),
        [
            ({}, ["Avslutad", "Pågående"]),
            ({"status": "running"}, ["Pågående"]),
            ({"status": "finished"}, ["Avslutad"]),
            ({"year": 2013}, ["Avslutad"]),
            ({"year": 2014}, ["Avslutad"]),
            ({"year": 2015}, []),
            ({"year": 2025}, ["Pågående"]),
            ({"owner": "Laholms kommun"}, ["Avslutad"]),
        ],
    )
    def test_plain_filters(self, world, data, criteria, expected):
        assert names(selectors.catalogue_search(world.a, **criteria)) == expected

    def test_municipality_and_target_group(self, world, data):
        by_place = selectors.catalogue_search(world.a, municipality=data["laholm"].pk)
        assert names(by_place) == ["Avslutad"]
        by_group = selectors.catalogue_search(world.a, target_group=data["youth"].pk)
        assert names(by_group) == ["Pågående"]

    def test_filters_combine_with_the_query(self, world, data):
        assert names(selectors.catalogue_search(world.a, query="pågående", status="finished")) == []

    def test_the_options_offer_only_what_published_entries_have(self, world, data):
        CatalogueEntryFactory(
            initiative=InitiativeFactory(association=world.a, owner_organisation="Hemligt AB"),
            published=False,
        )
        options = selectors.filter_options(world.a)
        assert options["owners"] == ["Halmstads kommun", "Laholms kommun"]
        assert [m.name for m in options["municipalities"]] == ["Halmstad", "Laholm"]
        assert options["target_groups"] == [data["youth"]]
        assert options["years"][-1] == 2012


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(st.text(max_size=40))
def test_any_query_answers_without_error(query):
    """Whatever is typed (FTS5 or tsquery syntax, quotes, symbols) is a search, not an error."""
    list(selectors.catalogue_search(None, query=query)[:5])


def test_the_unranked_search_finds_the_same_entries(corpus, world):
    """The view counts the hits with `ranked=False` and shows the page of the ranked search."""
    for query in ("sjukskriven", "ungdomar", "st", "företag", ""):
        ranked = selectors.catalogue_search(world.a, query=query)
        unranked = selectors.catalogue_search(world.a, query=query, ranked=False)
        assert sorted(e.pk for e in ranked) == sorted(e.pk for e in unranked)
        assert unranked.count() == len(ranked)


def test_a_broad_query_still_ranks_the_title_first(world, monkeypatch):
    """Above `BROAD` hits PostgreSQL ranks by the title only; the name still comes first."""
    monkeypatch.setattr(search, "BROAD", 1)
    CatalogueEntryFactory(
        initiative=InitiativeFactory(association=world.a, name="Ateljé"),
        summary="Arbetsträning, arbetsträning och mer arbetsträning.",
    )
    CatalogueEntryFactory(
        initiative=InitiativeFactory(association=world.a, name="Arbetsträning i Falköping"),
        summary="Stöd.",
    )
    found = selectors.catalogue_search(world.a, query="arbetsträning", hits=2)
    assert names(found) == ["Arbetsträning i Falköping", "Ateljé"]
