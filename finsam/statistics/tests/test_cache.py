"""The statistics pages keep their computed tables per version of the data (issue 9): a page seen
again without a write reuses them, and every write the engine reads shows at once.

The tests run in a transaction that never commits: `committed()` runs the versions' on-commit
work as a commit would (until then the transaction computes its pages without the cache)."""

import contextlib
import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from finsam.core import data_version
from finsam.participants import services
from finsam.participants.tests.conftest import (  # noqa: F401 (fixtures)
    PN_WOMAN,
    codes,
    enrolment_input,
    exit_input,
    registrar_access,
    today,
)
from finsam.reference.loading import DATA_DIR, load_code_list, read_code_list
from finsam.reference.models import Code, CodeList
from finsam.statistics.tests.test_views import row, tables, values

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def committed():
    yield
    for _sids, func, _robust in list(connection.run_on_commit):
        if getattr(func, "statistics_parts", None) is not None and not func.done:
            func()
    assert not data_version.pending()


@pytest.fixture
def page(world, client_for, today):  # noqa: F811
    client = client_for(world.secretariat)
    start = today - datetime.timedelta(days=400)
    base = f"/statistics/association/{world.a.pk}/?period_start={start}&period_end={today}"

    def get(query=""):
        response = client.get(base + query)
        assert response.status_code == 200
        return tables(response)

    return get


def active(t):
    return values(row(t["headline"], "active"))


def test_a_page_seen_again_reuses_its_tables(
    page,
    world,
    registrar_access,  # noqa: F811
    enrolment_input,  # noqa: F811
):
    with committed():
        services.enrolment_register(
            access=registrar_access, initiative=world.a_initiative, data=enrolment_input()
        )
    with CaptureQueriesContext(connection) as first:
        assert active(page()) == [0, 1, 0, 1]
    with CaptureQueriesContext(connection) as again:
        assert active(page()) == [0, 1, 0, 1]
    assert len(again) < len(first) - 10


def test_every_write_the_engine_reads_shows_at_once(
    page,
    world,
    registrar_access,  # noqa: F811
    enrolment_input,  # noqa: F811
    exit_input,  # noqa: F811
    codes,  # noqa: F811
    today,  # noqa: F811
):
    with committed():
        pass  # the test's setup
    assert active(page()) == [0, 0, 0, 0]
    # Registration: its own transaction sees it before it commits (without the cache)...
    enrolment = services.enrolment_register(
        access=registrar_access, initiative=world.a_initiative, data=enrolment_input()
    )
    assert data_version.pending()
    assert active(page()) == [0, 1, 0, 1]
    # ... and everybody after.
    with committed():
        pass
    assert active(page()) == [0, 1, 0, 1]
    # Exit.
    with committed():
        services.enrolment_exit(access=registrar_access, enrolment=enrolment, data=exit_input())
    assert values(row(page()["headline"], "exited")) == [0, 1, 0, 1]
    # Correction: a wrong registration is not counted.
    enrolment.refresh_from_db()
    wrong = Code.objects.get(code_list=CodeList.EXIT_REASON, code="felregistrering")
    with committed():
        services.enrolment_correct(
            access=registrar_access,
            enrolment=enrolment,
            changes={"exit_reason": wrong},
            reason="Fel person",
        )
    assert active(page()) == [0, 0, 0, 0]
    # The bulk registration of an import (no signals).
    with committed():
        results = services.enrolments_register_many(
            access=registrar_access,
            initiative=world.a_initiative,
            items=[enrolment_input(personal_number=PN_WOMAN)],
        )
    assert not isinstance(results[0], Exception)
    assert active(page()) == [1, 0, 0, 1]
    # The initiative's target groups (the filter by target group).
    group = Code.objects.get(code_list=CodeList.TARGET_GROUP, code="unga-16-29")
    assert active(page(f"&target_group={group.pk}")) == [0, 0, 0, 0]
    with committed():
        world.a_initiative.target_groups.add(group)
    assert active(page(f"&target_group={group.pk}")) == [1, 0, 0, 1]
    # A code list's new wording (bulk writes too).
    before = {r.key: r.label for r in page()["education"].rows}
    data = read_code_list(DATA_DIR / "code_lists" / "education.json")
    for code_row in data["codes"]:
        if code_row["code"] == "gymnasial":
            code_row["labels"] = {"sv": "Gymnasieutbildning", "en": "Upper secondary school"}
    data.update(valid_from=today.isoformat(), wording_changes=["gymnasial"])
    with committed():
        load_code_list(data)
    after = {r.key: r.label for r in page()["education"].rows}
    assert before != after
    assert "Gymnasieutbildning" in after.values()


def test_a_write_changes_the_national_page_and_leaves_other_associations_cached(
    world,
    client_for,
    registrar_access,  # noqa: F811
    enrolment_input,  # noqa: F811
    today,  # noqa: F811
):
    start = today - datetime.timedelta(days=400)
    query = f"?period_start={start}&period_end={today}&totals_only=on"
    b_page = f"/statistics/association/{world.b.pk}/{query}"
    national = f"/statistics/national/{query}"
    with committed():
        pass  # the test's setup
    assert client_for(world.b_secretariat).get(b_page).status_code == 200
    operator = client_for(world.operator)
    assert tables(operator.get(national))["headline"].total.total.display == "0"
    with committed():
        services.enrolment_register(
            access=registrar_access, initiative=world.a_initiative, data=enrolment_input()
        )
    # National figures are suppressed: one participant shows as a small count.
    with CaptureQueriesContext(connection) as national_again:
        assert tables(operator.get(national))["headline"].total.total.suppressed
    b_client = client_for(world.b_secretariat)
    with CaptureQueriesContext(connection) as b_again:
        assert b_client.get(b_page).status_code == 200
    assert len(b_again) < len(national_again) - 10


def test_a_transaction_changes_the_version_once_when_it_commits(world):
    association_id = 987_654  # no other write of this test's transaction names it
    first = data_version.current([association_id])
    with committed(), transaction.atomic():
        data_version.changed([association_id])
        data_version.changed([association_id])
        assert data_version.current([association_id]) == first  # nobody else sees the rows yet
        assert data_version.pending()
        pending = [f for _s, f, _r in connection.run_on_commit if hasattr(f, "statistics_parts")]
        assert [f.statistics_parts for f in pending if not f.done].count(("987654",)) == 1
    assert data_version.current([association_id]) != first
