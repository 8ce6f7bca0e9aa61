"""Saves never fail under concurrency: hundreds of interleaved enrol and exit saves, live checks,
report autosaves and submits from several threads against a real threaded server (on SQLite a
database file, as `make run` serves it; on PostgreSQL the test database).

On SQLite a transaction that has read and then writes cannot wait for the write lock: if another
connection wrote in between, SQLite answers "database is locked" at once, whatever the busy
timeout. Every response here must be below 500 and every save must land.
"""

import datetime
import http.client
import random
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import reverse

from finsam.core.tests.server import CSRF_TOKEN, cookies, running_server
from finsam.participants.models import Enrolment
from finsam.participants.tests.factories import EnrolmentFactory, make_personal_number
from finsam.participants.tests.test_views import DAY, enrol_post
from finsam.reports.models import InitiativeReport, ReportStatus
from finsam.reports.tests.reporting import FILLED, InitiativeReportFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6
ENROLMENTS = 40
EXITS = 25
REPORTS = 12
AUTOSAVES_PER_REPORT = 6
LIVE_CHECKS = 120


class Browser:
    """One signed-in user's cookies; every request on a fresh connection, no redirects followed."""

    def __init__(self, user):
        self.address = None  # set once the server runs
        self.cookie = "; ".join(f"{k}={v}" for k, v in cookies(user).items())

    def post(self, path, data, **headers):
        body = urllib.parse.urlencode(data, doseq=True)
        connection = http.client.HTTPConnection(self.address, timeout=60)
        try:
            connection.request(
                "POST",
                path,
                body,
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": self.cookie,
                    "X-CSRFToken": CSRF_TOKEN,
                    **headers,
                },
            )
            response = connection.getresponse()
            return response.status, response.read().decode()
        finally:
            connection.close()


def test_interleaved_saves_checks_and_autosaves_never_fail(world, codes, tmp_path):
    today = datetime.date.today()
    start = today - datetime.timedelta(days=40)
    initiative = world.a_initiative
    to_exit = [
        EnrolmentFactory(initiative=initiative, start_date=start, home_municipality=codes.skovde)
        for _ in range(EXITS)
    ]
    reports = [
        InitiativeReportFactory(
            period=ReportingPeriodFactory(association=world.a),
            initiative=initiative,
            filled=True,
        )
        for _ in range(REPORTS)
    ]
    numbers = [
        make_personal_number(datetime.date(1970, 1, 1), 2 * i + 1) for i in range(ENROLMENTS)
    ]

    def enrol_data(number):
        # The page's own form data (test_views.enrol_post), started on `start`.
        return enrol_post(codes, start + 10 * DAY, personal_number=number, name=f"Person {number}")

    exit_data = {
        "end_date": today.isoformat(),
        "exit_reason": codes.work.pk,
        "income_sources_after": [codes.salary.pk],
        "occupation_after": codes.working.pk,
        "occupation_extent_after": "50",
    }
    enrol_url = reverse("participants:enrol", args=[initiative.pk])
    enrol_check_url = reverse("participants:enrol_validate", args=[initiative.pk])

    # The sessions are made before the server copies the database.
    registrar, manager = Browser(world.registrar), Browser(world.manager)
    with running_server(tmp_path) as base:
        registrar.address = manager.address = urllib.parse.urlsplit(base).netloc
        # (kind, request) pairs; each request returns (status, body).
        tasks = []
        for number in numbers:
            data = enrol_data(number)
            tasks.append(("enrol", lambda d=data: registrar.post(enrol_url, d)))
        for enrolment in to_exit:
            url = reverse("participants:exit", args=[enrolment.uuid])
            check = reverse("participants:exit_validate", args=[enrolment.uuid])
            tasks.append(("exit", lambda u=url: registrar.post(u, exit_data)))
            tasks.append(
                (
                    "check",
                    lambda c=check: registrar.post(
                        c, {"end_date": today.isoformat()}, **{"HX-Trigger-Name": "end_date"}
                    ),
                )
            )
        for i in range(LIVE_CHECKS):
            field = ("personal_number", "name", "start_date")[i % 3]
            data = enrol_data(numbers[i % ENROLMENTS])
            tasks.append(
                (
                    "check",
                    lambda d=data, f=field: registrar.post(
                        enrol_check_url, d, **{"HX-Trigger-Name": f}
                    ),
                )
            )
        submitted_text = {}
        for report in reports:
            autosave = reverse("reports:autosave", args=[report.pk])
            submit = reverse("reports:submit", args=[report.pk])
            text = FILLED["results"]
            for n in range(AUTOSAVES_PER_REPORT):
                text += f" Tillägg {n}."
                tasks.append(
                    (
                        "autosave",
                        lambda u=autosave, t=text: manager.post(
                            u, {"field": "results", "results": t}, **{"HX-Request": "true"}
                        ),
                    )
                )
            submitted_text[report.pk] = text
            tasks.append(("submit", lambda u=submit, t=text: manager.post(u, {"results": t})))
        # Shuffle in windows, so that each report's autosaves and submit race each other.
        random.Random(4).shuffle(tasks)

        results = []
        lock = threading.Lock()

        def run(task):
            kind, request = task
            status, body = request()
            with lock:
                results.append((kind, status, body))

        with ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(run, tasks))

    failures = [(kind, status, body[:300]) for kind, status, body in results if status >= 500]
    assert failures == []
    by_kind = {}
    for kind, status, _body in results:
        by_kind.setdefault(kind, []).append(status)
    # Saves redirect to the saved enrolment; checks answer; autosaves answer or, once the report
    # is submitted, say cleanly that it cannot change any more.
    assert by_kind["enrol"] == [302] * ENROLMENTS
    assert by_kind["exit"] == [302] * EXITS
    assert set(by_kind["check"]) == {200}
    assert set(by_kind["autosave"]) <= {200, 422}
    assert by_kind["submit"] == [302] * REPORTS
    # What was saved is exactly what the successful saves said.
    enrolled = Enrolment.objects.filter(initiative=initiative).exclude(
        pk__in=[e.pk for e in to_exit]
    )
    assert enrolled.count() == ENROLMENTS
    assert sorted(e.participant.personal_number for e in enrolled) == sorted(
        n.replace("-", "") for n in numbers
    )
    assert not Enrolment.objects.filter(pk__in=[e.pk for e in to_exit], end_date=None).exists()
    for report in InitiativeReport.objects.filter(pk__in=[r.pk for r in reports]):
        assert report.status == ReportStatus.SUBMITTED
        assert report.results == submitted_text[report.pk]
