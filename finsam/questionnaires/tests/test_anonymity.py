"""Anonymity that holds: nothing stored leads from an anonymous answer back to its link.

The checks are structural (no column of a Response or an Answer refers to an invitation, a
draft, a group link, a user, an address or a time) and behavioural (the keys are random, so the
order of keys says nothing about the order of answering; the invitation keeps only `used`).

Residual risk (documented in `finsam.questionnaires.models`): the database stores rows in insert
order, so someone with direct database access who knew the order in which links were used could
pair them; the application exposes no order.
"""

import pytest
from django.db import models

from finsam.questionnaires.models import Answer, Draft, Invitation, Response
from finsam.questionnaires.tests.factories import invitation
from finsam.questionnaires.tests.test_answering import answer_all

pytestmark = pytest.mark.django_db

LINKING_MODELS = {Invitation, Draft, "accounts.User"}
TIME_TYPES = (models.DateTimeField, models.DateField, models.TimeField)


def _columns(model):
    return [f for f in model._meta.concrete_fields]


@pytest.mark.parametrize("model", [Response, Answer])
def test_no_column_refers_to_a_link_a_person_or_a_time(model):
    for field in _columns(model):
        assert not isinstance(field, TIME_TYPES), f"{model.__name__}.{field.name} is a time"
        assert "email" not in field.name and field.name != "ip" and "device" not in field.name
        if field.is_relation:
            target = field.related_model
            assert target not in (Invitation, Draft), f"{model.__name__}.{field.name}"
            assert target._meta.label != "accounts.User", f"{model.__name__}.{field.name}"
            assert target._meta.label != "questionnaires.GroupLink"


def test_the_invitation_keeps_nothing_of_the_answer():
    for field in _columns(Invitation):
        if field.is_relation:
            assert field.related_model not in (Response, Answer)
    assert not any(
        rel.related_model in (Response, Answer) for rel in Invitation._meta.related_objects
    )


def test_keys_are_random_and_no_stored_value_joins_a_response_to_its_token(client, world):
    links = [invitation(world.a, initiative=world.a_initiative) for _i in range(6)]
    for token, _inv in links:
        answer_all(client, token)
    responses = list(Response.objects.values())
    invitations = list(Invitation.objects.values())
    assert all(inv["used"] for inv in invitations)
    assert all(inv["email"] is None for inv in invitations)
    assert not Draft.objects.exists()
    # No value of a response equals a value of an invitation other than what every response
    # of the batch shares (association, initiative, version, period).
    shared = {"association_id", "initiative_id", "version_id", "period"}
    for response in responses:
        for key, value in response.items():
            if key in shared or value in (None, "", False, True):
                continue
            for inv in invitations:
                assert value not in inv.values(), (key, value)
    # The keys are random UUIDs: their order is not the order of answering.
    ids = [r["id"] for r in responses]
    assert all(i.version == 4 for i in ids)
    answered = [r.id for r in Response.objects.order_by("id")]
    assert len(set(ids)) == 6
    # Answer keys too.
    assert all(a.id.version == 4 for a in Answer.objects.all())
    assert sorted(ids) == answered  # the only order is the key's own


def test_the_page_after_submitting_carries_no_token(client, world):
    token, _inv = invitation(world.a)
    last = answer_all(client, token)
    assert token not in last.url
