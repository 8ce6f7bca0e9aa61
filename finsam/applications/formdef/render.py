"""Rendering a form for editing (one template per block type under
templates/applications/blocks/) and its answers read-only.

The templates get view objects (`BoundBlock`, `Input`) with everything already worked out: ids
("block-<field id>"), names, values, the error and the ids for aria-describedby. A block with an
error shows what was typed (`data`, the POST) rather than the stored answer, so nothing typed is
lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from finsam.applications.formdef import richtext
from finsam.applications.formdef.answers import raw_values
from finsam.applications.formdef.definition import blocks, section_title, sections
from finsam.applications.formdef.display import display
from finsam.applications.formdef.files import KINDS
from finsam.applications.formdef.text import tr
from finsam.applications.formdef.types import TYPES, kr


@dataclass
class Input:
    id: str
    name: str
    label: str
    value: str = ""
    error: str = ""

    @property
    def describedby(self) -> str:
        return f"{self.id}-error" if self.error else ""


@dataclass
class Option:
    code: str
    label: str
    id: str
    checked: bool


@dataclass
class Row:
    index: int
    label: str  # the row's name for the screen reader ("Rad 2")
    inputs: list[Input]
    remove: str  # the button's value "remove:<key>:<n>"
    children: list = field(default_factory=list)  # a group entry's BoundBlocks
    total: str = ""


@dataclass
class BoundBlock:
    key: str
    type: str
    id: str
    name: str
    label: str
    help: str
    required: bool
    error: str = ""
    value: str = ""
    multiline: bool = False
    max_length: int = 0
    step: str = "1"
    options: list[Option] = field(default_factory=list)
    multiple: bool = False
    files: list[dict] = field(default_factory=list)
    accept: str = ""
    kinds_text: str = ""
    years: list[int] = field(default_factory=list)
    inputs: list[Input] = field(default_factory=list)  # the budget's years, the timeline's period
    rows: list[Row] = field(default_factory=list)  # cost lines, activities, group entries
    financiers: list[Row] = field(default_factory=list)
    totals: list[str] = field(default_factory=list)
    financing_totals: list[str] = field(default_factory=list)
    applied_totals: list[str] = field(default_factory=list)
    count_name: str = ""
    add: str = ""  # the "Lägg till" button's value; "" when full
    errors: list[str] = field(default_factory=list)  # all errors inside a compound block

    @property
    def help_id(self) -> str:
        return f"{self.id}-hint" if self.help else ""

    @property
    def error_id(self) -> str:
        return f"{self.id}-error" if self.error else ""

    @property
    def describedby(self) -> str:
        return " ".join(part for part in (self.help_id, self.error_id) if part)

    @property
    def template(self) -> str:
        return f"applications/blocks/{self.type}.html"


def _str(value) -> str:
    if value is None:
        return ""
    return str(value)


def bind(block, value, errors: dict[str, str], fid: str | None = None) -> BoundBlock:
    fid = fid or block["key"]
    kind = block["type"]
    own = {k: v for k, v in errors.items() if k == fid or k.startswith(f"{fid}-")}
    bound = BoundBlock(
        key=block["key"],
        type=kind,
        id=f"block-{fid}",
        name=fid,
        label=tr(block["label"]),
        help=tr(block.get("help", "")),
        required=bool(block.get("required")),
        error=errors.get(fid, "")
        or ("" if kind not in ("budget", "timeline", "group") else _first(own)),
        errors=list(own.values()),
    )

    def inp(part: str, label: str, val) -> Input:
        return Input(
            f"block-{fid}-{part}",
            f"{fid}-{part}",
            label,
            _str(val),
            errors.get(f"{fid}-{part}", ""),
        )

    if kind == "text":
        bound.value = _str(value)
        bound.multiline = bool(block.get("multiline"))
        bound.max_length = block.get("max_length", 200)
    elif kind == "rich_text":
        bound.multiline = True
        # Shown as plain text; saved unchanged, it keeps its formatting (`keep_formatting`).
        if isinstance(value, str) and richtext.looks_like_html(value):
            bound.value = richtext.html_to_text(value)
        else:
            bound.value = _str(value)
    elif kind in ("number", "amount"):
        bound.value = _str(value)
        decimals = block.get("decimals", 0) if kind == "number" else 0
        bound.step = "1" if not decimals else "0." + "0" * (decimals - 1) + "1"
    elif kind == "date":
        bound.value = _str(value)
    elif kind == "choice":
        bound.multiple = bool(block.get("multiple"))
        chosen = value if isinstance(value, list) else [value]
        bound.options = [
            Option(o["code"], tr(o["label"]), f"block-{fid}-{o['code']}", o["code"] in chosen)
            for o in block.get("options", [])
        ]
    elif kind == "file":
        bound.files = [f for f in value if isinstance(f, dict)] if isinstance(value, list) else []
        kinds = block.get("kinds", list(KINDS))
        bound.accept = ",".join(ext for k in kinds for ext in KINDS[k].extensions)
        bound.kinds_text = ", ".join(str(KINDS[k].name) for k in kinds)
    elif kind == "budget":
        _bind_budget(bound, block, value, inp, errors, fid)
    elif kind == "timeline":
        value = value if isinstance(value, dict) else {}
        bound.inputs = [
            inp("start", _("Startdatum"), value.get("start")),
            inp("end", _("Slutdatum"), value.get("end")),
        ]
        rows = value.get("rows") if isinstance(value.get("rows"), list) else []
        for n, row in enumerate(rows):
            row = row if isinstance(row, dict) else {}
            bound.rows.append(
                Row(
                    n,
                    _("Aktivitet %(n)s") % {"n": n + 1},
                    [
                        inp(f"row-{n}-activity", _("Aktivitet"), row.get("activity")),
                        inp(f"row-{n}-start", _("Startmånad"), row.get("start")),
                        inp(f"row-{n}-end", _("Slutmånad"), row.get("end")),
                    ],
                    f"remove:{fid}:{n}",
                )
            )
        bound.count_name = f"{fid}-row_count"
        bound.add = f"add:{fid}" if len(rows) < block.get("max_rows", 30) else ""
    elif kind == "group":
        entries = value if isinstance(value, list) else []
        entries = entries or [{}] * max(1, block.get("min_repeats", 0))
        for n, entry in enumerate(entries):
            entry = entry if isinstance(entry, dict) else {}
            bound.rows.append(
                Row(
                    n,
                    f"{tr(block.get('item_label') or block['label'])} {n + 1}",
                    [],
                    f"remove:{fid}:{n}",
                    [
                        bind(child, entry.get(child["key"]), errors, f"{fid}-{n}-{child['key']}")
                        for child in block["blocks"]
                    ],
                )
            )
        bound.count_name = f"{fid}-count"
        bound.add = f"add:{fid}" if len(entries) < block.get("max_repeats", 10) else ""
    return bound


def _first(errors: dict) -> str:
    return next(iter(errors.values()), "") if errors else ""


def _bind_budget(bound, block, value, inp, errors, fid):
    value = value if isinstance(value, dict) else {}
    years = (
        [y for y in value.get("years", []) if isinstance(y, int)]
        if isinstance(value.get("years"), list)
        else []
    )
    if not years:
        from datetime import date

        years = [date.today().year]
    bound.years = years
    bound.inputs = [
        inp("first_year", _("Första år"), years[0]),
        inp("year_count", _("Antal år"), len(years)),
    ]
    costs = value.get("costs") if isinstance(value.get("costs"), list) else []
    for n, line in enumerate(costs):
        line = line if isinstance(line, dict) else {}
        amounts = line.get("amounts") if isinstance(line.get("amounts"), dict) else {}
        label = _str(line.get("label"))
        row_name = label or _("Kostnadsrad %(n)s") % {"n": n + 1}
        bound.rows.append(
            Row(
                n,
                row_name,
                [inp(f"cost-{n}-label", _("Kostnad, rad %(n)s") % {"n": n + 1}, label)]
                + [
                    inp(
                        f"cost-{n}-{y}",
                        _("%(row)s, %(year)s") % {"row": row_name, "year": y},
                        amounts.get(str(y)),
                    )
                    for y in years
                ],
                f"remove:{fid}:{n}",
            )
        )
    financiers = value.get("financiers") if isinstance(value.get("financiers"), dict) else {}
    for financier in block["financiers"]:
        amounts = (
            financiers.get(financier["code"])
            if isinstance(financiers.get(financier["code"]), dict)
            else {}
        )
        name = tr(financier["label"])
        bound.financiers.append(
            Row(
                0,
                name,
                [
                    inp(
                        f"fin-{financier['code']}-{y}",
                        _("%(row)s, %(year)s") % {"row": name, "year": y},
                        amounts.get(str(y)),
                    )
                    for y in years
                ],
                "",
            )
        )
    bound.count_name = f"{fid}-cost_count"
    bound.add = f"add:{fid}" if len(costs) < block.get("max_lines", 30) else ""
    try:
        totals = TYPES["budget"].totals(
            block, TYPES["budget"].clean(block, value, fid)[0] or {"years": years}
        )
        bound.totals = [kr(totals["costs"].get(y, 0)) for y in years]
        bound.financing_totals = [kr(totals["financing"].get(y, 0)) for y in years]
        bound.applied_totals = [kr(totals["applied"].get(y, 0)) for y in years]
    except (TypeError, ValueError, AttributeError, KeyError):
        bound.totals = bound.financing_totals = bound.applied_totals = ["–" for _y in years]


@dataclass
class BoundSection:
    key: str
    title: str
    help: str
    blocks: list[BoundBlock]


def bind_form(
    definition, answers, errors=None, *, data=None, section: str | None = None
) -> list[BoundSection]:
    answers = answers if isinstance(answers, dict) else {}
    errors = errors or {}
    typed = raw_values(definition, data, section=section) if data is not None else {}
    out = []
    for sec in sections(definition):
        if section is not None and sec["key"] != section:
            continue
        bound = []
        for _s, block in blocks(definition, sec["key"]):
            key = block["key"]
            has_error = any(k == key or k.startswith(f"{key}-") for k in errors)
            value = typed[key] if has_error and key in typed else answers.get(key)
            bound.append(bind(block, value, errors))
        out.append(BoundSection(sec["key"], section_title(sec), tr(sec.get("help", "")), bound))
    return out


def render_form(
    definition, answers, errors=None, *, data=None, section: str | None = None, request=None
) -> SafeString:
    """The inputs of the form (or of one section) as HTML, without the <form> element: the page
    around it supplies the form, the CSRF token and the buttons."""
    return render_to_string(
        "applications/blocks/form.html",
        {"sections": bind_form(definition, answers, errors, data=data, section=section)},
        request=request,
    )


def render_display(definition, answers, *, request=None) -> SafeString:
    """The answers read-only, section by section."""
    return render_to_string(
        "applications/blocks/display.html",
        {"sections": display(definition, answers)},
        request=request,
    )


def error_list(errors: dict[str, str], definition) -> list:
    """Errors for the error summary: (message with the block's label, anchor)."""
    from finsam.applications.formdef.definition import find_block

    out = []
    for fid, message in errors.items():
        _sec, block = find_block(definition, fid.split("-")[0])
        label = tr(block["label"]) if block else ""
        out.append(LinkedError(f"{label}: {message}" if label else message, f"block-{fid}"))
    return out


class LinkedError(str):
    """A message that links to its field (error_summary.html's `extra_errors` with `anchor`)."""

    def __new__(cls, message, anchor):
        obj = super().__new__(cls, message)
        obj.anchor = anchor
        return obj
