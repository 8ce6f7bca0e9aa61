"""The compiled report (projektsammanställning) of an association for a reporting period.

One chapter per initiative report of the period (sub-chapters per municipality), each with its
sections and statistics, a table of contents with page numbers and a summary chapter across all
initiatives; as PDF (Typst, or WeasyPrint: settings.PDF_ENGINE) or DOCX (python-docx). Every
report of the period is included; those not yet submitted are marked "Utkast – ej inlämnad"
and show statistics computed now.

Two documents per period and format:
- the complete compilation (a working copy with drafts marked): the secretariat and the operator
  at any time, the board once every report of the period is approved;
- the approved reports only ("godkända rapporter", `approved_only`): only the approved reports'
  chapters (and approved sub-reports), its cover and contents naming the initiatives whose
  reports are not approved yet; the board too, at any time.
"""

from __future__ import annotations

import datetime
import logging

from django.db.models import Exists, OuterRef
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_noop

from finsam.core.progress import Progress, silent, within
from finsam.documents.render import PDF_CONTENT_TYPE
from finsam.reports.documents.content import build_document
from finsam.reports.models import InitiativeReport, ReportingPeriod, ReportStatus

logger = logging.getLogger(__name__)

# The compiled report is a Swedish document (<html lang="sv">; statuses, dates and summaries in
# Swedish), whatever the language of the page that asked for it: never half translated.
DOCUMENT_LANGUAGE = "sv"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# Reading the reports and computing their statistics takes a few percent of the time.
BUILT = 5


def _compile(render, association, period, today, progress: Progress, approved_only: bool):
    """The compiled report built in Swedish and rendered by `render` (document, progress)."""
    with translation.override(DOCUMENT_LANGUAGE):
        progress(0, gettext_noop("Hämtar rapporter och statistik"))
        document = build_document(
            association=association, period=period, today=today, approved_only=approved_only
        )
        return render(document, progress=within(progress, BUILT, 100))


def compile_pdf(
    *,
    association,
    period: ReportingPeriod,
    today: datetime.date | None = None,
    progress: Progress = silent,
    approved_only: bool = False,
):
    """The compiled report as PDF bytes (with `approved_only`, of the approved reports only)."""
    from finsam.reports.documents.pdf import render_pdf

    return _compile(render_pdf, association, period, today, progress, approved_only)


def compile_docx(
    *,
    association,
    period: ReportingPeriod,
    today: datetime.date | None = None,
    progress: Progress = silent,
    approved_only: bool = False,
):
    """The compiled report as DOCX bytes (with `approved_only`, of the approved reports only)."""
    from finsam.reports.documents.docx import render_docx

    return _compile(render_docx, association, period, today, progress, approved_only)


# The formats of the compiled report: extension → (compile function, content type).
FORMATS = {
    "pdf": (compile_pdf, PDF_CONTENT_TYPE),
    "docx": (compile_docx, DOCX_CONTENT_TYPE),
}


def typeset_chapter(report: InitiativeReport) -> None:
    """Draw the charts of `report`'s chapter now (into the documents cache), so that compiling
    its period later does not have to: called when a report is submitted or approved, after
    which its chapter stays the same. A failure here only leaves the work to the compile."""
    from finsam.reports.documents.pdf import draw_charts

    main = report.parent or report
    period = main.period
    try:
        draw_charts(build_document(association=period.association, period=period, only_report=main))
    except Exception:  # noqa: BLE001 - never fail the submission or approval for this
        logger.exception("Drawing the charts of report %s ahead failed", main.pk)


def compiled_filename(
    period: ReportingPeriod, extension: str, *, approved_only: bool = False
) -> str:
    """E.g. "projektsammanstallning-skaraborg-delarsrapport-januari-augusti-2021.pdf", and
    "projektsammanstallning-godkanda-rapporter-skaraborg-…" for the approved reports only."""
    kind = (
        "projektsammanställning godkända rapporter" if approved_only else "projektsammanställning"
    )
    text = f"{kind} {period.association.slug} {period.name}"
    name = slugify(text.replace("–", " ").replace("—", " "))
    return f"{name}.{extension}"


def periods_with_reports(association):
    """The association's reporting periods that have at least one report, latest first."""
    return (
        ReportingPeriod.objects.filter(association=association)
        .filter(Exists(InitiativeReport.objects.filter(period=OuterRef("pk"))))
        .order_by("-end_date", "-start_date", "-pk")
    )


def latest_period_with_reports(association) -> ReportingPeriod | None:
    return periods_with_reports(association).first()


def all_reports_approved(period: ReportingPeriod) -> bool:
    """Whether every report of the period (sub-reports included) is approved: then the compiled
    report is final and the board may download it themselves."""
    reports = InitiativeReport.objects.filter(period=period)
    return reports.exists() and not reports.exclude(status=ReportStatus.APPROVED).exists()


def can_download_compiled(access, period: ReportingPeriod, *, approved_only: bool = False) -> bool:
    """Who may download the compiled report of a period of the current association: the
    secretariat and the operator always; the board the approved reports only at any time, the
    complete compilation once every report of the period is approved (before that it is a
    working copy for the secretariat)."""
    from finsam.core.roles import Role

    if access.association is None or period.association_id != access.association.pk:
        return False
    if access.is_operator or access.has(Role.SECRETARIAT):
        return True
    if access.has(Role.BOARD):
        return approved_only or all_reports_approved(period)
    return False
