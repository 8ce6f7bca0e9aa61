import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from finsam.participants.tests.factories import EnrolmentFactory
from finsam.reference.models import Municipality, Region
from finsam.staff.access import build_access
from finsam.statistics.engine import StatsFilter, counted_enrolments
from finsam.statistics.scopes import available_scopes, scope_for

pytestmark = pytest.mark.django_db

D = datetime.date
PERIOD = StatsFilter(period_start=D(2021, 1, 1), period_end=D(2021, 12, 31))
ASSOCIATION_WIDE = ("secretariat", "board", "analyst", "operator")
INITIATIVE_SCOPED = ("initiative_manager", "registrar", "applicant")


@pytest.fixture
def regions(world):
    world.a.municipalities.set([Municipality.objects.get(name="Skövde")])
    world.b.municipalities.set([Municipality.objects.get(name="Stockholm")])
    return Region.objects.get(code="14"), Region.objects.get(code="01")


def access_of(world, role):
    return build_access(world.user(role), world.a.pk)


@pytest.mark.parametrize("role", ASSOCIATION_WIDE)
def test_it_offers_association_region_and_national_to_association_wide_roles(world, regions, role):
    vg, stockholm = regions
    scopes = available_scopes(access_of(world, role))
    assert scopes == [
        ("initiative", world.a_initiative.pk, "Cresco Create"),
        ("initiative", world.a_other.pk, "Level Upgrade"),
        ("association", world.a.pk, "Samordningsförbundet A"),
        ("region", vg.pk, "Västra Götalands län"),  # the association's own region first
        ("region", stockholm.pk, "Stockholms län"),
        ("national", None, "Hela landet"),
    ]


@pytest.mark.parametrize("role", INITIATIVE_SCOPED)
def test_it_offers_only_their_initiatives_to_initiative_scoped_roles(world, regions, role):
    access = access_of(world, role)
    assert available_scopes(access) == [("initiative", world.a_initiative.pk, "Cresco Create")]
    for kind, obj_id in (
        ("association", world.a.pk),
        ("region", regions[0].pk),
        ("national", None),
    ):
        with pytest.raises(PermissionDenied):
            scope_for(access, kind, obj_id)
    with pytest.raises(Http404):
        scope_for(access, "initiative", world.a_other.pk)
    scope = scope_for(access, "initiative", world.a_initiative.pk)
    assert scope.initiative_ids == frozenset({world.a_initiative.pk})
    assert scope.suppress is False


def test_it_offers_nothing_to_a_user_without_role(world):
    access = build_access(world.no_role)
    assert available_scopes(access) == []
    with pytest.raises(Http404):
        scope_for(access, "initiative", world.a_initiative.pk)
    with pytest.raises(PermissionDenied):
        scope_for(access, "national", None)


@pytest.mark.parametrize("role", ASSOCIATION_WIDE)
def test_it_builds_the_own_association_scope_unsuppressed(world, regions, role):
    access = access_of(world, role)
    scope = scope_for(access, "association", world.a.pk)
    assert (scope.kind, scope.label, scope.suppress) == (
        "association",
        "Samordningsförbundet A",
        False,
    )
    assert scope.association_ids == frozenset({world.a.pk})
    assert scope_for(access, "association", None) == scope  # the current association
    initiative = scope_for(access, "initiative", world.a_other.pk)
    assert initiative.suppress is False
    assert initiative.label == "Level Upgrade"


def test_it_never_gives_a_foreign_association_or_initiative(world, regions):
    access = access_of(world, "secretariat")
    with pytest.raises(Http404):
        scope_for(access, "association", world.b.pk)
    with pytest.raises(Http404):
        scope_for(access, "initiative", world.b_initiative.pk)
    b_access = build_access(world.b_secretariat)
    with pytest.raises(Http404):
        scope_for(b_access, "association", world.a.pk)
    with pytest.raises(Http404):
        scope_for(b_access, "initiative", world.a_initiative.pk)


def test_it_keeps_other_associations_out_of_the_association_scope(world, regions):
    a_enrolment = EnrolmentFactory(initiative=world.a_initiative, start_date=D(2021, 3, 1))
    b_enrolment = EnrolmentFactory(initiative=world.b_initiative, start_date=D(2021, 3, 1))
    a_scope = scope_for(access_of(world, "secretariat"), "association", world.a.pk)
    assert list(counted_enrolments(a_scope, PERIOD)) == [a_enrolment]
    b_scope = scope_for(build_access(world.b_secretariat), "association", None)
    assert list(counted_enrolments(b_scope, PERIOD)) == [b_enrolment]
    national = scope_for(access_of(world, "board"), "national", None)
    assert set(counted_enrolments(national, PERIOD)) == {a_enrolment, b_enrolment}


def test_it_builds_suppressed_region_and_national_scopes(world, regions):
    vg, stockholm = regions
    access = access_of(world, "analyst")
    region = scope_for(access, "region", vg.pk)
    assert (region.kind, region.label, region.suppress) == ("region", "Västra Götalands län", True)
    assert region.association_ids == frozenset({world.a.pk})
    assert scope_for(access, "region", stockholm.pk).association_ids == frozenset({world.b.pk})
    national = scope_for(access, "national", None)
    assert (national.label, national.suppress) == ("Hela landet", True)
    assert national.association_ids is None and national.initiative_ids is None


@pytest.mark.parametrize(
    ("kind", "obj_id"),
    [("region", 999999), ("region", "x"), ("region", None), ("planet", 1), ("national", 5)],
)
def test_it_answers_404_for_unknown_scopes(world, regions, kind, obj_id):
    with pytest.raises(Http404):
        scope_for(access_of(world, "secretariat"), kind, obj_id)


def test_it_answers_404_for_a_bad_initiative_id(world):
    with pytest.raises(Http404):
        scope_for(access_of(world, "secretariat"), "initiative", "abc")
