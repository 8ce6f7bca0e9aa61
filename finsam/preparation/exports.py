"""A round's applications as CSV and XLSX: one row per submitted application (diary number,
title, organisation, status, amounts applied for in total and per year, period, the
recommendation in force and the reviews' average score). Nothing personal beyond the
organisation; every text cell that a spreadsheet could run as a formula is escaped."""

import csv
import io

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from finsam.applications.models import Application
from finsam.documents import xlsx
from finsam.preparation.models import Recommendation, Review


def safe(value) -> str:
    """A text cell a spreadsheet will not run as a formula (=, +, -, @, tab, carriage return)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def round_rows(round_) -> tuple[list[str], list[list]]:
    """The header and the rows (numbers as numbers, texts escaped)."""
    applications = list(
        Application.objects.submitted()
        .filter(round=round_)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.order_by("-recorded_at", "-pk"),
            ),
            Prefetch("reviews", queryset=Review.objects.filter(submitted_at__isnull=False)),
        )
        .order_by("diary_year", "diary_sequence")
    )
    years = sorted({str(y) for a in applications for y in (a.applied_by_year or {})})
    header = [
        _("Diarienummer"),
        _("Projektnamn"),
        _("Sökande organisation"),
        _("Status"),
        _("Sökt belopp totalt (kr)"),
        *[_("Sökt %(year)s (kr)") % {"year": y} for y in years],
        _("Period"),
        _("Rekommendation"),
        _("Föreslaget belopp (kr)"),
        _("Genomsnittligt betyg"),
        _("Antal bedömningar"),
    ]
    rows = []
    for a in applications:
        recommendations = list(a.recommendations.all())
        latest = recommendations[0] if recommendations else None
        scores = [
            v for review in a.reviews.all() for v in review.scores.values() if isinstance(v, int)
        ]
        period = ""
        if a.period_start and a.period_end:
            period = f"{a.period_start:%Y-%m-%d} – {a.period_end:%Y-%m-%d}"
        by_year = {str(k): v for k, v in (a.applied_by_year or {}).items()}
        rows.append(
            [
                safe(a.diary_number),
                safe(a.title),
                safe(a.organisation.name),
                safe(a.get_status_display()),
                int(a.amount_applied) if a.amount_applied is not None else None,
                *[_number(by_year.get(y)) for y in years],
                safe(period),
                safe(latest.get_verdict_display() if latest else ""),
                int(latest.proposed_total)
                if latest and latest.proposed_total is not None
                else None,
                round(sum(scores) / len(scores), 2) if scores else None,
                len(a.reviews.all()),
            ]
        )
    return header, rows


def _number(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return safe(value)


def round_csv(round_) -> bytes:
    """Semicolon-separated, UTF-8 with BOM (opens directly in Excel), decimal comma."""
    header, rows = round_rows(round_)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([safe(h) for h in header])
    for row in rows:
        writer.writerow(
            [
                "" if v is None else (str(v).replace(".", ",") if isinstance(v, float) else v)
                for v in row
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def round_xlsx(round_) -> bytes:
    header, rows = round_rows(round_)
    book = xlsx.workbook()
    sheet = book.active
    sheet.title = _("Ansökningar")[:31]
    xlsx.append_header(sheet, [safe(h) for h in header])
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    xlsx.column_widths(sheet, {1: 12, 2: 40, 3: 30, 4: 24})
    return xlsx.save(book)
