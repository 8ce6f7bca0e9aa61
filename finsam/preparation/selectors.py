"""Reads of preparation: the review form in use, the reviews' summary, who is excluded by a
declared interest, what waits for whom."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext

from finsam.applications.models import Application, Interest, Step
from finsam.applications.selectors import has_interest, organisations_of
from finsam.applications.workflow import Status
from finsam.preparation.criteria import DEFAULT_CRITERIA, DEFAULT_FORM_CODE, DEFAULT_FORM_NAME
from finsam.preparation.models import Recommendation, Review, ReviewForm, Verdict
from finsam.preparation.scoping import applications_for, reviews_for


def review_form_for(association) -> ReviewForm | None:
    """The association's own review form, else the shipped one."""
    own = ReviewForm.objects.filter(association=association).order_by("-created_at").first()
    return own or shipped_review_form()


def shipped_review_form() -> ReviewForm:
    """The review form shipped with finsam (made from `DEFAULT_CRITERIA` when missing: the data
    migration's row is gone after a database flush)."""
    form, _created = ReviewForm.objects.get_or_create(
        association=None,
        code=DEFAULT_FORM_CODE,
        defaults={"name": DEFAULT_FORM_NAME, "criteria": list(DEFAULT_CRITERIA)},
    )
    return form


def criteria_of(form: ReviewForm | None) -> list[dict]:
    return list(form.criteria) if form is not None else list(DEFAULT_CRITERIA)


def exclusions(application) -> list[Interest]:
    """The declared interests that keep someone out of the application's review and decision."""
    return list(
        Interest.objects.current()
        .filter(association=application.association_id)
        .filter(organisation__in=organisations_of(application))
        .select_related("user", "organisation")
        .order_by("user__email")
    )


def own_review(user, application) -> Review | None:
    return Review.objects.filter(application=application, reviewer=user).first()


@dataclass
class CriterionSummary:
    key: str
    label: str
    average: float | None
    n: int


@dataclass
class ReviewSummary:
    submitted: int = 0
    drafts: int = 0
    criteria: list[CriterionSummary] = field(default_factory=list)
    verdicts: list[tuple[str, int]] = field(default_factory=list)
    average: float | None = None


def summarise(reviews, criteria: list[dict]) -> ReviewSummary:
    """Average score per criterion and the count of each recommendation, over the submitted
    reviews among `reviews`."""
    submitted = [r for r in reviews if r.submitted_at is not None]
    summary = ReviewSummary(submitted=len(submitted), drafts=len(reviews) - len(submitted))
    all_scores = []
    for criterion in criteria:
        scores = [
            r.scores[criterion["key"]]
            for r in submitted
            if isinstance(r.scores.get(criterion["key"]), int)
        ]
        all_scores += scores
        summary.criteria.append(
            CriterionSummary(
                key=criterion["key"],
                label=gettext(criterion["label"]),
                average=sum(scores) / len(scores) if scores else None,
                n=len(scores),
            )
        )
    counts = Counter(r.recommendation for r in submitted if r.recommendation)
    summary.verdicts = [(label, counts.get(value, 0)) for value, label in Verdict.choices]
    summary.average = sum(all_scores) / len(all_scores) if all_scores else None
    return summary


def latest_recommendation(application) -> Recommendation | None:
    return application.recommendations.order_by("-recorded_at", "-pk").first()


def proposal_years(application) -> list[str]:
    """The years a recommendation proposes amounts for: those applied for, else the project
    period's."""
    years = sorted(str(y) for y in (application.applied_by_year or {}))
    if not years and application.period_start and application.period_end:
        years = [
            str(y) for y in range(application.period_start.year, application.period_end.year + 1)
        ]
    return years


# --- What waits for whom (the inbox) -------------------------------------------------------


def _last_transition():
    return Subquery(
        Step.objects.filter(application=OuterRef("pk"))
        .order_by("-at", "-pk")
        .values("transition")[:1]
    )


def secretariat_inbox(access) -> dict[str, list[Application]]:
    qs = applications_for(access).annotate(
        n_reviews=Count("reviews", filter=Q(reviews__submitted_at__isnull=False)),
        last_transition=_last_transition(),
    )
    preparation = list(qs.filter(status=Status.PREPARATION).order_by("diary_number"))
    return {
        "submitted": list(qs.filter(status=Status.SUBMITTED).order_by("submitted_at")),
        "formal_check": list(qs.filter(status=Status.FORMAL_CHECK).order_by("diary_number")),
        "preparation": [a for a in preparation if a.last_transition != "supplement"],
        "supplemented": [a for a in preparation if a.last_transition == "supplement"],
        "supplement_requested": list(
            qs.filter(status=Status.SUPPLEMENT_REQUESTED).order_by("diary_number")
        ),
        "recommended": list(qs.filter(status=Status.RECOMMENDED).order_by("diary_number")),
    }


def reviewer_inbox(access) -> dict[str, list]:
    """The applications in preparation the reviewer has not submitted a review of (never one
    they declared an interest in), and their drafts."""
    mine = Review.objects.filter(reviewer=access.user)
    done = mine.filter(submitted_at__isnull=False).values("application")
    waiting = [
        a
        for a in applications_for(access)
        .filter(status=Status.PREPARATION)
        .exclude(pk__in=done)
        .order_by("diary_number")
        if not has_interest(access.user, a)
    ]
    drafts = list(
        reviews_for(access)
        .filter(reviewer=access.user, submitted_at__isnull=True)
        .select_related("application")
    )
    return {"waiting": waiting, "drafts": drafts}
