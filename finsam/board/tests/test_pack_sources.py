"""The meeting pack's recommendation and reviews come from the preparation."""

from django.utils import timezone

from finsam.applications.tests.factories import ApplicationFactory, RoundFactory
from finsam.applications.workflow import Status
from finsam.board import pack_sources
from finsam.preparation.models import Recommendation, Review, Verdict, Visibility
from finsam.preparation.selectors import review_form_for


def test_the_pack_shows_the_latest_recommendation_and_the_shared_submitted_reviews(world):
    application = ApplicationFactory(
        round=RoundFactory(association=world.a),
        organisation=world.a_organisation,
        status=Status.PROPOSED,
    )
    assert pack_sources.recommendation_for(application) is None
    form = review_form_for(world.a)
    now = timezone.now()
    Review.objects.create(
        application=application,
        reviewer=world.reviewer,
        form=form,
        scores={"a": 4, "b": 5},
        recommendation=Verdict.GRANT,
        comment="Tydlig målgrupp.",
        submitted_at=now,
    )
    Review.objects.create(  # for the secretariat only: not in the pack
        application=application,
        reviewer=world.secretariat,
        form=form,
        recommendation=Verdict.REJECT,
        comment="Internt.",
        visibility=Visibility.STAFF,
        submitted_at=now,
    )
    Review.objects.create(  # a draft: not in the pack
        application=application, reviewer=world.board, form=form, comment="Utkast."
    )
    Recommendation.objects.create(
        application=application, verdict=Verdict.REJECT, summary="Först avslag."
    )
    Recommendation.objects.create(
        application=application,
        verdict=Verdict.GRANT,
        summary="Väl förankrat.",
        proposed_total=900000,
        recorded_by=world.secretariat,
    )
    recommendation = pack_sources.recommendation_for(application)
    assert recommendation.outcome == "Bevilja"
    assert recommendation.text.startswith("Väl förankrat.")
    assert "900" in recommendation.text
    reviews = pack_sources.reviews_for(application)
    assert [(r.score, r.recommendation, r.comment) for r in reviews] == [
        ("4,5", "Bevilja", "Tydlig målgrupp.")
    ]
