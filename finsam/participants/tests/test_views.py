import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finsam.audit.models import AccessEvent
from finsam.participants import selectors, services
from finsam.participants.models import Enrolment, Participant
from finsam.participants.tests.conftest import NAME, PN_MAN, PN_WOMAN
from finsam.participants.tests.factories import EnrolmentFactory

DAY = datetime.timedelta(days=1)


def enrol_post(codes, today, **overrides):
    start = today - 10 * DAY
    data = {
        "anonymous_reason": "",
        "personal_number": PN_MAN,
        "name": NAME,
        "gender": "",
        "start_date": start.isoformat(),
        "home_municipality": codes.skovde.pk,
        "income_sources_before": [codes.social_assistance.pk],
        "occupation_before": codes.nothing.pk,
        "occupation_extent_before": "0",
        "education": codes.upper_secondary.pk,
        "time_outside_work": codes.one_to_two.pk,
        "referrer": codes.af.pk,
        "consent_given_on": start.isoformat(),
        "consent_method": "paper",
        "consent_form_version": "FK 9443 v3",
        "consent_language": "svenska",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def text(response):
    return response.content.decode()


@pytest.fixture
def registrar(world, client_for):
    return client_for(world.registrar)


@pytest.fixture
def enrolled(world, registrar_access, enrolment_input, today):
    """A registered participant. The registration's own access-log event is left out (the log
    is append-only), so that each test sees only what it logs."""
    with mock.patch.object(services, "log_access"):
        return services.enrolment_register(
            access=registrar_access,
            initiative=world.a_initiative,
            data=enrolment_input(start_date=today - 30 * DAY),
        )


# --- Registrar home and lists -----------------------------------------------------------------


def test_registrar_home_lists_the_registrars_initiatives(world, registrar, enrolled):
    response = registrar.get(reverse("participants:registrar_home"))
    assert response.status_code == 200
    body = text(response)
    assert world.a_initiative.name in body
    assert world.a_other.name not in body
    assert "pågående" in body


def test_the_registrar_list_shows_names_and_masked_numbers_and_logs_them(
    world, registrar, enrolled
):
    anonymous = EnrolmentFactory(initiative=world.a_initiative, anonymous=True)
    response = registrar.get(
        reverse("participants:initiative_participants", args=[world.a_initiative.pk])
    )
    body = text(response)
    assert NAME in body
    assert "19811218-****" in body
    assert "198112189876" not in body and "19811218-9876" not in body
    assert anonymous.pseudonym in body
    events = AccessEvent.objects.all()
    assert [(e.action, e.pseudonyms) for e in events] == [
        ("list", [enrolled.participant.pseudonym])
    ]
    assert events[0].actor == world.registrar


def test_the_registrar_list_filters_by_status(world, registrar, enrolled, codes, today):
    exited = EnrolmentFactory(
        initiative=world.a_initiative,
        start_date=today - 90 * DAY,
        end_date=today - 5 * DAY,
        exit_reason=codes.work,
    )
    url = reverse("participants:initiative_participants", args=[world.a_initiative.pk])
    active = text(registrar.get(url))
    assert enrolled.participant.pseudonym in active
    assert exited.participant.pseudonym not in active
    ended = text(registrar.get(url, {"status": "exited"}))
    assert exited.participant.pseudonym in ended
    assert enrolled.participant.pseudonym not in ended
    both = text(registrar.get(url, {"status": "all"}))
    assert exited.participant.pseudonym in both and enrolled.participant.pseudonym in both


def test_the_registrar_searches_by_personal_number_with_a_post(world, registrar, enrolled):
    other = EnrolmentFactory(initiative=world.a_initiative)
    url = reverse("participants:initiative_participants", args=[world.a_initiative.pk])
    response = registrar.post(url, {"q": "198112189876", "status": "all"}, HTTP_HX_REQUEST="true")
    body = text(response)
    assert 'id="participant-table"' in body and "<html" not in body  # the HTMX partial
    assert enrolled.participant.pseudonym in body
    assert other.participant.pseudonym not in body
    # One event for the page: a search by personal identity number naming who it found.
    assert [(e.action, e.pseudonyms) for e in AccessEvent.objects.all()] == [
        ("lookup", [enrolled.participant.pseudonym])
    ]
    # Searching by name, and an invalid number gives the Swedish message.
    by_name = text(registrar.post(url, {"q": "testsson", "status": "all"}))
    assert enrolled.participant.pseudonym in by_name
    assert other.participant.pseudonym not in by_name
    invalid = text(registrar.post(url, {"q": "19811218-9877"}))
    assert "Kontrollsiffran stämmer inte" in invalid


def test_a_search_by_personal_number_that_finds_nobody_is_logged(world, registrar, enrolled):
    url = reverse("participants:initiative_participants", args=[world.a_initiative.pk])
    registrar.post(url, {"q": PN_WOMAN, "status": "all"})
    assert [(e.action, e.pseudonyms) for e in AccessEvent.objects.all()] == [("lookup", [])]


def test_the_registrar_list_paginates(world, registrar, monkeypatch, today):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    for i in range(5):
        EnrolmentFactory(initiative=world.a_initiative, start_date=today - (i + 1) * DAY)
    url = reverse("participants:initiative_participants", args=[world.a_initiative.pk])
    first = registrar.get(url)
    assert "Sida 1 av 3" in text(first)
    # One event for the page, naming the rows shown only.
    (event,) = AccessEvent.objects.all()
    assert len(event.pseudonyms) == 2
    last = registrar.post(url, {"page": "3", "status": "active"})
    assert "Sida 3 av 3" in text(last)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("who", "url_name"),
    [
        ("registrar", "participants:initiative_participants"),
        ("secretariat", "participants:initiative_follow_up"),
    ],
)
def test_lists_run_a_constant_number_of_queries(world, client_for, codes, today, who, url_name):
    client = client_for(getattr(world, who))
    url = reverse(url_name, args=[world.a_initiative.pk])
    for i in range(3):
        EnrolmentFactory(initiative=world.a_initiative, start_date=today - (i + 1) * DAY)
    few = _queries(client, url)
    for i in range(27):
        EnrolmentFactory(
            initiative=world.a_initiative,
            start_date=today - (i + 10) * DAY,
            home_municipality=codes.skovde,
        )
    assert _queries(client, url) == few


def test_the_registrar_home_runs_a_constant_number_of_queries(world, client_for, today):
    client = client_for(world.registrar)
    url = reverse("participants:registrar_home")
    EnrolmentFactory(initiative=world.a_initiative, start_date=today - DAY)
    few = _queries(client, url)
    for i in range(20):
        EnrolmentFactory(initiative=world.a_initiative, start_date=today - (i + 2) * DAY)
    assert _queries(client, url) == few


def test_the_follow_up_list_is_pseudonymous(world, client_for, enrolled):
    for user in (world.secretariat, world.manager):
        response = client_for(user).get(
            reverse("participants:initiative_follow_up", args=[world.a_initiative.pk])
        )
        assert response.status_code == 200
        body = text(response)
        assert enrolled.participant.pseudonym in body
        assert NAME not in body and "19811218" not in body
    assert not AccessEvent.objects.exists()


def test_the_follow_up_list_searches_pseudonyms(world, client_for, enrolled):
    other = EnrolmentFactory(initiative=world.a_initiative)
    url = reverse("participants:initiative_follow_up", args=[world.a_initiative.pk])
    body = text(client_for(world.secretariat).get(url, {"q": enrolled.participant.pseudonym}))
    assert enrolled.participant.pseudonym in body
    assert other.participant.pseudonym not in body


# --- Registering in ---------------------------------------------------------------------------


def test_it_enrols_through_the_form(world, registrar, codes, today):
    url = reverse("participants:enrol", args=[world.a_initiative.pk])
    assert registrar.get(url).status_code == 200
    response = registrar.post(url, enrol_post(codes, today))
    enrolment = Enrolment.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("participants:enrolment_detail", args=[enrolment.uuid])
    assert enrolment.participant.name == NAME
    assert enrolment.consent.form_version == "FK 9443 v3"
    assert list(enrolment.income_sources_before.all()) == [codes.social_assistance]
    assert AccessEvent.objects.filter(action="create").count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"personal_number": "19811218-9877"}, "Kontrollsiffran stämmer inte"),
        ({"personal_number": "19811318-9876"}, "Datumet i personnumret finns inte"),
        (
            {"consent_given_on": "", "consent_method": "", "consent_form_version": ""},
            "Samtycke krävs",
        ),
        ({"start_date": "2999-01-01"}, "Startdatumet får inte ligga i framtiden"),
        ({"start_date": "inte ett datum"}, "Fyll i ett giltigt datum"),
        ({"anonymous_reason": "no_consent", "gender": ""}, "Ange kön"),
    ],
)
def test_bad_input_is_refused_in_swedish_and_nothing_is_saved(
    world, registrar, codes, today, overrides, message
):
    url = reverse("participants:enrol", args=[world.a_initiative.pk])
    response = registrar.post(url, enrol_post(codes, today, **overrides))
    assert response.status_code == 200
    body = text(response)
    assert message in body
    assert "Deltagaren registrerades inte" in body
    assert not Enrolment.objects.exists()
    assert not Participant.objects.exists()
    assert not AccessEvent.objects.exists()


def test_a_duplicate_active_enrolment_is_refused(world, registrar, codes, today, enrolled):
    url = reverse("participants:enrol", args=[world.a_initiative.pk])
    body = text(registrar.post(url, enrol_post(codes, today)))
    assert "redan ett pågående deltagande" in body
    assert Enrolment.objects.count() == 1


def test_the_anonymous_choice_registers_without_identity(world, registrar, codes, today):
    url = reverse("participants:enrol", args=[world.a_initiative.pk])
    # The number and name typed before switching to anonymous are dropped, never stored.
    response = registrar.post(
        url, enrol_post(codes, today, anonymous_reason="protected_identity", gender="woman")
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get()
    assert enrolment.participant is None
    assert enrolment.anonymous_reason == "protected_identity"
    assert enrolment.gender == "woman"
    assert not Participant.objects.exists()


def test_volume_initiatives_refuse_the_enrol_form(world, registrar, codes, today):
    world.a_initiative.follow_up = "volume"
    world.a_initiative.save()
    url = reverse("participants:enrol", args=[world.a_initiative.pk])
    body = text(registrar.post(url, enrol_post(codes, today)))
    assert "volyminsats" in body
    assert not Enrolment.objects.exists()


def check(client, url, field, data):
    """A live check as finsam/live-check.js sends it when the user leaves `field`."""
    return client.post(url, data, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME=field)


def test_a_live_check_answers_with_the_messages_of_the_field_left_only(
    world, registrar, codes, today
):
    url = reverse("participants:enrol_validate", args=[world.a_initiative.pk])
    # The page as it opens (start and consent dates filled in) with a wrong personal number.
    page = {"start_date": today.isoformat(), "consent_given_on": today.isoformat()}
    page["consent_language"] = "svenska"
    response = check(
        registrar, url, "personal_number", {**page, "personal_number": "19811218-9877"}
    )
    body = text(response)
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="messages-personal_number" data-invalid="true"')
    assert "Kontrollsiffran stämmer inte" in body
    # Never an input (nothing the user types meanwhile is replaced), never another field's
    # error: the consent fields are not reached yet.
    assert not any(tag in body for tag in ("<input", "<select", "<textarea", "<form"))
    assert "Samtycke" not in body and "Ange hur samtycket" not in body
    # A valid number: no error, and what it tells, out of band.
    body = text(
        check(
            registrar,
            url,
            "personal_number",
            {**page, "personal_number": PN_MAN, "start_date": "2021-12-18"},
        )
    )
    assert 'data-invalid="false"' in body and "invalid-feedback" not in body
    assert '<div id="derived" aria-live="polite" hx-swap-oob="true">' in body
    assert "Född 1981" in body and "40 år vid start" in body and "juridiskt kön: Man" in body
    # The name has no hint; everything filled in and valid: no errors, nothing saved.
    body = text(check(registrar, url, "name", enrol_post(codes, today)))
    assert 'id="messages-name" data-invalid="false"' in body and "derived" not in body
    assert not Enrolment.objects.exists()
    assert not AccessEvent.objects.exists()


def test_a_live_check_of_the_consent_speaks_only_of_the_consent_fields_reached(
    world, registrar, today
):
    url = reverse("participants:enrol_validate", args=[world.a_initiative.pk])
    data = {
        "personal_number": PN_MAN,
        "start_date": today.isoformat(),
        "consent_given_on": today.isoformat(),
        "consent_method": "paper",
        "consent_language": "svenska",
    }
    # The method chosen, the form version not reached yet: nothing to say.
    body = text(check(registrar, url, "consent_method", data))
    assert '<div id="consent-messages" aria-live="polite" hx-swap-oob="true">' in body
    assert "alert-danger" not in body
    # A date in the future is said as soon as the date is left.
    future = {**data, "consent_method": "", "consent_given_on": (today + DAY).isoformat()}
    body = text(check(registrar, url, "consent_given_on", future))
    assert "Samtycket kan inte vara daterat i framtiden" in body
    assert "Ange hur samtycket" not in body and "blankettens version" not in body
    # The date emptied and left: that is an error of the field left.
    body = text(check(registrar, url, "consent_given_on", {**data, "consent_given_on": ""}))
    assert "Ange datum för samtycket." in body and "blankettens version" not in body
    # The last field left: the fields skipped are said too.
    body = text(check(registrar, url, "consent_language", {**data, "consent_method": ""}))
    assert "Ange hur samtycket lämnades" in body and "Ange samtyckesblankettens version" in body


def test_a_live_check_must_name_a_field_of_the_form(world, registrar, codes, today):
    url = reverse("participants:enrol_validate", args=[world.a_initiative.pk])
    assert registrar.post(url, enrol_post(codes, today)).status_code == 400
    assert check(registrar, url, "end_date", enrol_post(codes, today)).status_code == 400


def test_the_page_holds_both_kinds_of_registration_and_shows_the_one_chosen(
    world, registrar, codes, today
):
    url = reverse("participants:enrol", args=[world.a_initiative.pk])
    body = text(registrar.get(url))
    assert (
        f'data-live-check="{reverse("participants:enrol_validate", args=[world.a_initiative.pk])}"'
        in body
    )
    assert '<script src="/static/finsam/live-check.js" defer></script>' in body
    assert "<script>" not in body  # no inline script (strict CSP)
    assert body.count('data-registration="identified">') == 2  # participant and consent
    assert body.count('data-registration="anonymous" hidden') == 2
    # Sent anonymously (without the gender it then needs): the anonymous fields are shown.
    body = text(registrar.post(url, enrol_post(codes, today, anonymous_reason="no_consent")))
    assert body.count('data-registration="identified" hidden') == 2
    assert 'name="age_at_start"' in body
    assert not Enrolment.objects.exists()


# --- One enrolment ----------------------------------------------------------------------------


def test_the_detail_shows_identity_to_the_registrar_and_logs_it(world, registrar, enrolled):
    response = registrar.get(reverse("participants:enrolment_detail", args=[enrolled.uuid]))
    body = text(response)
    assert NAME in body and "19811218-9876" in body
    assert "FK 9443 v3" in body
    event = AccessEvent.objects.get()
    assert (event.action, event.pseudonyms) == ("view", [enrolled.participant.pseudonym])


def test_the_detail_is_pseudonymous_for_the_secretariat_and_managers(world, client_for, enrolled):
    for user in (world.secretariat, world.manager):
        response = client_for(user).get(
            reverse("participants:enrolment_detail", args=[enrolled.uuid])
        )
        assert response.status_code == 200
        body = text(response)
        assert enrolled.participant.pseudonym in body
        assert NAME not in body and "19811218" not in body
        assert reverse("participants:exit", args=[enrolled.uuid]) not in body
    assert not AccessEvent.objects.exists()


def test_the_detail_shows_the_correction_history(
    world, registrar, registrar_access, enrolled, codes
):
    services.enrolment_correct(
        access=registrar_access,
        enrolment=enrolled,
        changes={"education": None, "referrer": None},
        reason="Fel uppgift om utbildning",
    )
    body = text(registrar.get(reverse("participants:enrolment_detail", args=[enrolled.uuid])))
    assert "Fel uppgift om utbildning" in body
    assert "Utbildningsnivå" in body and str(codes.upper_secondary) in body
    assert world.registrar.get_full_name() in body


def test_it_exits_through_the_form(world, registrar, enrolled, codes, today):
    url = reverse("participants:exit", args=[enrolled.uuid])
    assert registrar.get(url).status_code == 200
    response = registrar.post(
        url,
        {
            "end_date": today.isoformat(),
            "exit_reason": codes.work.pk,
            "income_sources_after": [codes.salary.pk],
            "occupation_after": codes.working.pk,
            "occupation_extent_after": "75",
        },
    )
    assert response.status_code == 302
    enrolled.refresh_from_db()
    assert (enrolled.end_date, enrolled.exit_reason, enrolled.occupation_extent_after) == (
        today,
        codes.work,
        75,
    )
    assert AccessEvent.objects.filter(action="exit").count() == 1


@pytest.mark.parametrize(
    ("end", "message"),
    [("before", "Slutdatumet ligger före startdatumet"), ("future", "framtiden")],
)
def test_a_bad_exit_is_refused(world, registrar, enrolled, codes, today, end, message):
    end_date = enrolled.start_date - DAY if end == "before" else today + DAY
    url = reverse("participants:exit", args=[enrolled.uuid])
    body = text(registrar.post(url, {"end_date": end_date.isoformat()}))
    assert message in body
    assert "Ange avslutsanledning" in body
    enrolled.refresh_from_db()
    assert enrolled.is_active
    # The live check says the same of the field left and saves nothing either.
    validate = reverse("participants:exit_validate", args=[enrolled.uuid])
    body = text(check(registrar, validate, "end_date", {"end_date": end_date.isoformat()}))
    assert message in body and "<html" not in body
    assert "Ange avslutsanledning" not in body  # not reached yet
    enrolled.refresh_from_db()
    assert enrolled.is_active


def test_it_corrects_with_a_reason(world, registrar, enrolled, codes, today):
    url = reverse("participants:correct", args=[enrolled.uuid])
    form = registrar.get(url)
    assert NAME in text(form)  # the name can be corrected, so reading it is logged
    assert AccessEvent.objects.filter(action="view").count() == 1
    data = {
        "name": NAME,
        "start_date": enrolled.start_date.isoformat(),
        "gender": "man",
        "home_municipality": codes.skovde.pk,
        "income_sources_before": [codes.social_assistance.pk],
        "occupation_before": codes.nothing.pk,
        "occupation_extent_before": "0",
        "education": "",
        "time_outside_work": codes.one_to_two.pk,
        "referrer": codes.af.pk,
        "reason": "",
    }
    body = text(registrar.post(url, data))
    assert "Ange varför uppgifterna rättas" in body
    enrolled.refresh_from_db()
    assert enrolled.education == codes.upper_secondary
    response = registrar.post(url, {**data, "reason": "Fel på blanketten"})
    assert response.status_code == 302
    enrolled.refresh_from_db()
    assert enrolled.education is None
    assert enrolled.history.first().history_change_reason == "Fel på blanketten"
    assert AccessEvent.objects.filter(action="update").get().fields == "utbildningsnivå"


def test_the_correction_form_reopens_a_wrong_exit(
    world, registrar, registrar_access, enrolled, exit_input, codes
):
    services.enrolment_exit(access=registrar_access, enrolment=enrolled, data=exit_input())
    enrolled.refresh_from_db()
    url = reverse("participants:correct", args=[enrolled.uuid])
    data = {
        "name": NAME,
        "start_date": enrolled.start_date.isoformat(),
        "gender": "man",
        "home_municipality": codes.skovde.pk,
        "income_sources_before": [codes.social_assistance.pk],
        "occupation_before": codes.nothing.pk,
        "occupation_extent_before": "0",
        "education": codes.upper_secondary.pk,
        "time_outside_work": codes.one_to_two.pk,
        "referrer": codes.af.pk,
        "reopen": "on",
        "end_date": enrolled.end_date.isoformat(),
        "exit_reason": codes.work.pk,
        "income_sources_after": [codes.salary.pk],
        "occupation_after": codes.working.pk,
        "occupation_extent_after": "50",
        "reason": "Utregistrerad av misstag",
    }
    assert registrar.post(url, data).status_code == 302
    enrolled.refresh_from_db()
    assert enrolled.is_active and enrolled.exit_reason is None


def test_correct_validate_shows_errors_without_saving(world, registrar, enrolled, today):
    url = reverse("participants:correct_validate", args=[enrolled.uuid])
    data = {"start_date": (today + DAY).isoformat(), "gender": "man", "name": NAME}
    body = text(check(registrar, url, "start_date", data))
    assert "Startdatumet får inte ligga i framtiden" in body
    assert "Inga ändringar" not in body
    enrolled.refresh_from_db()
    assert enrolled.start_date == today - 30 * DAY


def test_it_withdraws_consent(world, registrar, enrolled, today):
    url = reverse("participants:consent_withdraw", args=[enrolled.uuid])
    assert registrar.get(url).status_code == 200
    body = text(registrar.post(url, {"withdrawn_on": (today + DAY).isoformat()}))
    assert "framtiden" in body
    assert Participant.objects.exists()
    response = registrar.post(url, {"withdrawn_on": today.isoformat()})
    assert response.status_code == 302
    enrolled.refresh_from_db()
    assert enrolled.anonymous_reason == "consent_withdrawn"
    assert not Participant.objects.exists()
    detail = text(registrar.get(reverse("participants:enrolment_detail", args=[enrolled.uuid])))
    assert NAME not in detail and "Samtycket återkallat" in detail


def test_protected_identity_needs_confirmation(world, registrar, enrolled):
    url = reverse("participants:protect_identity", args=[enrolled.uuid])
    assert registrar.get(url).status_code == 200
    body = text(registrar.post(url, {}))
    assert "Bekräfta genom att kryssa i rutan" in body
    assert Participant.objects.exists()
    assert registrar.post(url, {"confirm": "on"}).status_code == 302
    enrolled.refresh_from_db()
    assert enrolled.anonymous_reason == "protected_identity"
    assert not Participant.objects.exists()


def test_an_ended_initiative_offers_no_registration_and_says_why(world, registrar, codes, today):
    world.a_initiative.status = "ended"
    world.a_initiative.end_date = today - 30 * DAY
    world.a_initiative.save()
    enrol_url = reverse("participants:enrol", args=[world.a_initiative.pk])
    reason = "Insatsen är avslutad"
    for page in (
        reverse("participants:registrar_home"),
        reverse("participants:initiative_participants", args=[world.a_initiative.pk]),
    ):
        body = text(registrar.get(page))
        assert reason in body
        assert f'href="{enrol_url}"' not in body
    body = text(registrar.get(enrol_url))
    assert reason in body
    assert 'name="personal_number"' not in body
    body = text(registrar.post(enrol_url, enrol_post(codes, today)))
    assert reason in body
    assert not Enrolment.objects.exists()


def test_a_running_initiative_offers_registration(world, registrar):
    enrol_url = reverse("participants:enrol", args=[world.a_initiative.pk])
    body = text(registrar.get(reverse("participants:registrar_home")))
    assert f'href="{enrol_url}"' in body
    assert "Insatsen är avslutad" not in body


def test_a_search_finds_the_person_whatever_the_status_filter(world, registrar, codes, today):
    exited = EnrolmentFactory(
        initiative=world.a_initiative,
        start_date=today - 90 * DAY,
        end_date=today - 5 * DAY,
        exit_reason=codes.work,
    )
    other = EnrolmentFactory(initiative=world.a_initiative)
    url = reverse("participants:initiative_participants", args=[world.a_initiative.pk])
    # The page shows the active ones; the search by personal number still finds the exited one.
    body = text(registrar.post(url, {"q": exited.participant.personal_number}))
    assert exited.participant.pseudonym in body
    assert other.participant.pseudonym not in body
    assert "Sökningen gäller alla deltaganden" in body
    follow_up = reverse("participants:initiative_follow_up", args=[world.a_initiative.pk])
    body = text(registrar.get(follow_up, {"q": exited.participant.pseudonym}))
    assert exited.participant.pseudonym in body


def test_the_status_filter_is_in_the_url(world, registrar, codes, today):
    exited = EnrolmentFactory(
        initiative=world.a_initiative,
        start_date=today - 90 * DAY,
        end_date=today - 5 * DAY,
        exit_reason=codes.work,
    )
    url = reverse("participants:initiative_participants", args=[world.a_initiative.pk])
    page = text(registrar.get(url, {"status": "exited"}))
    assert exited.participant.pseudonym in page
    filter_form = page.split('<form id="filter-form"', 1)[1].split("</form>", 1)[0]
    assert 'method="get"' in filter_form and "hx-push-url" in filter_form
    assert 'name="q"' not in filter_form  # the search term is never sent in a URL
    search_form = page.split('<form id="search-form"', 1)[1].split("</form>", 1)[0]
    assert 'method="post"' in search_form and 'name="q"' in search_form


@pytest.mark.parametrize(
    ("who", "url_name"),
    [
        ("registrar", "participants:initiative_participants"),
        ("secretariat", "participants:initiative_follow_up"),
    ],
)
def test_the_lists_answer_htmx_with_the_table_and_vary_on_it(world, client_for, who, url_name):
    client = client_for(getattr(world, who))
    url = reverse(url_name, args=[world.a_initiative.pk])
    full = client.get(url)
    partial = client.get(url, HTTP_HX_REQUEST="true")
    restore = client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in text(full) and "<html" in text(restore)  # history restore: the page
    assert 'id="participant-table"' in text(partial) and "<html" not in text(partial)
    for response in (full, partial, restore):
        assert "HX-Request" in response["Vary"]
