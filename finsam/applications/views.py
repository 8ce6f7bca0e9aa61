"""The applications' pages: the applicant's list and registration, the application's own page
(for everyone who may open it), co-applicants, comments, and the secretariat's rounds and form
versions. Views parse input and call the services; every queryset comes from `scoping`."""

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from finsam.applications import (
    co_applicants,
    comments,
    formdef,
    registration,
    rounds,
    services,
)
from finsam.applications.formdef.text import tr
from finsam.applications.forms import (
    AcceptLateForm,
    ColleagueForm,
    CommentForm,
    FormVersionForm,
    InviteForm,
    JoinForm,
    PermissionForm,
    RegistrationForm,
    RoundForm,
    StartForm,
    WithdrawForm,
)
from finsam.applications.models import Application, CoApplicant
from finsam.applications.registration import register_applicant
from finsam.applications.scoping import applications_for, rounds_for
from finsam.applications.selectors import grouped_applications, open_rounds
from finsam.applications.workflow import APPLICANT_NAMES, EDITABLE, Status
from finsam.associations.models import Association
from finsam.core.access import require
from finsam.core.policy import Principal


def _is_applicant(access) -> bool:
    return Principal.APPLICANT_ORGANISATION in access.roles


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Registration ---------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def register(request, slug):
    """An applicant registers as a user of a new applicant organisation of the association."""
    association = get_object_or_404(Association, slug=slug)
    if request.user.is_authenticated:
        messages.info(request, _("Du är redan inloggad."))
        return redirect("applications:mine")
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not ratelimit.consume(request, action="signup"):
            return render(
                request,
                "applications/register.html",
                {"form": form, "association": association, "throttled": True},
                status=429,
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                register_applicant(
                    request,
                    association=association,
                    email=data["email"],
                    password=data["password1"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    organisation_name=data["organisation_name"],
                    org_number=data["org_number"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                return redirect("applications:register_done")
    return render(request, "applications/register.html", {"form": form, "association": association})


@login_not_required
def register_done(request):
    return render(request, "applications/register_done.html")


@require("application.own")
@require_http_methods(["GET", "POST"])
def organisation(request):
    """The applicant organisation's users; a user invites a colleague to join it."""
    access = request.access
    form = ColleagueForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            registration.invite_colleague(access, email=form.cleaned_data["email"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Inbjudan är skickad till %(email)s.") % form.cleaned_data)
            return redirect("applications:organisation")
    return render(
        request,
        "applications/organisation.html",
        {
            "organisation": access.organisation,
            "members": access.organisation.members.filter(is_active=True).order_by(
                "first_name", "last_name"
            ),
            "form": form,
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def join(request, token):
    """The link of a colleague's invitation: create an account, or join with the one the
    invitee is logged in with."""
    try:
        organisation_, email = registration.read_colleague_token(token)
    except ValidationError as exc:
        return render(
            request, "applications/join.html", {"problem": " ".join(exc.messages)}, status=404
        )
    form = None
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                registration.join_as_user(token, request.user)
            except ValidationError as exc:
                return render(
                    request, "applications/join.html", {"problem": " ".join(exc.messages)}
                )
            messages.success(
                request, _("Du är nu användare för %(name)s.") % {"name": organisation_.name}
            )
            return redirect("applications:mine")
    elif request.method == "POST":
        form = JoinForm(request.POST)
        if form.is_valid():
            try:
                registration.join_as_new_user(
                    token,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Kontot är skapat. Logga in med din e-postadress."))
                return redirect("account_login")
    else:
        form = JoinForm()
    return render(
        request,
        "applications/join.html",
        {
            "organisation": organisation_,
            "email": email,
            "form": form,
            "login_url": reverse("account_login") + "?next=" + request.path,
        },
    )


# --- The applicant's list ---------------------------------------------------------------------


def mine(request):
    """Applicants: their own and invited applications by what waits for them, and the open
    rounds. Staff who may read applications: the association's (scoped) applications."""
    access = request.access
    if not _is_applicant(access):
        access.require("application.read")
    applications = list(applications_for(access).order_by("-updated_at"))
    context = {"applications": applications, "groups": grouped_applications(applications)}
    if _is_applicant(access):
        context["open_rounds"] = open_rounds(access.association)
        context["start_form"] = StartForm()
        context["organisation"] = access.organisation
    return render(request, "applications/mine.html", context)


@require_POST
def start(request, round_pk):
    access = request.access
    access.require("application.own")
    round_ = get_object_or_404(open_rounds(access.association), pk=round_pk)
    form = StartForm(request.POST)
    if form.is_valid():
        title = form.cleaned_data["title"].strip()
        # A double submit opens the draft the first one made.
        existing = Application.objects.filter(
            round=round_,
            organisation=access.organisation,
            title=title,
            status=Status.DRAFT,
            created_by=access.user,
        ).first()
        if existing is not None:
            return redirect(_application_url(existing))
        try:
            application = services.application_create(access, round=round_, title=title)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Ansökan är skapad som utkast."))
            return redirect(_application_url(application))
    return render(
        request,
        "applications/start.html",
        {"form": form, "round": round_},
    )


# --- The application's page --------------------------------------------------------------------


def _application_url(application) -> str:
    """Where a new draft opens: the form engine's edit page."""
    return reverse("applications:edit", kwargs={"pk": application.pk})


def _get_application(request, pk):
    return get_object_or_404(applications_for(request.access), pk=pk)


def _detail_context(request, application, **extra):
    access = request.access
    may_write = services.may_write(access, application)
    may_manage = access.can("application.manage", association=application.association)
    transitions = services.transitions_for(access, application)
    steps = list(application.steps.all())
    for step in steps:
        step.label = (
            step.get_to_status_display()
            if access.is_staff_user
            else APPLICANT_NAMES.get(step.to_status, "")
        )
    context = {
        "application": application,
        "steps": steps,
        "transitions": transitions,
        "comments": comments.visible_comments(access, application),
        "comment_form": CommentForm(staff=access.is_staff_user),
        "may_add_comment": comments.may_add_comment(access, application),
        "may_write": may_write and application.status in EDITABLE,
        "edit_url": reverse("applications:edit", kwargs={"pk": application.pk}),
        "check_url": reverse("applications:check", kwargs={"pk": application.pk})
        if may_write and application.status in EDITABLE
        else None,
        "may_withdraw": "withdraw" in transitions,
        "may_accept_late": may_manage
        and application.status == Status.DRAFT
        and not application.round.is_open(),
        "is_owner": co_applicants.is_owner(access, application),
        "co_applicants": application.co_applicants.select_related("user")
        if access.is_staff_user or _is_applicant(access)
        else [],
        "is_staff_view": access.is_staff_user,
    }
    context.update(extra)
    return context


def detail(request, pk):
    application = _get_application(request, pk)
    return render(request, "applications/detail.html", _detail_context(request, application))


@require_POST
def comment(request, pk):
    application = _get_application(request, pk)
    access = request.access
    if not comments.may_add_comment(access, application):
        raise PermissionDenied
    form = CommentForm(request.POST, staff=access.is_staff_user)
    if form.is_valid():
        try:
            comments.comment_add(
                access,
                application,
                text=form.cleaned_data["text"],
                staff_only=form.cleaned_data.get("staff_only", False),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Kommentaren är sparad."))
            return redirect(reverse("applications:detail", kwargs={"pk": pk}) + "#comments")
    context = _detail_context(request, application, comment_form=form)
    return render(request, "applications/detail.html", context)


@require_http_methods(["GET", "POST"])
def withdraw(request, pk):
    application = _get_application(request, pk)
    access = request.access
    access.require("application.own")
    if not services.may_write(access, application):
        raise PermissionDenied
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if application.status == Status.WITHDRAWN:  # a double submit
            return redirect("applications:detail", pk=pk)
        try:
            services.transition(
                access, application, "withdraw", comment=form.cleaned_data["comment"].strip()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Ansökan är återtagen."))
            return redirect("applications:detail", pk=pk)
    return render(request, "applications/withdraw.html", {"application": application, "form": form})


@require_http_methods(["GET", "POST"])
def accept_late(request, pk):
    application = _get_application(request, pk)
    access = request.access
    access.require("application.manage", association=application.association)
    form = AcceptLateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if application.status != Status.DRAFT and application.late_reason:  # a double submit
            return redirect("applications:detail", pk=pk)
        try:
            services.accept_late(access, application, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Ansökan är mottagen."))
            return redirect("applications:detail", pk=pk)
    return render(
        request, "applications/accept_late.html", {"application": application, "form": form}
    )


# --- Co-applicants -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def co_applicant_list(request, pk):
    application = _get_application(request, pk)
    access = request.access
    owner = co_applicants.is_owner(access, application)
    if not (owner or access.is_staff_user or _is_applicant(access)):
        raise PermissionDenied
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not owner:
            raise PermissionDenied
        if form.is_valid():
            try:
                co_applicants.invite(access, application, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, _("Inbjudan är skickad till %(email)s.") % form.cleaned_data
                )
                return redirect("applications:co_applicants", pk=pk)
    rows = [
        (co, PermissionForm(initial={"permission": co.permission}, prefix=f"co{co.pk}"))
        for co in application.co_applicants.select_related("user")
    ]
    return render(
        request,
        "applications/co_applicants.html",
        {
            "application": application,
            "form": form,
            "rows": rows,
            "is_owner": owner,
            "now": timezone.now(),
        },
    )


def _get_co_applicant(request, pk, co_pk):
    application = _get_application(request, pk)
    return get_object_or_404(
        CoApplicant.objects.select_related("application"), pk=co_pk, application=application
    )


@require_POST
def co_applicant_change(request, pk, co_pk):
    co = _get_co_applicant(request, pk, co_pk)
    form = PermissionForm(request.POST, prefix=f"co{co.pk}")
    if not co_applicants.is_owner(request.access, co.application):
        raise PermissionDenied
    if form.is_valid():
        co_applicants.change_permission(
            request.access, co, permission=form.cleaned_data["permission"]
        )
        messages.success(request, _("Behörigheten är ändrad."))
    else:
        messages.error(request, _("Välj en behörighet."))
    return redirect("applications:co_applicants", pk=pk)


@require_POST
def co_applicant_remove(request, pk, co_pk):
    co = _get_co_applicant(request, pk, co_pk)
    co_applicants.remove(request.access, co)
    messages.success(request, _("Medsökande är borttagen."))
    return redirect("applications:co_applicants", pk=pk)


@login_not_required
@require_http_methods(["GET", "POST"])
def co_applicant_accept(request, token):
    """The one-time link of a co-applicant invitation. Anonymous: log in or register first."""
    co = (
        CoApplicant.objects.select_related("application__association", "application__organisation")
        .filter(token=token)
        .first()
    )
    if not request.user.is_authenticated:
        problem = co_applicants.invitation_problem(co)
        return render(
            request,
            "applications/co_applicant_accept.html",
            {
                "co": None if problem else co,
                "problem": problem,
                "anonymous": True,
                "next": request.path,
            },
            status=404 if co is None else 200,
        )
    access = request.access
    if co is not None and co.accepted_at and co.user_id == request.user.pk:
        return redirect("applications:detail", pk=co.application_id)
    problem = co_applicants.invitation_problem(co, access)
    if request.method == "POST" and not problem:
        try:
            co = co_applicants.accept(access, token)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            messages.success(request, _("Du är nu medsökande till ansökan."))
            return redirect("applications:detail", pk=co.application_id)
    return render(
        request,
        "applications/co_applicant_accept.html",
        {"co": None if problem else co, "problem": problem},
        status=404 if co is None else 200,
    )


# --- Rounds and form versions (the secretariat) ----------------------------------------------


@require("application.manage")
def round_list(request):
    access = request.access
    rows = (
        rounds_for(access)
        .annotate(
            drafts=Count("applications", filter=Q(applications__status=Status.DRAFT)),
            submitted=Count(
                "applications",
                filter=~Q(applications__status__in=[Status.DRAFT, Status.WITHDRAWN]),
            ),
        )
        .select_related("form_version__form")
    )
    return render(
        request,
        "applications/round_list.html",
        {"rounds": rows, "today": timezone.localdate()},
    )


@require("application.manage")
@require_http_methods(["GET", "POST"])
def round_create(request):
    access = request.access
    form = RoundForm(request.POST if request.method == "POST" else None, access=access)
    if request.method == "POST" and form.is_valid():
        try:
            rounds.round_create(access, data=form.service_data())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Omgången är skapad."))
            return redirect("applications:rounds")
    return render(request, "applications/round_form.html", {"form": form, "round": None})


@require("application.manage")
@require_http_methods(["GET", "POST"])
def round_edit(request, pk):
    access = request.access
    round_ = get_object_or_404(rounds_for(access), pk=pk)
    stored = rounds_for(access).get(pk=pk)
    form = RoundForm(
        request.POST if request.method == "POST" else None, instance=round_, access=access
    )
    if round_.applications.exists():
        form.fields["form_version"].disabled = True
        form.fields["form_version"].help_text = _(
            "Omgången har ansökningar: formuläret kan inte bytas."
        )
    if request.method == "POST" and form.is_valid():
        try:
            rounds.round_update(access, stored, data=form.service_data())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Omgången är sparad."))
            return redirect("applications:rounds")
    return render(request, "applications/round_form.html", {"form": form, "round": stored})


@require("application.manage")
def form_list(request):
    versions = (
        rounds.form_versions_for(request.access)
        .annotate(round_count=Count("rounds", distinct=True))
        .order_by("form__name", "-number")
    )
    return render(request, "applications/form_list.html", {"versions": versions})


@require("application.manage")
def form_version(request, pk):
    version = get_object_or_404(rounds.form_versions_for(request.access), pk=pk)
    return render(
        request,
        "applications/form_version.html",
        {"version": version, "sections": _preview(version.definition)},
    )


def _preview(definition) -> list[dict]:
    """The definition's sections and blocks with their texts in the active language."""
    return [
        {
            "title": formdef.section_title(section),
            "description": tr(section.get("help", "")),
            "blocks": [
                {**block, "label": tr(block.get("label", "")), "help": tr(block.get("help", ""))}
                for block in section.get("blocks", [])
            ],
        }
        for section in formdef.sections(definition)
    ]


@require("application.manage")
@require_http_methods(["GET", "POST"])
def form_version_create(request):
    access = request.access
    form = FormVersionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = rounds.form_version_create(
                access,
                name=form.cleaned_data["name"],
                definition_text=form.cleaned_data["definition"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Formulärversionen är sparad."))
            return redirect("applications:form_version", pk=version.pk)
    return render(request, "applications/form_version_new.html", {"form": form})
