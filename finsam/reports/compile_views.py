"""Download of the compiled report (projektsammanställning) of a reporting period."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from finsam.core.access import reporting_periods
from finsam.reports.compile import (
    DOCX_CONTENT_TYPE,
    PDF_CONTENT_TYPE,
    can_download_compiled,
    compile_docx,
    compile_pdf,
    compiled_filename,
)

FORMATS = {
    "pdf": (compile_pdf, PDF_CONTENT_TYPE),
    "docx": (compile_docx, DOCX_CONTENT_TYPE),
}


def _download(request, pk, extension: str) -> HttpResponse:
    access = request.access
    # Another association's period is not found, whatever the role.
    period = get_object_or_404(reporting_periods(access).select_related("association"), pk=pk)
    if not can_download_compiled(access, period):
        raise PermissionDenied
    compile_document, content_type = FORMATS[extension]
    data = compile_document(association=period.association, period=period)
    response = HttpResponse(data, content_type=content_type)
    filename = compiled_filename(period, extension)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def compiled_pdf(request, pk):
    return _download(request, pk, "pdf")


@require_GET
def compiled_docx(request, pk):
    return _download(request, pk, "docx")
