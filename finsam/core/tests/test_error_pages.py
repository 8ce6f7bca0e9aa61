import pytest
from django.test import override_settings


def test_a_missing_page_answers_in_swedish_without_details(client_for, world):
    response = client_for(world.secretariat).get("/initiatives/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Sidan finns inte" in body
    assert "Traceback" not in body


def test_a_forbidden_page_says_so_in_swedish(client_for, world):
    response = client_for(world.board).get("/initiatives/new/")
    assert response.status_code == 403
    assert "Ingen behörighet" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_server_error_shows_nothing_of_the_request(client_for, world, monkeypatch):
    from finsam.initiatives import views

    def boom(*args, **kwargs):
        raise RuntimeError("19811218-9876 Sigrid Testsson")

    monkeypatch.setattr(views.selectors, "initiative_list", boom)
    client = client_for(world.secretariat)
    client.raise_request_exception = False
    response = client.get("/initiatives/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Ett fel uppstod" in body
    assert "19811218" not in body and "Sigrid" not in body


pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_a_server_error_answers_in_the_users_language(client_for, world, monkeypatch):
    from finsam.initiatives import views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.selectors, "initiative_list", boom)
    client = client_for(world.secretariat)
    client.raise_request_exception = False
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/initiatives/")
    assert response.status_code == 500
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Ett fel uppstod" not in body and "Något gick fel" not in body
