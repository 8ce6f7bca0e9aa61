import copy

from django.utils import translation

from finsam.applications.formdef import standard_form, validate_definition
from finsam.applications.formdef.text import tr


def small(*blocks):
    return {
        "version": 1,
        "title": "Ansökan",
        "sections": [{"key": "a", "title": "A", "blocks": list(blocks)}],
    }


def test_the_shipped_form_is_valid_and_follows_seed_004():
    form = standard_form()
    assert validate_definition(form) == []
    titles = [tr(s["title"]) for s in form["sections"]]
    for expected in (
        "1 Utgångspunkter",
        "2 Mål",
        "3 Målgrupp",
        "4 Metod",
        "4.5 Samarbetspartners",
        "7 Resurser och budget",
        "8 Tidplan",
        "11 Kontaktpersoner",
    ):
        assert expected in titles
    types = {b["type"] for s in form["sections"] for b in s["blocks"]}
    assert {"text", "rich_text", "number", "budget", "timeline", "group", "file"} <= types


def test_labels_follow_the_active_language():
    form = standard_form()
    with translation.override("en"):
        assert tr(form["sections"][1]["title"]) == "1 Starting points"
    with translation.override("sv"):
        assert tr(form["sections"][1]["title"]) == "1 Utgångspunkter"
    assert tr({"sv": "Bara svenska"}) == "Bara svenska"


def test_duplicate_keys_unknown_types_and_bad_options_are_named():
    definition = small(
        {"key": "name", "type": "text", "label": "Namn"},
        {"key": "name", "type": "text", "label": "Namn igen"},
        {"key": "x", "type": "video", "label": "Film"},
        {"key": "Bad Key", "type": "text", "label": "Fel"},
        {
            "key": "val",
            "type": "choice",
            "label": "Val",
            "options": [{"code": "a", "label": "A"}, {"code": "a", "label": "B"}],
        },
        {
            "key": "budget",
            "type": "budget",
            "label": "Budget",
            "financiers": [{"code": "f", "label": "F"}],
        },
        {
            "key": "grupp",
            "type": "group",
            "label": "Grupp",
            "blocks": [{"key": "fil", "type": "file", "label": "Fil"}],
        },
        {"key": "tal", "type": "number", "label": "Tal", "min": 5, "max": 1},
    )
    problems = validate_definition(definition)
    text = "\n".join(problems)
    assert "nyckeln ”name” används redan" in text
    assert "okänd blocktyp ”video”" in text
    assert "”Bad Key” har ingen giltig nyckel" in text
    assert "koden ”a” används redan" in text
    assert "exakt en finansiär ska vara markerad applicant_financier" in text
    assert "en grupp kan bara innehålla" in text
    assert "min är större än max" in text


def test_missing_title_sections_and_labels():
    assert validate_definition([]) == ["Formuläret ska vara ett JSON-objekt."]
    problems = validate_definition({"version": 2, "sections": []})
    assert "Formulärets version ska vara 1." in problems
    assert "Formuläret saknar titel." in problems
    assert "Formuläret saknar avsnitt." in problems
    definition = small({"key": "a1", "type": "text", "label": {"en": "Only English"}})
    assert any("etikett saknas" in p for p in validate_definition(definition))


def test_a_changed_copy_does_not_touch_the_shipped_form():
    form = standard_form()
    changed = copy.deepcopy(form)
    changed["sections"][0]["blocks"][0]["label"] = "Ändrad"
    assert standard_form() == form


def test_the_demo_application_from_seed_004_fits_the_shipped_form():
    import json
    from pathlib import Path

    from finsam.applications.formdef import applied_by_year, clean_answers, missing, period

    data = json.loads(
        (Path(__file__).parents[3] / "demo" / "data" / "application_004.json").read_text("utf-8")
    )
    form = standard_form()
    for section in form["sections"]:
        for block in section["blocks"]:
            if block["key"] == "municipalities":
                block["options"] = [{"code": "1281", "label": "Lund"}]
    answers, errors = clean_answers(form, data["answers"])
    assert errors == {}
    assert answers == data["answers"]
    assert missing(form, answers) == []
    assert applied_by_year(form, answers) == {2013: 1_096_000}
    assert str(period(form, answers)[0]) == "2013-09-01"
    assert "Biologdesignern" in answers["method"]
