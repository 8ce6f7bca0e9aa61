"""The preparation pages for every kind of user: the secretariat, the preparation group, the
board, an applicant organisation's user and another association's secretariat."""

import pytest
from django.urls import reverse

from finsam.applications.models import Interest, Step
from finsam.applications.tests.factories import InterestFactory
from finsam.applications.workflow import Status
from finsam.preparation.models import Recommendation, Review, Verdict
from finsam.preparation.tests.test_services import ALL_FOUR

CASE_NAMES = ("case", "review", "recommend")


def url(name, obj=None):
    return reverse(f"preparation:{name}", kwargs={"pk": obj.pk} if obj is not None else None)


def _scores(**overrides):
    data = {f"score_{k}": str(v) for k, v in ALL_FOUR.items()}
    data.update(overrides)
    return data


# --- Who opens what ----------------------------------------------------------------------


def test_the_secretariat_sees_the_case_with_answers_and_history(world, client_for, in_preparation):
    Step.objects.create(
        application=in_preparation,
        transition="start_preparation",
        from_status=Status.FORMAL_CHECK,
        to_status=Status.PREPARATION,
        by=world.secretariat,
        comment="Formellt komplett.",
    )
    page = client_for(world.secretariat).get(url("case", in_preparation))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Bakgrund" in body and "Fler i arbete." in body  # a label and an answer
    assert '<dd class="mb-3" id="answer-background">' in body  # the form engine's rendering
    assert "Formellt komplett." in body
    assert url("recommend", in_preparation) in body
    assert url("supplement", in_preparation) in body


def test_the_reviewer_sees_a_case_in_preparation_but_not_one_before_it(
    world, client_for, in_preparation, make_application
):
    client = client_for(world.reviewer)
    page = client.get(url("case", in_preparation))
    assert page.status_code == 200
    body = page.content.decode()
    assert url("review", in_preparation) in body
    assert url("recommend", in_preparation) not in body  # the secretariat's
    assert url("supplement", in_preparation) not in body
    submitted = make_application(status=Status.SUBMITTED, diary_number="2026/002")
    assert client.get(url("case", submitted)).status_code == 404


@pytest.mark.parametrize("who", ["board", "manager", "analyst", "operator", "applicant"])
def test_other_staff_roles_are_refused(world, client_for, in_preparation, who):
    client = client_for(world.user(who))
    for name in CASE_NAMES:
        assert client.get(url(name, in_preparation)).status_code == 403
    assert client.get(url("inbox")).status_code == 403
    assert client.get(url("export_csv", in_preparation.round)).status_code == 403


def test_an_applicant_organisation_never_reaches_preparation(world, client_for, in_preparation):
    client = client_for(world.applicant_org)
    for name in CASE_NAMES:
        assert client.get(url(name, in_preparation)).status_code == 403
    assert client.get(url("inbox")).status_code == 403
    assert client.get(url("interests")).status_code == 403


def test_another_association_finds_nothing(world, client_for, in_preparation):
    client = client_for(world.b_secretariat)
    for name in CASE_NAMES:
        assert client.get(url(name, in_preparation)).status_code == 404
    assert (
        client.post(url("step", in_preparation), {"name": "start_preparation"}).status_code == 404
    )
    assert client.get(url("export_xlsx", in_preparation.round)).status_code == 404


# --- Conflicts of interest ----------------------------------------------------------------


def test_a_reviewer_with_an_interest_is_kept_out_with_a_message(world, client_for, in_preparation):
    InterestFactory(user=world.reviewer, organisation=world.a_organisation, description="Chef")
    client = client_for(world.reviewer)
    for name in ("case", "review"):
        page = client.get(url(name, in_preparation))
        assert page.status_code == 403
        assert "anmält jäv" in page.content.decode()
    posted = client.post(url("review", in_preparation), {**_scores(), "submit": "1"})
    assert posted.status_code == 403
    assert not Review.objects.exists()
    inbox = client.get(url("inbox")).content.decode()
    assert in_preparation.title not in inbox


def test_the_case_page_lists_who_is_excluded_and_why(world, client_for, in_preparation):
    InterestFactory(
        user=world.reviewer, organisation=world.a_organisation, description="Styrelseledamot"
    )
    body = client_for(world.secretariat).get(url("case", in_preparation)).content.decode()
    assert world.reviewer.get_full_name() in body and "Styrelseledamot" in body


# --- The steps ----------------------------------------------------------------------------


def test_formal_check_started_and_passed_and_a_double_click_is_harmless(
    world, client_for, make_application
):
    application = make_application(status=Status.SUBMITTED)
    client = client_for(world.secretariat)
    page = client.get(url("case", application)).content.decode()
    assert 'value="start_formal_check"' in page
    client.post(url("step", application), {"name": "start_formal_check"})
    again = client.post(url("step", application), {"name": "start_formal_check"}, follow=True)
    assert again.status_code == 200
    assert "Det går inte att göra det när ansökan har status Formell kontroll." in (
        again.content.decode()
    )
    client.post(url("step", application), {"name": "start_preparation", "comment": "Komplett"})
    application.refresh_from_db()
    assert application.status == Status.PREPARATION
    assert list(
        Step.objects.filter(application=application).values_list("transition", flat=True)
    ) == [
        "start_formal_check",
        "start_preparation",
    ]


def test_an_unknown_or_illegal_step_is_refused_with_a_message(world, client_for, make_application):
    application = make_application(status=Status.SUBMITTED)
    client = client_for(world.secretariat)
    page = client.post(url("step", application), {"name": "grant"}, follow=True)
    assert "Okänt steg." in page.content.decode()
    page = client.post(url("step", application), {"name": "start_preparation"}, follow=True)
    assert "status Inlämnad" in page.content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_the_reviewer_takes_no_step(world, client_for, make_application):
    application = make_application(status=Status.SUBMITTED)
    response = client_for(world.reviewer).post(
        url("step", application), {"name": "start_formal_check"}
    )
    assert response.status_code == 403


def test_a_supplement_request_is_shown_to_the_applicant(world, client_for, in_preparation):
    client = client_for(world.secretariat)
    empty = client.post(url("supplement", in_preparation), {"message": " "})
    assert empty.status_code == 400
    assert "Skriv vad den sökande behöver komplettera med." in empty.content.decode()
    client.post(url("supplement", in_preparation), {"message": "Bifoga en tidplan."})
    in_preparation.refresh_from_db()
    assert in_preparation.status == Status.SUPPLEMENT_REQUESTED
    detail = client_for(world.applicant_org).get(
        reverse("applications:detail", kwargs={"pk": in_preparation.pk})
    )
    assert "Bifoga en tidplan." in detail.content.decode()
    twice = client_for(world.secretariat).post(
        url("supplement", in_preparation), {"message": "Igen."}, follow=True
    )
    assert twice.status_code == 200
    assert Step.objects.filter(transition="request_supplement").count() == 1


# --- Reviews ------------------------------------------------------------------------------


def test_a_reviewer_saves_a_draft_then_submits_and_a_double_submit_is_harmless(
    world, client_for, in_preparation
):
    client = client_for(world.reviewer)
    form = client.get(url("review", in_preparation))
    assert form.status_code == 200
    assert "Samverkan mellan minst två parter" in form.content.decode()
    client.post(
        url("review", in_preparation),
        {"score_method": "3", "visibility": "reviewers", "save": "1"},
    )
    draft = Review.objects.get()
    assert draft.submitted_at is None and draft.scores == {"method": 3}
    inbox = client.get(url("inbox")).content.decode()
    assert "Dina utkast" in inbox and url("review", in_preparation) in inbox
    data = {
        **_scores(),
        "recommendation": "grant",
        "comment": "Tydlig målgrupp.",
        "visibility": "reviewers",
        "submit": "1",
    }
    assert client.post(url("review", in_preparation), data).status_code == 302
    second = client.post(url("review", in_preparation), data, follow=True)
    assert second.status_code == 200
    assert "redan lämnat in" in second.content.decode()
    review = Review.objects.get()
    assert review.submitted_at is not None and review.comment == "Tydlig målgrupp."
    case = client.get(url("case", in_preparation)).content.decode()
    assert "Tydlig målgrupp." in case
    assert in_preparation.title not in client.get(url("inbox")).content.decode()


def test_an_incomplete_submit_shows_the_errors_and_saves_nothing(world, client_for, in_preparation):
    response = client_for(world.reviewer).post(
        url("review", in_preparation),
        {"score_method": "3", "visibility": "reviewers", "submit": "1"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Sätt poäng för Samverkan mellan minst två parter." in body
    assert "Välj din rekommendation." in body
    assert 'href="#id_score_cooperation_0"' in body  # the error summary links to the radios
    assert not Review.objects.exists()


def test_staff_only_reviews_are_hidden_from_the_preparation_group(
    world, client_for, in_preparation
):
    from finsam.preparation import services
    from finsam.staff.access import build_access

    services.review_save(
        access=build_access(world.secretariat),
        application=in_preparation,
        scores=ALL_FOUR,
        recommendation=Verdict.REJECT,
        comment="Internt: organisationen har skulder.",
        visibility="staff",
        submit=True,
    )
    reviewer_page = client_for(world.reviewer).get(url("case", in_preparation)).content.decode()
    assert "Internt: organisationen har skulder." not in reviewer_page
    staff_page = client_for(world.secretariat).get(url("case", in_preparation)).content.decode()
    assert "Internt: organisationen har skulder." in staff_page


def test_the_case_page_shows_averages_and_the_distribution(world, client_for, in_preparation):
    from finsam.preparation import services
    from finsam.staff.access import build_access

    for user, verdict in ((world.reviewer, Verdict.GRANT), (world.secretariat, Verdict.GRANT)):
        services.review_save(
            access=build_access(user),
            application=in_preparation,
            scores={**ALL_FOUR, "budget": 4 if user == world.reviewer else 3},
            recommendation=verdict,
            submit=True,
        )
    page = client_for(world.secretariat).get(url("case", in_preparation))
    body = page.content.decode()
    assert "Budget och rimlighet" in body
    assert "3,5" in body  # the budget's average (Swedish decimal comma)
    assert page.context["summary"].verdicts[0] == ("Bevilja", 2)


# --- The recommendation -------------------------------------------------------------------


def test_the_secretariat_records_a_grant_recommendation(world, client_for, in_preparation):
    client = client_for(world.secretariat)
    form = client.get(url("recommend", in_preparation))
    assert form.status_code == 200
    assert 'name="year_2027"' in form.content.decode()
    response = client.post(
        url("recommend", in_preparation),
        {
            "verdict": "grant",
            "summary": "Enig grupp.",
            "year_2027": "300000",
            "year_2028": "150000",
        },
    )
    assert response.status_code == 302
    in_preparation.refresh_from_db()
    assert in_preparation.status == Status.RECOMMENDED
    rec = Recommendation.objects.get()
    assert rec.proposed_total == 450000
    again = client.post(
        url("recommend", in_preparation), {"verdict": "grant", "summary": "x"}, follow=True
    )
    assert again.status_code == 200 and Recommendation.objects.count() == 1


def test_a_bad_recommendation_shows_errors(world, client_for, in_preparation):
    response = client_for(world.secretariat).post(
        url("recommend", in_preparation),
        {"verdict": "supplement", "summary": "", "year_2027": "abc"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Sammanfatta beredningsgruppens bedömning." in body
    assert "Ange beloppet i hela kronor, t.ex. 450000." in body
    in_preparation.refresh_from_db()
    assert in_preparation.status == Status.PREPARATION


def test_a_supplement_recommendation_from_the_page(world, client_for, in_preparation):
    client_for(world.secretariat).post(
        url("recommend", in_preparation),
        {
            "verdict": "supplement",
            "summary": "Oklar budget.",
            "message_to_applicant": "Specificera lönekostnaderna.",
        },
    )
    in_preparation.refresh_from_db()
    assert in_preparation.status == Status.SUPPLEMENT_REQUESTED
    assert Step.objects.get(transition="request_supplement").comment == (
        "Specificera lönekostnaderna."
    )


# --- The inbox ----------------------------------------------------------------------------


def test_the_secretariats_inbox_groups_what_waits(world, client_for, make_application):
    submitted = make_application(status=Status.SUBMITTED, title="Inlämnad ansökan")
    checking = make_application(status=Status.FORMAL_CHECK, title="Kontrolleras")
    preparing = make_application(status=Status.PREPARATION, title="Bereds")
    returned = make_application(status=Status.PREPARATION, title="Kompletterad")
    Step.objects.create(
        application=returned,
        transition="supplement",
        from_status=Status.SUPPLEMENT_REQUESTED,
        to_status=Status.PREPARATION,
    )
    recommended = make_application(status=Status.RECOMMENDED, title="Rekommenderad")
    page = client_for(world.secretariat).get(url("inbox"))
    inbox = page.context["secretariat"]
    assert inbox["submitted"] == [submitted]
    assert inbox["formal_check"] == [checking]
    assert inbox["preparation"] == [preparing]
    assert inbox["supplemented"] == [returned]
    assert inbox["recommended"] == [recommended]
    assert url("export_xlsx", submitted.round) in page.content.decode()


# --- The interests register ---------------------------------------------------------------


def test_a_reviewer_declares_and_ends_their_own_interest(world, client_for):
    client = client_for(world.reviewer)
    page = client.get(url("interests"))
    assert page.status_code == 200 and 'name="user"' not in page.content.decode()
    response = client.post(
        url("interests"),
        {
            "organisation": world.a_organisation.pk,
            "description": "Anställd",
            "valid_from": "2026-01-01",
        },
    )
    assert response.status_code == 302
    interest = Interest.objects.get()
    assert interest.user == world.reviewer
    client.post(reverse("preparation:interest_end", kwargs={"pk": interest.pk}))
    interest.refresh_from_db()
    assert interest.valid_to is not None


def test_the_register_is_the_secretariats_and_each_others_own(world, client_for):
    mine = InterestFactory(user=world.reviewer, organisation=world.a_organisation)
    theirs = InterestFactory(user=world.board, organisation=world.partner_organisation)
    reviewer = client_for(world.reviewer)
    page = reviewer.get(url("interests")).content.decode()
    assert world.board.get_full_name() not in page
    assert (
        reviewer.post(reverse("preparation:interest_end", kwargs={"pk": theirs.pk})).status_code
        == 404
    )
    secretariat = client_for(world.secretariat).get(url("interests")).content.decode()
    assert world.board.get_full_name() in secretariat
    assert world.reviewer.get_full_name() in secretariat
    assert 'name="user"' in secretariat
    assert mine.pk


def test_a_bad_interest_shows_errors_and_saves_nothing(world, client_for):
    response = client_for(world.reviewer).post(
        url("interests"),
        {"organisation": "", "valid_from": "igår", "valid_to": ""},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Välj organisationen." in body and "Ange ett datum" in body
    other = client_for(world.reviewer).post(
        url("interests"),
        {
            "organisation": world.a_organisation.pk,
            "valid_from": "2026-05-01",
            "valid_to": "2026-04-01",
        },
    )
    assert "Slutdatum kan inte vara före startdatum." in other.content.decode()
    assert not Interest.objects.exists()


def test_the_board_declares_interests_but_has_no_inbox(world, client_for):
    client = client_for(world.board)
    assert client.get(url("interests")).status_code == 200
    assert client.get(url("inbox")).status_code == 403


# --- Every action refused to those it is not for --------------------------------------------


@pytest.mark.parametrize("who", ["board", "applicant_org", "co_applicant", "b_secretariat"])
def test_no_action_for_the_board_applicants_or_another_association(
    world, client_for, make_application, who
):
    application = make_application(status=Status.SUBMITTED)
    prepared = make_application(diary_number="2026/002")
    interest = InterestFactory(user=world.reviewer, organisation=world.partner_organisation)
    client = client_for(world.user(who))
    posts = [
        (url("step", application), {"name": "start_formal_check"}),
        (url("supplement", prepared), {"message": "Komplettera."}),
        (url("review", prepared), {**_scores(), "recommendation": "grant", "submit": "1"}),
        (url("recommend", prepared), {"verdict": "reject", "summary": "Nej."}),
        (reverse("preparation:interest_end", kwargs={"pk": interest.pk}), {}),
    ]
    for address, data in posts:
        assert client.post(address, data).status_code in (403, 404), address
    application.refresh_from_db()
    prepared.refresh_from_db()
    interest.refresh_from_db()
    assert application.status == Status.SUBMITTED and prepared.status == Status.PREPARATION
    assert interest.valid_to is None
    assert not Review.objects.exists() and not Recommendation.objects.exists()


def test_the_recommendation_is_not_shown_to_the_applicant(world, client_for, in_preparation):
    client_for(world.secretariat).post(
        url("recommend", in_preparation),
        {"verdict": "reject", "summary": "Svag samverkan.", "year_2027": "", "year_2028": ""},
    )
    in_preparation.refresh_from_db()
    assert in_preparation.status == Status.RECOMMENDED
    page = client_for(world.applicant_org).get(
        reverse("applications:detail", kwargs={"pk": in_preparation.pk})
    )
    body = page.content.decode()
    assert "Avslå" not in body and "Svag samverkan." not in body
