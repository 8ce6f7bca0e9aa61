"""/favicon.ico, which browsers ask for by themselves, answers with the site's icon."""

from django.contrib.staticfiles import finders
from django.templatetags.static import static


def test_favicon_ico_leads_to_the_static_icon_without_login(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("finsam/favicon.ico")
    icon = finders.find("finsam/favicon.ico")
    with open(icon, "rb") as f:
        assert f.read(4) == b"\x00\x00\x01\x00"  # an ICO file


def test_every_page_links_the_icons(world, client_for):
    body = client_for(world.board).get("/", follow=True).content.decode()
    assert f'<link rel="icon" href="{static("finsam/favicon.ico")}"' in body
    assert f'<link rel="icon" href="{static("finsam/favicon.svg")}"' in body
