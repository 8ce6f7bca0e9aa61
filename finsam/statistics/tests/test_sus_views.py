"""The SUS report pages: selection, permissions for every role, suppression, XLSX read back."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finsam.statistics.tests.test_sus_registrations import build_known

INITIATIVES = reverse("statistics:sus_initiative_report")
PARTICIPANTS = reverse("statistics:sus_participant_report")
YEAR = {"period_start": "2021-01-01", "period_end": "2021-12-31"}
A_ROLES = ["operator", "secretariat", "board", "analyst"]
SCOPED_ROLES = ["manager", "registrar", "applicant"]


@pytest.fixture
def known(world):
    return build_known(world)


def rows_of(content):
    workbook = load_workbook(io.BytesIO(content))
    return workbook, [row for sheet in workbook for row in sheet.iter_rows(values_only=True)]


def row_starting(rows, label):
    return next(row for row in rows if row and row[0] == label)


# --- Insatsrapport ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", A_ROLES)
def test_association_wide_roles_see_the_association_report(world, client_for, known, role):
    response = client_for(world.user(role)).get(INITIATIVES, YEAR)
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["scope"].kind == "association"
    for name in ("Cresco Create", "Level Upgrade", "Hälsoskolan"):
        assert name in html
    assert "Rätt Hjälp" not in html  # association B
    assert f'href="/initiatives/{known.x.pk}/"' in html
    assert "Små antal visas inte" not in html


@pytest.mark.parametrize("role", SCOPED_ROLES)
def test_initiative_roles_see_only_their_initiative(world, client_for, known, role):
    client = client_for(world.user(role))
    response = client.get(INITIATIVES, YEAR)
    assert response.status_code == 200
    assert response.context["scope"].kind == "initiative"
    assert [line.initiative for line in response.context["report"].lines] == [known.x]
    values = [v for v, _label in response.context["scope_groups"][0][1]]
    assert values == [f"initiative-{known.x.pk}"]
    assert client.get(INITIATIVES, {**YEAR, "scope": "association"}).status_code == 403
    assert client.get(INITIATIVES, {**YEAR, "scope": f"initiative-{known.y.pk}"}).status_code == 404


def test_users_without_a_role_get_403(world, client_for):
    client = client_for(world.no_role)
    assert client.get(INITIATIVES).status_code == 403
    assert client.get(PARTICIPANTS).status_code == 403


@pytest.mark.parametrize("role", ["b_secretariat", "b_registrar"])
def test_association_b_cannot_reach_a(world, client_for, known, role):
    client = client_for(world.user(role))
    assert client.get(INITIATIVES, {**YEAR, "scope": f"initiative-{known.x.pk}"}).status_code == 404
    assert (
        client.get(PARTICIPANTS, {**YEAR, "scope": f"initiative-{known.x.pk}"}).status_code == 404
    )
    html = client.get(INITIATIVES, YEAR).content.decode()
    assert "Cresco Create" not in html


def test_a_malformed_scope_is_404(world, client_for):
    client = client_for(world.secretariat)
    for value in ("initiative-x", "region", "galaxy", "national-3"):
        assert client.get(INITIATIVES, {"scope": value}).status_code == 404


def test_the_page_answers_without_any_choice(world, client_for, known):
    response = client_for(world.secretariat).get(INITIATIVES)
    assert response.status_code == 200
    assert response.context["report"] is not None


def test_a_period_shorter_than_a_month_is_refused_in_swedish(world, client_for, known):
    client = client_for(world.secretariat)
    response = client.get(INITIATIVES, {"period_start": "2021-03-01", "period_end": "2021-03-20"})
    assert response.status_code == 200
    assert "Perioden ska vara minst en månad, som i SUS." in response.content.decode()
    assert response.context["report"] is None
    bad = client.get(
        INITIATIVES, {"period_start": "2021-03-01", "period_end": "2021-03-20", "export": "xlsx"}
    )
    assert bad.status_code == 400


def test_a_reversed_period_is_refused(world, client_for, known):
    response = client_for(world.secretariat).get(
        INITIATIVES, {"period_start": "2021-12-01", "period_end": "2021-01-01"}
    )
    assert "Periodens startdatum måste vara före eller samma som slutdatumet." in (
        response.content.decode()
    )


def test_chosen_variables_limit_the_columns(world, client_for, known):
    response = client_for(world.secretariat).get(
        INITIATIVES, {**YEAR, "variable": ["budget", "new"]}
    )
    assert [c["key"] for c in response.context["columns"]] == ["new", "budget"]
    html = response.content.decode()
    assert "Preciserad inriktning" in html  # the checkbox is still offered
    assert "1\xa0000\xa0000" in html


def test_the_initiative_report_is_suppressed_nationally_and_says_so(world, client_for, known):
    response = client_for(world.secretariat).get(INITIATIVES, {**YEAR, "scope": "national"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Små antal visas inte" in html
    assert "1–4" in html
    assert "Rätt Hjälp" in html
    # Association B's initiative is not linked: it is not visible to A.
    assert f'href="/initiatives/{world.b_initiative.pk}/"' not in html


def test_the_initiative_report_downloads_as_xlsx(world, client_for, known):
    response = client_for(world.secretariat).get(INITIATIVES, {**YEAR, "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        "insatsrapport-samordningsforbundet-a-2021-01-01-2021-12-31.xlsx"
        in (response["Content-Disposition"])
    )
    workbook, rows = rows_of(response.content)
    assert workbook.sheetnames == ["Insatsrapport"]
    header = row_starting(rows, "Insats")
    assert header[1:4] == ("Beskrivning (syfte)", "Samordningsförbund", "Startdatum")
    new_at = header.index("Nya deltagare under perioden")
    x = row_starting(rows, "Cresco Create")
    assert x[new_at : new_at + 3] == (1, 3, 4)
    budget_at = header.index("Budget, insatskostnad (kr)")
    assert x[budget_at] == 1_000_000
    v = row_starting(rows, "Hälsoskolan")
    volume_at = header.index("Deltagare i volyminsats")
    assert v[volume_at : volume_at + 3] == (4, 2, 6)
    assert v[new_at] == "–"
    total = row_starting(rows, "Totalt")
    assert total[new_at : new_at + 3] == (2, 3, 5)
    assert total[budget_at] == 1_100_000


def test_the_national_xlsx_never_holds_a_small_count(world, client_for, known):
    response = client_for(world.secretariat).get(
        INITIATIVES, {**YEAR, "scope": "national", "export": "xlsx"}
    )
    _workbook, rows = rows_of(response.content)
    header = row_starting(rows, "Insats")
    start = header.index("Nya deltagare under perioden")
    end = header.index("Deltagare i volyminsats") + 3
    for row in rows[rows.index(header) + 2 :]:
        for value in row[start:end]:
            assert not (isinstance(value, int) and 1 <= value <= 4)
    assert any("1–4" in str(row[0]) or "1–4" in row for row in rows)


def test_the_initiative_report_query_count_does_not_grow(world, client_for, known):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from finsam.initiatives.tests.factories import InitiativeFactory

    client = client_for(world.secretariat)
    client.get(INITIATIVES, YEAR)
    with CaptureQueriesContext(connection) as few:
        client.get(INITIATIVES, YEAR)
    for n in range(27):
        InitiativeFactory(association=world.a, name=f"Extra {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(INITIATIVES, YEAR)
    assert len(many) == len(few)


# --- Standardrapport deltagare ---------------------------------------------------------------


@pytest.mark.parametrize("role", A_ROLES + SCOPED_ROLES)
def test_every_role_of_a_sees_the_participant_report(world, client_for, known, role):
    response = client_for(world.user(role)).get(PARTICIPANTS, YEAR)
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("1. Sysselsättning före och efter", "5. Försörjning efter", "6. Tid i insatsen"):
        assert title in html
    assert html.count("<svg") >= 5


def test_the_participant_report_shows_the_figures(world, client_for, known):
    response = client_for(world.secretariat).get(
        PARTICIPANTS, {**YEAR, "report": ["occupation_groups", "income"]}
    )
    html = response.content.decode()
    assert [s["key"] for s in response.context["sections"]] == ["occupation_groups", "income"]
    assert "Aktivt arbetssökande som ej arbetar eller studerar" in html
    assert "−100 %" in html  # social assistance 2 → 0
    assert "+100 %" in html  # work 1 → 2
    assert "Små antal visas inte" not in html


def test_the_transition_follows_the_chosen_income_source(world, client_for, known):
    response = client_for(world.secretariat).get(
        PARTICIPANTS, {**YEAR, "report": "transition", "income_before": "sjukpenning"}
    )
    transition = response.context["report"].transition
    assert transition.code.code == "sjukpenning"
    assert "Övergångstabell" in response.content.decode()


def test_an_unknown_income_source_is_refused(world, client_for, known):
    response = client_for(world.secretariat).get(
        PARTICIPANTS, {**YEAR, "income_before": "lotterivinst"}
    )
    assert "Välj en försörjningskälla i listan." in response.content.decode()
    assert response.context["report"] is None


def test_the_participant_report_is_suppressed_in_a_region(world, client_for, known):
    from finsam.reference.models import Municipality

    skovde = Municipality.objects.get(name="Skövde")
    world.a.municipalities.add(skovde)
    response = client_for(world.analyst).get(
        PARTICIPANTS, {**YEAR, "scope": f"region-{skovde.region_id}"}
    )
    assert response.status_code == 200
    assert response.context["scope"].suppress
    html = response.content.decode()
    assert "Små antal visas inte" in html
    assert "1–4" in html


def test_the_participant_report_downloads_as_xlsx(world, client_for, known):
    response = client_for(world.secretariat).get(PARTICIPANTS, {**YEAR, "export": "xlsx"})
    assert response.status_code == 200
    workbook, _rows = rows_of(response.content)
    assert len(workbook.sheetnames) == 6
    groups = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert row_starting(groups, "Avslutade under perioden")[1:5] == (2, 2, 0, 4)
    work = row_starting(groups, "Förvärvsarbete")
    # before K M T, after K M T, change K M T, change % K M T
    assert work[1:13] == (0, 1, 1, 1, 1, 2, 1, 0, 1, "–", 0, 100)
    transition = list(workbook.worksheets[4].iter_rows(values_only=True))
    assert row_starting(transition, "Lön/inkomst av arbete")[1:5] == (1, 0, 0, 1)
    header = row_starting(transition, "Före (rad) / efter (kolumn)")
    social = [r for r in transition if r and r[0] == "Försörjningsstöd (ekonomiskt bistånd)"][-1]
    assert social[1] == 2
    assert social[header.index("Lön/inkomst av arbete")] == 1


def test_the_national_participant_xlsx_hides_small_counts(world, client_for, known):
    response = client_for(world.secretariat).get(
        PARTICIPANTS, {**YEAR, "scope": "national", "export": "xlsx"}
    )
    workbook, _rows = rows_of(response.content)
    sheet = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert row_starting(sheet, "Avslutade under perioden")[1:5] == ("1–4", "1–4", 0, 5)


def test_a_quick_pick_sets_the_period_and_the_download_follows_it(world, client_for, known):
    response = client_for(world.secretariat).get(
        PARTICIPANTS, {**YEAR, "preset": "t1", "report": "time"}
    )
    flt = response.context["report"].flt
    assert (flt.period_start.isoformat(), flt.period_end.isoformat()) == (
        "2021-01-01",
        "2021-04-30",
    )
    url = response.context["export_url"]
    assert "period_end=2021-04-30" in url and "preset" not in url and "report=time" in url
