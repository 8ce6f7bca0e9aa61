"""The writes of preparation: reviews, the recommendation, supplement requests and the register
of declared interests.

Every service takes the caller's `access` first, checks the policy, runs in one transaction and
records a change event. Every step of the application's workflow is taken through
`finsam.applications.services.transition`, which refuses a step not allowed from the status.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.accounts.models import ApplicantOrganisation
from finsam.applications import services as application_services
from finsam.applications.models import Application, Interest
from finsam.applications.selectors import has_interest
from finsam.applications.workflow import Status
from finsam.audit.services import record_change, snapshot
from finsam.preparation.models import Recommendation, Review, Verdict, Visibility
from finsam.preparation.scoping import applications_for, interests_for
from finsam.preparation.selectors import criteria_of, review_form_for


class ConflictOfInterest(PermissionDenied):
    """The caller declared an interest in the application's organisation (jäv)."""

    def __init__(self):
        super().__init__(
            _(
                "Du har anmält jäv för den sökande organisationen och kan inte bereda eller "
                "bedöma ansökan."
            )
        )


def _locked(access, application: Application) -> Application:
    try:
        return applications_for(access).select_for_update(of=("self",)).get(pk=application.pk)
    except Application.DoesNotExist:
        # Outside the scope: for the preparation group, an interest in the owner organisation.
        if has_interest(access.user, application):
            raise ConflictOfInterest from None
        raise PermissionDenied from None


def _require_no_interest(access, application: Application) -> None:
    if has_interest(access.user, application):
        raise ConflictOfInterest


def clean_scores(criteria: list[dict], scores: dict, *, complete: bool) -> dict:
    """The scores of the form's criteria as whole numbers within each criterion's scale; with
    `complete`, every criterion scored. Unknown keys are dropped."""
    cleaned, errors = {}, {}
    for criterion in criteria:
        key = criterion["key"]
        low, high = int(criterion.get("min", 1)), int(criterion.get("max", 5))
        value = scores.get(key)
        if value in (None, ""):
            if complete:
                errors[f"score_{key}"] = _("Sätt poäng för %(label)s.") % {
                    "label": criterion["label"]
                }
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or not low <= number <= high or str(number) != str(value).strip():
            errors[f"score_{key}"] = _("Ange poäng från %(low)s till %(high)s.") % {
                "low": low,
                "high": high,
            }
            continue
        cleaned[key] = number
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def review_save(
    access,
    *,
    application: Application,
    scores: dict,
    recommendation: str = "",
    comment: str = "",
    visibility: str = Visibility.REVIEWERS,
    submit: bool = False,
) -> Review:
    """Save the caller's review of an application in preparation (one per reviewer); with
    `submit`, complete and final. A submitted review is never changed again."""
    access.require("application.review", association=application.association)
    application = _locked(access, application)
    _require_no_interest(access, application)
    if application.status != Status.PREPARATION:
        raise ValidationError(_("Bedömningar kan bara skrivas medan ansökan är under beredning."))
    review = (
        Review.objects.select_for_update().filter(application=application, reviewer=access.user)
    ).first()
    if review is not None and review.submitted_at is not None:
        raise ValidationError(_("Du har redan lämnat in din bedömning av ansökan."))
    form = review.form if review is not None else review_form_for(application.association)
    errors = {}
    try:
        cleaned = clean_scores(criteria_of(form), scores or {}, complete=submit)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        cleaned = {}
    if recommendation and recommendation not in Verdict.values:
        errors["recommendation"] = [_("Välj en rekommendation i listan.")]
    elif submit and not recommendation:
        errors["recommendation"] = [_("Välj din rekommendation.")]
    if visibility not in Visibility.values:
        errors["visibility"] = [_("Välj vem som får läsa bedömningen.")]
    if errors:
        raise ValidationError(errors)
    before = snapshot(review, ["recommendation", "visibility"]) if review else {}
    if review is None:
        review = Review(application=application, reviewer=access.user, form=form)
    review.scores = cleaned
    review.recommendation = recommendation
    review.comment = (comment or "").strip()
    review.visibility = visibility
    if submit:
        review.submitted_at = timezone.now()
    review.full_clean(exclude=["application", "reviewer", "form"])
    review.save()
    record_change(
        access=access,
        obj=review,
        action="review.submit" if submit else "review.save",
        changes={
            name: [before.get(name), getattr(review, name)]
            for name in ("recommendation", "visibility")
            if before.get(name) != getattr(review, name)
        },
        label=str(application),
    )
    return review


def _clean_amounts(years: list[str], amounts: dict) -> dict[str, int]:
    cleaned, errors = {}, {}
    for year in years:
        value = amounts.get(year)
        if value in (None, ""):
            continue
        try:
            number = Decimal(str(value).replace(" ", "").replace("\u00a0", ""))
        except ArithmeticError:
            number = None
        if number is None or number < 0 or number != number.to_integral_value():
            errors[f"year_{year}"] = _("Ange beloppet i hela kronor, t.ex. 450000.")
            continue
        cleaned[year] = int(number)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def recommendation_record(
    access,
    *,
    application: Application,
    verdict: str,
    summary: str,
    proposed_by_year: dict | None = None,
    message_to_applicant: str = "",
) -> Recommendation:
    """Record the preparation group's recommendation and take the step it leads to: a grant or
    a rejection goes to "recommended"; "supplement" requests a supplement from the applicant
    with the message (shown to them in the application's history)."""
    access.require("application.manage", association=application.association)
    application = _locked(access, application)
    _require_no_interest(access, application)
    if application.status != Status.PREPARATION:
        raise ValidationError(
            _("En rekommendation kan bara lämnas när ansökan är under beredning.")
        )
    errors = {}
    summary = (summary or "").strip()
    message = (message_to_applicant or "").strip()
    if verdict not in Verdict.values:
        errors["verdict"] = [_("Välj en rekommendation.")]
    if not summary:
        errors["summary"] = [_("Sammanfatta beredningsgruppens bedömning.")]
    amounts: dict[str, int] = {}
    if verdict == Verdict.GRANT:
        from finsam.preparation.selectors import proposal_years

        years = proposal_years(application) or sorted(str(y) for y in (proposed_by_year or {}))
        try:
            amounts = _clean_amounts(years, proposed_by_year or {})
        except ValidationError as exc:
            errors.update(exc.message_dict)
        else:
            if not any(amounts.values()):
                errors["__all__"] = [_("Ange föreslaget belopp för minst ett år.")]
    if verdict == Verdict.SUPPLEMENT and not message:
        errors["message_to_applicant"] = [_("Skriv vad den sökande behöver komplettera med.")]
    if errors:
        raise ValidationError(errors)
    n_reviews = application.reviews.filter(submitted_at__isnull=False).count()
    recommendation = Recommendation.objects.create(
        application=application,
        verdict=verdict,
        summary=summary,
        proposed_by_year=amounts if verdict == Verdict.GRANT else {},
        proposed_total=sum(amounts.values()) if verdict == Verdict.GRANT else None,
        message_to_applicant=message if verdict == Verdict.SUPPLEMENT else "",
        reviews_count=n_reviews,
        recorded_by=access.user,
    )
    record_change(
        access=access,
        obj=recommendation,
        action="recommendation.record",
        changes={
            "verdict": [None, verdict],
            "proposed_total": [None, recommendation.proposed_total],
        },
        label=str(application),
    )
    if verdict == Verdict.SUPPLEMENT:
        application_services.transition(access, application, "request_supplement", comment=message)
    else:
        # No comment on the step: the applicant reads the history, and the recommendation is
        # the board's to act on, not yet theirs to know.
        application_services.transition(access, application, "recommend")
    return recommendation


@transaction.atomic
def supplement_request(access, *, application: Application, message: str) -> Application:
    """Ask the applicant for a supplement; the message is stored on the step and shown to the
    applicant."""
    access.require("application.manage", association=application.association)
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Skriv vad den sökande behöver komplettera med.")})
    return application_services.transition(
        access, application, "request_supplement", comment=message
    )


# --- The register of declared interests ----------------------------------------------------


@transaction.atomic
def interest_declare(
    access,
    *,
    organisation: ApplicantOrganisation,
    description: str = "",
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    user=None,
) -> Interest:
    """Declare an interest in an applicant organisation: one's own, or (the secretariat)
    anyone's of the association."""
    access.require("interest.declare", association=access.association)
    user = user or access.user
    if user != access.user:
        access.require("interest.manage", association=access.association)
    if organisation.association_id != access.association_id:
        raise PermissionDenied
    valid_from = valid_from or timezone.localdate()
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": _("Slutdatum kan inte vara före startdatum.")})
    interest = Interest(
        association=access.association,
        user=user,
        organisation=organisation,
        description=(description or "").strip(),
        valid_from=valid_from,
        valid_to=valid_to,
    )
    interest.full_clean()
    interest.save()
    record_change(
        access=access,
        obj=interest,
        action="interest.declare",
        changes={"organisation": [None, organisation.name]},
        label=organisation.name,
    )
    return interest


@transaction.atomic
def interest_end(access, *, interest: Interest, on: datetime.date | None = None) -> Interest:
    """End a declared interest (it holds through `on`, today by default): one's own, or any of
    the association's for the secretariat. Ending an ended one changes nothing."""
    access.require("interest.declare", association=access.association)
    try:
        interest = interests_for(access).select_for_update(of=("self",)).get(pk=interest.pk)
    except Interest.DoesNotExist:
        raise PermissionDenied from None
    on = max(on or timezone.localdate(), interest.valid_from)
    if interest.valid_to is not None and interest.valid_to <= on:
        return interest
    before = interest.valid_to
    interest.valid_to = on
    interest.save(update_fields=["valid_to", "updated_at"])
    record_change(
        access=access,
        obj=interest,
        action="interest.end",
        changes={"valid_to": [str(before) if before else None, str(on)]},
        label=interest.organisation.name,
    )
    return interest
