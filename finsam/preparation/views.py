"""The preparation pages: the inbox of what waits, the staff case page of an application (its
answers, history, reviews and the steps of the formal check and preparation), the review form,
the recommendation, the register of declared interests and a round's export.

Views parse and render; the services decide (and refuse). An application outside the caller's
scope answers 404; one the caller declared an interest in answers 403 with the reason.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from finsam.accounts.models import ApplicantOrganisation
from finsam.applications import services as application_services
from finsam.applications.models import Application
from finsam.applications.selectors import has_interest
from finsam.applications.workflow import IN_PREPARATION_OR_LATER, Status
from finsam.core.access import require
from finsam.core.roles import Role
from finsam.preparation import selectors, services
from finsam.preparation.exports import round_csv, round_xlsx
from finsam.preparation.forms import (
    InterestForm,
    RecommendationForm,
    ReviewEntryForm,
    SupplementRequestForm,
)
from finsam.preparation.models import Verdict
from finsam.preparation.scoping import applications_for, interests_for, reviews_for, rounds_for

# The steps the case page takes with a plain button (the others have their own forms).
BUTTON_STEPS = ("start_formal_check", "start_preparation")
STEP_LABELS = {
    "start_formal_check": gettext_lazy("Påbörja formell kontroll"),
    "start_preparation": gettext_lazy("Formell kontroll klar: till beredning"),
}


def _conflict(request, application=None):
    return render(
        request,
        "preparation/conflict.html",
        {"application": application},
        status=403,
    )


def _application(request, pk) -> Application:
    """The application through the caller's scope; `ConflictOfInterest` for a reviewer who
    declared an interest in it (the scope leaves it out), else 404."""
    access = request.access
    try:
        return applications_for(access).get(pk=pk)
    except Application.DoesNotExist:
        pass
    hidden = Application.objects.filter(pk=pk, association=access.association).first()
    if (
        hidden is not None
        and access.has(Role.REVIEWER)
        and hidden.status in IN_PREPARATION_OR_LATER
        and has_interest(access.user, hidden)
    ):
        raise services.ConflictOfInterest
    raise Http404


def _may_prepare(access, application) -> bool:
    return access.can("application.review", association=application.association)


@require_GET
@require("application.review")
def inbox(request):
    access = request.access
    context = {}
    if access.can("application.manage", association=access.association):
        context["secretariat"] = selectors.secretariat_inbox(access)
        context["rounds"] = rounds_for(access)
    if access.has(Role.REVIEWER):
        context["reviewer"] = selectors.reviewer_inbox(access)
    return render(request, "preparation/inbox.html", context)


def _case_context(request, application, **extra):
    access = request.access
    form = selectors.review_form_for(application.association)
    criteria = selectors.criteria_of(form)
    reviews = list(reviews_for(access).filter(application=application).order_by("submitted_at"))
    visible = [r for r in reviews if r.submitted_at is not None]
    own = next((r for r in reviews if r.reviewer_id == access.user.pk), None)
    interested = has_interest(access.user, application)
    manage = access.can("application.manage", association=application.association)
    steps = [
        name
        for name in application_services.transitions_for(access, application)
        if name in BUTTON_STEPS
    ]
    context = {
        "application": application,
        "steps": application.steps.select_related("by"),
        "button_steps": [(name, STEP_LABELS[name]) for name in steps],
        "may_manage": manage,
        "may_request_supplement": manage
        and "request_supplement" in application_services.transitions_for(access, application),
        "may_recommend": manage and application.status == Status.PREPARATION and not interested,
        "may_review": application.status == Status.PREPARATION
        and not interested
        and (own is None or own.submitted_at is None),
        "interested": interested,
        "reviews": visible,
        "own_review": own,
        "summary": selectors.summarise(visible, criteria),
        "criteria": criteria,
        "exclusions": selectors.exclusions(application)
        if manage or access.has(Role.REVIEWER)
        else [],
        "recommendations": list(application.recommendations.select_related("recorded_by")),
        "supplement_form": SupplementRequestForm(),
    }
    context.update(extra)
    return context


@require_GET
@require("application.review")
def case(request, pk):
    try:
        application = _application(request, pk)
    except services.ConflictOfInterest:
        return _conflict(request)
    return render(request, "preparation/case.html", _case_context(request, application))


@require_POST
@require("application.manage")
def step(request, pk):
    """Take one of the case page's plain steps (formal check started, passed)."""
    application = get_object_or_404(applications_for(request.access), pk=pk)
    name = request.POST.get("name", "")
    if name not in BUTTON_STEPS:
        messages.error(request, _("Okänt steg."))
        return redirect("preparation:case", pk=application.pk)
    try:
        application_services.transition(
            request.access, application, name, comment=request.POST.get("comment", "").strip()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Ansökan har nu status %(status)s.")
            % {"status": Application.objects.get(pk=application.pk).get_status_display()},
        )
    return redirect("preparation:case", pk=application.pk)


@require_POST
@require("application.manage")
def supplement(request, pk):
    """Ask the applicant for a supplement, with the message they will see."""
    application = get_object_or_404(applications_for(request.access), pk=pk)
    form = SupplementRequestForm(request.POST)
    if form.is_valid():
        try:
            services.supplement_request(
                access=request.access,
                application=application,
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.apply_errors(exc)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect("preparation:case", pk=application.pk)
        else:
            messages.success(request, _("Kompletteringen är begärd och den sökande meddelad."))
            return redirect("preparation:case", pk=application.pk)
    context = _case_context(request, application, supplement_form=form)
    return render(request, "preparation/case.html", context, status=400)


@require("application.review")
def review(request, pk):
    try:
        application = _application(request, pk)
    except services.ConflictOfInterest:
        return _conflict(request)
    access = request.access
    if has_interest(access.user, application):
        return _conflict(request, application)
    own = selectors.own_review(access.user, application)
    form_def = own.form if own else selectors.review_form_for(application.association)
    criteria = selectors.criteria_of(form_def)
    if own is not None and own.submitted_at is not None:
        messages.info(request, _("Du har redan lämnat in din bedömning av ansökan."))
        return redirect("preparation:case", pk=application.pk)
    if application.status != Status.PREPARATION:
        messages.error(request, _("Bedömningar kan bara skrivas medan ansökan är under beredning."))
        return redirect("preparation:case", pk=application.pk)
    if request.method == "POST":
        form = ReviewEntryForm(request.POST, criteria=criteria)
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                services.review_save(
                    access=access,
                    application=application,
                    scores=form.scores(),
                    recommendation=form.cleaned_data["recommendation"],
                    comment=form.cleaned_data["comment"],
                    visibility=form.cleaned_data["visibility"],
                    submit=submit,
                )
            except services.ConflictOfInterest:
                return _conflict(request, application)
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    messages.error(request, " ".join(exc.messages))
                    return redirect("preparation:case", pk=application.pk)
                form.apply_errors(exc)
            else:
                messages.success(
                    request,
                    _("Din bedömning är inlämnad.") if submit else _("Utkastet är sparat."),
                )
                return redirect("preparation:case", pk=application.pk)
        status = 400
    else:
        form = ReviewEntryForm(
            initial=ReviewEntryForm.initial_for(own) if own else None, criteria=criteria
        )
        status = 200
    return render(
        request,
        "preparation/review.html",
        {"application": application, "form": form, "own": own},
        status=status,
    )


@require("application.manage")
def recommend(request, pk):
    application = get_object_or_404(applications_for(request.access), pk=pk)
    access = request.access
    if has_interest(access.user, application):
        return _conflict(request, application)
    if application.status != Status.PREPARATION:
        messages.error(
            request, _("En rekommendation kan bara lämnas när ansökan är under beredning.")
        )
        return redirect("preparation:case", pk=application.pk)
    years = selectors.proposal_years(application)
    if not years:
        this_year = timezone.localdate().year
        years = [str(this_year + 1), str(this_year + 2)]
    if request.method == "POST":
        form = RecommendationForm(request.POST, years=years)
        if form.is_valid():
            try:
                services.recommendation_record(
                    access=access,
                    application=application,
                    verdict=form.cleaned_data["verdict"],
                    summary=form.cleaned_data["summary"],
                    proposed_by_year=form.amounts(),
                    message_to_applicant=form.cleaned_data["message_to_applicant"],
                )
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    messages.error(request, " ".join(exc.messages))
                    return redirect("preparation:case", pk=application.pk)
                form.apply_errors(exc)
            else:
                messages.success(request, _("Rekommendationen är registrerad."))
                return redirect("preparation:case", pk=application.pk)
        status = 400
    else:
        initial = {f"year_{y}": (application.applied_by_year or {}).get(y, "") for y in years}
        form = RecommendationForm(initial=initial, years=years)
        status = 200
    criteria = selectors.criteria_of(selectors.review_form_for(application.association))
    reviews = list(reviews_for(access).filter(application=application, submitted_at__isnull=False))
    return render(
        request,
        "preparation/recommend.html",
        {
            "application": application,
            "form": form,
            "reviews": reviews,
            "summary": selectors.summarise(reviews, criteria),
            "verdict_grant": Verdict.GRANT,
        },
        status=status,
    )


# --- The register of declared interests ----------------------------------------------------


def _interest_form(request, data=None):
    access = request.access
    organisations = ApplicantOrganisation.objects.filter(association=access.association).order_by(
        "name"
    )
    users = None
    if access.can("interest.manage", association=access.association):
        users = (
            get_user_model()
            .objects.filter(role_assignments__association=access.association, is_active=True)
            .distinct()
            .order_by("email")
        )
    return InterestForm(
        data,
        organisations=organisations,
        users=users,
        initial={"valid_from": timezone.localdate()},
    )


@require("interest.declare")
def interests(request):
    access = request.access
    if request.method == "POST":
        form = _interest_form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.interest_declare(
                    access=access,
                    organisation=data["organisation"],
                    description=data["description"],
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                    user=data.get("user") or None,
                )
            except ValidationError as exc:
                form.apply_errors(exc)
            else:
                messages.success(request, _("Jävsanmälan är registrerad."))
                return redirect("preparation:interests")
        status = 400
    else:
        form = _interest_form(request)
        status = 200
    today = timezone.localdate()
    rows = list(interests_for(access).order_by("user__email", "organisation__name", "valid_from"))
    return render(
        request,
        "preparation/interests.html",
        {
            "form": form,
            "current": [i for i in rows if i.valid_to is None or i.valid_to >= today],
            "ended": [i for i in rows if i.valid_to is not None and i.valid_to < today],
            "manage": access.can("interest.manage", association=access.association),
            "today": today,
        },
        status=status,
    )


@require_POST
@require("interest.declare")
def interest_end(request, pk):
    interest = get_object_or_404(interests_for(request.access), pk=pk)
    services.interest_end(access=request.access, interest=interest)
    messages.success(request, _("Jävsanmälan är avslutad: den gäller till och med i dag."))
    return redirect("preparation:interests")


# --- A round's export ----------------------------------------------------------------------


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@require("application.manage")
def export_csv(request, pk):
    round_ = get_object_or_404(rounds_for(request.access), pk=pk)
    return _download(
        round_csv(round_), "text/csv; charset=utf-8", f"ansokningar-omgang-{round_.pk}.csv"
    )


@require_GET
@require("application.manage")
def export_xlsx(request, pk):
    round_ = get_object_or_404(rounds_for(request.access), pk=pk)
    return _download(
        round_xlsx(round_),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"ansokningar-omgang-{round_.pk}.xlsx",
    )
