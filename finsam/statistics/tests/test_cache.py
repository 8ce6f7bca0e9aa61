"""The statistics pages keep their computed tables per version of the data (issue 9): a page seen
again without a write reuses them, and every write the engine reads shows at once."""

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


def test_a_page_seen_again_reuses_its_tables(page, world, registrar_access, enrolment_input):  # noqa: F811
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
    assert active(page()) == [0, 0, 0, 0]
    # Registration.
    enrolment = services.enrolment_register(
        access=registrar_access, initiative=world.a_initiative, data=enrolment_input()
    )
    assert active(page()) == [0, 1, 0, 1]
    # Exit.
    services.enrolment_exit(access=registrar_access, enrolment=enrolment, data=exit_input())
    assert values(row(page()["headline"], "exited")) == [0, 1, 0, 1]
    # Correction: a wrong registration is not counted.
    enrolment.refresh_from_db()
    wrong = Code.objects.get(code_list=CodeList.EXIT_REASON, code="felregistrering")
    services.enrolment_correct(
        access=registrar_access,
        enrolment=enrolment,
        changes={"exit_reason": wrong},
        reason="Fel person",
    )
    assert active(page()) == [0, 0, 0, 0]
    # The bulk registration of an import (no signals).
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
    world.a_initiative.target_groups.add(group)
    assert active(page(f"&target_group={group.pk}")) == [1, 0, 0, 1]
    # A code list's new wording (bulk writes too).
    before = {r.key: r.label for r in page()["education"].rows}
    data = read_code_list(DATA_DIR / "code_lists" / "education.json")
    for code_row in data["codes"]:
        if code_row["code"] == "gymnasial":
            code_row["labels"] = {"sv": "Gymnasieutbildning", "en": "Upper secondary school"}
    data.update(valid_from=today.isoformat(), wording_changes=["gymnasial"])
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
    assert client_for(world.b_secretariat).get(b_page).status_code == 200
    operator = client_for(world.operator)
    assert tables(operator.get(national))["headline"].total.total.display == "0"
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


def test_a_transaction_bumps_at_once_and_once_more_when_it_commits(
    django_capture_on_commit_callbacks,
):
    association_id = 987_654  # no other write of this test's transaction bumps it
    first = data_version.current([association_id])
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        data_version.changed([association_id])
        during = data_version.current([association_id])
        data_version.changed([association_id])
        assert data_version.current([association_id]) != during
    assert during != first
    assert len(callbacks) == 1
    before_commit = data_version.current([association_id])
    callbacks[0]()
    assert data_version.current([association_id]) != before_commit
