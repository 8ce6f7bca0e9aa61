"""Every report page as every role of `world`, with A's objects and B's (the net under the
per-page tests): no server error, nothing of B answers for A's users, every page serves someone."""

import pytest
from django.urls import get_resolver, reverse

from finsam.reports.models import ReportStatus
from finsam.reports.tests.reporting import InitiativeReportFactory, ReportingPeriodFactory

A_USERS = ("operator", "secretariat", "manager", "registrar", "board", "applicant", "analyst")
PERIOD_URLS = ("period", "period_edit", "create_reports")
REPORT_URLS = (
    "detail",
    "autosave",
    "insert_summary",
    "submit",
    "return",
    "approve",
    "comment",
)
PLAIN_URLS = ("periods", "mine", "period_create")
# Compiling the report (a job) has its own permission tests (test_compile_views.py).
COMPILED_URLS = ("compile", "compile_approved")


def test_every_reports_url_is_walked_here():
    names = {
        name for name in get_resolver("finsam.reports.urls").reverse_dict if isinstance(name, str)
    }
    assert names == set(PERIOD_URLS + REPORT_URLS + PLAIN_URLS + COMPILED_URLS)


@pytest.fixture
def objects(world):
    out = {}
    for side, association, initiative in (
        ("own", world.a, world.a_initiative),
        ("foreign", world.b, world.b_initiative),
    ):
        period = ReportingPeriodFactory(association=association)
        out[side] = {
            "period": period,
            "draft": InitiativeReportFactory(period=period, initiative=initiative, filled=True),
        }
    return out


def urls(side_objects):
    period, report = side_objects["period"], side_objects["draft"]
    return [reverse(f"reports:{n}", args=[period.pk]) for n in PERIOD_URLS] + [
        reverse(f"reports:{n}", args=[report.pk]) for n in REPORT_URLS
    ]


@pytest.mark.parametrize("who", [*A_USERS, "no_role"])
def test_no_page_of_bs_objects_answers_for_as_users(world, objects, client_for, who):
    client = client_for(world.user(who))
    for url in urls(objects["foreign"]):
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"field": "results", "results": "x"})
            assert response.status_code in (403, 404, 405), f"{who} {method} {url}"
    objects["foreign"]["draft"].refresh_from_db()
    assert objects["foreign"]["draft"].status == ReportStatus.DRAFT


@pytest.mark.parametrize("who", [*A_USERS, "no_role", "b_secretariat", "b_registrar"])
def test_every_page_answers_without_error(world, objects, client_for, who):
    client = client_for(world.user(who))
    for url in urls(objects["own"]) + [reverse(f"reports:{n}") for n in PLAIN_URLS]:
        assert client.get(url).status_code < 500, f"{who} GET {url}"


def test_every_page_serves_some_role(world, objects, client_for):
    served = set()
    for who in A_USERS:
        client = client_for(world.user(who))
        for url in urls(objects["own"]) + [reverse(f"reports:{n}") for n in PLAIN_URLS]:
            if client.get(url).status_code in (200, 302, 405):
                served.add(url)
    assert len(served) == len(PERIOD_URLS + REPORT_URLS + PLAIN_URLS)


# What each role may do with a draft report of its association's initiative `a_initiative`.
EXPECTED_DRAFT = {
    #              read  write
    "secretariat": (200, True),
    "manager": (200, True),
    "applicant": (200, True),
    "registrar": (404, False),
    "board": (404, False),
    "analyst": (404, False),
    "operator": (404, False),
    "no_role": (404, False),
    "b_secretariat": (404, False),
    "b_registrar": (404, False),
}


@pytest.mark.parametrize("who", list(EXPECTED_DRAFT))
def test_who_reads_and_writes_a_draft(world, objects, client_for, who):
    report = objects["own"]["draft"]
    read, write = EXPECTED_DRAFT[who]
    client = client_for(world.user(who))
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == read
    response = client.post(
        reverse("reports:autosave", args=[report.pk]), {"field": "results", "results": who}
    )
    assert (response.status_code == 200) is write
    report.refresh_from_db()
    assert (report.results == who) is write
