"""Two submits of one link at the same time: exactly one Response (PostgreSQL: row locks)."""

import threading

import pytest
from django.db import connection, connections

from finsam.core.access import Access
from finsam.questionnaires import services
from finsam.questionnaires.models import Draft, Response
from finsam.questionnaires.tests.factories import invitation

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no row locks to race on"
)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_one_link_store_one_response(world):
    token, inv = invitation(world.a)
    Draft.objects.create(invitation=inv, answers={"D01": {"choice": "6"}})
    access = Access.respondent(token, world.a)
    barrier = threading.Barrier(4)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            services.submit(access, token)
            outcomes.append("ok")
        except services.TokenProblem as problem:
            outcomes.append(problem.reason)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "used", "used", "used"]
    assert Response.objects.count() == 1
    assert Response.objects.get().answers.get().choice_code == "6"
