"""The open feed of funded initiatives (`/api/v1/public/grants/`): anonymous, published entries
only, nothing personal, in the 360Giving shape; its responses match the OpenAPI document."""

import datetime
import json

import pytest
from rest_framework.test import APIClient

from finsam.api.tests.test_conformance import as_response
from finsam.catalogue.tests.factories import CatalogueEntryFactory
from finsam.finance.models import InitiativeBudget
from finsam.participants.tests.factories import EnrolmentFactory
from finsam.reference.tests.factories import MunicipalityFactory

URL = "/api/v1/public/grants/"


@pytest.fixture
def feed(world):
    entry = CatalogueEntryFactory(initiative=world.a_initiative, summary="Arbetsträning.")
    world.a_initiative.end_date = datetime.date(2022, 12, 31)
    world.a_initiative.save()
    world.a_initiative.municipalities.add(MunicipalityFactory(code="1496", name="Skövde"))
    for year, amount in ((2020, 400000), (2021, 350000)):
        InitiativeBudget.objects.create(initiative=world.a_initiative, year=year, amount=amount)
    CatalogueEntryFactory(initiative=world.a_other, summary="Utkast", published=False)
    CatalogueEntryFactory(initiative=world.b_initiative, summary="B:s insats")
    EnrolmentFactory(
        initiative=world.a_initiative,
        participant__personal_number="198112189876",
        participant__name="Sigrid Testsson",
    )
    return entry


def test_the_feed_is_open_and_shaped_as_360giving(feed, world):
    response = APIClient().get(URL, {"association": world.a.slug})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    grant = body["results"][0]
    assert grant["id"] == f"360G-finsam-a-{world.a_initiative.pk}"
    assert grant["title"] == "Cresco Create"
    assert grant["description"] == "Arbetsträning."
    assert grant["currency"] == "SEK"
    assert grant["amountAwarded"] == 750000
    assert grant["amountAppliedFor"] is None
    assert grant["plannedDates"] == [{"startDate": "2020-01-01", "endDate": "2022-12-31"}]
    assert grant["recipientOrganization"][0]["name"] == "Skövde kommun"
    assert grant["fundingOrganization"][0]["name"] == world.a.name
    assert grant["beneficiaryLocation"] == [
        {"name": "Skövde", "countryCode": "SE", "geoCode": "1496", "geoCodeType": "SE-KOMMUNKOD"}
    ]
    assert grant["url"].endswith(f"/katalog/a/{feed.pk}/")


def test_every_association_without_the_filter_and_nothing_unpublished(feed, world):
    body = APIClient().get(URL).json()
    titles = {g["title"] for g in body["results"]}
    assert titles == {"Cresco Create", "Rätt Hjälp"}
    text = json.dumps(body, ensure_ascii=False)
    for secret in ("Utkast", "Level Upgrade", "Sigrid", "Testsson", "19811218", "@"):
        assert secret not in text


def test_an_unknown_association_is_404(feed):
    response = APIClient().get(URL, {"association": "finns-inte"})
    assert response.status_code == 404
    assert "errors" in response.json()


def test_a_logged_in_session_changes_nothing(feed, world, client_for):
    client = client_for(world.secretariat)
    response = client.get(URL, {"association": world.a.slug})
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_the_responses_match_the_openapi_document(feed, client):
    import schemathesis

    document = json.loads(client.get("/api/openapi.json").content)
    operation = schemathesis.openapi.from_dict(document)[URL]["GET"]
    for url in (URL, URL + "?association=a", URL + "?association=x", URL + "?page=99"):
        response = APIClient().get(url)
        assert str(response.status_code) in document["paths"][URL]["get"]["responses"], url
        operation.validate_response(as_response("get", url, response))


def test_an_initiative_granted_through_finsam_shows_its_application_and_decision(feed, world):
    """The amount applied for comes from the application, the award date from the board's
    decision once it took effect."""
    from django.utils import timezone

    from finsam.applications.tests.factories import ApplicationFactory, RoundFactory
    from finsam.applications.workflow import Status
    from finsam.board.models import Decision, Outcome
    from finsam.board.tests.factories import AgendaItemFactory

    application = ApplicationFactory(
        round=RoundFactory(association=world.a),
        organisation=world.a_organisation,
        status=Status.GRANTED,
        amount_applied=1096000,
        initiative=world.a_initiative,
    )
    item = AgendaItemFactory(meeting__association=world.a, application=application)
    decision = Decision.objects.create(
        item=item,
        application=application,
        outcome=Outcome.GRANTED,
        decided_on=datetime.date(2019, 11, 20),
    )
    grant = APIClient().get(URL, {"association": world.a.slug}).json()["results"][0]
    assert grant["amountAppliedFor"] == 1096000
    assert grant["awardDate"] == world.a_initiative.start_date.isoformat()  # not in effect yet
    decision.took_effect_at = timezone.now()
    decision.save()
    grant = APIClient().get(URL, {"association": world.a.slug}).json()["results"][0]
    assert grant["awardDate"] == "2019-11-20"


def test_the_catalogue_shows_the_open_rounds(world, client):
    from finsam.applications.tests.factories import RoundFactory

    RoundFactory(association=world.a, title="Ansökningsomgång 1 februari 2027")
    RoundFactory(
        association=world.a,
        title="Stängd omgång",
        opens_on=datetime.date(2020, 1, 1),
        closes_on=datetime.date(2020, 2, 1),
    )
    page = client.get(f"/katalog/{world.a.slug}/").content.decode()
    assert "Ansökningsomgång 1 februari 2027" in page
    assert "Stängd omgång" not in page
    assert f"/applications/register/{world.a.slug}/" in page
