"""The work of each kind of job, run by the worker (`services.run_job`). Each runner checks again
that the user who started the job may still do it, reports progress and stores its result."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_noop

from finsam.core.progress import Progress, within
from finsam.jobs.models import Job, JobFilePurpose
from finsam.jobs.services import JobFailed, read_file, store_result

NO_LONGER_ALLOWED = gettext_noop(
    "Du har inte längre behörighet till detta. Jobbet avbröts och inget har sparats."
)


def _access(job: Job):
    from finsam.accounts.access import build_access

    return build_access(job.started_by, job.association_id)


def compiled_report(job: Job, progress: Progress) -> None:
    from finsam.reports import compile

    approved_only = job.approved_only
    if not compile.can_download_compiled(_access(job), job.period, approved_only=approved_only):
        raise JobFailed(NO_LONGER_ALLOWED)
    compile_document, content_type = compile.FORMATS[job.output_format]
    data = compile_document(
        association=job.association,
        period=job.period,
        progress=progress,
        approved_only=approved_only,
    )
    store_result(
        job,
        name=compile.compiled_filename(job.period, job.output_format, approved_only=approved_only),
        content_type=content_type,
        data=data,
    )


IMPORT_RESULT_NAME = "resultat.json"


def participant_import(job: Job, progress: Progress) -> None:
    """The import of a stored file, all or nothing; its result (counts, or every error by row
    and column) is kept as the job's result for the import page to show."""
    from finsam.initiatives.scoping import registrar_initiatives
    from finsam.participants import imports

    access = _access(job)
    initiative = registrar_initiatives(access).filter(pk=job.initiative_id).first()
    stored = read_file(job, JobFilePurpose.INPUT)
    if initiative is None or stored is None:
        raise JobFailed(NO_LONGER_ALLOWED)
    progress(2, gettext_noop("Läser filen"))
    name, data = stored
    saving = within(progress, 5, 100)

    def rows_done(done: int, total: int) -> None:
        saving(
            100 * done / max(total, 1),
            gettext_noop("Kontrollerar och sparar rad %(done)s av %(total)s"),
            done=done,
            total=total,
        )

    result = imports.import_file(
        access=access,
        initiative=initiative,
        uploaded=SimpleUploadedFile(name, data),
        progress=rows_done,
    )
    summary = {
        "rows": result.rows,
        "enrolled": result.enrolled,
        "exited": result.exited,
        "errors": [[e.row, e.column, e.message] for e in result.errors],
    }
    store_result(
        job,
        name=IMPORT_RESULT_NAME,
        content_type="application/json",
        data=json.dumps(summary).encode(),
    )
    if not result.ok:
        raise JobFailed(
            gettext_noop(
                "Importen stoppades: filen har %(count)s fel. Inget har sparats. Rätta felen i "
                "filen och importera den igen."
            ),
            count=len(result.errors),
        )


def import_summary(job: Job) -> dict | None:
    """The stored result of an import job, its errors as the import's RowErrors."""
    from finsam.participants.imports import RowError

    stored = read_file(job, JobFilePurpose.RESULT)
    if stored is None:
        return None
    summary = json.loads(stored[1])
    summary["errors"] = [RowError(*error) for error in summary["errors"]]
    return summary
