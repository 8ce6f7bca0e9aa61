"""The answering page (no login: `Access.respondent`) and the staff's distribution pages.

Answering: `/q/<token>/?p=<page>&lang=<language>`, one section per page, the answers kept in the
invitation's draft until "Skicka in svaren". Works without JavaScript; the frame's words come from
`finsam.questionnaires.ui` in the respondent's language, `dir` from the language code.
"""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from finsam.core.access import Access, require
from finsam.questionnaires import scoping, services, ui
from finsam.questionnaires.forms import DistributionForm, EmailForm, GroupForm, ReminderForm
from finsam.questionnaires.models import (
    LANGUAGES,
    SOURCE_LANGUAGE,
    ReviewStatus,
    TranslationStatus,
    site_language,
)
from finsam.reference.models import language_direction

# The HTML `lang` of a questionnaire language (BCP 47 for the screen readers).
HTML_LANG = {"sv-LL": "sv", "prs": "fa-AF"}

STATUS_TITLES = {
    "unknown": (
        404,
        gettext_lazy("Länken finns inte"),
        gettext_lazy("Kontrollera att du har skrivit av länken rätt."),
    ),
    "used": (
        410,
        gettext_lazy("Enkäten är redan besvarad"),
        gettext_lazy("Länken kan bara användas en gång. Tack för dina svar!"),
    ),
    "expired": (
        410,
        gettext_lazy("Länken har gått ut"),
        gettext_lazy("Länken gäller inte längre. Kontakta den som gav dig länken."),
    ),
    "closed": (
        410,
        gettext_lazy("Gruppenkäten är stängd"),
        gettext_lazy("Alla platser i gruppenkäten är använda."),
    ),
}


def _status_page(request, reason):
    status, title, body = STATUS_TITLES[reason]
    return render(
        request,
        "questionnaires/answer_status.html",
        {"title": title, "body": body, "lang": "sv", "dir": "ltr"},
        status=status,
    )


def _language(request, draft_language=None):
    language = request.POST.get("lang") or request.GET.get("lang") or draft_language
    return language if language in LANGUAGES else site_language()


def _present(items, language, answers, numbering):
    """Items with their texts in `language`, the answer given and whether the text is missing."""
    out = []
    for item in items:
        given = answers.get(item.code) or {}
        out.append(
            {
                "item": item,
                "name": f"i-{item.code}",
                "number": numbering[item.code],
                "text": item.text(language),
                "fallback": item.translation_status(language) != TranslationStatus.CURRENT,
                "choice": given.get("choice", ""),
                "value_text": given.get("text", ""),
                "points": [
                    {"code": p.code, "label": p.text(language), "id": f"i-{item.code}-{n}"}
                    for n, p in enumerate(item.points)
                ],
            }
        )
    return out


# --- Answering -----------------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def answer(request, token):
    try:
        invitation = services.find_invitation(token)
    except services.TokenProblem as problem:
        return _status_page(request, problem.reason)
    access = Access.respondent(token, invitation.association)
    access.require("questionnaire.answer")
    version = invitation.version
    all_pages = services.pages(version)
    draft = invitation.draft if hasattr(invitation, "draft") else None
    answers = dict(draft.answers) if draft else {}
    language = _language(request, draft.language if draft else None)
    try:
        number = int(request.POST.get("p") or request.GET.get("p") or 1)
    except ValueError:
        number = 1
    number = min(max(number, 1), len(all_pages))
    page = all_pages[number - 1]
    shown = [i for i in page.items if services.is_shown(i, answers)]
    errors = {}
    if request.method == "POST":
        known = {f"i-{i.code}" for i in page.items}
        posted_keys = {k for k in request.POST if k.startswith("i-")}
        if posted_keys - known:
            return render(
                request,
                "questionnaires/answer_status.html",
                {
                    "title": _("Frågan finns inte i enkäten"),
                    "body": _(
                        "Svaret gällde en fråga som inte finns på den här sidan. Inget sparades."
                    ),
                    "back": f"{request.path}?p={number}&lang={language}",
                    "lang": site_language(),
                    "dir": language_direction(site_language()),
                },
                status=400,
            )
        posted = {i.code: request.POST.get(f"i-{i.code}", "") for i in page.items}
        try:
            errors = services.save_page(access, token, page, posted, language)
        except services.TokenProblem as problem:
            return _status_page(request, problem.reason)
        if not errors:
            action = request.POST.get("action", "next")
            if action == "back":
                return redirect(f"{request.path}?p={max(number - 1, 1)}&lang={language}")
            if action == "submit" and number == len(all_pages):
                try:
                    services.submit(access, token)
                except services.TokenProblem as problem:
                    return _status_page(request, problem.reason)
                except ValidationError as error:
                    errors = {"": error.messages[0]}
                else:
                    return redirect(f"{reverse('questionnaires:thanks')}?lang={language}")
            if not errors:
                return redirect(
                    f"{request.path}?p={min(number + 1, len(all_pages))}&lang={language}"
                )
        answers.update(
            {i.code: {"choice": posted[i.code], "text": posted[i.code]} for i in page.items}
        )
    before = sum(len(p.items) for p in all_pages[: number - 1])
    numbering = {i.code: before + n + 1 for n, i in enumerate(page.items)}
    words = ui.words(language)
    total_items = sum(len(p.items) for p in all_pages)
    presented = _present(shown, language, answers, numbering)
    for entry in presented:
        entry["error"] = errors.get(entry["item"].code, "")
        entry["progress"] = words["question"] % {"n": entry["number"], "total": total_items}
    return render(
        request,
        "questionnaires/answer.html",
        {
            "questionnaire": version.questionnaire,
            "title": version.questionnaire.text(language),
            "section_title": page.section.text(language),
            "items": presented,
            "errors": errors,
            "general_error": errors.get(""),
            "number": number,
            "pages": len(all_pages),
            "last": number == len(all_pages),
            "words": words,
            "page_progress": words["page"] % {"n": number, "total": len(all_pages)},
            "language": language,
            "languages": LANGUAGES,
            "lang": HTML_LANG.get(language, language),
            "dir": language_direction(language),
            "anonymous": version.questionnaire.anonymous,
        },
        status=422 if errors else 200,
    )


@login_not_required
@require_http_methods(["GET"])
def thanks(request):
    language = _language(request)
    return render(
        request,
        "questionnaires/answer_status.html",
        {
            "title": ui.words(language)["thanks"],
            "body": ui.words(language)["thanks_body"],
            "lang": HTML_LANG.get(language, language),
            "dir": language_direction(language),
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def group(request, token):
    try:
        link = services.find_group_link(token)
    except services.TokenProblem as problem:
        return _status_page(request, problem.reason)
    if request.method == "POST":
        access = Access.respondent(token, link.association)
        try:
            personal = services.start_from_group_link(access, token)
        except services.TokenProblem as problem:
            return _status_page(request, problem.reason)
        except services.RateLimited:
            return render(
                request,
                "questionnaires/answer_status.html",
                {
                    "title": _("Många börjar samtidigt"),
                    "body": _("Vänta en minut och försök igen."),
                    "back": request.path,
                    "lang": site_language(),
                    "dir": language_direction(site_language()),
                },
                status=429,
            )
        return redirect("questionnaires:answer", token=personal)
    return render(
        request,
        "questionnaires/group_start.html",
        {
            "title": link.version.questionnaire.text(),
            "lang": site_language(),
            "dir": language_direction(site_language()),
        },
    )


# --- Staff ---------------------------------------------------------------------------------------


def _qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=4, omitsize=True)


def _absolute(request, token, name="questionnaires:answer"):
    return request.build_absolute_uri(reverse(name, kwargs={"token": token}))


@require("questionnaire.manage")
def index(request):
    versions = scoping.visible_versions(request.access).order_by(
        "questionnaire__association", "questionnaire__code", "-number"
    )
    return render(
        request,
        "questionnaires/index.html",
        {
            "versions": versions,
            "paper_count": scoping.paper_responses(request.access)
            .filter(review_status=ReviewStatus.ENTERED)
            .count(),
        },
    )


@require("questionnaire.manage")
def version_detail(request, pk):
    """A version's questions with their codes, origin, verification and the translation status
    per language."""
    version = scoping.get_version(request.access, pk)
    languages = [code for code in LANGUAGES if code != SOURCE_LANGUAGE]
    rows = []
    for page in services.pages(version):
        for item in page.items:
            statuses = [(code, item.translation_status(code)) for code in languages]
            rows.append({"page": page, "item": item, "statuses": statuses})
    missing = {
        code: sum(1 for r in rows if dict(r["statuses"])[code] != TranslationStatus.CURRENT)
        for code in languages
    }
    return render(
        request,
        "questionnaires/version.html",
        {
            "version": version,
            "rows": rows,
            "languages": [(code, LANGUAGES[code], missing[code]) for code in languages],
            "status_labels": dict(TranslationStatus.choices),
        },
    )


def _distribution(request, pk, form_class, template, act):
    version = scoping.get_version(request.access, pk)
    form = form_class(request.POST or None, access=request.access)
    if request.method == "POST" and form.is_valid():
        try:
            result = act(version, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return result
    return render(
        request, template, {"form": form, "version": version}, status=422 if form.errors else 200
    )


@require("questionnaire.manage")
@require_http_methods(["GET", "POST"])
def links(request, pk):
    def act(version, data):
        tokens = services.create_invitations(
            request.access,
            version=version,
            initiative=data["initiative"],
            period=data["period"],
            count=data["count"],
            valid_days=data["valid_days"],
        )
        sheet = [
            {"url": _absolute(request, t), "svg": mark_safe(_qr_svg(_absolute(request, t)))}  # noqa: S308 segno's own SVG
            for t in tokens
        ]
        return render(
            request,
            "questionnaires/sheet.html",
            {"version": version, "sheet": sheet, "period": data["period"]},
        )

    return _distribution(request, pk, DistributionForm, "questionnaires/links.html", act)


@require("questionnaire.manage")
@require_http_methods(["GET", "POST"])
def group_link(request, pk):
    def act(version, data):
        token = services.create_group_link(
            request.access,
            version=version,
            initiative=data["initiative"],
            period=data["period"],
            max_uses=data["max_uses"],
            per_minute=data["per_minute"],
        )
        url = _absolute(request, token, "questionnaires:group")
        return render(
            request,
            "questionnaires/group_sheet.html",
            {"version": version, "url": url, "svg": mark_safe(_qr_svg(url))},  # noqa: S308
        )

    return _distribution(request, pk, GroupForm, "questionnaires/group_link.html", act)


@require("questionnaire.manage")
@require_http_methods(["GET", "POST"])
def email(request, pk):
    def act(version, data):
        count = services.send_email_invitations(
            request.access,
            version=version,
            initiative=data["initiative"],
            period=data["period"],
            emails=data["emails"],
            url_for=lambda t: _absolute(request, t),
        )
        messages.success(request, _("%(n)s inbjudningar skickade.") % {"n": count})
        return redirect("questionnaires:index")

    return _distribution(request, pk, EmailForm, "questionnaires/email.html", act)


@require("questionnaire.manage")
@require_POST
def remind(request, pk):
    version = scoping.get_version(request.access, pk)
    form = ReminderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Ange mätperioden som till exempel 2026-H2."))
        return redirect("questionnaires:index")
    count = services.send_reminders(
        request.access,
        version=version,
        period=form.cleaned_data["period"],
        url_for=lambda t: _absolute(request, t),
    )
    messages.success(request, _("%(n)s påminnelser skickade.") % {"n": count})
    return redirect("questionnaires:index")


@require("questionnaire.enter_paper")
@require_http_methods(["GET", "POST"])
def paper(request, pk):
    version = scoping.get_version(request.access, pk)
    form = DistributionForm(request.POST or None, access=request.access, paper=True)
    all_pages = services.pages(version)
    items = [i for p in all_pages for i in p.items]
    numbering = {i.code: n + 1 for n, i in enumerate(items)}
    posted = {i.code: request.POST.get(f"i-{i.code}", "") for i in items}
    answers = {code: {"choice": v, "text": v} for code, v in posted.items()}
    errors = {}
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                response, errors = services.enter_paper(
                    request.access,
                    version=version,
                    initiative=form.cleaned_data["initiative"],
                    period=form.cleaned_data["period"],
                    posted=posted,
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not errors:
                messages.success(request, _("Pappersenkäten är inmatad och väntar på granskning."))
                return redirect("questionnaires:paper", pk=version.pk)
    # The staff's page in the site's language (the paper's own language is the respondent's).
    presented = _present(
        items, site_language(), answers if request.method == "POST" else {}, numbering
    )
    words = ui.words(site_language())
    for entry in presented:
        entry["error"] = errors.get(entry["item"].code, "")
        entry["progress"] = f"{entry['item'].code} · " + words["question"] % {
            "n": entry["number"],
            "total": len(items),
        }
    return render(
        request,
        "questionnaires/paper.html",
        {
            "version": version,
            "form": form,
            "items": presented,
            "item_errors": errors,
            "words": words,
        },
        status=422 if (form.errors or errors) else 200,
    )


@require("questionnaire.enter_paper")
def paper_list(request):
    responses = (
        scoping.paper_responses(request.access)
        .filter(review_status=ReviewStatus.ENTERED)
        .select_related("version__questionnaire", "initiative")
        .prefetch_related("answers")[:100]
    )
    return render(request, "questionnaires/paper_list.html", {"responses": responses})


@require("questionnaire.enter_paper")
@require_POST
def paper_review(request, pk):
    response = scoping.get_paper_response(request.access, pk)
    try:
        services.review_paper(request.access, response)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Svaret är granskat."))
    return redirect("questionnaires:paper_list")
