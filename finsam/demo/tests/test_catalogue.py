"""The demo catalogue: every project of seeds 000 and 001, published, idempotent, nothing
personal."""

import re

import pytest

from finsam.catalogue import selectors
from finsam.catalogue.models import CatalogueEntry
from finsam.demo.catalogue import load_catalogue, read_data
from finsam.initiatives.models import Status
from finsam.reference.loading import sync_reference_data

# People named in the seeds' texts: none of them may reach the public catalogue.
NAMES_IN_SEEDS = (
    "Samuel Grahn",
    "Anja Skålén",
    "Rut Sannemo",
    "Helene Kristoffersson",
    "Fredrik Westberg",
    "Susanne Falk",
    "Gunilla Kaev",
    "Josef Szabó",
    "Tomas Strand",
    "Caroline Mahdavi",
    "Gunilla E Magnusson",
)


@pytest.fixture
def loaded(db):
    sync_reference_data()
    return load_catalogue()


def test_every_seed_project_is_published(loaded):
    data = read_data()
    projects = [(a["slug"], i["name"]) for a in data["associations"] for i in a["initiatives"]]
    assert len(projects) == 34
    assert loaded["entries"] == 34
    published = set(
        CatalogueEntry.objects.filter(published=True).values_list(
            "initiative__association__slug", "initiative__name"
        )
    )
    assert set(projects) == published
    halland = [i for a in data["associations"] if a["slug"] == "halland" for i in a["initiatives"]]
    assert len(halland) == 15  # seed 000's list
    assert CatalogueEntry.objects.filter(initiative__status=Status.ENDED).count() == 34


def test_the_texts_are_the_seeds_and_searchable(loaded):
    entry = CatalogueEntry.objects.get(initiative__name="VÄXA")
    assert entry.summary.startswith("VÄXA bedrevs som ett metodutvecklingsprojekt under två år")
    halland = entry.initiative.association
    found = selectors.catalogue_search(halland, query="ungdomar")
    assert "Steget vidare, Varberg" in [e.initiative.name for e in found]


def test_loading_twice_changes_nothing(loaded):
    before = list(CatalogueEntry.objects.order_by("pk").values())
    assert load_catalogue() == {}
    assert list(CatalogueEntry.objects.order_by("pk").values()) == before


def test_nothing_personal_in_the_entries(loaded):
    for entry in CatalogueEntry.objects.all():
        text = " ".join(
            [entry.summary, entry.who_for, entry.how_to_refer, entry.contact, entry.results]
        )
        for name in NAMES_IN_SEEDS:
            assert name not in text, entry
        assert not re.search(r"\S+@\S+", text), entry
        assert not re.search(r"\b0\d{2,3}[-/ ]?\d{2,3}", text), entry
