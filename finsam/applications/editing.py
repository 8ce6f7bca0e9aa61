"""Writing an application's answers: the autosave and the section form, row buttons, versions
("Spara version") and attachments.

Every write goes through `_writable`: the application under a row lock, through the caller's
scope (404 outside it), only for those who may write it (the owner organisation's users and
co-applicants with edit rights) and only while it is a draft or a supplement is requested.
A save carries the `lock_version` the page was rendered with: a save based on an older one is
refused with `Conflict` and changes nothing. After every save the application's derived fields
(amount applied per year, project period, title) follow the answers (`formdef`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from finsam.applications import formdef
from finsam.applications.formdef.definition import blocks, find_block
from finsam.applications.formdef.files import KINDS, sha256
from finsam.applications.formdef.options import unresolved, with_options
from finsam.applications.formdef.text import clean_text
from finsam.applications.models import Application, Attachment, Revision
from finsam.applications.scoping import applications_for
from finsam.applications.services import _store_revision, may_write
from finsam.applications.workflow import EDITABLE, Status
from finsam.audit.services import record_change

# The block whose answer is the application's title (the project's name), when the form has it.
TITLE_BLOCK = "project_name"


class Conflict(ValidationError):
    """The answers changed since the page was rendered: nothing was saved."""


def conflict() -> Conflict:
    return Conflict(
        _(
            "Någon annan har sparat ansökan sedan du öppnade sidan. Det du skrev nu sparades "
            "inte. Ladda om sidan för att se de senaste svaren."
        ),
        code="conflict",
    )


def may_edit(access, application: Application) -> bool:
    """Whether `access` may change the answers now (the page shows the form, not the text)."""
    return (
        application.status in EDITABLE
        and access.can("application.own")
        and may_write(access, application)
    )


def _writable(access, application: Application) -> Application:
    access.require("application.own")
    locked = applications_for(access).select_for_update(of=("self",)).get(pk=application.pk)
    if not may_write(access, locked):
        raise PermissionDenied
    if locked.status not in EDITABLE:
        raise ValidationError(_("Ansökan är inlämnad och kan inte ändras nu."), code="frozen")
    return locked


def _derive(application: Application) -> list[str]:
    """Copy what the answers say into the application's own fields; the fields changed."""
    definition, answers = application.form_definition, application.answers
    by_year = formdef.applied_by_year(definition, answers)
    start, end = formdef.period(definition, answers)
    values = {
        "applied_by_year": {str(year): amount for year, amount in by_year.items()},
        "amount_applied": sum(by_year.values()) if by_year else None,
        "period_start": start,
        "period_end": end,
    }
    title = answers.get(TITLE_BLOCK)
    if isinstance(title, str) and title.strip():
        values["title"] = title.strip()[:200]
    changed = []
    for name, value in values.items():
        if getattr(application, name) != value:
            setattr(application, name, value)
            changed.append(name)
    return changed


def _store(access, application: Application, answers: dict, what: list[str]) -> Application:
    changed_keys = [
        key
        for key in sorted(set(answers) | set(application.answers))
        if answers.get(key) != application.answers.get(key)
    ]
    application.answers = answers
    application.lock_version += 1
    fields = ["answers", "lock_version", "updated_at", *_derive(application)]
    application.save(update_fields=fields)
    if changed_keys:
        # The block keys only: the answers may name people (contacts), and stay out of the log.
        record_change(
            access=access,
            obj=application,
            action="application.answers",
            changes={"answers": [None, ", ".join(changed_keys)]},
        )
    return application


@dataclass
class Saved:
    application: Application
    errors: dict[str, str] = field(default_factory=dict)


@transaction.atomic
def answers_save(
    access,
    application: Application,
    *,
    data,
    lock_version,
    section: str | None = None,
    action: str = "",
) -> Saved:
    """Save the blocks of `section` posted in `data` (POST or JSON). Valid blocks are saved; a
    block with an error keeps its stored answer and its errors are returned (keyed by field id).
    `action`: a row button ("add:<key>", "remove:<key>:<n>"). Raises `Conflict` when
    `lock_version` is not the current one."""
    application = _writable(access, application)
    if str(lock_version) != str(application.lock_version):
        raise conflict()
    if unresolved(application.form_definition):
        # A copy made before its choices were filled in: fill them in once, for good.
        application.form_definition = with_options(
            application.form_definition, application.association
        )
        application.save(update_fields=["form_definition"])
    definition = application.form_definition
    cleaned, errors = formdef.clean_answers(definition, data, section=section)
    answers = formdef.keep_formatting(
        definition, application.answers, {**application.answers, **cleaned}
    )
    if action:
        answers = formdef.row_action(definition, answers, action)
    if answers != application.answers:
        application = _store(access, application, answers, [])
    return Saved(application, errors)


@transaction.atomic
def revision_save(access, application: Application) -> Revision:
    """ "Spara version": a stored copy of the answers as they are now."""
    application = _writable(access, application)
    revision = _store_revision(access, application, "saved")
    record_change(access=access, obj=application, action="application.revision")
    return revision


def max_bytes(block) -> int:
    """The block's limit, never above what an upload keeps (settings.IMPORT_MAX_FILE_SIZE)."""
    return min(block.get("max_bytes", settings.IMPORT_MAX_FILE_SIZE), settings.IMPORT_MAX_FILE_SIZE)


@transaction.atomic
def attachment_add(access, application: Application, *, block_key: str, uploaded) -> Attachment:
    """Store an uploaded file of file block `block_key` after checking its content and size."""
    application = _writable(access, application)
    definition = application.form_definition
    _sec, block = find_block(definition, block_key)
    if block is None or block["type"] != "file":
        raise ValidationError({block_key: _("Det finns ingen filfråga med det namnet.")})
    kinds = block.get("kinds", list(KINDS))
    kind, error = formdef.check_file(uploaded, kinds, max_bytes(block))
    if error:
        raise ValidationError({block_key: error})
    current = [e for e in application.answers.get(block_key) or [] if isinstance(e, dict)]
    if len(current) >= block.get("max_files", 10):
        raise ValidationError(
            {block_key: _("Högst %(n)s filer.") % {"n": block.get("max_files", 10)}}
        )
    name = clean_text((uploaded.name or "").replace("/", "_").replace("\\", "_"))[-200:] or "fil"
    digest = sha256(uploaded)
    uploaded.seek(0)
    attachment = Attachment(
        application=application,
        block=block_key,
        name=name,
        kind=kind,
        size=uploaded.size,
        sha256=digest,
        uploaded_by=access.user,
    )
    attachment.file.save(name, uploaded, save=False)
    attachment.save()
    entry = {"id": str(attachment.pk), "name": name, "kind": kind, "size": uploaded.size}
    answers = {**application.answers, block_key: [*current, {**entry, "sha256": digest}]}
    _store(access, application, answers, ["attachment"])
    return attachment


@transaction.atomic
def attachment_delete(access, attachment: Attachment) -> None:
    """Remove an attachment while the application is a draft (or a supplement is requested)."""
    application = _writable(access, attachment.application)
    if application.status != Status.DRAFT:
        # A submitted version refers to its files: they stay once the application is in.
        raise ValidationError(
            {attachment.block: _("En bilaga kan bara tas bort innan ansökan har lämnats in.")}
        )
    attachment = application.attachments.get(pk=attachment.pk)
    key = attachment.block
    entries = [
        e
        for e in application.answers.get(key) or []
        if isinstance(e, dict) and e.get("id") != str(attachment.pk)
    ]
    stored = attachment.file.name
    attachment.delete()
    _store(access, application, {**application.answers, key: entries}, ["attachment"])
    transaction.on_commit(lambda: attachment.file.storage.delete(stored))


def attachments_for(access):
    """The attachments of the applications `access` may open."""
    return Attachment.objects.filter(application__in=applications_for(access)).select_related(
        "application"
    )


def file_blocks(definition, section: str | None = None) -> list[str]:
    return [b["key"] for _s, b in blocks(definition, section) if b["type"] == "file"]


def section_keys(definition) -> list[str]:
    return [s["key"] for s in definition.get("sections", [])]


def revision_label(reason: str) -> str:
    return {
        "submit": _("Inlämnad"),
        "supplement": _("Komplettering"),
        "saved": _("Sparad version"),
    }.get(reason, reason)
