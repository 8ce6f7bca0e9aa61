"""Statistics API: same scopes, filters, figures and suppression as the statistics pages."""

import pytest

from finsam.statistics import engine
from finsam.statistics.tests.test_views import (  # noqa: F401 (fixture)
    PERIOD,
    code,
    region_id,
    registrations,
    tables,
)
from finsam.statistics.tests.test_views import url as page_url

BASE = "/api/v1/statistics"


def api_url(world, kind, obj=None, query=PERIOD):
    if kind == "national":
        path = f"{BASE}/national/"
    elif kind == "region":
        path = f"{BASE}/region/{obj or region_id()}/"
    elif kind == "association":
        path = f"{BASE}/association/{getattr(world, obj or 'a').pk}/"
    else:
        path = f"{BASE}/initiative/{getattr(world, obj).pk}/"
    return f"{path}?{query}" if query else path


def by_dimension(data):
    out = {t["dimension"]: t for t in data["tables"]}
    if data["headline"]:
        out["headline"] = data["headline"]
    return out


def api_row(table, key):
    return next(r for r in table["rows"] if r["key"] == key)


def counts(row):
    return [row["women"], row["men"], row["other"], row["total"]]


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
#                      op   sec  mgr  reg  brd  app  ana  bsec breg none anon
SCOPES = [
    ("initiative", "a_initiative", [200, 200, 200, 200, 200, 200, 200, 404, 404, 404, 401]),
    ("initiative", "a_other", [200, 200, 404, 404, 200, 404, 200, 404, 404, 404, 401]),
    ("initiative", "b_initiative", [404, 404, 404, 404, 404, 404, 404, 200, 200, 404, 401]),
    ("association", "a", [200, 200, 403, 403, 200, 403, 200, 404, 403, 403, 401]),
    ("association", "b", [404, 404, 403, 403, 404, 403, 404, 200, 403, 403, 401]),
    ("region", None, [200, 200, 403, 403, 200, 403, 200, 200, 403, 403, 401]),
    ("national", None, [200, 200, 403, 403, 200, 403, 200, 200, 403, 403, 401]),
]


@pytest.mark.parametrize(
    ("kind", "obj", "expected"), SCOPES, ids=[f"{k}-{o}" for k, o, _e in SCOPES]
)
def test_every_scope_as_every_role(registrations, api_for, kind, obj, expected):  # noqa: F811
    world = registrations
    for who, status in zip(USERS, expected, strict=True):
        user = None if who == "anonymous" else world.user(who)
        response = api_for(user).get(api_url(world, kind, obj) + "&table=gender")
        assert response.status_code == status, f"{who} {kind} {obj}: {response.status_code}"
        if status != 200:
            assert set(response.json()) == {"errors"}
            assert "__all__" in response.json()["errors"]


def test_the_scope_list_names_what_the_user_may_read(registrations, api_for):  # noqa: F811
    world = registrations
    data = api_for(world.secretariat).get(f"{BASE}/").json()
    kinds = [(s["kind"], s["id"]) for s in data]
    assert ("association", world.a.pk) in kinds
    assert ("initiative", world.a_initiative.pk) in kinds
    assert ("region", region_id()) in kinds
    assert ("national", None) in kinds
    assert ("initiative", world.b_initiative.pk) not in kinds
    national = next(s for s in data if s["kind"] == "national")
    assert national["url"].endswith("/api/v1/statistics/national/")

    manager = api_for(world.manager).get(f"{BASE}/").json()
    assert [(s["kind"], s["id"]) for s in manager] == [("initiative", world.a_initiative.pk)]


def test_the_api_equals_the_page(registrations, api_for, client_for):  # noqa: F811
    world = registrations
    query = PERIOD + f"&municipality={world.a.municipalities.get(code='1496').pk}"
    for kind, obj in (("association", None), ("initiative", "a_initiative"), ("national", None)):
        page = tables(client_for(world.secretariat).get(page_url(world, kind, obj, query=query)))
        response = api_for(world.secretariat).get(api_url(world, kind, obj, query=query))
        assert response.status_code == 200
        data = response.json()
        api_tables = by_dimension(data)
        assert set(api_tables) == {"headline", *engine.DIMENSIONS}
        assert [t["dimension"] for t in data["tables"]] == list(engine.DIMENSIONS)
        for dimension, table in page.items():
            api_table = api_tables[dimension]
            assert api_table["title"] == table.title
            assert api_table["population"] == table.population
            assert api_table["suppressed"] == table.suppressed
            assert [r["key"] for r in api_table["rows"]] == [r.key for r in table.rows]
            for api_r, r in zip(api_table["rows"], table.rows, strict=True):
                assert counts(api_r) == [c.value for c in r.cells], (kind, dimension, r.key)
            assert counts(api_table["total"]) == [c.value for c in table.total.cells]


def test_it_returns_the_filters_and_the_known_figures(registrations, api_for):  # noqa: F811
    world = registrations
    unga = code("target_group", "unga-16-29")
    query = PERIOD + f"&target_group={unga.pk}&initiative={world.a_initiative.pk}"
    data = api_for(world.board).get(api_url(world, "association", query=query)).json()
    assert data["scope"] == {
        "kind": "association",
        "id": world.a.pk,
        "label": "Samordningsförbundet A",
        "suppressed": False,
    }
    assert data["filters"] == {
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
        "initiative": [world.a_initiative.pk],
        "target_group": [unga.pk],
        "municipality": [],
    }
    assert data["suppression_text"] is None
    t = by_dimension(data)
    assert counts(api_row(t["headline"], "active")) == [3, 6, 0, 9]
    assert counts(api_row(t["headline"], "exited")) == [0, 2, 0, 2]
    assert counts(api_row(t["exit_reason"], "arbete")) == [0, 2, 0, 2]
    assert t["income_before"]["multi_valued"] is True
    assert counts(api_row(t["income_before"], "forsorjningsstod")) == [3, 0, 0, 3]


def test_table_parameter_limits_the_tables(registrations, api_for):  # noqa: F811
    world = registrations
    client = api_for(world.secretariat)
    data = client.get(api_url(world, "association") + "&table=gender&table=age_group").json()
    assert data["headline"] is None
    assert [t["dimension"] for t in data["tables"]] == ["gender", "age_group"]
    data = client.get(api_url(world, "association") + "&table=headline").json()
    assert data["headline"]["dimension"] == "headline" and data["tables"] == []


@pytest.mark.parametrize("kind", ["region", "national"])
def test_small_counts_are_null_and_flagged(registrations, api_for, kind):  # noqa: F811
    world = registrations
    response = api_for(world.analyst).get(api_url(world, kind))
    assert response.status_code == 200
    data = response.json()
    assert data["scope"]["suppressed"] is True
    assert data["suppression_text"] == str(engine.SUPPRESSION_TEXT)
    age = by_dimension(data)["age_group"]
    assert age["suppressed"] is True
    young = api_row(age, "19-24")
    assert young["women"] is None and young["suppressed"] is True
    assert 3 not in [v for r in [*age["rows"], age["total"]] for v in counts(r)]
    assert counts(api_row(by_dimension(data)["headline"], "active")) == [8, 10, 0, 18]


def test_the_own_association_is_not_suppressed(registrations, api_for):  # noqa: F811
    world = registrations
    data = api_for(world.secretariat).get(api_url(world, "association")).json()
    young = api_row(by_dimension(data)["age_group"], "19-24")
    assert counts(young) == [3, 0, 0, 3] and young["suppressed"] is False


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("period_start=2024-12-31&period_end=2024-01-01", "__all__"),
        ("period_start=nope&period_end=2024-01-01", "period_start"),
        (PERIOD + "&initiative={b_initiative}", "initiative"),
        (PERIOD + "&table=secrets", "table"),
    ],
)
def test_bad_filters_answer_400_in_the_error_format(registrations, api_for, query, field):  # noqa: F811
    world = registrations
    query = query.format(b_initiative=world.b_initiative.pk)
    response = api_for(world.secretariat).get(api_url(world, "association", query=query))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors
    assert str(world.b_initiative.pk) not in " ".join(m for ms in errors.values() for m in ms)


def test_no_personal_data_in_the_api(registrations, api_for):  # noqa: F811
    from finsam.participants.models import Participant

    world = registrations
    body = ""
    for kind, obj in (("association", None), ("initiative", "a_initiative"), ("national", None)):
        body += api_for(world.secretariat).get(api_url(world, kind, obj)).content.decode()
    for participant in Participant.objects.all():
        for secret in (participant.personal_number, participant.name, participant.pseudonym):
            if secret:
                assert secret not in body


def test_the_openapi_document_describes_the_statistics(client, db):
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    assert {"/api/v1/statistics/", "/api/v1/statistics/national/"} <= set(paths)
    detail = paths["/api/v1/statistics/{kind}/{id}/"]["get"]
    names = {p["name"] for p in detail["parameters"]}
    assert {"kind", "id", "period_start", "period_end", "initiative", "target_group"} <= names
    assert {"municipality", "table", "association"} <= names
    assert {"200", "400", "401", "403", "404"} <= set(detail["responses"])
    row = schema["components"]["schemas"]["StatisticsRow"]["properties"]
    assert row["women"].get("nullable") or "null" in str(row["women"])
    assert "suppressed" in row
