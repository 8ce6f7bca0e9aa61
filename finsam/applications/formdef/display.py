"""Read-only answers: as view objects for the templates, as plain text, and as blocks of the
document layer (finsam.documents) for the meeting pack and other documents."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from finsam.applications.formdef import richtext
from finsam.applications.formdef.definition import blocks, section_title, sections
from finsam.applications.formdef.text import tr
from finsam.applications.formdef.types import TYPES, kr, month_text, parse_date
from finsam.core.formats import sv_date
from finsam.documents.blocks import Chapter, Paragraph, Table


@dataclass
class DisplayTable:
    caption: str
    columns: list[str]
    rows: list[list[str]]
    total: list[str] | None = None


@dataclass
class DisplayItem:
    key: str
    label: str
    type: str
    text: str  # plain text ("" when not answered)
    html: SafeString  # rich text as sanitised HTML; "" otherwise
    tables: list[DisplayTable] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.text and not self.tables


@dataclass
class DisplaySection:
    key: str
    title: str
    items: list[DisplayItem]


def _tables(block, value) -> list[DisplayTable]:
    kind = block["type"]
    if kind == "budget" and isinstance(value, dict) and value.get("years"):
        years = value["years"]
        budget = TYPES["budget"]
        totals = budget.totals(block, value)
        head = [_("Kostnad"), *[str(y) for y in years], _("Summa")]
        rows = [
            [
                line.get("label", ""),
                *[kr(line["amounts"].get(str(y), 0)) for y in years],
                kr(sum(line["amounts"].values())),
            ]
            for line in value.get("costs", [])
            if line.get("label") or line.get("amounts")
        ]
        costs = [
            DisplayTable(
                _("Kostnader per år"),
                head,
                rows,
                [
                    _("Summa kostnader"),
                    *[kr(totals["costs"][y]) for y in years],
                    kr(sum(totals["costs"].values())),
                ],
            )
        ]
        fin_rows = []
        for financier in budget.financiers(block):
            amounts = value.get("financiers", {}).get(financier["code"], {})
            fin_rows.append(
                [
                    tr(financier["label"]),
                    *[kr(amounts.get(str(y), 0)) for y in years],
                    kr(sum(amounts.values())),
                ]
            )
        costs.append(
            DisplayTable(
                _("Finansiering per år"),
                [_("Finansiär"), *[str(y) for y in years], _("Summa")],
                fin_rows,
                [
                    _("Summa finansiering"),
                    *[kr(totals["financing"][y]) for y in years],
                    kr(sum(totals["financing"].values())),
                ],
            )
        )
        return costs
    if kind == "timeline" and isinstance(value, dict) and value.get("rows"):
        return [
            DisplayTable(
                _("Aktiviteter"),
                [_("Aktivitet"), _("Start"), _("Slut")],
                [
                    [r.get("activity", ""), month_text(r.get("start")), month_text(r.get("end"))]
                    for r in value["rows"]
                    if any(r.values())
                ],
            )
        ]
    if kind == "group" and isinstance(value, list) and value:
        children = block["blocks"]
        return [
            DisplayTable(
                tr(block["label"]),
                [tr(c["label"]) for c in children],
                [
                    [TYPES[c["type"]].text(c, entry.get(c["key"])) for c in children]
                    for entry in value
                    if TYPES["group"].filled(block, entry)
                ],
            )
        ]
    return []


def display(definition, answers) -> list[DisplaySection]:
    """Every section with its blocks' answers as text (and tables for budgets, timelines and
    groups), for read-only pages."""
    answers = answers if isinstance(answers, dict) else {}
    out = []
    for sec in sections(definition):
        items = []
        for _s, block in blocks(definition, sec["key"]):
            value = answers.get(block["key"])
            kind = TYPES[block["type"]]
            empty = kind.is_empty(block, value) and block["type"] not in ("budget", "timeline")
            text = "" if empty else kind.text(block, value)
            html = (
                mark_safe(richtext.sanitize(value))  # noqa: S308 (sanitised)
                if block["type"] == "rich_text" and isinstance(value, str)
                else mark_safe("")
            )
            if block["type"] == "timeline" and isinstance(value, dict):
                start, end = parse_date(value.get("start")), parse_date(value.get("end"))
                text = (
                    _("Projektperiod: %(start)s – %(end)s")
                    % {
                        "start": sv_date(start) if start else "–",
                        "end": sv_date(end) if end else "–",
                    }
                    if start or end
                    else ""
                )
            if block["type"] == "budget" and kind.is_empty(block, value):
                text = ""
            items.append(
                DisplayItem(
                    block["key"],
                    tr(block["label"]),
                    block["type"],
                    text,
                    html,
                    [] if empty else _tables(block, value),
                    value if block["type"] == "file" and isinstance(value, list) else [],
                )
            )
        out.append(DisplaySection(sec["key"], section_title(sec), items))
    return out


def plain_text(definition, answers) -> str:
    """The whole application as text: section titles, labels and answers."""
    lines = []
    for sec in display(definition, answers):
        lines.append(sec.title.upper())
        for item in sec.items:
            lines.append(item.label)
            lines.append(item.text or "–")
            for table in item.tables:
                if item.type in ("budget", "group"):
                    lines.append(table.caption)
                    for row in [
                        table.columns,
                        *table.rows,
                        *([table.total] if table.total else []),
                    ]:
                        lines.append(" | ".join(row))
            lines.append("")
    return "\n".join(lines).strip() + "\n"


def document_blocks(definition, answers) -> list[Chapter]:
    """The answers as chapters of the document layer: a chapter per section, a sub-chapter per
    block with its text as paragraphs and its tables."""
    chapters = []
    for sec in display(definition, answers):
        chapter = Chapter(title=sec.title, anchor=f"section-{sec.key}")
        for item in sec.items:
            sub = Chapter(title=item.label, anchor=f"block-{item.key}")
            paragraphs = (
                [p for p in (item.text or "").split("\n\n") if p.strip()]
                if not item.tables or item.type == "timeline"
                else []
            )
            sub.blocks.extend(Paragraph(p) for p in paragraphs)
            for table in item.tables:
                sub.blocks.append(Table(table.caption, table.columns, table.rows, table.total))
            if not sub.blocks:
                sub.blocks.append(Paragraph(_("Inte besvarat."), note=True))
            chapter.sub_chapters.append(sub)
        chapters.append(chapter)
    return chapters
