"""Shared test set-up: the same cast in every permission test (STYLE: owner, member, outsider).

`world` builds two associations. In association A every role has a user; the registrar and the
initiative manager are assigned to initiative `a_initiative` only (`a_other` is not theirs).
Association B has its own secretariat, registrar and initiative: everything of B is foreign to A.
"""

from dataclasses import dataclass

import pytest
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.http import HttpRequest
from django.utils import translation

from finsam.accounts.models import ApplicantOrganisation
from finsam.accounts.tests.factories import (
    InitiativeAssignmentFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from finsam.associations.tests.factories import AssociationFactory
from finsam.core.roles import Role
from finsam.initiatives.tests.factories import InitiativeFactory
from finsam.reference import codes as code_lists

PASSWORD = "demo-password-1"


@pytest.fixture(autouse=True)
def _fresh_cache(request, django_db_blocker):
    """Rate limits (failed logins) live in the cache: never let one test throttle the next (nor
    find the charts another test drew). The database cache (the default) is a table, emptied by
    each test's rollback; a test that commits (transactional, live server) empties it after."""
    local = [cache for cache in caches.all() if not isinstance(cache, DatabaseCache)]
    for cache in local:
        cache.clear()
    # Codes and code lists kept per process: a rollback sends no signal to forget them.
    code_lists.invalidate()
    yield
    for cache in local:
        cache.clear()
    code_lists.invalidate()
    marker = request.node.get_closest_marker("django_db")
    commits = (marker is not None and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    if commits:
        with django_db_blocker.unblock():
            for cache in caches.all():
                if isinstance(cache, DatabaseCache):
                    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English (the language switch) leaves English active in the thread: never
    let it carry over into the next test's forms and messages."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def make_user(association, role, initiatives=(), email=None):
    user = UserFactory(**({"email": email} if email else {}))
    RoleAssignmentFactory(
        user=user, association=None if role == Role.OPERATOR else association, role=role
    )
    for initiative in initiatives:
        InitiativeAssignmentFactory(user=user, initiative=initiative, role=role)
    if role == Role.REGISTRAR:
        TOTP.activate(user, generate_totp_secret())
    return user


@dataclass
class World:
    a: object
    b: object
    a_initiative: object
    a_other: object
    b_initiative: object
    operator: object
    secretariat: object
    manager: object
    registrar: object
    board: object
    applicant: object
    analyst: object
    b_secretariat: object
    b_registrar: object
    no_role: object
    # The preparation group (a staff role) and the principals of applications: a user of A's
    # applicant organisation `a_organisation` and one of a partner organisation (co-applicant).
    reviewer: object = None
    a_organisation: object = None
    applicant_org: object = None
    partner_organisation: object = None
    co_applicant: object = None

    def user(self, role):
        return getattr(self, role if role != "initiative_manager" else "manager")


@pytest.fixture
def world(db):
    a = AssociationFactory(name="Samordningsförbundet A", slug="a")
    b = AssociationFactory(name="Samordningsförbundet B", slug="b")
    a_initiative = InitiativeFactory(association=a, name="Cresco Create")
    a_other = InitiativeFactory(association=a, name="Level Upgrade")
    b_initiative = InitiativeFactory(association=b, name="Rätt Hjälp")
    a_organisation = ApplicantOrganisation.objects.create(
        association=a, name="Socialförvaltningen A-stad"
    )
    applicant_org = UserFactory(email="ansokan@example.se")
    a_organisation.members.add(applicant_org)
    partner_organisation = ApplicantOrganisation.objects.create(
        association=a, name="Arbetsförmedlingen A-stad"
    )
    co_applicant = UserFactory(email="medsokande@example.se")
    partner_organisation.members.add(co_applicant)
    return World(
        a=a,
        b=b,
        a_initiative=a_initiative,
        a_other=a_other,
        b_initiative=b_initiative,
        operator=make_user(None, Role.OPERATOR, email="operator@example.se"),
        secretariat=make_user(a, Role.SECRETARIAT, email="kansli@example.se"),
        manager=make_user(a, Role.INITIATIVE_MANAGER, [a_initiative], "insats@example.se"),
        registrar=make_user(a, Role.REGISTRAR, [a_initiative], "registrator@example.se"),
        board=make_user(a, Role.BOARD, email="styrelse@example.se"),
        applicant=make_user(a, Role.APPLICANT, [a_initiative], "sokande@example.se"),
        analyst=make_user(a, Role.ANALYST, email="analytiker@example.se"),
        b_secretariat=make_user(b, Role.SECRETARIAT, email="kansli-b@example.se"),
        b_registrar=make_user(b, Role.REGISTRAR, [b_initiative], "registrator-b@example.se"),
        no_role=UserFactory(email="ingen@example.se"),
        reviewer=make_user(a, Role.REVIEWER, email="beredning@example.se"),
        a_organisation=a_organisation,
        applicant_org=applicant_org,
        partner_organisation=partner_organisation,
        co_applicant=co_applicant,
    )


def pass_second_factor(client, user):
    """Record in the client's session that it passed the second factor, as a login that asked
    for the TOTP code does (`finsam.accounts.two_factor.session_passed_second_factor`)."""
    request = HttpRequest()
    request.session = client.session
    record_authentication(request, user, "password")
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()


@pytest.fixture
def client_for(client):
    """Log a test client in as `user` without the login form; a user with an authenticator app
    gets a session that passed the second factor, as the real login would give them."""

    def login(user):
        client.force_login(user)
        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            pass_second_factor(client, user)
        return client

    return login
