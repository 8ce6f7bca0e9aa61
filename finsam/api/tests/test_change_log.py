"""Changes made through the API go through the same services, policy and change log as the
pages', recorded with the channel "api"."""

from finsam.audit.models import ChangeEvent


def test_a_change_through_the_api_is_logged_as_such(world, api_for):
    purpose = world.a_initiative.purpose
    response = api_for(world.manager).patch(
        f"/api/v1/initiatives/{world.a_initiative.pk}/", {"purpose": "Nytt syfte"}, format="json"
    )
    assert response.status_code == 200
    event = ChangeEvent.objects.get(action="initiative.update")
    assert (event.actor, event.actor_role, event.channel) == (
        world.manager,
        "initiative_manager",
        "api",
    )
    assert event.changes == {"purpose": [purpose, "Nytt syfte"]}


def test_the_api_refuses_what_the_policy_refuses(world, api_for):
    """The board sees every initiative of its association but changes none."""
    response = api_for(world.board).patch(
        f"/api/v1/initiatives/{world.a_initiative.pk}/", {"purpose": "Nytt syfte"}, format="json"
    )
    assert response.status_code == 403
    assert not ChangeEvent.objects.exists()
