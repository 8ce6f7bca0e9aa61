"""The applicant's pages for writing an application: the task list of sections, a section's
form (autosaved with HTMX, and a plain submit without JavaScript), versions and their
differences, attachments, and the completeness check before submitting.

Everyone who may open the application (`applications_for`) reaches these pages; those who may
not change it now (a co-applicant who may only read, the staff, a submitted application) see
the answers read-only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from finsam.applications import editing, formdef
from finsam.applications import services as application_services
from finsam.applications.formdef.files import KINDS
from finsam.applications.formdef.render import (
    LinkedError,
    bind_form,
    error_list,
    render_display,
)
from finsam.applications.formdef.text import tr
from finsam.applications.models import Application
from finsam.applications.scoping import applications_for
from finsam.applications.workflow import Status
from finsam.core.htmx import wants_partial

ROW_ACTIONS = ("add:", "remove:")


def _application(request, pk) -> Application:
    return get_object_or_404(applications_for(request.access), pk=pk)


def _message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _sections(application):
    definition = application.form_definition
    state = formdef.section_state(definition, application.answers)
    rows = []
    for section in definition.get("sections", []):
        s = state[section["key"]]
        if s["complete"] and (s["answered"] or not s["total"]):
            label, tone = _("Klart"), "success"
        elif s["answered"] == 0 and not s["complete"]:
            label, tone = _("Inte påbörjat"), "secondary"
        elif s["complete"]:
            label, tone = _("Frivilligt"), "light"
        else:
            label, tone = _("Påbörjat"), "warning"
        rows.append(
            {"key": section["key"], "title": tr(section["title"]), "label": label, "tone": tone}
        )
    return rows


@login_required
@require_GET
def edit(request, pk):
    """The task list: the sections with their state; read-only answers for those who may not
    change them now."""
    application = _application(request, pk)
    editable = editing.may_edit(request.access, application)
    return render(
        request,
        "applications/edit/overview.html",
        {
            "application": application,
            "editable": editable,
            "sections": _sections(application) if editable else [],
            "answers": ""
            if editable
            else render_display(application.form_definition, application.answers, request=request),
        },
    )


def _section_or_404(application, section: str) -> dict:
    for item in application.form_definition.get("sections", []):
        if item["key"] == section:
            return item
    raise Http404


def _neighbours(application, section: str):
    keys = editing.section_keys(application.form_definition)
    n = keys.index(section)
    return (keys[n - 1] if n > 0 else None), (keys[n + 1] if n + 1 < len(keys) else None)


def _render_section(
    request, application, section, *, errors=None, data=None, status=200, extra=None
):
    definition = application.form_definition
    errors = errors or {}
    previous, following = _neighbours(application, section["key"])
    return render(
        request,
        "applications/edit/section.html",
        {
            "application": application,
            "section": section,
            "section_title": tr(section["title"]),
            "bound": bind_form(
                definition, application.answers, errors, data=data, section=section["key"]
            ),
            "errors": error_list(errors, definition) + list(extra or []),
            "previous": previous,
            "following": following,
            "multipart": bool(editing.file_blocks(definition, section["key"])),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_section(request, pk, section):
    """One section's form. A POST saves it (the page's buttons: save, save and go on, a row's
    "Lägg till" / "Ta bort", an upload, removing a file); what cannot be saved is shown again
    as typed, with its error."""
    application = _application(request, pk)
    section_def = _section_or_404(application, section)
    if not editing.may_edit(request.access, application):
        if request.method == "POST":
            raise PermissionDenied
        return redirect("applications:edit", pk=pk)
    if request.method == "GET":
        return _render_section(request, application, section_def)
    action = request.POST.get("action", "save")
    row_action = action if action.startswith(ROW_ACTIONS) else ""
    try:
        saved = editing.answers_save(
            request.access,
            application,
            data=request.POST,
            lock_version=request.POST.get("lock_version"),
            section=section,
            action=row_action,
        )
    except editing.Conflict as exc:
        # Keep what was typed: the form shows it over the latest answers, to check and save.
        fresh = _application(request, pk)
        cleaned, errors = formdef.clean_answers(
            fresh.form_definition, request.POST, section=section
        )
        fresh.answers = {**fresh.answers, **cleaned}
        return _render_section(
            request,
            fresh,
            section_def,
            errors=errors,
            data=request.POST,
            status=422,
            extra=[LinkedError(_message(exc), "")],
        )
    except ValidationError as exc:
        messages.error(request, _message(exc))
        return redirect("applications:edit", pk=pk)
    application, errors = saved.application, dict(saved.errors)
    errors.update(_files(request, application, section, action))
    application.refresh_from_db()
    if errors:
        return _render_section(
            request, application, section_def, errors=errors, data=request.POST, status=422
        )
    if row_action or action.startswith(("years:", "upload:", "delete-file:")):
        key = action.split(":")[1] if ":" in action else ""
        anchor = f"#block-{key}" if key and not key.isdigit() else ""
        return redirect(reverse("applications:edit_section", args=[pk, section]) + anchor)
    messages.success(request, _("Avsnittet är sparat."))
    _previous, following = _neighbours(application, section)
    if action == "next" and following:
        return redirect("applications:edit_section", pk=pk, section=following)
    return redirect("applications:edit", pk=pk)


def _files(request, application, section, action) -> dict[str, str]:
    """Uploads of the section's file blocks, and a file removed by its button."""
    errors = {}
    for key in editing.file_blocks(application.form_definition, section):
        for uploaded in request.FILES.getlist(key):
            try:
                editing.attachment_add(
                    request.access, application, block_key=key, uploaded=uploaded
                )
            except ValidationError as exc:
                errors[key] = _message(exc)
    if action.startswith("delete-file:"):
        attachment = (
            editing.attachments_for(request.access)
            .filter(
                application=application,
                pk=action.split(":")[1] if action.split(":")[1].isdigit() else 0,
            )
            .first()
        )
        if attachment is not None:
            try:
                editing.attachment_delete(request.access, attachment)
            except ValidationError as exc:
                errors.update({key: " ".join(v) for key, v in exc.message_dict.items()})
    return errors


@login_required
@require_POST
def autosave(request, pk, section):
    """HTMX: save the section as it is typed; answers with "Sparat 14:32" (and the new
    lock_version for the page), or why it was not saved (422)."""
    application = _application(request, pk)
    _section_or_404(application, section)
    context = {"lock_version": application.lock_version, "errors": [], "error": ""}
    status = 200
    try:
        saved = editing.answers_save(
            request.access,
            application,
            data=request.POST,
            lock_version=request.POST.get("lock_version"),
            section=section,
        )
    except editing.Conflict as exc:
        context["error"], status = _message(exc), 422
        context["lock_version"] = request.POST.get("lock_version", "")
    except ValidationError as exc:
        context["error"], status = _message(exc), 422
    else:
        context["lock_version"] = saved.application.lock_version
        context["errors"] = error_list(saved.errors, application.form_definition)
        if saved.errors:
            status = 422
    context["saved_at"] = time_format(timezone.localtime(), "H:i")
    return render(request, "applications/edit/_autosave.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def revisions(request, pk):
    """The stored versions; a POST stores one ("Spara version")."""
    application = _application(request, pk)
    if request.method == "POST":
        try:
            revision = editing.revision_save(request.access, application)
        except ValidationError as exc:
            messages.error(request, _message(exc))
        else:
            messages.success(request, _("Version %(n)s är sparad.") % {"n": revision.number})
        return redirect("applications:revisions", pk=pk)
    rows = [
        {"revision": r, "reason": editing.revision_label(r.reason)}
        for r in application.revisions.select_related("created_by").order_by("-number")
    ]
    return render(
        request,
        "applications/edit/revisions.html",
        {
            "application": application,
            "rows": rows,
            "editable": editing.may_edit(request.access, application),
        },
    )


def _version(application, value):
    """The answers of revision `value` ("current": the answers now) and its name."""
    if value in (None, "", "current"):
        return application.answers, _("Nuvarande svar"), "current"
    try:
        revision = application.revisions.get(number=int(value))
    except (ValueError, TypeError, application.revisions.model.DoesNotExist):
        raise Http404 from None
    return revision.answers, _("Version %(n)s") % {"n": revision.number}, str(revision.number)


@login_required
@require_GET
def revision_diff(request, pk):
    """What changed between two versions (`a` and `b`: numbers or "current")."""
    application = _application(request, pk)
    numbers = list(application.revisions.order_by("number").values_list("number", flat=True))
    default_a = str(numbers[-1]) if numbers else "current"
    old, old_name, a = _version(application, request.GET.get("a") or default_a)
    new, new_name, b = _version(application, request.GET.get("b") or "current")
    return render(
        request,
        "applications/edit/diff.html",
        {
            "application": application,
            "changes": formdef.diff(application.form_definition, old, new),
            "old_name": old_name,
            "new_name": new_name,
            "a": a,
            "b": b,
            "choices": [("current", _("Nuvarande svar"))]
            + [(str(n), _("Version %(n)s") % {"n": n}) for n in reversed(numbers)],
        },
    )


@login_required
@require_GET
def check(request, pk):
    """The completeness check before submitting: what is missing, linked to its field."""
    application = _application(request, pk)
    problems = formdef.missing(application.form_definition, application.answers)
    return render(
        request,
        "applications/edit/check.html",
        {
            "application": application,
            "problems": problems,
            "editable": editing.may_edit(request.access, application),
            "supplement": application.status == Status.SUPPLEMENT_REQUESTED,
        },
    )


@login_required
@require_POST
def submit(request, pk):
    """Submit (or send the supplement): the service checks completeness, the round and the
    status; a second click finds it submitted and says so."""
    application = _application(request, pk)
    step = (
        application_services.supplement
        if application.status == Status.SUPPLEMENT_REQUESTED
        else application_services.submit
    )
    try:
        application = step(request.access, application)
    except ValidationError as exc:
        messages.error(request, _message(exc))
        return redirect("applications:check", pk=pk)
    if application.status == Status.PREPARATION:
        messages.success(request, _("Kompletteringen är skickad till kansliet."))
    else:
        messages.success(
            request,
            _("Ansökan är inlämnad. Diarienummer: %(number)s.")
            % {"number": application.diary_number},
        )
    return redirect("applications:detail", pk=pk)


@login_required
@require_GET
def attachment(request, pk):
    """Download an attachment: for those who may open its application."""
    item = get_object_or_404(editing.attachments_for(request.access), pk=pk)
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.name,
        content_type=KINDS[item.kind].content_type
        if item.kind in KINDS
        else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request, pk):
    item = get_object_or_404(editing.attachments_for(request.access), pk=pk)
    if not editing.may_edit(request.access, item.application):
        raise PermissionDenied
    try:
        editing.attachment_delete(request.access, item)
    except ValidationError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Filen %(name)s är borttagen.") % {"name": item.name})
    if wants_partial(request):
        return render(request, "applications/edit/_empty.html")
    return redirect("applications:edit", pk=item.application_id)
