"""Two submits of one review at the same moment (a double click, two tabs): one review, one
submit, the other refused with a message (real concurrent transactions on PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from finsam.applications.tests.factories import ApplicationFactory, RoundFactory
from finsam.applications.workflow import Status
from finsam.preparation import services
from finsam.preparation.models import Review, Verdict
from finsam.preparation.tests.test_services import ALL_FOUR
from finsam.staff.access import build_access


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers on one database lock: no two submits can race there.",
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_one_review_store_one(world):
    application = ApplicationFactory(
        round=RoundFactory(association=world.a),
        organisation=world.a_organisation,
        status=Status.PREPARATION,
    )
    n = 4
    start = threading.Barrier(n)
    outcomes = []

    def work():
        try:
            start.wait(timeout=20)
            services.review_save(
                access=build_access(world.reviewer, world.a.pk),
                application=application,
                scores=ALL_FOUR,
                recommendation=Verdict.GRANT,
                submit=True,
            )
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        except Exception as exc:  # asserted below
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(map(str, outcomes)) == sorted(
        ["ok"] + ["Du har redan lämnat in din bedömning av ansökan."] * (n - 1)
    )
    assert Review.objects.filter(application=application).count() == 1
