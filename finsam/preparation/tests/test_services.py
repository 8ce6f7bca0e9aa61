"""The preparation services: reviews (one per reviewer, final once submitted), conflicts of
interest, the recommendation and supplement requests, the interests register."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from finsam.applications.models import Interest, Step
from finsam.applications.tests.factories import ApplicantOrganisationFactory, InterestFactory
from finsam.applications.workflow import Status
from finsam.audit.models import ChangeEvent
from finsam.preparation import services
from finsam.preparation.models import Recommendation, Review, ReviewForm, Verdict
from finsam.preparation.selectors import exclusions, review_form_for, summarise
from finsam.staff.access import build_access

ALL_FOUR = {
    "cooperation": 4,
    "target_group": 4,
    "method": 3,
    "goals": 3,
    "budget": 5,
    "implementation": 2,
}


def _review(world, application, user=None, submit=True, **kwargs):
    kwargs.setdefault("scores", ALL_FOUR)
    kwargs.setdefault("recommendation", Verdict.GRANT)
    return services.review_save(
        access=build_access(user or world.reviewer),
        application=application,
        submit=submit,
        **kwargs,
    )


def test_the_shipped_review_form_has_the_domains_criteria(world):
    form = review_form_for(world.a)
    assert form is not None and form.association is None
    keys = [c["key"] for c in form.criteria]
    assert keys == ["cooperation", "target_group", "method", "goals", "budget", "implementation"]
    assert all((c["min"], c["max"]) == (1, 5) for c in form.criteria)


def test_an_associations_own_review_form_is_used(world):
    own = ReviewForm.objects.create(
        association=world.a, code="egen", name="Eget", criteria=[{"key": "x", "label": "X"}]
    )
    assert review_form_for(world.a) == own
    assert review_form_for(world.b).association is None


def test_a_draft_may_be_incomplete_and_is_edited_until_submitted(world, in_preparation):
    draft = _review(world, in_preparation, submit=False, scores={"method": 2}, recommendation="")
    assert draft.submitted_at is None and draft.scores == {"method": 2}
    again = _review(world, in_preparation, submit=False, scores={"method": 3, "goals": 4})
    assert again.pk == draft.pk and again.scores == {"method": 3, "goals": 4}
    final = _review(world, in_preparation)
    assert final.pk == draft.pk and final.submitted_at is not None
    assert Review.objects.count() == 1
    assert ChangeEvent.objects.filter(action="review.submit").count() == 1


def test_a_submitted_review_is_never_changed_and_a_second_submit_is_refused(world, in_preparation):
    _review(world, in_preparation, comment="Först")
    with pytest.raises(ValidationError, match="redan lämnat in"):
        _review(world, in_preparation, comment="Igen")
    review = Review.objects.get()
    assert review.comment == "Först"


def test_submitting_needs_every_score_in_the_scale_and_a_recommendation(world, in_preparation):
    with pytest.raises(ValidationError) as caught:
        _review(world, in_preparation, scores={"method": 7, "goals": "x"}, recommendation="")
    errors = caught.value.message_dict
    assert "score_method" in errors and "score_goals" in errors
    assert "score_cooperation" in errors and "recommendation" in errors
    assert not Review.objects.exists()  # nothing half-saved


def test_one_review_per_reviewer_and_application_in_the_database(world, in_preparation):
    review = _review(world, in_preparation)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            application=in_preparation, reviewer=world.reviewer, form=review.form, scores={}
        )


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.FORMAL_CHECK, Status.RECOMMENDED])
def test_reviews_only_in_preparation(world, make_application, status):
    application = make_application(status=status)
    with pytest.raises((ValidationError, PermissionDenied)):
        _review(world, application, user=world.secretariat)
    assert not Review.objects.exists()


@pytest.mark.parametrize("who", ["board", "manager", "applicant", "analyst"])
def test_only_the_preparation_group_and_the_secretariat_review(world, in_preparation, who):
    with pytest.raises(PermissionDenied):
        _review(world, in_preparation, user=world.user(who))


def test_a_reviewer_with_a_declared_interest_cannot_review(world, in_preparation):
    InterestFactory(user=world.reviewer, organisation=world.a_organisation)
    with pytest.raises(services.ConflictOfInterest):
        _review(world, in_preparation)
    assert not Review.objects.exists()


def test_a_secretariat_member_with_an_interest_neither_reviews_nor_recommends(
    world, in_preparation
):
    InterestFactory(user=world.secretariat, organisation=world.a_organisation)
    with pytest.raises(services.ConflictOfInterest):
        _review(world, in_preparation, user=world.secretariat)
    with pytest.raises(services.ConflictOfInterest):
        services.recommendation_record(
            access=build_access(world.secretariat),
            application=in_preparation,
            verdict=Verdict.REJECT,
            summary="Nej.",
        )


def test_an_ended_interest_no_longer_excludes(world, in_preparation):
    InterestFactory(
        user=world.reviewer,
        organisation=world.a_organisation,
        valid_from=timezone.localdate() - datetime.timedelta(days=30),
        valid_to=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert _review(world, in_preparation).submitted_at is not None


def test_exclusions_name_who_and_why(world, in_preparation):
    InterestFactory(user=world.reviewer, organisation=world.a_organisation, description="Anställd")
    InterestFactory(
        user=world.board, organisation=ApplicantOrganisationFactory(association=world.a)
    )
    rows = exclusions(in_preparation)
    assert [(i.user, i.description) for i in rows] == [(world.reviewer, "Anställd")]


def test_summary_averages_per_criterion_and_counts_recommendations(world, in_preparation):
    _review(world, in_preparation, user=world.reviewer)
    _review(
        world,
        in_preparation,
        user=world.secretariat,
        scores={**ALL_FOUR, "method": 5},
        recommendation=Verdict.SUPPLEMENT,
    )
    form = review_form_for(world.a)
    summary = summarise(list(Review.objects.all()), form.criteria)
    by_key = {c.key: c for c in summary.criteria}
    assert by_key["method"].average == 4 and by_key["method"].n == 2
    assert dict(summary.verdicts)["Bevilja"] == 1
    assert dict(summary.verdicts)["Begär komplettering"] == 1
    assert dict(summary.verdicts)["Avslå"] == 0


def test_a_grant_recommendation_moves_to_recommended_with_amounts(world, in_preparation):
    _review(world, in_preparation)
    rec = services.recommendation_record(
        access=build_access(world.secretariat),
        application=in_preparation,
        verdict=Verdict.GRANT,
        summary="Beredningsgruppen föreslår bifall.",
        proposed_by_year={"2027": "250000", "2028": 200000},
    )
    in_preparation.refresh_from_db()
    assert in_preparation.status == Status.RECOMMENDED
    assert rec.proposed_by_year == {"2027": 250000, "2028": 200000}
    assert rec.proposed_total == 450000 and rec.reviews_count == 1
    assert Step.objects.filter(application=in_preparation, transition="recommend").exists()


def test_a_grant_without_amounts_or_with_bad_ones_is_refused(world, in_preparation):
    for amounts in ({}, {"2027": "-5"}, {"2027": "12,5"}):
        with pytest.raises(ValidationError):
            services.recommendation_record(
                access=build_access(world.secretariat),
                application=in_preparation,
                verdict=Verdict.GRANT,
                summary="Bifall.",
                proposed_by_year=amounts,
            )
    in_preparation.refresh_from_db()
    assert in_preparation.status == Status.PREPARATION
    assert not Recommendation.objects.exists()


def test_a_supplement_recommendation_requests_a_supplement_with_the_message(world, in_preparation):
    services.recommendation_record(
        access=build_access(world.secretariat),
        application=in_preparation,
        verdict=Verdict.SUPPLEMENT,
        summary="Budgeten behöver förklaras.",
        message_to_applicant="Förklara personalkostnaderna 2028.",
    )
    in_preparation.refresh_from_db()
    assert in_preparation.status == Status.SUPPLEMENT_REQUESTED
    step = Step.objects.get(application=in_preparation, transition="request_supplement")
    assert step.comment == "Förklara personalkostnaderna 2028."


def test_a_supplement_recommendation_needs_a_message(world, in_preparation):
    with pytest.raises(ValidationError) as caught:
        services.recommendation_record(
            access=build_access(world.secretariat),
            application=in_preparation,
            verdict=Verdict.SUPPLEMENT,
            summary="Oklart.",
        )
    assert "message_to_applicant" in caught.value.message_dict


def test_recommendations_keep_their_history(world, in_preparation):
    access = build_access(world.secretariat)
    services.recommendation_record(
        access=access,
        application=in_preparation,
        verdict=Verdict.SUPPLEMENT,
        summary="Oklart.",
        message_to_applicant="Komplettera budgeten.",
    )
    in_preparation.refresh_from_db()
    in_preparation.status = Status.PREPARATION  # the applicant sent the supplement
    in_preparation.save()
    services.recommendation_record(
        access=access, application=in_preparation, verdict=Verdict.REJECT, summary="Avslag."
    )
    assert list(
        Recommendation.objects.filter(application=in_preparation).values_list("verdict", flat=True)
    ) == [Verdict.REJECT, Verdict.SUPPLEMENT]


def test_a_recommendation_only_in_preparation_and_only_by_the_secretariat(world, make_application):
    submitted = make_application(status=Status.SUBMITTED)
    with pytest.raises(ValidationError, match="under beredning"):
        services.recommendation_record(
            access=build_access(world.secretariat),
            application=submitted,
            verdict=Verdict.REJECT,
            summary="Nej.",
        )
    with pytest.raises(PermissionDenied):
        services.recommendation_record(
            access=build_access(world.reviewer),
            application=make_application(),
            verdict=Verdict.REJECT,
            summary="Nej.",
        )


def test_a_supplement_request_needs_a_message(world, in_preparation):
    with pytest.raises(ValidationError):
        services.supplement_request(
            access=build_access(world.secretariat), application=in_preparation, message="  "
        )
    in_preparation.refresh_from_db()
    assert in_preparation.status == Status.PREPARATION


def test_interests_are_declared_and_ended(world):
    access = build_access(world.reviewer)
    interest = services.interest_declare(
        access=access, organisation=world.a_organisation, description="Anställd"
    )
    assert interest.user == world.reviewer and interest.valid_to is None
    assert ChangeEvent.objects.filter(action="interest.declare").exists()
    services.interest_end(access=access, interest=interest)
    interest.refresh_from_db()
    assert interest.valid_to == timezone.localdate()
    assert ChangeEvent.objects.filter(action="interest.end").count() == 1
    services.interest_end(access=access, interest=interest)  # again: nothing changes
    assert ChangeEvent.objects.filter(action="interest.end").count() == 1


def test_only_the_secretariat_declares_for_others_and_ends_others_interests(world):
    with pytest.raises(PermissionDenied):
        services.interest_declare(
            access=build_access(world.reviewer),
            organisation=world.a_organisation,
            user=world.board,
        )
    board_interest = services.interest_declare(
        access=build_access(world.secretariat), organisation=world.a_organisation, user=world.board
    )
    with pytest.raises(PermissionDenied):
        services.interest_end(access=build_access(world.reviewer), interest=board_interest)
    services.interest_end(access=build_access(world.secretariat), interest=board_interest)


def test_an_interest_in_another_associations_organisation_is_refused(world):
    other = ApplicantOrganisationFactory(association=world.b)
    with pytest.raises(PermissionDenied):
        services.interest_declare(access=build_access(world.reviewer), organisation=other)
    assert not Interest.objects.exists()


def test_an_interest_ending_before_it_starts_is_refused(world):
    with pytest.raises(ValidationError):
        services.interest_declare(
            access=build_access(world.reviewer),
            organisation=world.a_organisation,
            valid_from=datetime.date(2026, 5, 1),
            valid_to=datetime.date(2026, 4, 1),
        )
