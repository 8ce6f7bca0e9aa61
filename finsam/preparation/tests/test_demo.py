from finsam.applications.tests.factories import InterestFactory
from finsam.applications.workflow import Status
from finsam.conftest import make_user
from finsam.core.roles import Role
from finsam.demo.preparation import demo_preparation
from finsam.preparation.models import Review, Verdict


def test_the_demo_prepares_a_submitted_application(world, make_application):
    application = make_application(status=Status.SUBMITTED)
    second = make_user(world.a, Role.REVIEWER, email="beredning2@example.se")
    excluded = make_user(world.a, Role.REVIEWER, email="beredning3@example.se")
    InterestFactory(user=excluded, organisation=world.a_organisation)
    rec = demo_preparation(
        application,
        [world.reviewer, second, excluded],
        world.secretariat,
        proposed_by_year={"2027": 300000, "2028": 100000},
    )
    application.refresh_from_db()
    assert application.status == Status.RECOMMENDED
    assert rec.verdict == Verdict.GRANT and rec.proposed_total == 400000
    assert set(Review.objects.values_list("reviewer", flat=True)) == {world.reviewer.pk, second.pk}
    assert all(r.submitted_at for r in Review.objects.all())
    assert list(application.steps.values_list("transition", flat=True)) == [
        "start_formal_check",
        "start_preparation",
        "recommend",
    ]


def test_the_demo_may_ask_for_a_supplement(world, make_application):
    application = make_application(status=Status.SUBMITTED)
    demo_preparation(application, [world.reviewer], world.secretariat, recommendation="supplement")
    application.refresh_from_db()
    assert application.status == Status.SUPPLEMENT_REQUESTED
