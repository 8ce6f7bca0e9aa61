"""Indicators API: the pages' scopes, permissions, figures and suppression."""

import pytest

from finsam.indicators.tests.answers import many, questionnaire

BASE = "/api/v1/indicators"

USERS = [
    "operator",
    "secretariat",
    "initiative_manager",
    "registrar",
    "board",
    "applicant",
    "analyst",
    "b_secretariat",
    "no_role",
    "anonymous",
]
#                      op   sec  mgr  reg  brd  app  ana  bsec none anon
SCOPES = [
    ("initiative", "a_initiative", [200, 200, 200, 403, 200, 403, 200, 404, 403, 401]),
    ("initiative", "a_other", [200, 200, 404, 403, 200, 403, 200, 404, 403, 401]),
    ("initiative", "b_initiative", [404, 404, 404, 403, 404, 403, 404, 200, 403, 401]),
    ("association", "a", [200, 200, 403, 403, 200, 403, 200, 404, 403, 401]),
    ("association", "b", [404, 404, 403, 403, 404, 403, 404, 200, 403, 401]),
]


@pytest.fixture
def answered(world):
    version = questionnaire()
    many(
        version,
        association=world.a,
        item="D02",
        choices=["6"] * 6 + ["1"] * 4,
        initiative=world.a_initiative,
        gender="woman",
        period="2026-H1",
    )
    many(
        version,
        association=world.a,
        item="D03",
        choices=["6", "6"],
        initiative=world.a_initiative,
        gender="man",
        period="2026-H1",
    )
    return world


@pytest.mark.parametrize(
    ("kind", "obj", "expected"), SCOPES, ids=[f"{k}-{o}" for k, o, _e in SCOPES]
)
def test_every_scope_as_every_role(answered, api_for, kind, obj, expected):
    world = answered
    for who, status in zip(USERS, expected, strict=True):
        user = None if who == "anonymous" else world.user(who)
        response = api_for(user).get(f"{BASE}/{kind}/{getattr(world, obj).pk}/?year=2026")
        assert response.status_code == status, f"{who} {kind} {obj}: {response.status_code}"
        if status != 200:
            assert set(response.json()) == {"errors"}


def test_figures_and_suppression(answered, api_for):
    world = answered
    data = api_for(world.secretariat).get(f"{BASE}/association/{world.a.pk}/").json()
    assert data["year"] == 2026  # the latest year with answers
    by_code = {i["code"]: i for i in data["indicators"]}
    assert len(by_code) == 16
    p1 = by_code["P1"]
    assert p1["total"] == {"n": 10, "positive": 6, "share": 0.6, "hidden": ""}
    assert p1["met"] is False and p1["target_share"] == 80.0
    assert p1["women"]["n"] == 10 and p1["verified"] is True
    p2 = by_code["P2"]
    assert p2["total"] == {"n": None, "positive": None, "share": None, "hidden": "small"}
    assert p2["met"] is None


def test_the_scope_list_and_a_bad_year(answered, api_for):
    world = answered
    manager = api_for(world.manager).get(f"{BASE}/").json()
    assert [(s["scope"], s["id"]) for s in manager] == [("initiative", world.a_initiative.pk)]
    response = api_for(world.secretariat).get(f"{BASE}/association/{world.a.pk}/?year=20x6")
    assert response.status_code == 400
    assert "year" in response.json()["errors"]
