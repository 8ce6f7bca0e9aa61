"""The import page and template downloads: permissions, downloads and file-level errors."""

import io

import openpyxl
import pytest
from django.urls import reverse

from finsam.initiatives.tests.factories import InitiativeFactory
from finsam.participants.imports import HEADERS
from finsam.participants.models import Consent, Enrolment, Participant
from finsam.participants.tests.test_import_support import codes, csv_bytes, in_row, upload

PAGES = ("upload", "template_xlsx", "template_csv")


def url(name, initiative):
    return reverse(f"participant_import:{name}", args=[initiative.pk])


def counts():
    return (Participant.objects.count(), Enrolment.objects.count(), Consent.objects.count())


@pytest.mark.parametrize("page", PAGES)
def test_the_assigned_registrar_gets_the_pages(world, client_for, page):
    response = client_for(world.registrar).get(url(page, world.a_initiative))
    assert response.status_code == 200


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    "role",
    [
        "operator",
        "secretariat",
        "initiative_manager",
        "board",
        "applicant",
        "analyst",
        "b_secretariat",
        "no_role",
    ],
)
def test_other_roles_are_forbidden(world, client_for, page, role):
    response = client_for(world.user(role)).get(url(page, world.a_initiative))
    assert response.status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_a_registrar_of_another_initiative_or_association_gets_404(world, client_for, page):
    assert client_for(world.registrar).get(url(page, world.a_other)).status_code == 404
    assert client_for(world.b_registrar).get(url(page, world.a_initiative)).status_code == 404
    assert client_for(world.registrar).get(url(page, world.b_initiative)).status_code == 404


def test_b_registrar_cannot_post_to_a(world, client_for):
    codes()
    before = counts()
    response = client_for(world.b_registrar).post(
        url("upload", world.a_initiative), {"file": upload(csv_bytes([in_row()]), "f.csv")}
    )
    assert response.status_code == 404
    assert counts() == before


def test_anonymous_users_are_sent_to_login(world, client):
    response = client.get(url("upload", world.a_initiative))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_page_links_to_both_templates_and_explains_every_column(world, client_for):
    response = client_for(world.registrar).get(url("upload", world.a_initiative))
    content = response.content.decode()
    assert url("template_xlsx", world.a_initiative) in content
    assert url("template_csv", world.a_initiative) in content
    for header in HEADERS:
        assert f"<code>{header}</code>" in content
    assert 'enctype="multipart/form-data"' in content


def test_the_xlsx_template_downloads_with_the_headers(world, client_for):
    codes()
    response = client_for(world.registrar).get(url("template_xlsx", world.a_initiative))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "finsam-importmall.xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert tuple(c.value for c in workbook["Deltagare"][1]) == HEADERS
    assert "Instruktioner" in workbook.sheetnames
    assert "imp-af" in [r[0] for r in workbook["Remittent"].iter_rows(values_only=True)]


def test_the_csv_template_downloads_with_the_headers(world, client_for):
    response = client_for(world.registrar).get(url("template_csv", world.a_initiative))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "finsam-importmall.csv" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.decode("utf-8-sig").splitlines()[0] == ";".join(HEADERS)


def test_posting_to_a_template_url_is_not_allowed(world, client_for):
    response = client_for(world.registrar).post(url("template_csv", world.a_initiative))
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("data.pdf", b"%PDF-1.4", "Filtypen stöds inte"),
        ("data.xls", b"\xd0\xcf\x11\xe0", "Det gamla Excel-formatet (.xls) stöds inte"),
        ("data.xlsx", b"PK\x03\x04 broken", "Filen kunde inte läsas som en Excel-fil"),
        ("data.csv", b"namn;hemkommun\r\nx;y\r\n", "Kolumnen personnummer saknas."),
        ("data.csv", b"typ;personnummer;startdatum\r\n", "inga rader att importera"),
    ],
)
def test_a_bad_file_gives_a_clear_message_and_saves_nothing(
    world, client_for, name, content, message
):
    before = counts()
    response = client_for(world.registrar).post(
        url("upload", world.a_initiative), {"file": upload(content, name)}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Filen kunde inte importeras. Inget har sparats." in content
    assert message in content
    assert counts() == before


def test_posting_without_a_file_asks_for_one(world, client_for):
    response = client_for(world.registrar).post(url("upload", world.a_initiative), {})
    assert "Välj en fil att importera." in response.content.decode()


def test_an_empty_upload_is_rejected(world, client_for):
    response = client_for(world.registrar).post(
        url("upload", world.a_initiative), {"file": upload(b"", "data.csv")}
    )
    assert "Filen är tom." in response.content.decode()


def test_a_volume_initiative_has_nothing_to_import(world, client_for):
    from finsam.accounts.tests.factories import InitiativeAssignmentFactory
    from finsam.core.roles import Role

    volume = InitiativeFactory(association=world.a, volume=True)
    InitiativeAssignmentFactory(user=world.registrar, initiative=volume, role=Role.REGISTRAR)
    client = client_for(world.registrar)
    assert "volyminsats" in client.get(url("upload", volume)).content.decode()
