"""The form engine: application forms as data (JSON definitions of sections and blocks) and
their answers. No models: pure functions the applications app calls. The contract:

- `validate_definition(definition) -> list[str]`
- `clean_answers(definition, raw, *, section=None) -> (answers, errors)`
- `missing(definition, answers) -> list[Problem]`, `section_state(definition, answers)`
- `applied_by_year(definition, answers) -> {year: kronor}`, `amount_applied`, `period(...)`
- `diff(definition, old, new) -> list[Change]`
- `display(definition, answers)`, `plain_text(...)`, `document_blocks(...)`
- `check_file(uploaded, allowed_kinds, max_bytes) -> (kind, error)`
- `render_form(definition, answers, errors, ...)`, `render_display(definition, answers)`
- `row_action(definition, answers, action)`: the "Lägg till" / "Ta bort" buttons
- `options.with_options(definition, association)`: choices with `"options_from"` filled in
  (the copy an application keeps is made with it)

The shipped standard form (`standard_form.json`, seed 004's sections) keeps these block keys,
which the board (a granted application becomes an initiative), the catalogue and the meeting
pack read: `summary` (text, required, at most 1 000 characters); `target_groups` (choice,
multiple, `"options_from": "target_group"`, the code list of the initiatives' target groups);
`municipalities` (choice, multiple, `"options_from": "municipalities"`: the association's member
municipalities, codes = municipality codes); `participants_planned` (integer); `budget`;
`timeline` (with the project period); `contacts` (the repeatable group of contact persons); and
`project_name` (the application's title). Seed 004's answers in this form are
`finsam/demo/data/application_004.json` (`{"title": ..., "answers": {...}}`, the text verbatim).
"""

from finsam.applications.formdef.answers import (
    Problem,
    amount_applied,
    applied_by_year,
    clean_answers,
    keep_formatting,
    missing,
    period,
    row_action,
    section_state,
)
from finsam.applications.formdef.definition import (
    section_title,
    sections,
    standard_form,
    validate_definition,
)
from finsam.applications.formdef.diff import Change, diff
from finsam.applications.formdef.display import display, document_blocks, plain_text
from finsam.applications.formdef.files import check_file

__all__ = [
    "Change",
    "Problem",
    "amount_applied",
    "applied_by_year",
    "check_file",
    "clean_answers",
    "diff",
    "display",
    "document_blocks",
    "keep_formatting",
    "missing",
    "period",
    "plain_text",
    "row_action",
    "section_state",
    "section_title",
    "sections",
    "standard_form",
    "validate_definition",
]
