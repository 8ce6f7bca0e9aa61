"""The equity band: a setting per association and year (default 10–20 %, seed 002), set by the
secretariat, recorded in the change log, and what the equity is measured against."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from finsam.audit.models import ChangeEvent
from finsam.finance import selectors, services
from finsam.finance.models import EquityBand
from finsam.finance.tests.factories import AssociationYearFactory, MemberContributionFactory
from finsam.staff.access import build_access


def set_band(world, year, lower, upper, user=None):
    return services.equity_band_set(
        access=build_access(user or world.secretariat),
        association=world.a,
        year=year,
        lower=None if lower is None else Decimal(lower),
        upper=None if upper is None else Decimal(upper),
    )


@pytest.fixture
def year(world):
    """Seed 002's worked example: 2 100 000 of 7 953 000 = 26,4 % (above 10–20 %)."""
    year = AssociationYearFactory(association=world.a, year=2021, equity_at_end=2_100_000)
    MemberContributionFactory(association_year=year, amount=7_953_000)
    return year


def test_without_a_setting_the_band_is_seed_002s(world):
    band = selectors.equity_band(world.a, 2021)
    assert (band.lower, band.upper, band.is_default) == (10, 20, True)


def test_a_band_holds_from_its_year_until_a_later_one(world):
    set_band(world, 2020, "5", "15")
    set_band(world, 2023, "12", "18")
    bands = {year: selectors.equity_band(world.a, year) for year in (2019, 2020, 2022, 2023, 2030)}
    assert [(b.lower, b.upper) for b in bands.values()] == [
        (10, 20),
        (5, 15),
        (5, 15),
        (12, 18),
        (12, 18),
    ]
    assert bands[2022].from_year == 2020 and bands[2019].is_default
    assert selectors.equity_band(world.b, 2023).is_default


def test_the_equity_is_measured_against_the_years_band(world, year):
    assert selectors.year_detail(year).equity.status == selectors.ABOVE
    set_band(world, 2021, "10", "30")
    detail = selectors.year_detail(year)
    assert (detail.equity.status, detail.equity.band.upper) == (selectors.OK, 30)
    [row] = selectors.year_rows(world.a)
    assert (row.equity.status, row.equity.band.from_year) == (selectors.OK, 2021)
    set_band(world, 2021, "30", "40")
    detail = selectors.year_detail(year)
    # 30 % of 7 953 000 = 2 385 900: 285 900 below.
    assert (detail.equity.status, detail.equity.below_by) == (selectors.BELOW, 285_900)


def test_setting_a_band_records_who_and_when_and_replaces_the_years_band(world):
    first = set_band(world, 2021, "10", "20")
    second = set_band(world, 2021, "8", "25.5")
    assert first.pk == second.pk
    stored = EquityBand.objects.get()
    assert (stored.lower, stored.upper, stored.set_by) == (8, Decimal("25.5"), world.secretariat)
    assert stored.set_at is not None
    event = ChangeEvent.objects.filter(action="finance.equity_band_set").latest("at")
    assert (event.actor, event.association, event.object_type) == (
        world.secretariat,
        world.a,
        "finance.equityband",
    )
    assert event.changes == {"lower": ["10", "8"], "upper": ["20", "25.5"]}


@pytest.mark.parametrize(
    ("lower", "upper", "field", "message"),
    [
        ("25", "20", "upper", "Den övre gränsen kan inte vara lägre än den nedre."),
        ("-1", "20", "lower", "Ange en procentsats mellan 0 och 100."),
        ("10", "100.5", "upper", "Ange en procentsats mellan 0 och 100."),
        (None, "20", "lower", "Ange en procentsats."),
    ],
)
def test_a_bad_band_is_refused_in_swedish_and_nothing_saved(world, lower, upper, field, message):
    with pytest.raises(ValidationError) as excinfo:
        set_band(world, 2021, lower, upper)
    assert excinfo.value.message_dict[field] == [message]
    assert not EquityBand.objects.exists()
    assert not ChangeEvent.objects.filter(action="finance.equity_band_set").exists()


@pytest.mark.parametrize("role", ["board", "analyst", "manager", "b_secretariat"])
def test_only_the_associations_secretariat_sets_the_band(world, role):
    with pytest.raises(PermissionDenied):
        set_band(world, 2021, "10", "20", user=world.user(role))
    assert not EquityBand.objects.exists()


# --- The page -------------------------------------------------------------------------------


def url(year):
    return reverse("finance:equity_band", args=[year.pk])


def test_the_secretariat_sets_the_band_on_the_finance_pages(world, client_for, year):
    client = client_for(world.secretariat)
    detail = client.get(reverse("finance:year_detail", args=[year.pk])).content.decode()
    assert url(year) in detail
    page = client.get(url(year))
    assert page.status_code == 200
    assert "förvalet 10–20 % gäller" in page.content.decode()
    response = client.post(url(year), {"lower": "10", "upper": "30"})
    assert response.status_code == 302
    assert response["Location"] == reverse("finance:year_detail", args=[year.pk])
    html = client.get(response["Location"]).content.decode()
    assert "inom intervallet" in html
    assert "10–30 %" in html


def test_a_bad_band_shows_the_error_summary_and_the_field_error(world, client_for, year):
    response = client_for(world.secretariat).post(url(year), {"lower": "30", "upper": "abc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-error-summary" in html
    assert 'href="#equity-band-upper"' in html
    assert "Ange procentsatsen som ett tal, t.ex. 10 eller 12,5." in html
    assert 'aria-describedby="equity-band-upper_error"' in html
    assert 'id="equity-band-upper_error"' in html
    response = client_for(world.secretariat).post(url(year), {"lower": "30", "upper": "20"})
    assert "Den övre gränsen kan inte vara lägre än den nedre." in response.content.decode()
    assert not EquityBand.objects.exists()


@pytest.mark.parametrize("role", ["board", "analyst", "operator", "manager", "no_role"])
def test_other_roles_may_not_set_the_band(world, client_for, year, role):
    client = client_for(world.user(role))
    assert client.get(url(year)).status_code == 403
    assert client.post(url(year), {"lower": "1", "upper": "2"}).status_code == 403
    assert not EquityBand.objects.exists()


def test_another_associations_year_is_404(world, client_for, year):
    client = client_for(world.b_secretariat)
    assert client.get(url(year)).status_code == 404
    assert client.post(url(year), {"lower": "1", "upper": "2"}).status_code == 404
    assert not EquityBand.objects.exists()
