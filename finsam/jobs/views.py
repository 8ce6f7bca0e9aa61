"""A job's page, its status fragment (polled while the job runs) and its result's download.
Jobs the user may not see answer 404 (`selectors.get_job`)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from finsam.jobs import selectors
from finsam.jobs.models import JobFilePurpose, JobStatus
from finsam.jobs.services import read_file

# A job still queued after this many seconds probably waits for a worker that is not running.
QUEUED_HINT_SECONDS = 20
# htmx stops polling on this status (and still shows the answer).
STOP_POLLING = 286


def _context(job) -> dict:
    waited = (timezone.now() - job.created_at).total_seconds()
    context = {
        "job": job,
        "waiting_long": job.status == JobStatus.QUEUED and waited > QUEUED_HINT_SECONDS,
    }
    if not job.is_active:
        context.update(job.kind_spec.result_context(job))
    return context


@require_GET
def detail(request, pk):
    job = selectors.get_job(request.access, pk)
    return render(request, "jobs/detail.html", _context(job))


@require_GET
def status(request, pk):
    job = selectors.get_job(request.access, pk)
    return render(
        request,
        "jobs/_status.html",
        _context(job),
        status=200 if job.is_active else STOP_POLLING,
    )


@require_GET
def download(request, pk):
    job = selectors.get_job(request.access, pk)
    stored = read_file(job, JobFilePurpose.RESULT)
    if not job.kind_spec.downloadable or job.status != JobStatus.DONE or stored is None:
        raise Http404
    name, data = stored
    response = HttpResponse(data, content_type=job.result_content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
