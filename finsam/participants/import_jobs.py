"""The import of a large file as a kind of job (`finsam.jobs.kinds`, registered in
`ParticipantsConfig.ready`): its work, who sees it, its stored result, and the jobs the import
page lists. The job's page shows the result as the import page does (`import_views`)."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_noop

from finsam.core.progress import Progress, within
from finsam.initiatives.scoping import registrar_initiatives
from finsam.jobs.models import Job, JobFilePurpose, JobKind
from finsam.jobs.selectors import unexpired, with_live_progress
from finsam.jobs.services import (
    NO_LONGER_ALLOWED,
    JobFailed,
    read_file,
    starter_access,
    store_result,
)
from finsam.participants import imports

RESULT_NAME = "resultat.json"


def run(job: Job, progress: Progress) -> None:
    """The import of a stored file, all or nothing; its result (counts, or every error by row
    and column) is kept as the job's result for the job's page to show."""
    access = starter_access(job)
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
        name=RESULT_NAME,
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


def summary(job: Job) -> dict | None:
    """The stored result of an import job, its errors as the import's RowErrors."""
    stored = read_file(job, JobFilePurpose.RESULT)
    if stored is None:
        return None
    result = json.loads(stored[1])
    result["errors"] = [imports.RowError(*error) for error in result["errors"]]
    return result


def may_see(access, job: Job) -> bool:
    """The user who started the import, while the initiative is still one of theirs."""
    return (
        job.started_by_id == access.user.pk
        and registrar_initiatives(access).filter(pk=job.initiative_id).exists()
    )


def latest(access, initiative, *, limit: int = 5) -> list[Job]:
    """The user's latest import jobs into `initiative` (a registrar's own), not yet expired."""
    jobs = unexpired(
        Job.objects.filter(
            kind=JobKind.PARTICIPANT_IMPORT,
            initiative=initiative,
            started_by_id=access.user.pk,
            association=access.association,
        )
    )
    return [with_live_progress(job) for job in jobs[:limit]]
