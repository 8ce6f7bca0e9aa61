"""Forms as data: a definition's sections and blocks, and what the answers lack.

(The foundation's minimal engine: the completeness check on required blocks. The full engine —
block types, cleaning, rendering, diffs — replaces this module.)
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
