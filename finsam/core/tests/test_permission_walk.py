"""Walk every page as every role, with objects of the user's own association and of another.

This is the net under the per-app permission tests: it fails on any server error, on any page
that answers 2xx/3xx for another association's object, on any personal data shown to anyone but
the participant's registrar, and on any new URL that nobody added to `OBJECT_KWARGS` below.
"""

import datetime
import html
import re

import pytest
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

from finsam.accounts.models import ApplicantOrganisation, InitiativeAssignment, Invitation
from finsam.accounts.tests.factories import UserFactory
from finsam.associations.tests.factories import MemberFactory
from finsam.finance.tests.factories import AssociationYearFactory
from finsam.initiatives.models import InitiativeBudget
from finsam.initiatives.tests.factories import InitiativeFactory
from finsam.jobs.models import Job, JobKind, JobStatus
from finsam.jobs.services import store_result
from finsam.participants.tests.factories import EnrolmentFactory
from finsam.reports.tests.reporting import InitiativeReportFactory, ReportingPeriodFactory

PERSONAL_NUMBER = "19811218-9876"
NAME = "Sigrid Testsson"
A_USERS = (
    "operator",
    "secretariat",
    "manager",
    "registrar",
    "board",
    "applicant",
    "analyst",
    "no_role",
)
# Pages outside the scope of this walk: allauth's own (login, MFA), the admin, the API (walked in
# finsam/api/tests/test_permissions.py) and the language switch.
SKIPPED_PREFIXES = ("accounts/", "admin/", "api/", "i18n/")
PUBLIC = {"health", "accounts:invitation_accept"}


def _url_names():
    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif not (prefix + str(p.pattern)).startswith(SKIPPED_PREFIXES):
                yield f"{namespace}:{p.name}" if namespace else p.name

    return sorted(set(walk(get_resolver().url_patterns)))


@pytest.fixture
def objects(world):
    """One object of every addressable kind in A (own) and in B (foreign)."""
    out = {}
    for side, association, initiative, inviter in (
        ("own", world.a, world.a_initiative, world.secretariat),
        ("foreign", world.b, world.b_initiative, world.b_secretariat),
    ):
        enrolment = EnrolmentFactory(
            initiative=initiative,
            participant__personal_number=PERSONAL_NUMBER.replace("-", ""),
            participant__name=NAME,
        )
        period = ReportingPeriodFactory(association=association)
        job, running_job = (
            Job.objects.create(
                kind=JobKind.COMPILED_REPORT,
                association=association,
                started_by=inviter,
                period=period,
                output_format="pdf",
                status=status,
                finished_at=datetime.datetime.now(datetime.UTC) if status == "done" else None,
            )
            for status in (JobStatus.DONE, JobStatus.RUNNING)
        )
        store_result(job, name="rapport.pdf", content_type="application/pdf", data=b"%PDF-1.7")
        out[side] = {
            "period": period,
            "job": job,
            "running_job": running_job,
            "report": InitiativeReportFactory(period=period, initiative=initiative),
            "member": MemberFactory(association=association),
            "initiative": initiative,
            "volume_initiative": InitiativeFactory(association=association, volume=True),
            "budget": InitiativeBudget.objects.create(
                initiative=initiative, year=2021, amount=100000
            ),
            "assignment": InitiativeAssignment.objects.get(initiative=initiative, role="registrar"),
            "invitation": Invitation.objects.create(
                association=association,
                email=f"ny-{side}@example.se",
                role="board",
                token=f"token-{side}",
                invited_by=inviter,
                expires_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
            ),
            "enrolment": enrolment,
            "year": AssociationYearFactory(association=association),
            "user": world.registrar if side == "own" else world.b_registrar,
        }
    return out


# URL name -> kwargs for one side's objects. A new URL must be added here (see the last test).
OBJECT_KWARGS = {
    "accounts:role_remove": lambda o: {"user_id": o["user"].pk, "role": "registrar"},
    "accounts:invitation_cancel": lambda o: {"pk": o["invitation"].pk},
    "accounts:invitation_accept": lambda o: {"token": o["invitation"].token},
    "associations:member_row": lambda o: {"pk": o["member"].pk},
    "associations:member_edit": lambda o: {"pk": o["member"].pk},
    "associations:member_delete": lambda o: {"pk": o["member"].pk},
    "initiatives:detail": lambda o: {"pk": o["initiative"].pk},
    "initiatives:edit": lambda o: {"pk": o["initiative"].pk},
    "initiatives:budget_add": lambda o: {"pk": o["initiative"].pk},
    "initiatives:budget_edit": lambda o: {
        "pk": o["initiative"].pk,
        "budget_pk": o["budget"].pk,
    },
    "initiatives:budget_delete": lambda o: {
        "pk": o["initiative"].pk,
        "budget_pk": o["budget"].pk,
    },
    "initiatives:head_counts": lambda o: {"pk": o["volume_initiative"].pk},
    "initiatives:assignment_add": lambda o: {"pk": o["initiative"].pk},
    "initiatives:assignment_remove": lambda o: {
        "pk": o["initiative"].pk,
        "assignment_pk": o["assignment"].pk,
    },
    "participant_import:upload": lambda o: {"initiative_pk": o["initiative"].pk},
    "participant_import:template_xlsx": lambda o: {"initiative_pk": o["initiative"].pk},
    "participant_import:template_csv": lambda o: {"initiative_pk": o["initiative"].pk},
    "participants:initiative_participants": lambda o: {"initiative_id": o["initiative"].pk},
    "participants:initiative_follow_up": lambda o: {"initiative_id": o["initiative"].pk},
    "participants:enrol": lambda o: {"initiative_id": o["initiative"].pk},
    "participants:enrol_validate": lambda o: {"initiative_id": o["initiative"].pk},
    **{
        f"participants:{name}": (lambda o: {"enrolment_uuid": o["enrolment"].uuid})
        for name in (
            "enrolment_detail",
            "exit",
            "exit_validate",
            "correct",
            "correct_validate",
            "consent_withdraw",
            "protect_identity",
        )
    },
}
OBJECT_KWARGS.update(
    {
        "statistics:scope": lambda o: {"kind": "initiative", "obj_id": o["initiative"].pk},
        **{
            f"reports:{name}": (lambda o: {"pk": o["period"].pk})
            for name in ("period", "period_edit", "create_reports")
        },
        "reports:compile": lambda o: {"pk": o["period"].pk, "output_format": "pdf"},
        "jobs:detail": lambda o: {"pk": o["job"].pk},
        "jobs:download": lambda o: {"pk": o["job"].pk},
        "jobs:status": lambda o: {"pk": o["running_job"].pk},
        **{
            f"reports:{name}": (lambda o: {"pk": o["report"].pk})
            for name in (
                "detail",
                "autosave",
                "insert_summary",
                "submit",
                "return",
                "approve",
                "comment",
            )
        },
        **{
            f"finance:{name}": (lambda o: {"pk": o["year"].pk})
            for name in ("year_detail", "year_edit", "year_delete")
        },
    }
)
PLAIN = [name for name in _url_names() if name not in OBJECT_KWARGS]


def _url(name, side_objects=None):
    kwargs = OBJECT_KWARGS[name](side_objects) if name in OBJECT_KWARGS else {}
    return reverse(name, kwargs=kwargs)


def _body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _assert_no_identity(response, who, url):
    body = _body(response)
    for secret in (PERSONAL_NUMBER, PERSONAL_NUMBER.replace("-", ""), NAME):
        assert secret not in body, f"{who} saw personal data on {url}"


def _assert_accessible_markup(response, url):
    """A full page's title is plain text, and every id its aria-describedby names exists."""
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return
    body = _body(response)
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    if title is None:
        return  # a fragment for htmx
    assert "<" not in html.unescape(title.group(1)), f"{url}: markup in the title {title.group(1)}"
    ids = set(re.findall(r'\sid="([^"]+)"', body))
    for described in re.findall(r'aria-describedby="([^"]*)"', body):
        missing = set(described.split()) - ids
        assert not missing, f"{url}: aria-describedby names missing ids {missing}"


@pytest.mark.parametrize("who", A_USERS)
def test_every_page_of_the_own_association_answers_without_error_or_leak(
    world, objects, client, client_for, who
):
    client_for(world.user(who))
    for name in PLAIN + list(OBJECT_KWARGS):
        url = _url(name, objects["own"])
        response = client.get(url)
        assert response.status_code < 500, f"{who} GET {url}: {response.status_code}"
        _assert_accessible_markup(response, url)
        if who != "registrar":
            _assert_no_identity(response, who, url)


@pytest.mark.parametrize("who", A_USERS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_no_page_answers_for_another_associations_object(
    world, objects, client, client_for, who, method
):
    client_for(world.user(who))
    for name in OBJECT_KWARGS:
        if name in PUBLIC:
            continue
        url = _url(name, objects["foreign"])
        response = getattr(client, method)(url)
        assert response.status_code in (403, 404, 405), (
            f"{who} {method.upper()} {url} (association B): {response.status_code}"
        )
        _assert_no_identity(response, who, url)


def test_the_registrar_sees_identity_only_in_its_own_initiative(world, objects, client, client_for):
    client_for(world.registrar)
    own = client.get(_url("participants:enrolment_detail", objects["own"]))
    assert NAME in _body(own)
    assert PERSONAL_NUMBER in _body(own)


def test_every_page_but_the_public_ones_asks_for_login(objects, client):
    for name in PLAIN + list(OBJECT_KWARGS):
        if name in PUBLIC:
            continue
        url = _url(name, objects["own"])
        response = client.get(url)
        assert response.status_code == 302, f"anonymous GET {url}: {response.status_code}"
        assert "/accounts/login/" in response["Location"]
        _assert_no_identity(response, "anonymous", url)


def test_every_page_serves_some_role(world, objects, client, client_for):
    """The walk means something only if each page really answers someone (no blanket 404)."""
    served = set()
    for who in A_USERS:
        client_for(world.user(who))
        for name in PLAIN + list(OBJECT_KWARGS):
            if client.get(_url(name, objects["own"])).status_code in (200, 302, 405):
                served.add(name)
    assert set(PLAIN + list(OBJECT_KWARGS)) - served == set()


def test_every_url_with_an_object_is_walked():
    """A new URL whose path takes an object must be added to OBJECT_KWARGS."""
    for name in PLAIN:
        try:
            reverse(name)
        except NoReverseMatch:
            pytest.fail(f"{name} takes arguments: add it to OBJECT_KWARGS")


def test_an_applicant_organisations_user_is_refused_every_page(world, objects, client, client_for):
    """A user of an applicant organisation of A (a principal with no pages yet): the start page
    says there is nothing here; every other page answers 403 (or 404/405)."""
    organisation = ApplicantOrganisation.objects.create(association=world.a, name="Föreningen Bro")
    user = UserFactory(email="sokande-org@example.se")
    organisation.members.add(user)
    client_for(user)
    start = client.get("/")
    assert start.status_code == 200
    assert "core/no_role.html" in [t.name for t in start.templates]
    for name in PLAIN + list(OBJECT_KWARGS):
        if name in PUBLIC or name == "home":
            continue
        url = _url(name, objects["own"])
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (403, 404, 405), (
                f"applicant organisation {method.upper()} {url}: {response.status_code}"
            )
            _assert_no_identity(response, "applicant organisation", url)
