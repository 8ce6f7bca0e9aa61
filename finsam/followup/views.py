"""The page of the national successor "Uppföljning Finsam": one year of the current association,
on screen and as the XLSX laid out like the transcription form."""

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from finsam.core.access import require
from finsam.followup import successor
from finsam.statistics.sus_views import EXPORT, xlsx_response

YEAR = "year"


@require_GET
@require("statistics.sus")
def successor_page(request):
    association = request.access.association
    if association is None:
        raise Http404
    today = timezone.localdate()
    first = association.start_date.year
    years = list(range(today.year + 1, first - 1, -1))
    raw = request.GET.get(YEAR, "")
    error = None
    if raw:
        year = int(raw) if raw.isdigit() else None
        if year not in years:
            error = _("Välj ett år mellan %(first)s och %(last)s.") % {
                "first": first,
                "last": today.year + 1,
            }
            year = successor.default_year(association, today)
    else:
        year = successor.default_year(association, today)
    report = successor.successor_report(association, year)
    if request.GET.get(EXPORT) == "xlsx":
        if error:
            return HttpResponseBadRequest(error.encode(), content_type="text/plain; charset=utf-8")
        filename = f"uppfoljning-finsam-{association.slug}-{year}.xlsx"
        return xlsx_response(successor.successor_xlsx(report), filename)
    context = {
        "association": association,
        "report": report,
        "year": year,
        "years": years,
        "error": error,
        "not_suppressed_text": successor.NOT_SUPPRESSED_TEXT,
        "can_edit_finance": request.access.can("finance.change"),
    }
    return render(request, "followup/successor.html", context)
