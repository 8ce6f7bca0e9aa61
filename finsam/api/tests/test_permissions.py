"""Every endpoint as every role of the `world`, for A's and B's objects (issue 2, "Proof").

Writes are sent with an empty body: a role that may write gets past the permission checks and
stops at validation (400), so the walk never depends on valid input. The users are token
authenticated; the default association applies (A for the operator, their own for the others).
"""

import pytest

from finsam.api.tests.conftest import make_enrolment

USERS = [
    "operator",
    "secretariat",
    "initiative_manager",
    "registrar",
    "board",
    "applicant",
    "analyst",
    "b_secretariat",
    "b_registrar",
    "no_role",
    "anonymous",
]

# (method, url template, object) → expected status per user, in the order of USERS:
#   op  sec  mgr  reg  brd  app  ana  b_sec b_reg none anon
TABLE = [
    ("get", "me", None, [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401]),
    ("get", "associations", None, [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401]),
    ("get", "association", "a", [200, 200, 200, 200, 200, 200, 200, 404, 404, 404, 401]),
    ("get", "association", "b", [200, 404, 404, 404, 404, 404, 404, 200, 200, 404, 401]),
    ("get", "initiatives", None, [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401]),
    ("post", "initiatives", None, [403, 400, 403, 403, 403, 403, 403, 400, 403, 403, 401]),
    ("get", "initiative", "a", [200, 200, 200, 200, 200, 200, 200, 404, 404, 404, 401]),
    ("get", "initiative", "a_other", [200, 200, 404, 404, 200, 404, 200, 404, 404, 404, 401]),
    ("get", "initiative", "b", [404, 404, 404, 404, 404, 404, 404, 200, 200, 404, 401]),
    ("patch", "initiative", "a", [403, 200, 200, 403, 403, 403, 403, 404, 404, 404, 401]),
    ("patch", "initiative", "a_other", [403, 200, 404, 404, 403, 404, 403, 404, 404, 404, 401]),
    ("patch", "initiative", "b", [404, 404, 404, 404, 404, 404, 404, 200, 403, 404, 401]),
    ("get", "enrolments", "a", [403, 200, 200, 200, 403, 403, 403, 404, 404, 404, 401]),
    ("get", "enrolments", "a_other", [403, 200, 404, 404, 403, 404, 403, 404, 404, 404, 401]),
    ("get", "enrolments", "b", [404, 404, 404, 404, 404, 404, 404, 200, 200, 404, 401]),
    ("post", "enrolments", "a", [403, 403, 403, 400, 403, 403, 403, 404, 404, 404, 401]),
    ("post", "enrolments", "a_other", [403, 403, 404, 404, 403, 404, 403, 404, 404, 404, 401]),
    ("post", "enrolments", "b", [404, 404, 404, 404, 404, 404, 404, 403, 400, 404, 401]),
    ("get", "enrolment", "a", [403, 200, 200, 200, 403, 403, 403, 404, 404, 404, 401]),
    ("get", "enrolment", "a_other", [403, 200, 404, 404, 403, 404, 403, 404, 404, 404, 401]),
    ("get", "enrolment", "b", [404, 404, 404, 404, 404, 404, 404, 200, 200, 404, 401]),
    ("post", "exit", "a", [403, 403, 403, 400, 403, 403, 403, 404, 404, 404, 401]),
    ("post", "exit", "a_other", [403, 403, 404, 404, 403, 404, 403, 404, 404, 404, 401]),
    ("post", "exit", "b", [404, 404, 404, 404, 404, 404, 404, 403, 400, 404, 401]),
]


# Objects of the table: the associations "a" and "b", or an initiative (and an enrolment in it).
INITIATIVES = {"a": "a_initiative", "a_other": "a_other", "b": "b_initiative"}


def url_for(world, endpoint, obj, enrolments):
    base = "/api/v1"
    if endpoint in ("me", "associations", "initiatives"):
        return f"{base}/{endpoint}/"
    if endpoint == "association":
        return f"{base}/associations/{getattr(world, obj).pk}/"
    initiative = getattr(world, INITIATIVES[obj])
    if endpoint == "initiative":
        return f"{base}/initiatives/{initiative.pk}/"
    if endpoint == "enrolments":
        return f"{base}/initiatives/{initiative.pk}/enrolments/"
    enrolment = enrolments[INITIATIVES[obj]]
    if endpoint == "enrolment":
        return f"{base}/enrolments/{enrolment.uuid}/"
    return f"{base}/enrolments/{enrolment.uuid}/exit/"


@pytest.mark.parametrize(
    ("method", "endpoint", "obj", "expected"),
    TABLE,
    ids=[f"{m.upper()} {e} {o or ''}".strip() for m, e, o, _x in TABLE],
)
def test_it_answers_every_role_as_the_pages_do(world, api_for, method, endpoint, obj, expected):
    enrolments = {
        name: make_enrolment(getattr(world, name), index)
        for index, name in enumerate(("a_initiative", "a_other", "b_initiative"))
    }
    url = url_for(world, endpoint, obj, enrolments)
    got = {}
    for name in USERS:
        client = api_for(None if name == "anonymous" else world.user(name))
        kwargs = {"format": "json", "data": {}} if method != "get" else {}
        response = getattr(client, method)(url, **kwargs)
        got[name] = response.status_code
        assert "errors" in response.json() or response.status_code < 400, name
    wanted = dict(zip(USERS, expected, strict=True))
    wrong = {
        name: f"got {got[name]}, want {wanted[name]}" for name in USERS if got[name] != wanted[name]
    }
    assert not wrong, f"{method.upper()} {url}: {wrong}"


def test_it_lists_only_initiatives_in_scope(world, api_for):
    def names(user):
        response = api_for(user).get("/api/v1/initiatives/")
        return sorted(row["name"] for row in response.json()["results"])

    assert names(world.secretariat) == ["Cresco Create", "Level Upgrade"]
    assert names(world.board) == ["Cresco Create", "Level Upgrade"]
    assert names(world.manager) == ["Cresco Create"]
    assert names(world.registrar) == ["Cresco Create"]
    assert names(world.applicant) == ["Cresco Create"]
    assert names(world.b_secretariat) == ["Rätt Hjälp"]
    assert names(world.no_role) == []


def test_it_lets_the_operator_pick_an_association(world, api_for):
    client = api_for(world.operator)
    response = client.get("/api/v1/initiatives/", {"association": world.b.pk})
    assert [row["name"] for row in response.json()["results"]] == ["Rätt Hjälp"]
    url = f"/api/v1/initiatives/{world.b_initiative.pk}/"
    response = client.get(url, {"association": world.b.pk})
    assert response.status_code == 200


def test_it_answers_404_for_an_association_the_user_has_no_role_in(world, api_for):
    client = api_for(world.secretariat)
    for value in (world.b.pk, "999999", "x"):
        response = client.get("/api/v1/initiatives/", {"association": value})
        assert response.status_code == 404
        assert response.json() == {"errors": {"__all__": [response.json()["errors"]["__all__"][0]]}}


def test_it_lists_the_users_associations(world, api_for):
    response = api_for(world.secretariat).get("/api/v1/associations/")
    assert [row["id"] for row in response.json()["results"]] == [world.a.pk]
    response = api_for(world.operator).get("/api/v1/associations/")
    assert [row["id"] for row in response.json()["results"]] == [world.a.pk, world.b.pk]


def test_it_describes_the_current_user(world, api_for):
    data = api_for(world.registrar).get("/api/v1/me/").json()
    assert data["email"] == "registrator@example.se"
    assert data["roles"] == ["registrar"]
    assert data["association"] == {"id": world.a.pk, "name": world.a.name}
    assert data["assigned_initiatives"]["registrar"] == [world.a_initiative.pk]
    assert data["available_associations"] == [{"id": world.a.pk, "name": world.a.name}]


def test_it_shows_an_association_with_municipalities_and_members(world, api_for):
    from finsam.associations.models import MemberKind
    from finsam.associations.tests.factories import MemberFactory
    from finsam.reference.tests.factories import MunicipalityFactory

    skovde = MunicipalityFactory(code="1496", name="Skövde")
    world.a.municipalities.add(skovde)
    MemberFactory(
        association=world.a, kind=MemberKind.FORSAKRINGSKASSAN, name="FK", contribution_share=50
    )
    MemberFactory(
        association=world.a, name="Skövde kommun", municipality=skovde, contribution_share=25
    )
    data = api_for(world.board).get(f"/api/v1/associations/{world.a.pk}/").json()
    assert data["municipalities"] == [{"code": "1496", "name": "Skövde"}]
    members = {m["name"]: m for m in data["members"]}
    assert members["FK"]["kind"] == "fk"
    assert members["FK"]["contribution_share"] == "50.000"
    assert members["Skövde kommun"]["municipality"] == "1496"
