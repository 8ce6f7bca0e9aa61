"""Forms as data: a definition's sections and blocks, and what the answers lack.

(The foundation's minimal engine: the completeness check on required blocks. The full engine —
block types, cleaning, rendering, diffs — replaces this module.)

NOTE TO THE FORMS HELPER (keep when you replace this module, as a contract in your docstring):
the shipped standard form must use these block keys, which the board (granting an application
becomes an initiative), the catalogue and the meeting pack read:
- `summary`: a short summary of the project (text, required, at most 1 000 characters);
- `target_groups`: choice (multiple) with options from the reference code list of target
  groups (`finsam.reference.codes`, the list the initiatives' `target_groups` use) — a choice
  block may take `"options_from": "<code list name>"` instead of fixed options;
- `municipalities`: choice (multiple), `"options_from": "municipalities"`: the association's
  member municipalities (codes = municipality codes);
- `participants_planned`: number (integer) of planned participants;
- `budget`: the budget block; `timeline`: the timeline block with the project period;
- `contacts`: the repeatable group of contact persons.
The answers of seed 004 in the standard form go to `finsam/demo/data/application_004.json`
(`{"title": ..., "answers": {...}}`, the seed's text verbatim), for the demo.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    key: str
    label: str
    section: str
    message: str
    anchor: str


def _empty(value) -> bool:
    return value in (None, "", [], {}) or (isinstance(value, str) and not value.strip())


def missing(definition: dict, answers: dict) -> list[Problem]:
    """The required blocks without an answer, in the form's order."""
    problems = []
    for section in definition.get("sections", []):
        for block in section.get("blocks", []):
            if block.get("required") and _empty(answers.get(block["key"])):
                label = str(block.get("label", block["key"]))
                problems.append(
                    Problem(
                        key=block["key"],
                        label=label,
                        section=str(section.get("title", "")),
                        message=_("Fyll i %(label)s.") % {"label": label},
                        anchor=f"block-{block['key']}",
                    )
                )
    return problems
