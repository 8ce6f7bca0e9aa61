def test_it_serves_swedish_to_an_english_browser(client, world):
    client.force_login(world.secretariat)
    response = client.get("/initiatives/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "sv"


def test_it_serves_english_when_the_user_picks_it(client, world):
    client.force_login(world.secretariat)
    client.post("/i18n/setlang/", {"language": "en", "next": "/initiatives/"})
    response = client.get("/initiatives/")
    assert response.headers["Content-Language"] == "en"
