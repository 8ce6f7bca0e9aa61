"""The board's pages: what waits, a meeting with its agenda, decisions one by one or as a batch,
the approval of the minutes, the agreement; and the documents (meeting pack, minutes, decision
letter, agreement) as downloads. Rules live in `services.py`; objects come through `scoping.py`
(404 outside it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.applications.scoping import applications_for
from finsam.applications.selectors import interested_users
from finsam.board import documents, selectors, services
from finsam.board.forms import AgreementForm, BatchRow, DecisionForm, MeetingForm, MinutesForm
from finsam.board.models import AgendaItem, Decision, Outcome
from finsam.board.scoping import decisions_for, meetings_for
from finsam.core.access import require


def _meeting(request, pk):
    return get_object_or_404(meetings_for(request.access).select_related("association"), pk=pk)


def _item(request, pk):
    return get_object_or_404(
        AgendaItem.objects.select_related("meeting", "application__organisation").filter(
            meeting__in=meetings_for(request.access)
        ),
        pk=pk,
    )


@login_required
@require("board.read")
def home(request):
    access = request.access
    context = {"upcoming": selectors.upcoming_meetings(access)}
    if access.can("board.manage"):
        context.update(
            awaiting=selectors.meetings_awaiting_minutes(access),
            without_agreement=[
                (a, selectors.decision_of(access, a))
                for a in selectors.granted_without_agreement(access)
            ],
            recent=meetings_for(access).order_by("-date")[:10],
        )
    return render(request, "board/home.html", context)


@login_required
@require("board.manage")
def meeting_create(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                meeting = services.meeting_create(request.access, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            return redirect("board:meeting", pk=meeting.pk)
    return render(request, "board/meeting_form.html", {"form": form})


def _meeting_context(request, meeting, **extra):
    access = request.access
    items = list(meeting.items.select_related("application__organisation"))
    decisions = {
        d.item_id: d
        for d in Decision.objects.filter(item__meeting=meeting).prefetch_related(
            "amounts", "excluded"
        )
    }
    rows = [
        {
            "item": i,
            "decision": decisions.get(i.pk),
            "applied": sum(selectors.applied_by_year(i.application).values()),
            "excluded": interested_users(i.application),
        }
        for i in items
    ]
    manage = access.can("board.manage", association=meeting.association)
    context = {
        "meeting": meeting,
        "rows": rows,
        "manage": manage,
        "undecided": any(r["decision"] is None for r in rows),
        "recommended": selectors.recommended_applications(access) if manage else [],
        "minutes_form": extra.pop("minutes_form", None)
        or MinutesForm(initial={"approved_on": meeting.date}),
    }
    context.update(extra)
    return context


@login_required
@require("board.read")
def meeting(request, pk):
    meeting = _meeting(request, pk)
    return render(request, "board/meeting.html", _meeting_context(request, meeting))


def _refuse_to(request, exc, target):
    for message in exc.messages:
        messages.error(request, message)
    return redirect(*target)


@login_required
@require_POST
@require("board.manage")
def agenda_add(request, pk):
    meeting = _meeting(request, pk)
    application = get_object_or_404(
        applications_for(request.access), pk=request.POST.get("application") or 0
    )
    try:
        with transaction.atomic():
            item = services.agenda_add(request.access, meeting, application)
    except ValidationError as exc:
        return _refuse_to(request, exc, ("board:meeting", meeting.pk))
    messages.success(
        request,
        _("%(title)s lades till som %(paragraph)s.")
        % {"title": application.title, "paragraph": item.paragraph_label},
    )
    return redirect("board:meeting", pk=meeting.pk)


@login_required
@require_POST
@require("board.manage")
def agenda_remove(request, pk):
    item = _item(request, pk)
    try:
        with transaction.atomic():
            services.agenda_remove(request.access, item)
    except ValidationError as exc:
        return _refuse_to(request, exc, ("board:meeting", item.meeting_id))
    messages.success(request, _("Ärendet togs bort från dagordningen."))
    return redirect("board:meeting", pk=item.meeting_id)


def _municipalities(meeting):
    return meeting.association.municipalities.order_by("name")


@login_required
@require("board.manage")
def decide(request, pk):
    item = _item(request, pk)
    if Decision.objects.filter(item=item).exists():
        messages.info(request, _("Ärendet är redan beslutat."))
        return redirect("board:meeting", pk=item.meeting_id)
    form = DecisionForm(
        request.POST or None,
        application=item.application,
        municipalities=_municipalities(item.meeting),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.decide(request.access, item, **form.decision_fields())
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(
                request, _("Beslutet i %(p)s registrerades.") % {"p": item.paragraph_label}
            )
            return redirect("board:meeting", pk=item.meeting_id)
    return render(
        request,
        "board/decide.html",
        {"item": item, "form": form, "excluded": interested_users(item.application)},
    )


@login_required
@require("board.manage")
def decide_batch(request, pk):
    meeting = _meeting(request, pk)
    items = [
        i
        for i in meeting.items.select_related("application__organisation")
        if not Decision.objects.filter(item=i).exists()
    ]
    forms = [BatchRow(request.POST or None, item=i) for i in items]
    errors = []
    if request.method == "POST" and all(f.is_valid() for f in forms):
        try:
            with transaction.atomic():
                decided = services.decide_batch(request.access, meeting, [f.row() for f in forms])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for f in forms:
                    for message in exc.message_dict.get(f.item.pk, []):
                        f.add_error(None, message)
                        errors.append(message)
            else:
                errors.extend(exc.messages)
        else:
            messages.success(
                request, _("%(count)s beslut registrerades.") % {"count": len(decided)}
            )
            return redirect("board:meeting", pk=meeting.pk)
    elif request.method == "POST":
        errors = [e for f in forms for e in f.non_field_errors()] + [
            f"{f.item.paragraph_label}: {f[name].label}: {e}"
            for f in forms
            for name, es in f.errors.items()
            if name != "__all__"
            for e in es
        ]
    return render(
        request, "board/decide_batch.html", {"meeting": meeting, "forms": forms, "errors": errors}
    )


@login_required
@require_POST
@require("board.manage")
def approve_minutes(request, pk):
    meeting = _meeting(request, pk)
    if meeting.minutes_approved:  # a second click: the first one did it
        messages.info(request, _("Protokollet för mötet är redan justerat."))
        return redirect("board:meeting", pk=meeting.pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.approve_minutes(request.access, meeting, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Protokollet är justerat och besluten gäller."))
            return redirect("board:meeting", pk=meeting.pk)
    return render(
        request,
        "board/meeting.html",
        _meeting_context(request, meeting, minutes_form=form),
        status=422,
    )


@login_required
@require_POST
@require("board.manage")
def invite(request, pk):
    meeting = _meeting(request, pk)
    try:
        with transaction.atomic():
            count = services.send_invitation(request.access, meeting)
    except ValidationError as exc:
        return _refuse_to(request, exc, ("board:meeting", meeting.pk))
    messages.success(request, _("Kallelsen skickades till %(count)s ledamöter.") % {"count": count})
    return redirect("board:meeting", pk=meeting.pk)


def _download(document, extension, filename):
    if extension not in documents.FORMATS:
        raise Http404
    response = HttpResponse(
        documents.file(document, extension), content_type=documents.content_type(extension)
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response


@login_required
@require("board.read")
def pack(request, pk, extension):
    meeting = _meeting(request, pk)
    return _download(
        documents.meeting_pack(meeting), extension, f"moteshandlingar-{meeting.date:%Y-%m-%d}"
    )


@login_required
@require("board.read")
def minutes(request, pk, extension):
    meeting = _meeting(request, pk)
    return _download(documents.minutes(meeting), extension, f"protokoll-{meeting.date:%Y-%m-%d}")


def _decision(request, pk):
    return get_object_or_404(
        decisions_for(request.access).select_related("item__meeting__association"), pk=pk
    )


def _slug(decision) -> str:
    return (decision.application.diary_number or str(decision.application.pk)).replace("/", "-")


@login_required
def decision_letter(request, pk):
    decision = _decision(request, pk)
    if decision.took_effect_at is None:
        raise Http404
    return _download(documents.decision_letter(decision), "pdf", f"beslut-{_slug(decision)}")


@login_required
def agreement(request, pk, extension):
    decision = _decision(request, pk)
    if decision.outcome != Outcome.GRANTED or decision.took_effect_at is None:
        raise Http404
    return _download(documents.agreement(decision), extension, f"avtal-{_slug(decision)}")


@login_required
@require("board.read")
def decision(request, pk):
    decision = _decision(request, pk)
    return render(
        request,
        "board/decision.html",
        {
            "decision": decision,
            "manage": request.access.can(
                "board.manage", association=decision.item.meeting.association
            ),
            "agreement_form": AgreementForm(initial={"signed_on": None}),
        },
    )


@login_required
@require_POST
@require("board.manage")
def sign_agreement(request, pk):
    decision = _decision(request, pk)
    form = AgreementForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.sign_agreement(request.access, decision, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            messages.success(request, _("Avtalet är registrerat som tecknat."))
            return redirect("board:decision", pk=decision.pk)
    return render(
        request,
        "board/decision.html",
        {"decision": decision, "manage": True, "agreement_form": form},
        status=422,
    )


@login_required
@require_POST
@require("board.manage")
def start(request, pk):
    decision = _decision(request, pk)
    try:
        with transaction.atomic():
            services.start(request.access, decision)
    except ValidationError as exc:
        return _refuse_to(request, exc, ("board:decision", decision.pk))
    messages.success(request, _("Insatsen har startat."))
    return redirect("board:decision", pk=decision.pk)


__all__ = ["PermissionDenied"]
