"""Co-applicants: invited by the owner organisation, accepted once through the link, with the
permission the owner gives (view / comment / edit)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from finsam.applications import co_applicants, services
from finsam.applications.models import CoApplicant, CoApplicantPermission
from finsam.applications.tests.factories import (
    ApplicationFactory,
    CoApplicantFactory,
    RoundFactory,
)
from finsam.audit.models import ChangeEvent
from finsam.staff.access import build_access


@pytest.fixture
def application(world):
    return ApplicationFactory(
        round=RoundFactory(association=world.a), organisation=world.a_organisation
    )


def invite_url(application):
    return reverse("applications:co_applicants", kwargs={"pk": application.pk})


def accept_url(co):
    return reverse("applications:co_applicant_accept", kwargs={"token": co.token})


def invite(client, application, **changes):
    data = {
        "email": "medsokande@example.se",
        "organisation_name": "Arbetsförmedlingen A-stad",
        "permission": "comment",
    }
    data.update(changes)
    return client.post(invite_url(application), data)


def test_the_owner_invites_and_the_invitee_accepts_once(
    world, application, client, client_for, django_capture_on_commit_callbacks
):
    client_for(world.applicant_org)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, application)
    assert response.status_code == 302
    co = CoApplicant.objects.get(application=application)
    assert co.permission == CoApplicantPermission.COMMENT
    assert co.accepted_at is None
    assert ChangeEvent.objects.filter(action="co_applicant.invite").exists()
    assert len(mail.outbox) == 1
    assert accept_url(co) in mail.outbox[0].body

    # The invitee sees nothing before accepting.
    client_for(world.co_applicant)
    detail = reverse("applications:detail", kwargs={"pk": application.pk})
    assert client.get(detail).status_code == 404
    page = client.get(accept_url(co))
    assert "Ta emot inbjudan" in page.content.decode()
    response = client.post(accept_url(co))
    assert response["Location"] == detail
    co.refresh_from_db()
    assert co.user == world.co_applicant and co.accepted_at is not None
    assert client.get(detail).status_code == 200
    assert application.title in client.get(reverse("applications:mine")).content.decode()
    assert ChangeEvent.objects.filter(action="co_applicant.accept").exists()

    # The link is used up: nobody else accepts with it.
    other = world.a_organisation.members.create(email="annan@example.se")
    client_for(other)
    response = client.post(accept_url(co))
    assert "redan använd" in response.content.decode()


def test_an_anonymous_visitor_is_asked_to_log_in_or_register(world, application, client):
    co = CoApplicantFactory(application=application, email=world.co_applicant.email)
    content = client.get(accept_url(co)).content.decode()
    assert "Logga in" in content
    assert reverse("applications:register", kwargs={"slug": world.a.slug}) in content
    assert client.post(accept_url(co)).status_code == 200
    co.refresh_from_db()
    assert co.accepted_at is None


def test_an_expired_invitation_is_refused(world, application, client, client_for):
    co = CoApplicantFactory(
        application=application,
        email=world.co_applicant.email,
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    client_for(world.co_applicant)
    response = client.post(accept_url(co))
    assert "har gått ut" in response.content.decode()
    co.refresh_from_db()
    assert co.accepted_at is None


def test_an_unknown_token_answers_404(world, client, client_for):
    client_for(world.co_applicant)
    response = client.get(reverse("applications:co_applicant_accept", kwargs={"token": "nej"}))
    assert response.status_code == 404
    assert "ogiltig" in response.content.decode()


def test_the_invitation_is_for_its_own_address(world, application, client, client_for):
    co = CoApplicantFactory(application=application, email="nagon-annan@example.se")
    client_for(world.co_applicant)
    response = client.post(accept_url(co))
    assert "annan e-postadress" in response.content.decode()
    co.refresh_from_db()
    assert co.accepted_at is None


def test_staff_cannot_accept_an_invitation(world, application, client, client_for):
    co = CoApplicantFactory(application=application, email=world.secretariat.email)
    client_for(world.secretariat)
    assert "sökande organisation" in client.post(accept_url(co)).content.decode()
    co.refresh_from_db()
    assert co.accepted_at is None


@pytest.mark.parametrize(
    ("permission", "may_comment", "may_write"),
    [("view", False, False), ("comment", True, False), ("edit", True, True)],
)
def test_the_permission_levels(world, application, permission, may_comment, may_write):
    CoApplicantFactory(
        application=application,
        email=world.co_applicant.email,
        user=world.co_applicant,
        accepted_at=timezone.now(),
        permission=permission,
    )
    access = build_access(world.co_applicant)
    assert services.may_comment(access, application) is may_comment
    assert services.may_write(access, application) is may_write
    assert ("withdraw" in services.transitions_for(access, application)) is may_write


def test_a_viewer_cannot_comment_and_a_co_applicant_cannot_manage(
    world, application, client, client_for
):
    co = CoApplicantFactory(
        application=application,
        email=world.co_applicant.email,
        user=world.co_applicant,
        accepted_at=timezone.now(),
        permission="view",
    )
    client_for(world.co_applicant)
    url = reverse("applications:comment", kwargs={"pk": application.pk})
    assert client.post(url, {"text": "Hej"}).status_code == 403
    assert invite(client, application, email="ny@example.se").status_code == 403
    change = reverse(
        "applications:co_applicant_change", kwargs={"pk": application.pk, "co_pk": co.pk}
    )
    assert client.post(change, {f"co{co.pk}-permission": "edit"}).status_code == 403
    remove = reverse(
        "applications:co_applicant_remove", kwargs={"pk": application.pk, "co_pk": co.pk}
    )
    assert client.post(remove).status_code == 403
    co.refresh_from_db()
    assert co.permission == "view"


def test_the_owner_changes_the_permission_and_removes(world, application, client, client_for):
    co = CoApplicantFactory(
        application=application,
        email=world.co_applicant.email,
        user=world.co_applicant,
        accepted_at=timezone.now(),
    )
    client_for(world.applicant_org)
    change = reverse(
        "applications:co_applicant_change", kwargs={"pk": application.pk, "co_pk": co.pk}
    )
    client.post(change, {f"co{co.pk}-permission": "edit"})
    co.refresh_from_db()
    assert co.permission == "edit"
    assert ChangeEvent.objects.filter(action="co_applicant.change").exists()
    client.post(change, {f"co{co.pk}-permission": "owner"})  # not a permission
    co.refresh_from_db()
    assert co.permission == "edit"
    remove = reverse(
        "applications:co_applicant_remove", kwargs={"pk": application.pk, "co_pk": co.pk}
    )
    client.post(remove)
    assert not CoApplicant.objects.filter(pk=co.pk).exists()
    assert ChangeEvent.objects.filter(action="co_applicant.remove").exists()
    client_for(world.co_applicant)
    assert (
        client.get(reverse("applications:detail", kwargs={"pk": application.pk})).status_code == 404
    )


def test_bad_invitations_get_swedish_messages_and_no_duplicates(
    world, application, client, client_for, django_capture_on_commit_callbacks
):
    client_for(world.applicant_org)
    response = invite(client, application, email="inte-en-adress", organisation_name="")
    content = response.content.decode()
    assert "giltig e-postadress" in content
    assert "vilken organisation" in content
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, application)
        response = invite(client, application, email="MEDSOKANDE@example.se")
    assert "redan inbjuden" in response.content.decode()
    assert CoApplicant.objects.filter(application=application).count() == 1
    assert len(mail.outbox) == 1


def test_another_organisations_user_cannot_invite(world, application):
    access = build_access(world.co_applicant)
    with pytest.raises(Exception):  # noqa: B017 (PermissionDenied or 404 alike)
        co_applicants.invite(
            access, application, email="x@example.se", organisation_name="X", permission="view"
        )
