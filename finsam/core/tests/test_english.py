"""The English UI has no Swedish left over.

Every page of the permission walk is rendered in English for each role, with the data of the
database made ASCII-only first (names of associations, initiatives, municipalities, people,
periods…): any å, ä or ö left in the visible text then comes from the code, a string not
wrapped in gettext or not translated, never from user data. Code lists are not touched: each
code has an English label of its own, which an English page must show.
"""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models

from finsam.core.tests.test_permission_walk import _body
from finsam.core.tests.walk import OBJECT_KWARGS, PLAIN, url_of
from finsam.reference.models import Code

# Words with å, ä or ö that the English translation keeps: names of Swedish agencies, places and
# systems (as in the .po file), and the language switch's own name for Swedish.
PROPER_NOUNS = {
    "Svenska",
    "Lättläst",  # "Lättläst svenska": the questionnaires' language chooser names each in itself
    "Uppföljning",  # Uppföljning Finsam, the Swedish Social Insurance Agency's system
    "Skåne",
    "Västra",
    "Götalandsregionen",
    "Skövde",
    "Försäkringskassan",  # the agencies' names, kept in English as in the .po file
    "Arbetsförmedlingen",
}
ROLES = ("operator", "secretariat", "manager", "registrar", "board", "analyst", "applicant")
SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖ]")
_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "A", "Ä": "A", "Ö": "O", "é": "e"})
# Elements whose text is not UI text: scripts, styles, and literal values in <code> (the column
# headers and keywords of the import file format, which are Swedish in every language).
NOT_UI_TEXT = ("script", "style", "template", "code")
# Attributes whose text a person sees or hears.
VISIBLE_ATTRIBUTES = {
    "title",
    "aria-label",
    "placeholder",
    "alt",
    "aria-roledescription",
    "hx-confirm",
}


class VisibleText(HTMLParser):
    """The text nodes and visible attributes of a page, without scripts, styles and code."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in NOT_UI_TEXT:
            self._hidden += 1
        for name, value in attrs:
            if value and (
                name in VISIBLE_ATTRIBUTES
                or (name == "value" and tag == "input" and ("type", "submit") in attrs)
            ):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in NOT_UI_TEXT and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.parts


def swedish_left(html: str) -> list[str]:
    """The pieces of visible text with a Swedish letter outside the allowed proper nouns."""
    left = []
    for text in visible_text(html):
        words = re.findall(r"\w+", text)
        if any(SWEDISH_LETTERS.search(w) and w not in PROPER_NOUNS for w in words):
            left.append(text)
    return left


def make_data_ascii():
    """Every text of every finsam model (code lists excepted) without Swedish letters."""
    for model in apps.get_models():
        if not model.__module__.startswith("finsam.") or model is Code:
            continue
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
            and not f.choices
            and not f.primary_key
        ]
        if not fields:
            continue
        for obj in model.objects.all():
            changed = {}
            for field in fields:
                value = getattr(obj, field.attname)
                if isinstance(value, str) and value != value.translate(_ASCII):
                    changed[field.attname] = value.translate(_ASCII)
            if changed:
                # Straight to the table: a model may refuse edits once it is in use (a
                # questionnaire version with answers), and only the letters change here.
                model._base_manager.filter(pk=obj.pk).update(**changed)


@pytest.fixture
def ascii_world(world, objects):  # noqa: F811 - the permission walk's fixture
    make_data_ascii()
    return objects


def test_the_check_finds_swedish_text_and_ignores_what_is_not_shown():
    html = (
        '<p>Approved <b>Godkänd</b></p><button aria-label="Stäng">x</button>'
        "<script>var s = 'Hämtar';</script><style>.å {}</style><p>Uppföljning Finsam</p>"
        "<p>The column <code>kön</code></p>"
    )
    assert swedish_left(html) == ["Godkänd", "Stäng"]


@pytest.mark.parametrize("who", ROLES)
def test_every_page_in_english_is_without_swedish(world, ascii_world, client, client_for, who):
    client_for(world.user(who))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    found = {}
    for name in PLAIN + list(OBJECT_KWARGS):
        url = url_of(name, ascii_world["own"])
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        assert response.headers["Content-Language"] == "en", url
        left = swedish_left(_body(response))
        if left:
            found[url] = left
    assert found == {}, f"{who} sees Swedish in English: {found}"
