"""Compiling the report of a reporting period (projektsammanställning) as a background job.

Compiling takes seconds to minutes: the button starts a job (finsam/jobs) and leads to its page,
which shows the progress and then offers the document for download. A job already compiling the
same document is reused. `manage.py compile_report` compiles while you wait.

Two documents: the complete compilation (`reports:compile`) and the approved reports only
(`reports:compile_approved`, which the board may start at any time); see finsam/reports/compile.py.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from finsam.jobs.models import JobKind
from finsam.jobs.services import start_job
from finsam.reports.compile import FORMATS, can_download_compiled
from finsam.reports.compile_jobs import active_compiled_report_job
from finsam.reports.scoping import reporting_periods


@require_POST
def compile_start(request, pk, output_format, approved_only=False):
    access = request.access
    # Another association's period is not found, whatever the role.
    period = get_object_or_404(reporting_periods(access).select_related("association"), pk=pk)
    if output_format not in FORMATS:
        raise Http404
    if not can_download_compiled(access, period, approved_only=approved_only):
        raise PermissionDenied
    job = active_compiled_report_job(
        period, output_format, approved_only=approved_only
    ) or start_job(
        actor=request.user,
        association=period.association,
        kind=JobKind.COMPILED_REPORT,
        period=period,
        output_format=output_format,
        approved_only=approved_only,
    )
    return redirect("jobs:detail", pk=job.pk)
