"""The public catalogue pages (anonymous, published only, nothing personal) and the
secretariat's entry page (writes through the services, recorded)."""

import datetime

import pytest
from django.urls import reverse

from finsam.audit.models import ChangeEvent
from finsam.catalogue.models import CatalogueEntry
from finsam.catalogue.tests.factories import CatalogueEntryFactory
from finsam.initiatives.models import Status
from finsam.initiatives.tests.factories import InitiativeFactory
from finsam.participants.tests.factories import EnrolmentFactory

SECRET = "Hemlig utkasttext"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def entries(world):
    published = CatalogueEntryFactory(
        initiative=world.a_initiative,
        summary="Stöd till ungdomar som står långt från arbetsmarknaden.",
        who_for="Unga vuxna 18–29 år.",
        how_to_refer="Handläggaren anmäler via blanketten.",
        contact="Projektledare, cresco@skovde.se",
    )
    draft = CatalogueEntryFactory(initiative=world.a_other, summary=SECRET, published=False)
    foreign = CatalogueEntryFactory(initiative=world.b_initiative, summary="B:s insats")
    return {"published": published, "draft": draft, "foreign": foreign}


def test_the_index_lists_associations_with_published_entries(client, entries, world):
    response = client.get(reverse("catalogue:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert world.a.name in body and world.b.name in body


def test_the_association_page_shows_published_entries_only(client, entries, world):
    response = client.get(reverse("catalogue:association", args=[world.a.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cresco Create" in body
    assert "Level Upgrade" not in body and SECRET not in body
    assert "Rätt Hjälp" not in body  # another association's
    assert 'role="status"' in body and "1 insats" in body


def test_search_as_you_type_answers_the_results_and_the_count(client, entries, world):
    url = reverse("catalogue:association", args=[world.a.slug])
    response = client.get(url, {"q": "ungdom"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="catalogue-results"' in body
    assert 'hx-swap-oob="innerHTML:#catalogue-count"' in body
    assert "1 träff för ”ungdom”" in body
    assert response["Vary"].count("HX-Request") == 1
    # Without JavaScript the same URL is the whole page.
    page = client.get(url, {"q": "ungdom"}).content.decode()
    assert "<html" in page and "Cresco Create" in page and "hx-swap-oob" not in page


def test_an_invalid_filter_is_named_and_dropped(client, entries, world):
    url = reverse("catalogue:association", args=[world.a.slug])
    response = client.get(url, {"year": "tusen", "municipality": "999999"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "error-summary" in body
    assert "Cresco Create" in body


def test_the_entry_page_and_the_final_report(client, entries, world):
    entry = entries["published"]
    entry.final_report, entry.final_report_name = PDF, "Slutrapport Cresco.pdf"
    entry.final_report_type = "application/pdf"
    entry.save()
    page = client.get(reverse("catalogue:entry", args=[world.a.slug, entry.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Handläggaren anmäler" in body and "cresco@skovde.se" in body
    report = client.get(reverse("catalogue:final_report", args=[world.a.slug, entry.pk]))
    assert report.status_code == 200
    assert report.content == PDF
    assert report["Content-Type"] == "application/pdf"
    assert report["Content-Disposition"].startswith("attachment")


def test_a_finished_entry_shows_its_results(client, world):
    initiative = InitiativeFactory(
        association=world.a,
        status=Status.ENDED,
        start_date=datetime.date(2012, 1, 1),
        end_date=datetime.date(2014, 1, 1),
    )
    entry = CatalogueEntryFactory(initiative=initiative, results="15 personer fick arbete.")
    body = client.get(reverse("catalogue:entry", args=[world.a.slug, entry.pk])).content.decode()
    assert "15 personer fick arbete." in body and "Avslutad" in body


@pytest.mark.parametrize("which", ["draft", "foreign"])
def test_unpublished_and_other_associations_entries_answer_404(client, entries, world, which):
    entry = entries[which]
    for name in ("catalogue:entry", "catalogue:final_report"):
        response = client.get(reverse(name, args=[world.a.slug, entry.pk]))
        assert response.status_code == 404
        assert SECRET not in response.content.decode()


def test_an_unknown_association_answers_404(client, db):
    assert client.get(reverse("catalogue:association", args=["finns-inte"])).status_code == 404


def test_no_personal_data_reaches_a_public_page(client, entries, world):
    enrolment = EnrolmentFactory(
        initiative=world.a_initiative,
        participant__personal_number="198112189876",
        participant__name="Sigrid Testsson",
    )
    assert enrolment.pk
    urls = [
        reverse("catalogue:index"),
        reverse("catalogue:association", args=[world.a.slug]),
        reverse("catalogue:association", args=[world.a.slug]) + "?q=cresco",
        reverse("catalogue:entry", args=[world.a.slug, entries["published"].pk]),
    ]
    for url in urls:
        body = client.get(url).content.decode()
        for secret in ("Sigrid", "Testsson", "19811218", "kansli@example.se", SECRET):
            assert secret not in body, url


# --- The secretariat ---------------------------------------------------------------------------


def test_the_initiative_page_links_to_its_entry(client_for, world):
    client = client_for(world.secretariat)
    body = client.get(reverse("initiatives:detail", args=[world.a_initiative.pk])).content
    assert reverse("catalogue:edit", args=[world.a_initiative.pk]).encode() in body


@pytest.mark.parametrize(
    "who", ["manager", "registrar", "board", "applicant", "analyst", "operator"]
)
def test_only_the_secretariat_edits_entries(client_for, world, who):
    client = client_for(world.user(who))
    url = reverse("catalogue:edit", args=[world.a_initiative.pk])
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {"summary": "x"}).status_code in (403, 404)
    publish = reverse("catalogue:publish", args=[world.a_initiative.pk])
    assert client.post(publish, {"published": "1"}).status_code in (403, 404)
    assert not CatalogueEntry.objects.exists()


def test_another_associations_initiative_answers_404(client_for, world):
    client = client_for(world.secretariat)
    url = reverse("catalogue:edit", args=[world.b_initiative.pk])
    assert client.get(url).status_code == 404


def test_the_secretariat_writes_publishes_and_withdraws(client_for, world):
    from django.test import Client

    public_client = Client()
    staff = client_for(world.secretariat)
    url = reverse("catalogue:edit", args=[world.a_initiative.pk])
    assert staff.get(url).status_code == 200
    # Publishing without a summary is refused with a message.
    response = staff.post(url, {"summary": "", "contact": "Förbundschef"})
    assert response.status_code == 302
    publish = reverse("catalogue:publish", args=[world.a_initiative.pk])
    response = staff.post(publish, {"published": "1"}, follow=True)
    assert "Skriv en sammanfattning" in response.content.decode()
    assert not CatalogueEntry.objects.get().published

    staff.post(url, {"summary": "Arbetsträning för unga.", "contact": "Förbundschef"})
    staff.post(publish, {"published": "1"})
    staff.post(publish, {"published": "1"})  # a double submit changes nothing
    entry = CatalogueEntry.objects.get()
    assert entry.published and entry.published_at
    assert entry.updated_by == world.secretariat
    events = ChangeEvent.objects.filter(object_type="catalogue.catalogueentry")
    assert list(events.order_by("pk").values_list("action", flat=True)) == [
        "catalogue.edit",
        "catalogue.edit",
        "catalogue.publish",
    ]
    public = public_client.get(reverse("catalogue:association", args=[world.a.slug]))
    assert "Arbetsträning för unga." in public.content.decode()

    # A published entry keeps its summary.
    response = staff.post(url, {"summary": "  ", "contact": "Förbundschef"})
    assert response.status_code == 200
    assert "En publicerad post måste ha en sammanfattning." in response.content.decode()
    assert CatalogueEntry.objects.get().summary == "Arbetsträning för unga."

    staff.post(publish, {"published": "0"})
    assert not CatalogueEntry.objects.get().published
    entry_url = reverse("catalogue:entry", args=[world.a.slug, entry.pk])
    assert public_client.get(entry_url).status_code == 404


def test_the_final_report_is_checked_by_its_content(client_for, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff = client_for(world.secretariat)
    url = reverse("catalogue:edit", args=[world.a_initiative.pk])
    fake = SimpleUploadedFile("rapport.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = staff.post(url, {"summary": "Text", "final_report": fake})
    assert response.status_code == 200
    assert "inte en PDF" in response.content.decode()
    assert not CatalogueEntry.objects.exists()  # nothing half-saved
    real = SimpleUploadedFile("Slutrapport.pdf", PDF, content_type="application/octet-stream")
    assert staff.post(url, {"summary": "Text", "final_report": real}).status_code == 302
    entry = CatalogueEntry.objects.get()
    assert entry.final_report_name == "Slutrapport.pdf"
    assert entry.final_report_type == "application/pdf"
    staff.post(url, {"summary": "Text", "remove_final_report": "on"})
    assert not CatalogueEntry.objects.get().has_final_report


def test_a_logged_in_applicant_reads_the_public_catalogue_too(world, client, client_for):
    """The public pages answer everyone: a user of an applicant organisation (a principal
    without staff roles, refused the staff pages) reads them like an anonymous visitor."""
    client_for(world.applicant_org)
    assert client.get("/katalog/").status_code == 200
    assert client.get(f"/katalog/{world.a.slug}/").status_code == 200
    assert client.get("/initiatives/").status_code == 403
