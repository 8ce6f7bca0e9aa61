"""The GOV.UK error and accessibility pattern on every page: a skip link, a banner landmark, and
after a failed submit an error summary linking to each field whose error the field names."""

import html
import re

from django.template import Context, Origin, Template
from django.urls import reverse

from finsam.participants.tests.factories import EnrolmentFactory


def _ids(body):
    return set(re.findall(r'\sid="([^"]+)"', body))


def _summary(body):
    match = re.search(r"<div[^>]*data-error-summary[^>]*>(.*?)</div>", body, re.S)
    assert match, "no error summary"
    assert 'tabindex="-1"' in match.group(0)
    return match.group(1)


def _assert_errors_linked(body, fields):
    """Each field has its error linked from the summary to an existing input, and that input
    names existing ids in aria-describedby."""
    ids = _ids(body)
    links = re.findall(r'<a href="#([^"]+)"', _summary(body))
    for name in fields:
        assert f"id_{name}" in links, f"{name} not linked from the summary"
    for target in links:
        assert target in ids, f"the summary links to a missing id {target}"
        tag = re.search(rf'<[^>]*\sid="{target}"[^>]*>', body).group(0)
        assert 'aria-invalid="true"' in tag, tag
        described = re.search(r'aria-describedby="([^"]*)"', tag)
        assert described, tag
        assert set(described.group(1).split()) <= ids, tag


def test_every_page_has_a_skip_link_a_banner_and_a_focusable_main(world, client_for):
    client = client_for(world.secretariat)
    body = client.get("/", follow=True).content.decode()
    first_link = re.search(r"<body[^>]*>\s*<a ([^>]*)>", body)
    assert first_link and 'href="#main"' in first_link.group(1)
    assert "Hoppa till innehållet" in body
    assert re.search(r"<header>\s*<nav", body)
    assert '<main id="main" tabindex="-1"' in body


def test_a_failed_initiative_form_shows_the_error_summary(world, client_for):
    client = client_for(world.secretariat)
    response = client.post(reverse("initiatives:create"), {"name": ""})
    body = response.content.decode()
    assert "Det finns fel" in body or "sparades inte" in _summary(body)
    _assert_errors_linked(body, ["name"])
    # Required fields carry the one marker, with a text for screen readers.
    assert "(obligatoriskt)" in body


def test_a_failed_enrol_form_shows_the_error_summary(world, client_for):
    client = client_for(world.registrar)
    response = client.post(
        reverse("participants:enrol", args=[world.a_initiative.pk]),
        {"personal_number": "nonsense"},
    )
    body = response.content.decode()
    _assert_errors_linked(body, ["personal_number"])


def test_a_failed_exit_form_shows_the_error_summary(world, client_for):
    enrolment = EnrolmentFactory(initiative=world.a_initiative)
    client = client_for(world.registrar)
    response = client.post(
        reverse("participants:exit", args=[enrolment.uuid]), {"end_date": "nonsense"}
    )
    body = response.content.decode()
    _assert_errors_linked(body, ["end_date", "exit_reason"])


def test_a_wide_table_scrolls_in_its_own_focusable_region(world, client_for):
    body = client_for(world.secretariat).get(reverse("accounts:users")).content.decode()
    region = re.search(r'<div class="table-responsive table-scroll"([^>]*)>\s*<table', body)
    assert region, "the user table is not in a scroll region"
    assert 'tabindex="0"' in region.group(1)
    assert 'role="region"' in region.group(1)
    assert 'aria-label="Användare"' in region.group(1)


def test_allauths_field_element_names_its_error_by_id(rf):
    source = (
        '{% load allauth %}{% element field type="email" name="email" id="id_email" '
        "errors=errors %}{% slot label %}E-post{% endslot %}{% endelement %}"
    )
    page = Template(source, origin=Origin("test", template_name="test.html"))
    body = page.render(Context({"errors": ["Fel adress."]}))
    assert re.search(r'aria-describedby="\s*id_email_error"', body)
    assert 'id="id_email_error"' in body
    assert 'aria-invalid="true"' in body


def test_hand_laid_forms_mark_required_fields_the_same_way(world, client_for):
    body = client_for(world.operator).get("/associations/new/").content.decode()
    label = re.search(r'<label class="form-label" for="id_name">(.*?)</label>', body, re.S)
    assert label and "(obligatoriskt)" in label.group(1)


def test_allauths_pages_have_plain_titles_too(world, client, client_for):
    """The permission walk checks the titles of finsam's pages; these are allauth's."""
    pages = ["/accounts/login/", "/accounts/password/reset/"]
    for path in pages:
        _assert_plain_title(client.get(path))
    client_for(world.secretariat)
    for name in ("mfa_index", "mfa_activate_totp", "account_change_password"):
        _assert_plain_title(client.get(reverse(name)))


def _assert_plain_title(response):
    assert response.status_code == 200
    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)
    assert title.strip() and "<" not in html.unescape(title), title


def test_the_consents_errors_in_the_summary_link_to_the_consent_inputs(world, client_for):
    client = client_for(world.registrar)
    response = client.post(
        reverse("participants:enrol", args=[world.a_initiative.pk]),
        {"consent_given_on": "2099-01-01", "consent_method": "", "consent_form_version": ""},
    )
    body = response.content.decode()
    items = re.findall(r"<li>(.*?)</li>", _summary(body), re.S)
    consent = [i for i in items if "samtycke" in html.unescape(i).lower()]
    assert consent, items
    assert all(i.startswith('<a href="#id_consent_') for i in consent), consent
    _assert_errors_linked(body, ["consent_given_on", "consent_method", "consent_form_version"])


def test_the_municipalities_error_links_to_the_picker(world, client_for):
    client = client_for(world.operator)
    data = {"name": "Samordningsförbundet C", "slug": "c", "org_number": "222000-0001"}
    response = client.post(reverse("associations:create"), {**data, "start_date": "2024-01-01"})
    body = response.content.decode()
    links = re.findall(r'<a href="#([^"]+)"', _summary(body))
    assert "municipalities" in links, links
    assert set(links) <= _ids(body), links
    picker = re.search(r'<fieldset[^>]*\sid="municipalities"[^>]*>', body).group(0)
    assert set(re.search(r'aria-describedby="([^"]*)"', picker).group(1).split()) <= _ids(body)
