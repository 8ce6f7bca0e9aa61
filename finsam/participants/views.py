"""Participant pages: the registrar's overview and lists, registering in and out, corrections,
consent withdrawal and protected identity; pseudonymous lists for the secretariat and the
initiative managers.

Identity (name, personal identity number) is only loaded and shown for a registrar assigned to
the initiative, and every page that shows it writes the access log. Personal identity numbers
never travel in URLs: searching posts the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from finsam.core.access import require
from finsam.core.htmx import render_partial_or_page
from finsam.initiatives.scoping import can_see_identity, follow_up_initiatives, get_initiative
from finsam.participants import selectors, services, variables
from finsam.participants.forms import (
    CorrectionForm,
    EnrolForm,
    ExitForm,
    ProtectIdentityForm,
    WithdrawConsentForm,
)
from finsam.participants.models import Consent
from finsam.participants.scoping import get_enrolment, get_enrolment_without_identity
from finsam.participants.services import IDENTITY_FIELDS
from finsam.reference.templatetags.codes import as_registered


def _run(form, action, **arguments):
    """Parse `form` and hand its input and `arguments` to `action` (a service or its check).

    Returns the action's result, or None with every error placed on the form.
    """
    form.is_valid()
    try:
        return action(**form.service_arguments(), **arguments)
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None


def _submit(form, write, check, **arguments):
    """A sent form: `write` its input, or only `check` it when the form itself rejected a value
    (its own errors are shown together with the services' ones). What `write` returned, or
    None."""
    if form.is_valid():
        return _run(form, write, **arguments)
    _run(form, check, **arguments)
    return None


def _form_page(request, form, page, context):
    form.mark_invalid()
    context["form"] = form
    return render(request, page, context)


def _live_check(request, form):
    """The answer to a live check (`finsam/live-check.js`): the messages of the one field the
    user left, which HTMX names, and the hints that depend on it. Inputs are never sent back, so
    nothing the user types meanwhile is replaced. The whole form is checked when it is sent."""
    name = request.htmx.trigger_name
    if name not in form.fields:
        return HttpResponseBadRequest()
    form.mark_invalid()
    context = {"form": form, "field": form[name], "hint": form.hints.get(name)}
    return render(request, "participants/_live_check.html", context)


# --- Scope: outside the user's association or initiatives 404, visible but not theirs 403 ------


def _registrar_initiative(access, initiative_id):
    """An initiative whose participants the user registers. Initiatives the user cannot see
    answer 404; visible ones the user does not register in answer 403."""
    initiative = get_initiative(access, initiative_id)
    if not can_see_identity(access, initiative.pk):
        raise PermissionDenied
    return initiative


def _follow_up_initiative(access, initiative_id):
    initiative = get_initiative(access, initiative_id)
    if not follow_up_initiatives(access).filter(pk=initiative.pk).exists():
        raise PermissionDenied
    return initiative


def _registrar_enrolment(access, enrolment_uuid):
    """An enrolment the user may change, with its identity (registrars of its initiative)."""
    enrolment = get_enrolment_without_identity(access, enrolment_uuid)
    if not can_see_identity(access, enrolment.initiative_id):
        raise PermissionDenied
    return get_enrolment(access, enrolment_uuid, registrar=True)


# --- The registrar's overview and lists -------------------------------------------------------


@require("enrolment.register")
def registrar_home(request):
    overview = selectors.registrar_overview(access=request.access)
    return render(request, "participants/registrar_home.html", {"overview": overview})


def _list_state(request):
    """The status filter comes from the URL; a registrar's search and its page from the POST."""
    data = request.POST if request.method == "POST" else request.GET
    status = request.GET.get("status", selectors.STATUS_ACTIVE)
    if status not in selectors.STATUSES:
        status = selectors.STATUS_ACTIVE
    return data, status


def _searched_list(initiative, status, term, *, with_identity):
    """The list under the status filter; a search looks through every enrolment whatever the
    filter, so that the person searched for is found."""
    qs = selectors.enrolment_list(
        initiative,
        status=selectors.STATUS_ALL if term else status,
        with_identity=with_identity,
    )
    return selectors.search_enrolments(qs, term, with_identity=with_identity)


@require_http_methods(["GET", "POST"])
def initiative_participants(request, initiative_id):
    """The registrar's list with names and masked numbers. Searching (by name or personal
    identity number) is a POST, so that the search term never lands in a URL or a log."""
    access = request.access
    initiative = _registrar_initiative(access, initiative_id)
    data, status = _list_state(request)
    term = data.get("q", "").strip() if request.method == "POST" else ""
    qs, search = _searched_list(initiative, status, term, with_identity=True)
    page = Paginator(qs, selectors.PAGE_SIZE).get_page(data.get("page"))
    # The selector logs the read: one event for the page, naming the participants it shows.
    rows = selectors.registrar_rows(
        access,
        initiative,
        page.object_list,
        lookup=search.kind == "personal_number",
        fields=IDENTITY_FIELDS,
    )
    context = {
        "initiative": initiative,
        "page": page,
        "rows": rows,
        "status": status,
        "statuses": selectors.STATUSES,
        "counts": selectors.status_counts(initiative),
        "search": search,
        "term": term,
        "with_identity": True,
        "closed_reason": services.registration_closed_reason(initiative, timezone.localdate()),
    }
    return render_partial_or_page(
        request,
        "participants/_participant_table.html",
        "participants/initiative_participants.html",
        context,
    )


def initiative_follow_up(request, initiative_id):
    """The same list without identity, for the secretariat and the initiative's managers
    (and its registrars): pseudonyms, dates, what is missing."""
    access = request.access
    initiative = _follow_up_initiative(access, initiative_id)
    data, status = _list_state(request)
    term = data.get("q", "").strip()
    qs, search = _searched_list(initiative, status, term, with_identity=False)
    page = Paginator(qs, selectors.PAGE_SIZE).get_page(data.get("page"))
    context = {
        "initiative": initiative,
        "page": page,
        "rows": selectors.describe(page.object_list),
        "status": status,
        "statuses": selectors.STATUSES,
        "counts": selectors.status_counts(initiative),
        "search": search,
        "term": term,
        "with_identity": False,
        "is_registrar": can_see_identity(access, initiative.pk),
    }
    return render_partial_or_page(
        request,
        "participants/_participant_table.html",
        "participants/initiative_follow_up.html",
        context,
    )


# --- Register in ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def enrol(request, initiative_id):
    """Register a participant in. Each field is checked as the user leaves it
    (`enrol_validate`), the whole form when it is sent."""
    access = request.access
    initiative = _registrar_initiative(access, initiative_id)
    closed = services.registration_closed_reason(initiative, timezone.localdate())
    context = {"initiative": initiative, "closed_reason": closed}
    if request.method == "POST":
        form = EnrolForm(request.POST, association=initiative.association_id)
        enrolment = _submit(
            form,
            services.enrolment_register,
            services.enrolment_register_check,
            access=access,
            initiative=initiative,
        )
        if enrolment is not None:
            messages.success(
                request,
                _("Deltagaren är inregistrerad (%(pseudonym)s).")
                % {"pseudonym": enrolment.pseudonym},
            )
            return redirect("participants:enrolment_detail", enrolment.uuid)
    else:
        today = timezone.localdate()
        form = EnrolForm(
            initial={"start_date": today, "consent_given_on": today},
            association=initiative.association_id,
        )
    return _form_page(request, form, "participants/enrol.html", context)


# The live checks only read: outside the request's transaction they take no write lock (SQLite).


@transaction.non_atomic_requests
@require_POST
def enrol_validate(request, initiative_id):
    """Check the field the user left with the same rules as `enrol`, saving nothing."""
    access = request.access
    initiative = _registrar_initiative(access, initiative_id)
    form = EnrolForm(
        request.POST,
        checking=request.htmx.trigger_name,
        association=initiative.association_id,
    )
    _run(form, services.enrolment_register_check, access=access, initiative=initiative)
    return _live_check(request, form)


# --- One enrolment ----------------------------------------------------------------------------


def _registered(enrolment, phase: str) -> list[tuple[str, str]]:
    """(label, value as registered) of the variables of `phase`; an extent follows the
    occupation before it: "Arbete (50 %)"."""
    rows: list[tuple[str, str]] = []
    for variable in variables.of_phase(phase):
        if variable.is_extent:
            extent = getattr(enrolment, variable.name)
            if rows and extent is not None:
                rows[-1] = (rows[-1][0], f"{rows[-1][1]} ({extent} %)")
        else:
            rows.append((variable.label, as_registered(enrolment, variable.name) or "–"))
    return rows


def enrolment_detail(request, enrolment_uuid):
    """One enrolment. Identity only for a registrar of the initiative (logged as a view)."""
    access = request.access
    enrolment = get_enrolment_without_identity(access, enrolment_uuid)
    is_registrar = can_see_identity(access, enrolment.initiative_id)
    identity = None
    if is_registrar:
        enrolment = get_enrolment(access, enrolment_uuid, registrar=True)
        identity = selectors.read_identity(access, enrolment, fields=IDENTITY_FIELDS)
    consent = Consent.objects.filter(enrolment=enrolment).select_related("collected_by").first()
    context = {
        "enrolment": enrolment,
        "initiative": enrolment.initiative,
        "identity": identity,
        "identity_number": (
            f"{identity.personal_number[:8]}-{identity.personal_number[8:]}" if identity else ""
        ),
        "is_registrar": is_registrar,
        "consent": consent,
        "registered_in": _registered(enrolment, variables.IN),
        "registered_out": _registered(enrolment, variables.OUT),
        "missing": selectors.missing_for(enrolment),
        "days_enrolled": ((enrolment.end_date or timezone.localdate()) - enrolment.start_date).days,
        "history": selectors.enrolment_history(enrolment),
    }
    return render(request, "participants/enrolment_detail.html", context)


@require_http_methods(["GET", "POST"])
def enrolment_exit(request, enrolment_uuid):
    access = request.access
    enrolment = _registrar_enrolment(access, enrolment_uuid)
    context = {"enrolment": enrolment, "initiative": enrolment.initiative}
    if not enrolment.is_active:
        messages.info(request, _("Deltagandet är redan utregistrerat. Rätta det i stället."))
        return redirect("participants:correct", enrolment.uuid)
    if request.method == "POST":
        form = ExitForm(request.POST, association=enrolment.initiative.association_id)
        write, check = services.enrolment_exit, services.enrolment_exit_check
        if _submit(form, write, check, access=access, enrolment=enrolment) is not None:
            messages.success(request, _("Deltagaren är utregistrerad."))
            return redirect("participants:enrolment_detail", enrolment.uuid)
    else:
        form = ExitForm(
            initial={"end_date": timezone.localdate()},
            association=enrolment.initiative.association_id,
        )
    return _form_page(request, form, "participants/exit.html", context)


@transaction.non_atomic_requests
@require_POST
def enrolment_exit_validate(request, enrolment_uuid):
    """Check the field the user left with the same rules as `enrolment_exit`, saving nothing."""
    access = request.access
    enrolment = _registrar_enrolment(access, enrolment_uuid)
    form = ExitForm(request.POST, association=enrolment.initiative.association_id)
    _run(form, services.enrolment_exit_check, access=access, enrolment=enrolment)
    return _live_check(request, form)


def _correction_form(request, enrolment):
    """The correction form of `enrolment` (bound to a POST), with the current name if any."""
    name = (enrolment.participant.name or "") if enrolment.participant_id else None
    data = request.POST if request.method == "POST" else None
    return CorrectionForm(data, enrolment=enrolment, name=name)


@require_http_methods(["GET", "POST"])
def enrolment_correct(request, enrolment_uuid):
    access = request.access
    enrolment = _registrar_enrolment(access, enrolment_uuid)
    form = _correction_form(request, enrolment)
    if request.method == "GET":
        selectors.read_identity(access, enrolment, fields=_("namn"))
    context = {"enrolment": enrolment, "initiative": enrolment.initiative}
    if request.method == "POST":
        write, check = services.enrolment_correct, services.enrolment_correct_check
        if _submit(form, write, check, access=access, enrolment=enrolment) is not None:
            messages.success(request, _("Rättelsen är sparad."))
            return redirect("participants:enrolment_detail", enrolment.uuid)
    return _form_page(request, form, "participants/correct.html", context)


@transaction.non_atomic_requests
@require_POST
def enrolment_correct_validate(request, enrolment_uuid):
    """Check the field the user left with the same rules as `enrolment_correct`, saving
    nothing."""
    access = request.access
    enrolment = _registrar_enrolment(access, enrolment_uuid)
    form = _correction_form(request, enrolment)
    _run(form, services.enrolment_correct_check, access=access, enrolment=enrolment)
    return _live_check(request, form)


@require_http_methods(["GET", "POST"])
def consent_withdraw(request, enrolment_uuid):
    access = request.access
    enrolment = _registrar_enrolment(access, enrolment_uuid)
    if enrolment.is_anonymous:
        messages.info(request, _("Deltagandet är redan anonymt."))
        return redirect("participants:enrolment_detail", enrolment.uuid)
    if request.method == "POST":
        form = WithdrawConsentForm(request.POST)
        form.is_valid()
        try:
            services.consent_withdraw(
                access=access, enrolment=enrolment, withdrawn_on=form.value("withdrawn_on")
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("Samtycket är återkallat. Namn och personnummer är borttagna från deltagandet."),
            )
            return redirect("participants:enrolment_detail", enrolment.uuid)
    else:
        form = WithdrawConsentForm(initial={"withdrawn_on": timezone.localdate()})
    form.mark_invalid()
    return render(
        request,
        "participants/consent_withdraw.html",
        {"enrolment": enrolment, "initiative": enrolment.initiative, "form": form},
    )


@require_http_methods(["GET", "POST"])
def protect_identity(request, enrolment_uuid):
    access = request.access
    enrolment = _registrar_enrolment(access, enrolment_uuid)
    if enrolment.is_anonymous:
        messages.info(request, _("Deltagandet är redan anonymt."))
        return redirect("participants:enrolment_detail", enrolment.uuid)
    others = enrolment.participant.enrolments.exclude(pk=enrolment.pk).count()
    if request.method == "POST":
        form = ProtectIdentityForm(request.POST)
        if form.is_valid():
            try:
                services.participant_protect_identity(access=access, enrolment=enrolment)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    _(
                        "Personen har skyddade personuppgifter: namn och personnummer är "
                        "borttagna från alla personens deltaganden."
                    ),
                )
                return redirect("participants:enrolment_detail", enrolment.uuid)
    else:
        form = ProtectIdentityForm()
    form.mark_invalid()
    return render(
        request,
        "participants/protect_identity.html",
        {
            "enrolment": enrolment,
            "initiative": enrolment.initiative,
            "form": form,
            "other_enrolments": others,
        },
    )
