"""Pages for the bulk import of enrolments and exits (see `imports.py`).

A file of more than IMPORT_IN_BACKGROUND_ROWS rows is imported as a background job
(finsam/jobs): the file is kept encrypted until the job has run, and the job's page shows the
progress and then the result, as this page does for a smaller file.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from finsam.core.access import require
from finsam.initiatives.scoping import get_initiative, registrar_initiatives
from finsam.jobs.models import JobKind
from finsam.jobs.services import start_job
from finsam.participants import import_jobs, imports

# More errors than this are not shown (the file is surely wrong in some systematic way).
MAX_ERRORS_SHOWN = 500


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fil (.xlsx eller .csv)"),
        error_messages={
            "required": gettext_lazy("Välj en fil att importera."),
            "empty": gettext_lazy("Filen är tom."),
        },
    )


def _registrar_initiative(request, initiative_pk):
    return get_initiative(request.access, initiative_pk, scope=registrar_initiatives)


def error_context(errors) -> dict:
    """The errors of an import as its pages show them: the file's, then by row (the first
    MAX_ERRORS_SHOWN)."""
    row_errors = [e for e in errors if e.row is not None]
    return {
        "error_count": len(errors),
        "file_errors": [e for e in errors if e.row is None],
        "row_errors": row_errors[:MAX_ERRORS_SHOWN],
        "hidden_errors": max(0, len(row_errors) - MAX_ERRORS_SHOWN),
    }


def job_result_context(job) -> dict:
    """An ended import job's result as its page shows it: as this page shows an import's."""
    summary = import_jobs.summary(job)
    if summary is None:
        return {"summary": None}
    return {
        "summary": summary,
        **error_context(summary["errors"]),
        "done_message": imports.done_message(
            enrolled=summary["enrolled"], exited=summary["exited"]
        ),
    }


def _is_large(uploaded) -> bool:
    """Whether the file has more rows than are imported while the user waits (a file that
    cannot be read is not: the import reports why at once)."""
    try:
        rows = len(imports.read_table(uploaded).rows)
    except imports.ImportFileError:
        return False
    finally:
        uploaded.seek(0)
    return rows > settings.IMPORT_IN_BACKGROUND_ROWS


@require("enrolment.register")
@require_http_methods(["GET", "POST"])
def upload(request, initiative_pk):
    initiative = _registrar_initiative(request, initiative_pk)
    bound = request.method == "POST"
    form = ImportForm(request.POST if bound else None, request.FILES if bound else None)
    result = None
    if bound and form.is_valid():
        uploaded = form.cleaned_data["file"]
        if _is_large(uploaded):
            job = start_job(
                actor=request.user,
                association=initiative.association,
                kind=JobKind.PARTICIPANT_IMPORT,
                initiative=initiative,
                input_name=uploaded.name,
                input_data=uploaded.read(),
            )
            return redirect("jobs:detail", pk=job.pk)
        result = imports.import_file(
            access=request.access, initiative=initiative, uploaded=uploaded
        )
        if result.ok:
            messages.success(
                request, imports.done_message(enrolled=result.enrolled, exited=result.exited)
            )
            return redirect("participant_import:upload", initiative_pk=initiative.pk)
    return render(
        request,
        "participants/import.html",
        {
            "initiative": initiative,
            "form": form,
            **error_context(result.errors if result else []),
            "jobs": import_jobs.latest(request.access, initiative),
            "background_rows": settings.IMPORT_IN_BACKGROUND_ROWS,
            "columns": imports.COLUMNS,
            "max_mb": imports.MAX_FILE_SIZE // (1024 * 1024),
            "max_rows": imports.MAX_ROWS,
        },
    )


# The downloadable template by format: (builder, content type, file name).
_TEMPLATES = {
    "xlsx": (
        imports.template_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "finsam-importmall.xlsx",
    ),
    "csv": (imports.template_csv, "text/csv; charset=utf-8", "finsam-importmall.csv"),
}


@require("enrolment.register")
@require_GET
def template(request, initiative_pk, file_format):
    """The import template as an Excel workbook or a CSV file."""
    _registrar_initiative(request, initiative_pk)
    build, content_type, name = _TEMPLATES[file_format]
    return HttpResponse(
        build(),
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
