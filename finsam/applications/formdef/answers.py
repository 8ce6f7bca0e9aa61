"""Answers: cleaning posted or JSON answers, the completeness check, and what the application
record keeps from them (the amount applied for per year, the project period)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from finsam.applications.formdef.definition import blocks, find_block, section_title
from finsam.applications.formdef.text import tr
from finsam.applications.formdef.types import ABSENT, MAX_ROWS, TYPES, parse_date


def is_post(raw) -> bool:
    return hasattr(raw, "getlist")


def raw_values(definition, raw, *, section: str | None = None) -> dict:
    """The answers as typed, shaped as answers (not checked): from POST data or from JSON."""
    out = {}
    if not hasattr(raw, "get"):
        return out
    for _sec, block in blocks(definition, section):
        kind = TYPES[block["type"]]
        if is_post(raw):
            value = kind.from_post(block, raw, block["key"])
            if value is ABSENT:
                continue
        elif block["key"] in raw:
            value = raw[block["key"]]
        else:
            continue
        out[block["key"]] = value
    return out


def clean_answers(definition, raw, *, section: str | None = None) -> tuple[dict, dict[str, str]]:
    """(answers, errors) from POST-like data or a JSON dict. Only the blocks present in `raw`
    are in the answers (a section's form posts its own blocks; files never come by POST); a
    block with an error is left out of the answers and its errors are keyed by field id.
    Never raises on any input."""
    cleaned: dict = {}
    errors: dict[str, str] = {}
    for key, value in raw_values(definition, raw, section=section).items():
        _sec, block = find_block(definition, key)
        try:
            result, block_errors = TYPES[block["type"]].clean(block, value, key)
        except (TypeError, ValueError, AttributeError, KeyError, RecursionError, OverflowError):
            result, block_errors = None, {key: _("Svaret kunde inte läsas.")}
        if block_errors:
            errors.update(block_errors)
        else:
            cleaned[key] = result
    return cleaned, errors


@dataclass(frozen=True)
class Problem:
    """Something to put right before submitting: the block, its section and where to go."""

    key: str
    label: str
    section: str  # the section's key
    section_title: str
    message: str
    anchor: str  # the id of the input to go to

    def __str__(self):
        return self.message


def missing(definition, answers) -> list[Problem]:
    """What stands in the way of submitting: required blocks left empty, answers that no longer
    pass their checks, and each block's own rules (a budget in balance, a group's minimum)."""
    answers = answers if isinstance(answers, dict) else {}
    _cleaned, errors = clean_answers(definition, answers)
    problems = []
    for sec, block in blocks(definition):
        key, label = block["key"], tr(block["label"])
        kind = TYPES[block["type"]]
        value = answers.get(key)

        def add(fid, message, sec=sec, key=key, label=label):
            problems.append(
                Problem(key, label, sec["key"], section_title(sec), message, f"block-{fid}")
            )

        block_errors = {
            fid: msg for fid, msg in errors.items() if fid == key or fid.startswith(f"{key}-")
        }
        if block_errors:
            for fid, message in block_errors.items():
                add(fid, f"{label}: {message}")
            continue
        if kind.is_empty(block, value):
            if block.get("required"):
                add(key, _("Fyll i %(label)s.") % {"label": label})
            continue
        for fid, message in kind.problems(block, value, key):
            add(fid, f"{label}: {message}")
    return problems


def section_state(definition, answers) -> dict[str, dict]:
    """Per section: how many blocks are answered, and whether it is complete."""
    answers = answers if isinstance(answers, dict) else {}
    problems = missing(definition, answers)
    out = {}
    for sec, block in blocks(definition):
        state = out.setdefault(
            sec["key"], {"answered": 0, "total": 0, "problems": 0, "complete": True}
        )
        state["total"] += 1
        if not TYPES[block["type"]].is_empty(block, answers.get(block["key"])):
            state["answered"] += 1
    for problem in problems:
        out[problem.section]["problems"] += 1
        out[problem.section]["complete"] = False
    return out


def applied_by_year(definition, answers) -> dict[int, int]:
    """The amount applied for from the association per year: the financier marked
    `applicant_financier` in the budget blocks."""
    out: dict[int, int] = {}
    answers = answers if isinstance(answers, dict) else {}
    for _sec, block in blocks(definition):
        if block["type"] == "budget" and isinstance(answers.get(block["key"]), dict):
            for year, amount in (
                TYPES["budget"].totals(block, answers[block["key"]])["applied"].items()
            ):
                out[year] = out.get(year, 0) + amount
    return dict(sorted(out.items()))


def amount_applied(definition, answers) -> int:
    return sum(applied_by_year(definition, answers).values())


def period(definition, answers) -> tuple[datetime.date | None, datetime.date | None]:
    """The project period from the first timeline block."""
    answers = answers if isinstance(answers, dict) else {}
    for _sec, block in blocks(definition):
        if block["type"] == "timeline":
            value = answers.get(block["key"])
            if isinstance(value, dict):
                return parse_date(value.get("start")), parse_date(value.get("end"))
            return None, None
    return None, None


def keep_formatting(definition, old_answers, new_answers) -> dict:
    """The new answers, where a rich text whose words did not change keeps its stored HTML: the
    form shows rich text as plain text, and saving it unchanged must not drop its formatting."""
    from finsam.applications.formdef.richtext import html_to_text

    out = dict(new_answers)
    for _sec, block in blocks(definition):
        key = block["key"]
        old, new = old_answers.get(key), out.get(key)
        unchanged = isinstance(old, str) and isinstance(new, str) and old != new
        if block["type"] == "rich_text" and unchanged and html_to_text(old) == html_to_text(new):
            out[key] = old
    return out


def row_action(definition, answers: dict, action: str) -> dict:
    """Answers after a "Lägg till" / "Ta bort" button: `add:<key>` adds an empty row (a group's
    entry, a budget's cost line, a timeline's activity), `remove:<key>:<n>` removes row n.
    Unknown actions change nothing."""
    answers = dict(answers)
    parts = str(action).split(":")
    if len(parts) not in (2, 3) or parts[0] not in ("add", "remove"):
        return answers
    _sec, block = find_block(definition, parts[1])
    if block is None or block["type"] not in ("group", "budget", "timeline"):
        return answers
    key = block["key"]
    value = answers.get(key)
    if block["type"] == "group":
        rows = list(value) if isinstance(value, list) else []
        cap = block.get("max_repeats", 10)
        empty = {
            c["key"]: ([] if c["type"] == "choice" and c.get("multiple") else None)
            for c in block["blocks"]
        }
    else:
        value = dict(value) if isinstance(value, dict) else {}
        field = "costs" if block["type"] == "budget" else "rows"
        rows = list(value.get(field, []))
        cap = block.get("max_lines" if block["type"] == "budget" else "max_rows", 30)
        empty = (
            {"label": "", "amounts": {}}
            if block["type"] == "budget"
            else {"activity": "", "start": "", "end": ""}
        )
    if parts[0] == "add" and len(parts) == 2:
        if len(rows) < min(cap, MAX_ROWS):
            rows.append(empty)
    elif (
        parts[0] == "remove"
        and len(parts) == 3
        and parts[2].isdigit()
        and int(parts[2]) < len(rows)
    ):
        del rows[int(parts[2])]
    else:
        return answers
    if block["type"] == "group":
        answers[key] = rows
    else:
        value[field] = rows
        if block["type"] == "budget" and not value.get("years"):
            value["years"] = [datetime.date.today().year]
        answers[key] = value
    return answers
