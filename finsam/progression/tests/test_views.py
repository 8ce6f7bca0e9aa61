"""The progression pages: only the initiative's registrars see a person's ratings (every read
logged), the chart is real accessible SVG with a data table, bad input in Swedish, a double
submit stored once; the summary shows aggregates only, never a person."""

import datetime

import pytest
from django.urls import reverse

from finsam.audit.models import AccessEvent
from finsam.conftest import make_user
from finsam.core.roles import Role
from finsam.participants.models import Gender
from finsam.progression.models import Dimension, RatingOccasion
from finsam.progression.tests.conftest import START

D2, D3 = datetime.date(2021, 4, 1), datetime.date(2021, 6, 1)


def _page(enrolment):
    return reverse("progression:enrolment", kwargs={"enrolment_uuid": enrolment.uuid})


def _add(enrolment):
    return reverse("progression:occasion_add", kwargs={"enrolment_uuid": enrolment.uuid})


@pytest.fixture
def rated(world, activity, future, enrol, rate):
    enrolment = enrol()
    rate(enrolment, "self", [(START, {activity: 3, future: 4}), (D3, {activity: 6, future: 5})])
    rate(enrolment, "coach", [(D2, {activity: 4})])
    return enrolment


def test_the_registrar_sees_the_chart_and_the_read_is_logged(world, client_for, rated):
    before = AccessEvent.objects.filter(action="view").count()
    response = client_for(world.registrar).get(_page(rated))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") == 2  # activity and future
    assert '<title id="progression-chart-' in html and "<desc id=" in html
    assert 'aria-labelledby="progression-chart-' in html
    assert "Deltagaren själv – 2021-02-01: 3, 2021-06-01: 6; Coach – 2021-04-01: 4" in html
    assert "<polyline" in html and "stroke-dasharray" in html  # self solid, coach dashed
    assert "Värdena som tabell" in html and "<td>2021-04-01</td><td>Coach</td>" in html
    assert rated.participant.pseudonym in html
    # Identity is never on the page.
    assert rated.participant.name not in html
    events = AccessEvent.objects.filter(action="view")
    assert events.count() == before + 1
    assert events.first().pseudonyms == [rated.participant.pseudonym]
    assert events.first().fields == "progressionsskattningar"


@pytest.mark.parametrize("role", ["secretariat", "manager", "board", "analyst", "b_registrar"])
def test_nobody_else_sees_a_persons_ratings(world, client_for, rated, role):
    client = client_for(world.user(role))
    for url in (_page(rated), _add(rated)):
        assert client.get(url).status_code == 404
    assert not AccessEvent.objects.filter(actor=world.user(role)).exists()


def test_a_registrar_of_another_initiative_gets_404(world, client_for, rated, activity):
    other = make_user(world.a, Role.REGISTRAR, [world.a_other], "annan@example.se")
    client = client_for(other)
    assert client.get(_page(rated)).status_code == 404
    occasion = rated.rating_occasions.first()
    edit = reverse(
        "progression:occasion_edit",
        kwargs={"enrolment_uuid": rated.uuid, "occasion_uuid": occasion.uuid},
    )
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"rated_on": "2021-02-01", "rater": "self"}).status_code == 404
    assert client.post(_add(rated), {"rated_on": "2021-03-01", "rater": "self"}).status_code == 404
    assert RatingOccasion.objects.filter(enrolment=rated).count() == 3


def test_recording_on_the_page_and_a_double_submit(world, client_for, activity, future, enrol):
    enrolment = enrol()
    client = client_for(world.registrar)
    form = client.get(_add(enrolment)).content.decode()
    assert "Aktivitetsnivå" in form and "1 = mycket låg, 10 = mycket hög" in form
    data = {
        "rated_on": "2021-03-01",
        "rater": "self",
        f"dimension_{activity.pk}": "7",
        f"dimension_{future.pk}": "",
    }
    first = client.post(_add(enrolment), data)
    assert first.status_code == 302 and first["Location"] == _page(enrolment)
    second = client.post(_add(enrolment), data)
    assert second.status_code == 302
    assert RatingOccasion.objects.filter(enrolment=enrolment).count() == 1
    assert AccessEvent.objects.filter(action="create").count() == 1


def test_bad_input_on_the_page_in_swedish_and_nothing_saved(world, client_for, activity, enrol):
    enrolment = enrol()
    client = client_for(world.registrar)
    response = client.post(
        _add(enrolment),
        {"rated_on": "2021-01-05", "rater": "self", f"dimension_{activity.pk}": "12"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Skattningen sparades inte" in html
    assert "Datumet ligger före deltagandets start (2021-02-01)." in html
    assert "Ange ett värde från 1 till 10." in html
    assert f'href="#occasion-dimension_{activity.pk}"' in html
    assert f'aria-describedby="occasion-dimension_{activity.pk}_helptext' in html
    response = client.post(
        _add(enrolment),
        {"rated_on": "2021-13-45", "rater": "self", f"dimension_{activity.pk}": "x"},
    )
    html = response.content.decode()
    assert "Ange datumet som ÅÅÅÅ-MM-DD." in html and "Ange ett heltal." in html
    assert not RatingOccasion.objects.exists()


def test_changing_and_removing_an_occasion(world, client_for, rated, activity):
    client = client_for(world.registrar)
    occasion = rated.rating_occasions.get(rater="coach")
    kwargs = {"enrolment_uuid": rated.uuid, "occasion_uuid": occasion.uuid}
    response = client.post(
        reverse("progression:occasion_edit", kwargs=kwargs),
        {"rated_on": "2021-04-02", "rater": "coach", f"dimension_{activity.pk}": "5"},
    )
    assert response.status_code == 302
    occasion.refresh_from_db()
    assert occasion.rated_on == datetime.date(2021, 4, 2)
    assert occasion.ratings.get().value == 5
    client.post(reverse("progression:occasion_delete", kwargs=kwargs))
    assert not RatingOccasion.objects.filter(pk=occasion.pk).exists()


@pytest.mark.parametrize("role", ["secretariat", "manager", "board", "analyst", "registrar"])
def test_the_summary_shows_aggregates_only(world, client_for, activity, enrol, rate, role):
    enrolments = [enrol(Gender.WOMAN) for _i in range(5)] + [enrol(Gender.MAN)]
    for n, enrolment in enumerate(enrolments):
        rate(enrolment, "self", [(START, {activity: 3}), (D3, {activity: 3 + (n != 0)})])
    logged_before = AccessEvent.objects.filter(action="view").count()
    url = reverse("progression:initiative", kwargs={"initiative_id": world.a_initiative.pk})
    response = client_for(world.user(role)).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "83 %" in html and "Andel som har förbättrats" in html
    assert "1–4" in html  # the one man
    for enrolment in enrolments:
        assert enrolment.participant.pseudonym not in html
        assert str(enrolment.uuid) not in html
    assert AccessEvent.objects.filter(action="view").count() == logged_before


def test_the_summary_of_another_association_or_for_others_is_refused(world, client_for):
    url = reverse("progression:initiative", kwargs={"initiative_id": world.b_initiative.pk})
    assert client_for(world.secretariat).get(url).status_code == 404
    own = reverse("progression:initiative", kwargs={"initiative_id": world.a_initiative.pk})
    assert client_for(world.applicant).get(own).status_code == 403
    other_manager = make_user(world.a, Role.INITIATIVE_MANAGER, [world.a_other], "m2@example.se")
    assert client_for(other_manager).get(own).status_code == 404


def test_the_links_from_the_initiative_and_the_enrolment(world, client_for, rated):
    initiative = reverse("initiatives:detail", kwargs={"pk": world.a_initiative.pk})
    summary = reverse("progression:initiative", kwargs={"initiative_id": world.a_initiative.pk})
    assert summary in client_for(world.board).get(initiative).content.decode()
    detail = reverse("participants:enrolment_detail", kwargs={"enrolment_uuid": rated.uuid})
    assert _page(rated) in client_for(world.registrar).get(detail).content.decode()
    assert _page(rated) not in client_for(world.secretariat).get(detail).content.decode()


def test_the_secretariat_keeps_the_dimensions(world, client_for, activity):
    client = client_for(world.secretariat)
    html = client.get(reverse("progression:dimensions")).content.decode()
    assert "Aktivitetsnivå" in html
    client.post(reverse("progression:dimension_examples"))
    assert Dimension.objects.filter(association=world.a, is_example=True).count() == 5
    html = client.get(reverse("progression:dimensions")).content.decode()
    assert "exempel" in html and "Arbetsförmåga" in html
    response = client.post(
        reverse("progression:dimension_add"),
        {
            "name": "",
            "scale_min": "1",
            "scale_max": "1",
            "rated_by": "self",
            "improvement_step": "1",
        },
    )
    html = response.content.decode()
    assert "Ange dimensionens namn." in html
    assert "Det högsta värdet måste vara större än det lägsta." in html
    response = client.post(
        reverse("progression:dimension_edit", kwargs={"pk": activity.pk}),
        {
            "name": "Aktivitetsnivå",
            "scale_min": "1",
            "scale_max": "10",
            "rated_by": "both",
            "improvement_step": "2",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.improvement_step == 2 and not activity.is_active
    for role in ("board", "registrar", "manager", "analyst"):
        assert client_for(world.user(role)).get(reverse("progression:dimensions")).status_code in (
            403,
            404,
        )


def test_the_summary_for_a_period_and_bad_dates(world, client_for, activity, enrol, rate):
    for _i in range(5):
        rate(enrol(), "self", [(START, {activity: 3}), (D2, {activity: 5}), (D3, {activity: 2})])
    url = reverse("progression:initiative", kwargs={"initiative_id": world.a_initiative.pk})
    client = client_for(world.secretariat)
    april = client.get(url, {"start": "2021-01-01", "end": "2021-04-30"}).content.decode()
    assert "100 %" in april and "2021-01-01–2021-04-30" in april
    assert "0 %" in client.get(url).content.decode()
    html = client.get(url, {"start": "2021-05-01", "end": "2021-01-01"}).content.decode()
    assert "Till-datumet ligger före från-datumet." in html and "Alla deltagare" in html
    html = client.get(url, {"start": "2021-05-01", "end": ""}).content.decode()
    assert "Ange både från- och till-datum." in html
    html = client.get(url, {"start": "1 maj", "end": "2021-06-01"}).content.decode()
    assert "Ange datumet som ÅÅÅÅ-MM-DD." in html
