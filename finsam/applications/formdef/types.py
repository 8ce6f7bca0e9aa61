"""The block types of a form: how each checks its options, reads posted data, cleans an answer,
says whether it is empty and shows it as text.

Answers are JSON. Per type:
- text, rich_text: a string (rich_text: sanitised HTML);
- number: an int (no decimals) or a string of a decimal ("12.5"); amount: an int of whole kronor;
- choice: a code, or a list of codes (multiple);
- date: "YYYY-MM-DD";
- file: a list of {"id", "name", "kind", "size", "sha256"} (the attachments, stored elsewhere);
- budget: {"years": [2026, …], "costs": [{"label", "amounts": {"2026": int}}],
  "financiers": {code: {"2026": int}}};
- timeline: {"start": date, "end": date,
  "rows": [{"activity", "start": "YYYY-MM", "end": "YYYY-MM"}]};
- group: a list of entries, each a dict of the child blocks' answers.

Field ids: an error is keyed by the field's id without the "block-" prefix: the block's key for a
single input, "<key>-<part>" for a part of a compound block (a budget cell, a group entry's child:
"<key>-<n>-<child>"). The input's HTML id is "block-" + that.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.utils.translation import gettext as _

from finsam.applications.formdef import richtext
from finsam.applications.formdef.files import KINDS
from finsam.applications.formdef.text import KEY_RE, clean_text, label_valid, tr
from finsam.core.formats import sv_date, sv_number

# A posted compound block whose data is absent (e.g. a file block: files are not in the form).
ABSENT = object()
MAX_AMOUNT = 10**12
MAX_ROWS = 100  # hard cap on posted row counts, whatever a block allows
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def _post(data, name: str):
    if hasattr(data, "getlist"):
        values = data.getlist(name)
        return values[-1] if values else None
    return data.get(name)


def _count(data, name: str, cap: int) -> int:
    try:
        return max(0, min(int(str(_post(data, name) or "0").strip()), cap, MAX_ROWS))
    except ValueError:
        return 0


def _decimal(value) -> Decimal | None:
    """A number as typed ("1 096 000", "12,5", 12) or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
        text = re.sub(r"(?i)kr\.?$", "", text)
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text) or len(text) > 40:
            return None
        number = Decimal(text)
    else:
        return None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 15:
        return None
    return number


def clean_amount(value) -> tuple[int | None, str | None]:
    """Whole kronor, 0 or more; None for empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    number = _decimal(value)
    if number is None or number < 0 or number != number.to_integral_value() or number > MAX_AMOUNT:
        return None, _("Ange ett belopp i hela kronor, 0 eller mer.")
    return int(number), None


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            day = datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
        if 1900 <= day.year <= 2100:
            return day
    return None


def parse_month(value) -> tuple[int, int] | None:
    if isinstance(value, str):
        match = MONTH_RE.match(value.strip())
        if match:
            year, month = int(match[1]), int(match[2])
            if 1900 <= year <= 2100 and 1 <= month <= 12:
                return year, month
    return None


def month_text(value) -> str:
    from finsam.core.formats import MONTHS_SV

    parsed = parse_month(value)
    if not parsed:
        return ""
    return f"{MONTHS_SV[parsed[1] - 1]} {parsed[0]}"


def kr(value: int) -> str:
    return f"{sv_number(value)}\u00a0kr"


class BlockType:
    name = ""
    has_options = False

    def check_options(self, block, where: str) -> list[str]:
        return []

    def from_post(self, block, data, prefix: str):
        return _post(data, prefix)

    def clean(self, block, value, fid: str) -> tuple[object, dict[str, str]]:
        raise NotImplementedError

    def is_empty(self, block, value) -> bool:
        if isinstance(value, str):
            return not value.strip()
        return value in (None, [], {})

    def text(self, block, value) -> str:
        return "" if value is None else str(value)

    def problems(self, block, value, fid: str) -> list[tuple[str, str]]:
        """Completeness problems beyond being empty: (field id, message)."""
        return []


class Text(BlockType):
    name = "text"

    def check_options(self, block, where):
        max_length = block.get("max_length", 200)
        if (
            not isinstance(max_length, int)
            or isinstance(max_length, bool)
            or not 1 <= max_length <= 100_000
        ):
            return [
                _("%(where)s: max_length ska vara ett heltal från 1 till 100 000.")
                % {"where": where}
            ]
        return []

    def clean(self, block, value, fid):
        if value is None:
            return None, {}
        if not isinstance(value, str):
            return None, {fid: _("Ange en text.")}
        text = clean_text(value)
        if not block.get("multiline"):
            text = " ".join(text.split())
        max_length = block.get("max_length", 200)
        if len(text) > max_length:
            return None, {
                fid: _("Texten får vara högst %(max)s tecken (nu %(n)s).")
                % {"max": sv_number(max_length, space=" "), "n": sv_number(len(text), space=" ")}
            }
        return text or None, {}


class RichText(BlockType):
    name = "rich_text"

    def check_options(self, block, where):
        max_length = block.get("max_length", 20_000)
        if (
            not isinstance(max_length, int)
            or isinstance(max_length, bool)
            or not 1 <= max_length <= 200_000
        ):
            return [
                _("%(where)s: max_length ska vara ett heltal från 1 till 200 000.")
                % {"where": where}
            ]
        return []

    def clean(self, block, value, fid):
        if value is None:
            return None, {}
        if not isinstance(value, str):
            return None, {fid: _("Ange en text.")}
        cleaned = richtext.to_html(clean_text(value))
        text = richtext.html_to_text(cleaned)
        max_length = block.get("max_length", 20_000)
        if len(text) > max_length:
            return None, {
                fid: _("Texten får vara högst %(max)s tecken (nu %(n)s).")
                % {"max": sv_number(max_length, space=" "), "n": sv_number(len(text), space=" ")}
            }
        return (cleaned if text else None), {}

    def text(self, block, value):
        return richtext.html_to_text(value) if isinstance(value, str) else ""

    def is_empty(self, block, value):
        return not isinstance(value, str) or not richtext.html_to_text(value).strip()


def _bound(block, name):
    value = block.get(name)
    if value is None:
        return None
    return _decimal(value) if not isinstance(value, bool) else None


class Number(BlockType):
    name = "number"

    def check_options(self, block, where):
        problems = []
        decimals = block.get("decimals", 0)
        if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 6:
            problems.append(
                _("%(where)s: decimals ska vara ett heltal från 0 till 6.") % {"where": where}
            )
        for name in ("min", "max"):
            if block.get(name) is not None and _bound(block, name) is None:
                problems.append(
                    _("%(where)s: %(name)s ska vara ett tal.") % {"where": where, "name": name}
                )
        low, high = _bound(block, "min"), _bound(block, "max")
        if low is not None and high is not None and low > high:
            problems.append(_("%(where)s: min är större än max.") % {"where": where})
        return problems

    def clean(self, block, value, fid):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None, {}
        decimals = block.get("decimals", 0)
        number = _decimal(value)
        if number is None:
            return None, {
                fid: _("Ange ett tal, till exempel 12.")
                if not decimals
                else _("Ange ett tal, till exempel 12,5.")
            }
        if not decimals and number != number.to_integral_value():
            return None, {fid: _("Ange ett heltal.")}
        if decimals and number != round(number, decimals):
            return None, {fid: _("Ange högst %(n)s decimaler.") % {"n": decimals}}
        low, high = _bound(block, "min"), _bound(block, "max")
        if low is not None and number < low:
            return None, {fid: _("Ange ett tal som är minst %(min)s.") % {"min": _number_text(low)}}
        if high is not None and number > high:
            return None, {
                fid: _("Ange ett tal som är högst %(max)s.") % {"max": _number_text(high)}
            }
        if not decimals:
            return int(number), {}
        return str(number.normalize() if number == number.to_integral_value() else number), {}

    def text(self, block, value):
        number = _decimal(value)
        return "" if number is None else _number_text(number)


def _number_text(number: Decimal) -> str:
    if number == number.to_integral_value():
        return sv_number(int(number))
    whole, _dot, fraction = f"{abs(number):f}".partition(".")
    sign = "-" if number < 0 else ""
    return f"{sign}{sv_number(int(whole))},{fraction}"


class Amount(BlockType):
    name = "amount"

    def clean(self, block, value, fid):
        amount, error = clean_amount(value)
        return (None, {fid: error}) if error else (amount, {})

    def text(self, block, value):
        return kr(value) if isinstance(value, int) and not isinstance(value, bool) else ""


class Choice(BlockType):
    name = "choice"
    has_options = True

    def check_options(self, block, where):
        source = block.get("options_from")
        if source is not None:
            from finsam.applications.formdef.options import sources

            if source not in sources():
                return [
                    _("%(where)s: okänd källa för alternativ ”%(source)s”.")
                    % {"where": where, "source": source}
                ]
            if "options" not in block:
                return self._check_multiple(block, where)
        options = block.get("options")
        if not isinstance(options, list) or (not options and source is None):
            return [_("%(where)s: alternativ (options) saknas.") % {"where": where}]
        problems, seen = [], set()
        for n, option in enumerate(options, 1):
            code = option.get("code") if isinstance(option, dict) else None
            # Codes filled in from a code list keep that list's spelling (municipality codes).
            valid = isinstance(code, str) and (KEY_RE.match(code) or (source and code.strip()))
            if not valid:
                problems.append(
                    _("%(where)s: alternativ %(n)s har ingen giltig kod.")
                    % {"where": where, "n": n}
                )
            elif code in seen:
                problems.append(
                    _("%(where)s: koden ”%(code)s” används redan.") % {"where": where, "code": code}
                )
            else:
                seen.add(code)
            if not isinstance(option, dict) or not label_valid(option.get("label")):
                problems.append(
                    _("%(where)s: alternativ %(n)s saknar etikett.") % {"where": where, "n": n}
                )
        return problems + self._check_multiple(block, where)

    def _check_multiple(self, block, where):
        if not isinstance(block.get("multiple", False), bool):
            return [_("%(where)s: multiple ska vara sant eller falskt.") % {"where": where}]
        return []

    def codes(self, block) -> list[str]:
        """The codes to choose from; none while options_from is not filled in (`with_options`)."""
        return [o["code"] for o in block.get("options", [])]

    def from_post(self, block, data, prefix):
        if block.get("multiple"):
            if hasattr(data, "getlist"):
                return data.getlist(prefix)
            return data.get(prefix)
        return _post(data, prefix)

    def clean(self, block, value, fid):
        codes = self.codes(block)
        if block.get("multiple"):
            if value is None or value == "":
                return [], {}
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return [], {fid: _("Välj bland alternativen.")}
            if any(v not in codes for v in value if v):
                return [], {fid: _("Välj bland alternativen.")}
            return [code for code in codes if code in value], {}
        if value is None or value == "":
            return None, {}
        if not isinstance(value, str) or value not in codes:
            return None, {fid: _("Välj ett av alternativen.")}
        return value, {}

    def text(self, block, value):
        labels = {o["code"]: tr(o["label"]) for o in block.get("options", [])}
        if isinstance(value, list):
            return ", ".join(labels.get(v, v) for v in value if isinstance(v, str))
        return labels.get(value, "") if isinstance(value, str) else ""


class Date(BlockType):
    name = "date"

    def clean(self, block, value, fid):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None, {}
        day = parse_date(value)
        if day is None:
            return None, {fid: _("Ange ett datum som 2026-09-01.")}
        return day.isoformat(), {}

    def text(self, block, value):
        day = parse_date(value)
        return sv_date(day) if day else ""


FILE_FIELDS = {"id": str, "name": str, "kind": str, "size": int, "sha256": str}


class File(BlockType):
    name = "file"

    def check_options(self, block, where):
        problems = []
        kinds = block.get("kinds", list(KINDS))
        if not isinstance(kinds, list) or not kinds or any(k not in KINDS for k in kinds):
            problems.append(
                _("%(where)s: kinds ska vara en lista bland %(kinds)s.")
                % {"where": where, "kinds": ", ".join(KINDS)}
            )
        max_bytes = block.get("max_bytes", 10 * 1024 * 1024)
        if (
            not isinstance(max_bytes, int)
            or isinstance(max_bytes, bool)
            or not 1 <= max_bytes <= 100 * 1024 * 1024
        ):
            problems.append(_("%(where)s: max_bytes ska vara högst 100 MB.") % {"where": where})
        max_files = block.get("max_files", 10)
        if (
            not isinstance(max_files, int)
            or isinstance(max_files, bool)
            or not 1 <= max_files <= 50
        ):
            problems.append(
                _("%(where)s: max_files ska vara ett heltal från 1 till 50.") % {"where": where}
            )
        return problems

    def from_post(self, block, data, prefix):
        return ABSENT  # files come through the upload, never through the form's fields

    def clean(self, block, value, fid):
        if value is None or value == []:
            return [], {}
        kinds = block.get("kinds", list(KINDS))
        if not isinstance(value, list):
            return [], {fid: _("Bilagorna kunde inte läsas.")}
        out = []
        for entry in value:
            if not (
                isinstance(entry, dict)
                and all(
                    isinstance(entry.get(k), t) and not isinstance(entry.get(k), bool)
                    for k, t in FILE_FIELDS.items()
                )
                and entry["kind"] in kinds
                and re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])
                and 0 < len(entry["id"]) <= 64
                and 0 < len(entry["name"]) <= 255
                and entry["size"] >= 0
            ):
                return [], {fid: _("Bilagorna kunde inte läsas.")}
            out.append({k: entry[k] for k in FILE_FIELDS})
        if len(out) > block.get("max_files", 10):
            return [], {fid: _("Högst %(n)s filer.") % {"n": block.get("max_files", 10)}}
        return out, {}

    def text(self, block, value):
        if not isinstance(value, list):
            return ""
        return "\n".join(str(entry.get("name", "")) for entry in value if isinstance(entry, dict))


class Budget(BlockType):
    name = "budget"

    def check_options(self, block, where):
        financiers = block.get("financiers")
        if not isinstance(financiers, list) or not financiers:
            return [_("%(where)s: finansiärer (financiers) saknas.") % {"where": where}]
        problems, seen, applicants = [], set(), 0
        for n, financier in enumerate(financiers, 1):
            code = financier.get("code") if isinstance(financier, dict) else None
            if not isinstance(code, str) or not KEY_RE.match(code) or code in seen:
                problems.append(
                    _("%(where)s: finansiär %(n)s har ingen giltig, unik kod.")
                    % {"where": where, "n": n}
                )
                continue
            seen.add(code)
            if not label_valid(financier.get("label")):
                problems.append(
                    _("%(where)s: finansiär %(n)s saknar etikett.") % {"where": where, "n": n}
                )
            if financier.get("applicant_financier") is True:
                applicants += 1
        if applicants != 1:
            problems.append(
                _(
                    "%(where)s: exakt en finansiär ska vara markerad applicant_financier "
                    "(förbundet)."
                )
                % {"where": where}
            )
        max_years = block.get("max_years", 5)
        if (
            not isinstance(max_years, int)
            or isinstance(max_years, bool)
            or not 1 <= max_years <= 10
        ):
            problems.append(
                _("%(where)s: max_years ska vara ett heltal från 1 till 10.") % {"where": where}
            )
        return problems

    def financiers(self, block) -> list[dict]:
        return block.get("financiers", [])

    def from_post(self, block, data, prefix):
        first = _post(data, f"{prefix}-first_year")
        count = _count(data, f"{prefix}-year_count", block.get("max_years", 5))
        years: list = []
        try:
            first_year = int(str(first).strip())
            if 1900 <= first_year <= 2100:
                years = [first_year + n for n in range(max(count, 1))]
        except (TypeError, ValueError):
            years = [] if not first else [first]
        costs = []
        for n in range(_count(data, f"{prefix}-cost_count", block.get("max_lines", 30))):
            costs.append(
                {
                    "label": _post(data, f"{prefix}-cost-{n}-label") or "",
                    "amounts": {
                        str(y): _post(data, f"{prefix}-cost-{n}-{y}")
                        for y in years
                        if isinstance(y, int)
                    },
                }
            )
        financiers = {
            f["code"]: {
                str(y): _post(data, f"{prefix}-fin-{f['code']}-{y}")
                for y in years
                if isinstance(y, int)
            }
            for f in self.financiers(block)
        }
        return {"years": years, "costs": costs, "financiers": financiers}

    def clean(self, block, value, fid):
        if value is None or value == {}:
            return None, {}
        if not isinstance(value, dict):
            return None, {fid: _("Budgeten kunde inte läsas.")}
        errors: dict[str, str] = {}
        years = value.get("years") or []
        max_years = block.get("max_years", 5)
        if (
            not isinstance(years, list)
            or not all(
                isinstance(y, int) and not isinstance(y, bool) and 1900 <= y <= 2100 for y in years
            )
            or (years and years != list(range(years[0], years[0] + len(years))))
        ):
            return None, {
                f"{fid}-first_year": _("Ange första året som ett årtal, till exempel 2026.")
            }
        if len(years) > max_years:
            return None, {
                f"{fid}-year_count": _("Budgeten får omfatta högst %(n)s år.") % {"n": max_years}
            }
        costs_in = value.get("costs") or []
        costs = []
        if not isinstance(costs_in, list) or len(costs_in) > block.get("max_lines", 30):
            return None, {fid: _("Högst %(n)s kostnadsrader.") % {"n": block.get("max_lines", 30)}}
        for n, line in enumerate(costs_in):
            if not isinstance(line, dict):
                errors[fid] = _("Budgeten kunde inte läsas.")
                continue
            label = line.get("label")
            label = " ".join(clean_text(label).split()) if isinstance(label, str) else ""
            if len(label) > 200:
                errors[f"{fid}-cost-{n}-label"] = _(
                    "Texten får vara högst %(max)s tecken (nu %(n)s)."
                ) % {
                    "max": 200,
                    "n": len(label),
                }
            amounts = self._amounts(line.get("amounts"), years, f"{fid}-cost-{n}", errors)
            costs.append({"label": label, "amounts": amounts})
        fin_in = value.get("financiers") or {}
        financiers = {}
        if isinstance(fin_in, dict):
            for financier in self.financiers(block):
                code = financier["code"]
                amounts = self._amounts(fin_in.get(code), years, f"{fid}-fin-{code}", errors)
                if amounts:
                    financiers[code] = amounts
        if errors:
            return None, errors
        if not costs and not financiers and not years:
            return None, {}
        return {"years": years, "costs": costs, "financiers": financiers}, {}

    def _amounts(self, amounts, years, fid, errors) -> dict[str, int]:
        out = {}
        if not isinstance(amounts, dict):
            return out
        for year in years:
            amount, error = clean_amount(amounts.get(str(year)))
            if error:
                errors[f"{fid}-{year}"] = error
            elif amount is not None:
                out[str(year)] = amount
        return out

    def totals(self, block, value) -> dict[str, dict[int, int]]:
        """Per year: the costs, the financing, and what is applied for from the association."""
        years = value.get("years", []) if isinstance(value, dict) else []
        costs = {y: 0 for y in years}
        financing = {y: 0 for y in years}
        applied = {y: 0 for y in years}
        applicant = {
            f["code"] for f in self.financiers(block) if f.get("applicant_financier") is True
        }
        if isinstance(value, dict):
            for line in value.get("costs", []):
                for y in years:
                    costs[y] += line.get("amounts", {}).get(str(y), 0)
            for code, amounts in value.get("financiers", {}).items():
                for y in years:
                    financing[y] += amounts.get(str(y), 0)
                    if code in applicant:
                        applied[y] += amounts.get(str(y), 0)
        return {"costs": costs, "financing": financing, "applied": applied}

    def is_empty(self, block, value):
        if not isinstance(value, dict):
            return True
        return not any(line.get("amounts") for line in value.get("costs", []))

    def problems(self, block, value, fid):
        out = []
        if not isinstance(value, dict):
            return out
        for n, line in enumerate(value.get("costs", [])):
            if line.get("amounts") and not line.get("label"):
                out.append((f"{fid}-cost-{n}-label", _("Ange vad kostnaden avser.")))
        totals = self.totals(block, value)
        for year in value.get("years", []):
            cost, financing = totals["costs"][year], totals["financing"][year]
            if cost != financing:
                out.append(
                    (
                        f"{fid}-fin-{self.financiers(block)[0]['code']}-{year}",
                        _(
                            "År %(year)s: finansieringen (%(f)s) är inte lika med "
                            "kostnaderna (%(c)s)."
                        )
                        % {"year": year, "f": kr(financing), "c": kr(cost)},
                    )
                )
        return out

    def text(self, block, value):
        if not isinstance(value, dict):
            return ""
        years = value.get("years", [])
        totals = self.totals(block, value)
        lines = []
        for line in value.get("costs", []):
            if not line.get("label") and not line.get("amounts"):
                continue
            amounts = ", ".join(f"{y}: {kr(line['amounts'].get(str(y), 0))}" for y in years)
            lines.append(f"{line.get('label', '')}: {amounts}")
        labels = {f["code"]: tr(f["label"]) for f in self.financiers(block)}
        for code, amounts in value.get("financiers", {}).items():
            lines.append(
                f"{labels.get(code, code)}: "
                + ", ".join(f"{y}: {kr(amounts.get(str(y), 0))}" for y in years)
            )
        lines.append(
            _("Summa kostnader") + ": " + ", ".join(f"{y}: {kr(totals['costs'][y])}" for y in years)
        )
        return "\n".join(lines)


class Timeline(BlockType):
    name = "timeline"

    def from_post(self, block, data, prefix):
        rows = []
        for n in range(_count(data, f"{prefix}-row_count", block.get("max_rows", 30))):
            rows.append(
                {
                    part: _post(data, f"{prefix}-row-{n}-{part}") or ""
                    for part in ("activity", "start", "end")
                }
            )
        return {
            "start": _post(data, f"{prefix}-start"),
            "end": _post(data, f"{prefix}-end"),
            "rows": rows,
        }

    def clean(self, block, value, fid):
        if value is None or value == {}:
            return None, {}
        if not isinstance(value, dict):
            return None, {fid: _("Tidplanen kunde inte läsas.")}
        errors: dict[str, str] = {}
        period = {}
        for part in ("start", "end"):
            raw = value.get(part)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                period[part] = None
                continue
            day = parse_date(raw)
            if day is None:
                errors[f"{fid}-{part}"] = _("Ange ett datum som 2026-09-01.")
            period[part] = day
        if period.get("start") and period.get("end") and period["end"] < period["start"]:
            errors[f"{fid}-end"] = _("Slutdatum kan inte vara före startdatum.")
        rows_in = value.get("rows") or []
        if not isinstance(rows_in, list) or len(rows_in) > block.get("max_rows", 30):
            return None, {fid: _("Högst %(n)s aktiviteter.") % {"n": block.get("max_rows", 30)}}
        rows = []
        for n, row in enumerate(rows_in):
            cleaned = self._row(row, f"{fid}-row-{n}", errors)
            if cleaned is None:
                errors[fid] = _("Tidplanen kunde inte läsas.")
            else:
                rows.append(cleaned)
        if errors:
            return None, errors
        start, end = period.get("start"), period.get("end")
        if not rows and not start and not end:
            return None, {}
        return {
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
            "rows": rows,
        }, {}

    def _row(self, row, fid, errors) -> dict | None:
        """One activity cleaned (errors added to `errors`); None when it is not an object."""
        if not isinstance(row, dict):
            return None
        activity = row.get("activity")
        activity = " ".join(clean_text(activity).split()) if isinstance(activity, str) else ""
        if len(activity) > 200:
            errors[f"{fid}-activity"] = _("Texten får vara högst %(max)s tecken (nu %(n)s).") % {
                "max": 200,
                "n": len(activity),
            }
        months = {}
        for part in ("start", "end"):
            raw = row.get(part)
            months[part] = ""
            if isinstance(raw, str) and parse_month(raw):
                months[part] = raw.strip()
            elif raw is not None and not (isinstance(raw, str) and not raw.strip()):
                errors[f"{fid}-{part}"] = _("Ange en månad som 2026-09.")
        start, end = parse_month(months["start"]), parse_month(months["end"])
        if start and end and end < start:
            errors[f"{fid}-end"] = _("Slutmånaden kan inte vara före startmånaden.")
        return {"activity": activity, "start": months["start"], "end": months["end"]}

    def is_empty(self, block, value):
        return not isinstance(value, dict) or not (value.get("start") and value.get("end"))

    def problems(self, block, value, fid):
        out = []
        if isinstance(value, dict):
            for n, row in enumerate(value.get("rows", [])):
                if not any(row.values()):
                    continue
                if not row.get("activity"):
                    out.append((f"{fid}-row-{n}-activity", _("Ange aktiviteten.")))
                if not row.get("start"):
                    out.append((f"{fid}-row-{n}-start", _("Ange aktivitetens startmånad.")))
                if not row.get("end"):
                    out.append((f"{fid}-row-{n}-end", _("Ange aktivitetens slutmånad.")))
        return out

    def text(self, block, value):
        if not isinstance(value, dict):
            return ""
        start, end = parse_date(value.get("start")), parse_date(value.get("end"))
        lines = [
            _("Projektperiod: %(start)s – %(end)s")
            % {"start": sv_date(start) if start else "–", "end": sv_date(end) if end else "–"}
        ]
        for row in value.get("rows", []):
            if not any(row.values()):
                continue
            lines.append(
                f"{row.get('activity', '')}: "
                f"{month_text(row.get('start'))} – {month_text(row.get('end'))}"
            )
        return "\n".join(lines)


CHILD_TYPES = ("text", "rich_text", "number", "amount", "choice", "date")


class Group(BlockType):
    name = "group"

    def check_options(self, block, where):
        from finsam.applications.formdef.definition import check_block

        problems = []
        children = block.get("blocks")
        if not isinstance(children, list) or not children:
            return [_("%(where)s: gruppen saknar block.") % {"where": where}]
        seen = set()
        for child in children:
            if isinstance(child, dict) and child.get("type") not in CHILD_TYPES:
                problems.append(
                    _("%(where)s: en grupp kan bara innehålla %(types)s.")
                    % {"where": where, "types": ", ".join(CHILD_TYPES)}
                )
                continue
            problems.extend(check_block(child, where, seen))
        if "item_label" in block and not label_valid(block["item_label"]):
            problems.append(_("%(where)s: item_label ska vara en text.") % {"where": where})
        low, high = block.get("min_repeats", 0), block.get("max_repeats", 10)
        if (
            not all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high))
            or not 0 <= low <= high <= MAX_ROWS
        ):
            problems.append(
                _("%(where)s: min_repeats och max_repeats ska vara heltal, 0 ≤ min ≤ max ≤ 100.")
                % {"where": where}
            )
        return problems

    def children(self, block) -> list[dict]:
        return block.get("blocks", [])

    def from_post(self, block, data, prefix):
        entries = []
        for n in range(_count(data, f"{prefix}-count", block.get("max_repeats", 10))):
            entries.append(
                {
                    child["key"]: TYPES[child["type"]].from_post(
                        child, data, f"{prefix}-{n}-{child['key']}"
                    )
                    for child in self.children(block)
                }
            )
        return entries

    def clean(self, block, value, fid):
        if value is None or value == []:
            return [], {}
        if not isinstance(value, list):
            return [], {fid: _("Uppgifterna kunde inte läsas.")}
        if len(value) > block.get("max_repeats", 10):
            return [], {fid: _("Högst %(n)s.") % {"n": block.get("max_repeats", 10)}}
        errors: dict[str, str] = {}
        entries = []
        for n, entry in enumerate(value):
            if not isinstance(entry, dict):
                errors[fid] = _("Uppgifterna kunde inte läsas.")
                continue
            cleaned = {}
            for child in self.children(block):
                kind = TYPES[child["type"]]
                child_value, child_errors = kind.clean(
                    child, entry.get(child["key"]), f"{fid}-{n}-{child['key']}"
                )
                errors.update(child_errors)
                cleaned[child["key"]] = child_value
            entries.append(cleaned)
        if errors:
            return [], errors
        return entries, {}

    def filled(self, block, entry) -> bool:
        """Whether an entry has any answer (an added row left empty has none)."""
        return isinstance(entry, dict) and any(
            not TYPES[c["type"]].is_empty(c, entry.get(c["key"])) for c in self.children(block)
        )

    def is_empty(self, block, value):
        return not isinstance(value, list) or not any(self.filled(block, e) for e in value)

    def problems(self, block, value, fid):
        out = []
        entries = value if isinstance(value, list) else []
        low = block.get("min_repeats", 0)
        if sum(self.filled(block, e) for e in entries) < low:
            out.append((fid, _("Lägg till minst %(n)s.") % {"n": low}))
        for n, entry in enumerate(entries):
            if not self.filled(block, entry):
                continue
            for child in self.children(block):
                if child.get("required") and TYPES[child["type"]].is_empty(
                    child, entry.get(child["key"])
                ):
                    out.append(
                        (
                            f"{fid}-{n}-{child['key']}",
                            _("Fyll i %(label)s (%(n)s).")
                            % {"label": tr(child["label"]), "n": n + 1},
                        )
                    )
        return out

    def text(self, block, value):
        if not isinstance(value, list):
            return ""
        lines = []
        for entry in value:
            if not self.filled(block, entry):
                continue
            parts = [
                TYPES[c["type"]].text(c, entry.get(c["key"]))
                for c in self.children(block)
                if isinstance(entry, dict) and not TYPES[c["type"]].is_empty(c, entry.get(c["key"]))
            ]
            lines.append(", ".join(p for p in parts if p))
        return "\n".join(lines)


TYPES: dict[str, BlockType] = {
    kind.name: kind
    for kind in (
        Text(),
        RichText(),
        Number(),
        Amount(),
        Choice(),
        Date(),
        File(),
        Budget(),
        Timeline(),
        Group(),
    )
}
