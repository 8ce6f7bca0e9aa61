"""The engine's builder registry and Scope constructors."""

from finsam.statistics import engine
from finsam.statistics.engine import BUILDERS, DIMENSIONS, Scope


def test_every_dimension_has_exactly_one_builder():
    assert set(BUILDERS) == set(DIMENSIONS)
    code_builder = BUILDERS["referrer"]
    assert {d for d, builder in BUILDERS.items() if builder is code_builder} == set(
        engine._CODE_DIMENSIONS
    )


def test_the_scope_constructors_build_the_scopes_the_pages_use(world):
    assert Scope.of_initiative(world.a_initiative) == Scope(
        "initiative",
        world.a_initiative.name,
        frozenset({world.a_initiative.pk}),
        frozenset({world.a.pk}),
        suppress=False,
    )
    assert Scope.of_association(world.a) == Scope(
        "association", world.a.name, None, frozenset({world.a.pk}), suppress=False
    )
    assert Scope.national() == Scope("national", "Hela landet", None, None, suppress=True)
    assert Scope.national(suppress=False).suppress is False
