"""Importing files end to end through the page: all rows saved, or none and every error shown."""

import datetime
import re

import pytest
from django.urls import reverse

from finsam.audit.models import AccessEvent, Action
from finsam.participants.imports import import_file
from finsam.participants.models import Consent, Enrolment, Participant
from finsam.participants.services import ConsentInput, EnrolmentInput, enrolment_register
from finsam.participants.tests.test_import_support import (
    PNR_BAD_CHECK,
    PNR_MAN,
    PNR_OTHER,
    PNR_WOMAN,
    anonymous_row,
    codes,
    csv_bytes,
    in_row,
    out_row,
    upload,
    xlsx_bytes,
)
from finsam.participants.tests.test_import_views import counts


@pytest.fixture
def c(world):
    return codes()


def post(client, initiative, content, name):
    return client.post(
        reverse("participant_import:upload", args=[initiative.pk]),
        {"file": upload(content, name)},
        follow=True,
    )


def error_rows(response):
    """The error table as "Rad N, kolumn X: message" strings."""
    html = response.content.decode()
    if 'id="import-errors"' not in html:
        return []
    body = html.split('id="import-errors"', 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td><td>(.*?)</td></tr>", body)
    return [f"Rad {r}, kolumn {col}: {msg}" for r, col, msg in rows]


def everything():
    return (*counts(), AccessEvent.objects.count())


def access_for(registrar):
    from finsam.staff.access import build_access

    return build_access(registrar)


def register_in_db(world, personal_number, start):
    return enrolment_register(
        access=access_for(world.registrar),
        initiative=world.a_initiative,
        data=EnrolmentInput(
            start_date=start,
            personal_number=personal_number,
            consent=ConsentInput(given_on=start, method="paper", form_version="FK 9443"),
        ),
    )


MIXED = [
    in_row(PNR_MAN),  # row 2
    in_row(PNR_WOMAN, namn="", **{"försörjningskälla före": ""}),  # row 3
    anonymous_row(),  # row 4
    in_row(  # row 5: in and out at once
        PNR_OTHER,
        startdatum="2024-03-01",
        **{"samtycke datum": "2024-03-01"},
        slutdatum="2024-09-30",
        avslutsanledning="Imp enligt plan",
    ),
    out_row(PNR_MAN),  # row 6: closes row 2
    anonymous_row(
        anonym="skyddad identitet",
        kön="man",
        ålder="",
        slutdatum="2025-03-01",
        avslutsanledning="imp-plan",
    ),  # row 7
]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("deltagare.xlsx", lambda: xlsx_bytes(MIXED)),
        ("deltagare.xlsx", lambda: xlsx_bytes(MIXED, typed=True)),
        ("deltagare.csv", lambda: csv_bytes(MIXED, delimiter=";")),
        ("deltagare.csv", lambda: csv_bytes(MIXED, delimiter=",", bom=False)),
    ],
    ids=["xlsx", "xlsx-typed", "csv-semicolon", "csv-comma"],
)
def test_a_good_file_of_mixed_rows_is_imported(world, client_for, c, name, content):
    response = post(client_for(world.registrar), world.a_initiative, content(), name)

    assert error_rows(response) == []
    assert "Importen är klar: 5 inregistreringar och 3 utregistreringar sparades." in (
        response.content.decode()
    )
    assert Participant.objects.count() == 3
    assert Consent.objects.count() == 3
    enrolments = Enrolment.objects.filter(initiative=world.a_initiative)
    assert enrolments.count() == 5
    assert enrolments.filter(participant__isnull=True).count() == 2
    assert enrolments.filter(end_date__isnull=True).count() == 2

    man = enrolments.get(
        participant__personal_number_hash__isnull=False,
        gender="man",
        start_date=datetime.date(2025, 2, 3),
    )
    assert man.end_date == datetime.date(2025, 6, 30)
    assert man.exit_reason == c["exit"]
    assert man.home_municipality == c["municipality"]
    assert set(man.income_sources_before.all()) == {c["income_a"], c["income_b"]}
    assert list(man.income_sources_after.all()) == [c["income_a"]]
    assert man.occupation_before == c["occupation"]
    assert man.occupation_extent_before == 50
    assert man.occupation_extent_after == 100
    assert man.education == c["education"]
    assert man.time_outside_work == c["time"]
    assert man.referrer == c["referrer"]
    assert man.age_at_start == 43
    assert man.consent.method == "paper"
    assert man.consent.form_version == "FK 9443"

    anonymous = enrolments.get(anonymous_reason="no_consent")
    assert (anonymous.gender, anonymous.age_at_start) == ("woman", 34)
    assert anonymous.end_date is None
    protected = enrolments.get(anonymous_reason="protected_identity")
    assert protected.end_date == datetime.date(2025, 3, 1)

    events = AccessEvent.objects.filter(channel="import")
    assert events.filter(action=Action.CREATE).count() == 3
    assert events.filter(action=Action.EXIT).count() == 2
    assert not AccessEvent.objects.exclude(channel="import").exists()


def test_an_out_row_closes_an_enrolment_already_in_finsam(world, client_for, c):
    enrolment = register_in_db(world, PNR_WOMAN, datetime.date(2025, 2, 3))
    response = post(
        client_for(world.registrar),
        world.a_initiative,
        csv_bytes([out_row(PNR_WOMAN.replace("-", ""))]),
        "ut.csv",
    )
    assert "Importen är klar: 0 inregistreringar och 1 utregistrering sparades." in (
        response.content.decode()
    )
    enrolment.refresh_from_db()
    assert enrolment.end_date == datetime.date(2025, 6, 30)
    assert enrolment.exit_reason == c["exit"]


@pytest.mark.parametrize(
    ("bad_row", "expected"),
    [
        (
            in_row(PNR_WOMAN, personnummer=PNR_BAD_CHECK),
            "Rad 3, kolumn personnummer: Kontrollsiffran stämmer inte.",
        ),
        (
            in_row(
                PNR_WOMAN,
                **{"samtycke datum": "", "samtycke sätt": "", "samtycke blankettversion": ""},
            ),
            "Rad 3, kolumn samtycke datum: Samtycke krävs innan personuppgifter registreras.",
        ),
        (
            in_row(PNR_WOMAN, **{"samtycke datum": "2024-01-01"}),
            "Rad 3, kolumn samtycke datum: Samtycket är daterat mer än 90 dagar",
        ),
        (
            in_row(PNR_WOMAN, slutdatum="2025-01-01", avslutsanledning="imp-plan"),
            "Rad 3, kolumn slutdatum: Slutdatum kan inte vara före startdatum.",
        ),
        (
            out_row(PNR_MAN, slutdatum="2025-01-31"),
            "Rad 3, kolumn slutdatum: Slutdatum kan inte vara före startdatum.",
        ),
        (
            in_row(PNR_WOMAN, utbildningsnivå="doktorsexamen"),
            "Rad 3, kolumn utbildningsnivå: Okänd kod ”doktorsexamen”.",
        ),
        (
            out_row(PNR_MAN, avslutsanledning="rymt"),
            "Rad 3, kolumn avslutsanledning: Okänd kod ”rymt”.",
        ),
        (in_row(PNR_WOMAN, hemkommun="Gotham"), "Rad 3, kolumn hemkommun: Okänd kommun ”Gotham”."),
        (
            in_row(PNR_WOMAN, startdatum="2099-01-01"),
            "Rad 3, kolumn startdatum: Startdatumet får inte ligga i framtiden.",
        ),
        (anonymous_row(kön=""), "Rad 3, kolumn kön: Ange kön"),
        (anonymous_row(ålder="300"), "Rad 3, kolumn ålder: Ange en ålder mellan 0 och 120 år."),
    ],
)
def test_a_bad_row_is_reported_by_row_and_column_and_nothing_is_saved(
    world, client_for, c, bad_row, expected
):
    before = everything()
    response = post(
        client_for(world.registrar),
        world.a_initiative,
        xlsx_bytes([in_row(PNR_MAN), bad_row]),
        "fel.xlsx",
    )
    content = response.content.decode()
    errors = error_rows(response)
    assert any(e.startswith(expected) for e in errors), errors
    assert all(e.startswith("Rad 3") for e in errors), errors  # row 2 is fine
    assert "Inget har sparats." in content
    assert "Importen är klar" not in content
    assert everything() == before


def test_every_error_of_the_file_is_reported_at_once(world, client_for, c):
    rows = [
        in_row(PNR_MAN, personnummer=PNR_BAD_CHECK),
        in_row(PNR_WOMAN),
        in_row(PNR_OTHER, hemkommun="Gotham", utbildningsnivå="x"),
        out_row(PNR_WOMAN, avslutsanledning=""),
    ]
    before = everything()
    response = post(client_for(world.registrar), world.a_initiative, csv_bytes(rows), "f.csv")
    assert error_rows(response) == [
        "Rad 2, kolumn personnummer: Kontrollsiffran stämmer inte. Kontrollera att "
        "personnumret är rätt skrivet.",
        "Rad 4, kolumn hemkommun: Okänd kommun ”Gotham”. Ange kommunkoden med fyra siffror "
        "eller kommunens namn (se fliken Kommuner i mallen).",
        "Rad 4, kolumn utbildningsnivå: Okänd kod ”x”. Tillåtna värden finns på fliken "
        "Utbildningsnivå i mallen.",
        "Rad 5, kolumn avslutsanledning: Ange avslutsanledning.",
    ]
    assert "Importen stoppades: filen har 4 fel." in response.content.decode()
    assert everything() == before


def test_the_same_person_twice_in_the_file_is_an_error(world, client_for, c):
    rows = [in_row(PNR_MAN), in_row(PNR_MAN, startdatum="2025-03-01")]
    response = post(client_for(world.registrar), world.a_initiative, csv_bytes(rows), "f.csv")
    assert error_rows(response) == [
        "Rad 3, kolumn personnummer: Personen registreras redan in på rad 2 och är inte "
        "utregistrerad före denna rad."
    ]
    assert Enrolment.objects.count() == 0


def test_the_same_person_may_re_enter_after_an_exit_in_the_file(world, client_for, c):
    rows = [
        in_row(PNR_MAN),
        out_row(PNR_MAN),
        in_row(PNR_MAN, startdatum="2025-08-01", **{"samtycke datum": "2025-08-01"}),
    ]
    response = post(client_for(world.registrar), world.a_initiative, csv_bytes(rows), "f.csv")
    assert error_rows(response) == []
    assert Enrolment.objects.filter(participant__isnull=False).count() == 2
    assert Participant.objects.count() == 1


def test_a_person_already_active_in_finsam_cannot_be_registered_again(world, client_for, c):
    register_in_db(world, PNR_MAN, datetime.date(2025, 1, 10))
    before = everything()
    response = post(
        client_for(world.registrar), world.a_initiative, csv_bytes([in_row(PNR_MAN)]), "f.csv"
    )
    errors = error_rows(response)
    assert len(errors) == 1
    assert errors[0].startswith(
        "Rad 2, kolumn personnummer: Personen har redan ett pågående deltagande i insatsen"
    )
    assert PNR_MAN not in response.content.decode()
    assert everything() == before


def test_an_out_row_before_its_in_row_says_so(world, client_for, c):
    rows = [out_row(PNR_MAN), in_row(PNR_MAN)]
    response = post(client_for(world.registrar), world.a_initiative, csv_bytes(rows), "f.csv")
    assert error_rows(response) == [
        "Rad 2, kolumn startdatum: Ut-raden måste komma efter in-raden (rad 3)."
    ]


def test_an_out_row_for_a_failed_in_row_points_to_it(world, client_for, c):
    rows = [in_row(PNR_MAN, hemkommun="Gotham"), out_row(PNR_MAN)]
    response = post(client_for(world.registrar), world.a_initiative, csv_bytes(rows), "f.csv")
    errors = error_rows(response)
    assert errors[-1] == (
        "Rad 3, kolumn startdatum: Inregistreringen på rad 2 har fel. Rätta den raden först."
    )


def test_an_out_row_without_a_matching_enrolment_is_an_error(world, client_for, c):
    register_in_db(world, PNR_MAN, datetime.date(2025, 1, 10))
    rows = [out_row(PNR_MAN), out_row(PNR_WOMAN)]
    response = post(client_for(world.registrar), world.a_initiative, csv_bytes(rows), "f.csv")
    assert error_rows(response) == [
        "Rad 2, kolumn startdatum: Personens pågående deltagande i insatsen har ett annat "
        "startdatum (2025-01-10). Ange det startdatumet.",
        "Rad 3, kolumn startdatum: Det finns inget pågående deltagande i insatsen för personen "
        "med detta startdatum.",
    ]


def test_an_out_row_for_an_exited_enrolment_is_an_error(world, client_for, c):
    rows = [in_row(PNR_MAN), out_row(PNR_MAN), out_row(PNR_MAN, slutdatum="2025-07-01")]
    response = post(client_for(world.registrar), world.a_initiative, csv_bytes(rows), "f.csv")
    assert error_rows(response) == [
        "Rad 4, kolumn slutdatum: Deltagandet med detta startdatum är redan utregistrerat."
    ]
    assert Enrolment.objects.count() == 0


def test_an_out_row_cannot_reach_a_person_enrolled_in_another_initiative(world, client_for, c):
    from finsam.accounts.tests.factories import InitiativeAssignmentFactory
    from finsam.core.roles import Role

    InitiativeAssignmentFactory(user=world.registrar, initiative=world.a_other, role=Role.REGISTRAR)
    access = access_for(world.registrar)
    enrolment_register(
        access=access,
        initiative=world.a_other,
        data=EnrolmentInput(
            start_date=datetime.date(2025, 2, 3),
            personal_number=PNR_MAN,
            consent=ConsentInput(
                given_on=datetime.date(2025, 2, 3), method="paper", form_version="1"
            ),
        ),
    )
    response = post(
        client_for(world.registrar), world.a_initiative, csv_bytes([out_row(PNR_MAN)]), "f.csv"
    )
    assert len(error_rows(response)) == 1
    assert Enrolment.objects.get().end_date is None


def test_the_import_service_rolls_back_inside_an_outer_transaction(world, c):
    """Called outside a request (e.g. from a command), a failing import still saves nothing."""
    before = everything()
    result = import_file(
        access=access_for(world.registrar),
        initiative=world.a_initiative,
        uploaded=upload(csv_bytes([in_row(PNR_MAN), in_row(PNR_BAD_CHECK)]), "f.csv"),
    )
    assert not result.ok
    assert (result.enrolled, result.exited) == (0, 0)
    assert [str(e) for e in result.errors] == [
        "Rad 3, kolumn personnummer: Kontrollsiffran stämmer inte. Kontrollera att "
        "personnumret är rätt skrivet."
    ]
    assert everything() == before


def test_the_import_to_a_volume_initiative_is_refused(world, c):
    from finsam.accounts.tests.factories import InitiativeAssignmentFactory
    from finsam.core.roles import Role
    from finsam.initiatives.tests.factories import InitiativeFactory

    volume = InitiativeFactory(association=world.a, volume=True)
    InitiativeAssignmentFactory(user=world.registrar, initiative=volume, role=Role.REGISTRAR)
    result = import_file(
        access=access_for(world.registrar),
        initiative=volume,
        uploaded=upload(csv_bytes([in_row(PNR_MAN)]), "f.csv"),
    )
    assert "volyminsats" in str(result.errors[0])
    assert Enrolment.objects.count() == 0


def test_a_very_long_error_list_is_cut_short(world, client_for, c, monkeypatch):
    from finsam.participants import import_views

    monkeypatch.setattr(import_views, "MAX_ERRORS_SHOWN", 2)
    rows = [in_row(PNR_BAD_CHECK, startdatum=f"2025-02-0{day}") for day in range(1, 6)]
    response = post(client_for(world.registrar), world.a_initiative, csv_bytes(rows), "f.csv")
    assert len(error_rows(response)) == 2
    assert "… och 3 fel till." in response.content.decode()
    assert "Importen stoppades: filen har 5 fel." in response.content.decode()


def test_the_done_message_counts_in_the_singular_and_the_plural():
    from finsam.participants.imports import done_message

    assert done_message(enrolled=1, exited=2) == (
        "Importen är klar: 1 inregistrering och 2 utregistreringar sparades."
    )
