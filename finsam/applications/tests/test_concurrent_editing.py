"""Concurrent saves of one application's answers and concurrent submissions, against a real
threaded server (finsam.core.tests.server): never a 500, one winner per lock_version, one diary
number."""

import http.client
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.urls import reverse

from finsam.applications.models import Application
from finsam.applications.tests.factories import ApplicationFactory, RoundFactory
from finsam.applications.workflow import Status
from finsam.core.tests.server import CSRF_TOKEN, cookies, running_server

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 6


class Browser:
    def __init__(self, user):
        self.address = None
        self.cookie = "; ".join(f"{k}={v}" for k, v in cookies(user).items())

    def post(self, path, data):
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
                    "HX-Request": "true",
                },
            )
            response = connection.getresponse()
            return response.status, response.read().decode()
        finally:
            connection.close()


def test_concurrent_autosaves_and_submissions_never_fail(world, tmp_path):
    application = ApplicationFactory(
        round=RoundFactory(association=world.a), organisation=world.a_organisation
    )
    browser = Browser(world.applicant_org)
    autosave = reverse("applications:autosave", args=[application.pk, "goals"])
    submit = reverse("applications:submit", args=[application.pk])
    with running_server(tmp_path) as base:
        browser.address = urllib.parse.urlsplit(base).netloc
        start = threading.Barrier(THREADS)

        def save(n):
            start.wait()
            return browser.post(autosave, {"lock_version": 0, "goals": f"Mål {n}", "other": ""})

        with ThreadPoolExecutor(THREADS) as pool:
            saves = list(pool.map(save, range(THREADS)))
        assert all(status < 500 for status, _body in saves), saves
        # All were based on version 0: one is saved, the others are told and change nothing.
        assert sorted(status for status, _body in saves) == [200] + [422] * (THREADS - 1)
        assert all("Någon annan har sparat" in body for status, body in saves if status == 422)

        start = threading.Barrier(THREADS)

        def send(_n):
            start.wait()
            return browser.post(submit, {})

        with ThreadPoolExecutor(THREADS) as pool:
            submissions = list(pool.map(send, range(THREADS)))
        assert all(status == 302 for status, _body in submissions), submissions
    application = Application.objects.get(pk=application.pk)
    assert application.status == Status.SUBMITTED
    assert application.diary_number
    assert application.revisions.count() == 1
    assert application.steps.filter(transition="submit").count() == 1
    assert application.lock_version == 1
    winner = next(body for status, body in saves if status == 200)
    assert "Sparat" in winner
    assert application.answers["goals"].startswith("Mål ")
