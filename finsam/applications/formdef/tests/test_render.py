import re

from django.http import QueryDict
from django.utils import translation

from finsam.applications.formdef import clean_answers, document_blocks, plain_text, standard_form
from finsam.applications.formdef.render import render_display, render_form
from finsam.documents.blocks import Chapter, Paragraph, Table

FORM = standard_form()
ANSWERS = {
    "project_name": "Kraft",
    "starting_points": "<p>Kraft har drivits i ett och ett halvt år.</p>",
    "participants_planned": 15,
    "budget": {
        "years": [2013, 2014],
        "costs": [{"label": "Projektledare", "amounts": {"2013": 200000, "2014": 400000}}],
        "financiers": {"association": {"2013": 200000, "2014": 400000}},
    },
    "timeline": {
        "start": "2013-09-01",
        "end": "2014-08-31",
        "rows": [{"activity": "Motivation", "start": "2013-09", "end": "2013-12"}],
    },
    "contacts": [
        {
            "name": "Anna-Lena Dahlin",
            "role": "Projektledare",
            "organisation": None,
            "phone": "046-35 53 35",
            "email": None,
        }
    ],
}


def test_every_input_has_a_label_and_the_ids_follow_the_keys():
    html = render_form(FORM, ANSWERS, {})
    ids = re.findall(r'<(?:input|textarea)[^>]* id="([^"]+)"', html)
    assert (
        "block-project_name" in ids
        and "block-budget-cost-0-2014" in ids
        and "block-contacts-0-name" in ids
    )
    for input_id in ids:
        assert f'for="{input_id}"' in html, input_id
    assert 'value="Kraft"' in html
    assert 'for="block-budget-cost-0-2014">Projektledare, 2014</label>' in html
    assert '<th scope="col" class="text-end">2014</th>' in html
    assert '<th scope="row">Samordningsförbundet</th>' in html
    assert 'name="action" value="add:contacts"' in html  # works without JavaScript
    assert 'name="action" value="remove:contacts:0"' in html
    assert "<script" not in html


def test_an_error_is_tied_to_its_field_and_the_typed_value_is_kept():
    data = QueryDict(mutable=True)
    data.update({"project_name": "Kraft", "participants_planned": "femton"})
    answers, errors = clean_answers(FORM, data, section="target_group")
    html = render_form(FORM, {**ANSWERS, **answers}, errors, data=data, section="target_group")
    assert (
        'id="block-participants_planned" name="participants_planned" value="femton" '
        'aria-describedby="block-participants_planned-hint block-participants_planned-error"'
        in html
    )
    assert 'id="block-participants_planned-error">Ange ett tal, till exempel 12.</div>' in html
    assert "section-projekt" not in html  # one section only


def test_english_labels():
    with translation.override("en"):
        html = render_form(FORM, {}, {}, section="project")
    assert "Project name" in html


def test_read_only_display_plain_text_and_document_blocks():
    html = render_display(FORM, ANSWERS)
    assert (
        "Kraft har drivits" in html
        and "400\u00a0000\u00a0kr" in html
        and "Anna-Lena Dahlin" in html
    )
    assert "Inte besvarat" in html
    text = plain_text(FORM, ANSWERS)
    assert "Projektets namn\nKraft" in text
    chapters = document_blocks(FORM, ANSWERS)
    assert all(isinstance(c, Chapter) for c in chapters)
    budget = next(c for c in chapters if c.anchor == "section-budget")
    tables = [b for sub in budget.sub_chapters for b in sub.blocks if isinstance(b, Table)]
    assert tables[0].columns == ["Kostnad", "2013", "2014", "Summa"]
    assert tables[0].total == [
        "Summa kostnader",
        "200\u00a0000\u00a0kr",
        "400\u00a0000\u00a0kr",
        "600\u00a0000\u00a0kr",
    ]
    start = next(c for c in chapters if c.anchor == "section-starting_points")
    assert start.sub_chapters[0].blocks == [Paragraph("Kraft har drivits i ett och ett halvt år.")]


def test_the_document_layer_renders_the_answers_as_docx():
    import io

    from docx import Document as Reader

    from finsam.documents.blocks import Document
    from finsam.documents.render import render

    data = render(Document(title="Ansökan", chapters=document_blocks(FORM, ANSWERS)), "docx")
    text = "\n".join(p.text for p in Reader(io.BytesIO(data)).paragraphs)
    assert "Kraft har drivits i ett och ett halvt år." in text
    assert "4.2 Kriterier för deltagande" in text
