from finsam.applications.formdef import diff, standard_form
from finsam.applications.formdef.diff import inline_diff

FORM = standard_form()
DEL = '<del><span class="visually-hidden">borttaget: </span>'
INS = '<ins><span class="visually-hidden">tillagt: </span>'


def test_changed_blocks_only_in_form_order():
    old = {
        "project_name": "Kraft",
        "participants_planned": 12,
        "principal_organisation": "Socialförvaltningen",
    }
    new = {
        "project_name": "Kraft 2",
        "participants_planned": 12,
        "principal_organisation": "Socialförvaltningen",
        "referral": "<p>Socialsekreterare remitterar.</p>",
    }
    changes = diff(FORM, old, new)
    assert [(c.key, c.label, c.old, c.new) for c in changes] == [
        ("project_name", "Projektets namn", "Kraft", "Kraft 2"),
        ("referral", "4.3 Remittering till projektet", "", "Socialsekreterare remitterar."),
    ]
    assert changes[0].section_title == "Projektet"


def test_long_text_gets_a_word_level_diff():
    old = {
        "starting_points": (
            "<p>Kraft har drivits under ett och ett halvt år så här långt och två grupper "
            "har genomgått metoden.</p>"
        )
    }
    new = {
        "starting_points": (
            "<p>Kraft har drivits under två år så här långt och tre grupper "
            "har genomgått metoden.</p>"
        )
    }
    (change,) = diff(FORM, old, new)
    assert DEL + "ett och ett halvt</del>" + INS + "två</ins>" in change.inline
    assert DEL + "två</del>" + INS + "tre</ins>" in change.inline
    assert "Kraft har drivits under " in change.inline


def test_the_inline_diff_escapes_the_text():
    html = inline_diff("säker text här", 'säker <script>alert("x")</script> text här')
    assert "<script>" not in html
    assert (
        html == "säker" + INS + " &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</ins> text här"
    )


def test_budget_changes_are_shown_as_text():
    old = {
        "budget": {
            "years": [2026],
            "costs": [{"label": "Lön", "amounts": {"2026": 100}}],
            "financiers": {},
        }
    }
    new = {
        "budget": {
            "years": [2026],
            "costs": [{"label": "Lön", "amounts": {"2026": 200}}],
            "financiers": {},
        }
    }
    (change,) = diff(FORM, old, new)
    assert "Lön: 2026: 100\u00a0kr" in change.old and "Lön: 2026: 200\u00a0kr" in change.new
