"""The permission walk's pages and objects, shared by the walk (`test_permission_walk.py`) and
the accessibility check in the browser (`test_axe_browser.py`): every URL name of the project but
allauth's, the admin, the API and the language switch, and for those taking an object, how to
address one of `build_objects`.
"""

import datetime

from django.urls import URLResolver, get_resolver, reverse

from finsam.accounts.models import InitiativeAssignment, Invitation
from finsam.applications.tests import walk_objects as applications_walk
from finsam.associations.tests.factories import MemberFactory
from finsam.board.tests import walk_objects as board_walk
from finsam.catalogue.tests import walk_objects as catalogue_walk
from finsam.finance.models import InitiativeBudget
from finsam.finance.tests import walk_objects as invoicing_walk
from finsam.finance.tests import walk_plan_objects as plan_walk
from finsam.finance.tests.factories import AssociationYearFactory
from finsam.indicators.tests import walk_objects as indicators_walk
from finsam.initiatives.tests.factories import InitiativeFactory
from finsam.jobs.models import Job, JobKind, JobStatus
from finsam.jobs.services import store_result
from finsam.participants.tests.factories import EnrolmentFactory
from finsam.preparation.tests import walk_objects as preparation_walk
from finsam.progression.tests import walk_objects as progression_walk
from finsam.questionnaires.tests import walk_objects as questionnaires_walk
from finsam.reports.tests.reporting import InitiativeReportFactory, ReportingPeriodFactory
from finsam.socioeconomics.tests import walk_objects as socioeconomics_walk

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
    "reviewer",
    "applicant_org",
    "co_applicant",
)
# Pages outside the scope of this walk: allauth's own (login, MFA), the admin, the API (walked in
# finsam/api/tests/test_permissions.py) and the language switch.
SKIPPED_PREFIXES = ("accounts/", "admin/", "api/", "i18n/")
PUBLIC = (
    {"health", "favicon", "accounts:invitation_accept"}
    | applications_walk.PUBLIC
    | catalogue_walk.PUBLIC
    | questionnaires_walk.PUBLIC
)


def _url_names():
    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif not (prefix + str(p.pattern)).startswith(SKIPPED_PREFIXES):
                yield f"{namespace}:{p.name}" if namespace else p.name

    return sorted(set(walk(get_resolver().url_patterns)))


def build_objects(world):
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
        out[side].update(applications_walk.objects(world, side, association, initiative))
        out[side].update(preparation_walk.objects(world, side, association, initiative))
        out[side].update(board_walk.objects(world, side, association, initiative))
        out[side].update(catalogue_walk.objects(world, side, association, initiative))
        out[side].update(invoicing_walk.objects(world, side, association, initiative))
        out[side].update(plan_walk.objects(world, side, association, initiative))
        out[side].update(socioeconomics_walk.objects(world, side, association, initiative))
        out[side].update(progression_walk.objects(world, side, association, initiative))
        out[side].update(indicators_walk.objects(world, side, association, initiative))
        out[side].update(questionnaires_walk.objects(world, side, association, initiative))
    return out


# URL name -> kwargs for one side's objects. A new URL must be added here (see the last test).
OBJECT_KWARGS = {
    "accounts:role_remove": lambda o: {"user_id": o["user"].pk, "role": "registrar"},
    "accounts:invitation_cancel": lambda o: {"pk": o["invitation"].pk},
    "accounts:invitation_accept": lambda o: {"token": o["invitation"].token},
    "finance:member_row": lambda o: {"pk": o["member"].pk},
    "finance:member_edit": lambda o: {"pk": o["member"].pk},
    "finance:member_delete": lambda o: {"pk": o["member"].pk},
    "initiatives:detail": lambda o: {"pk": o["initiative"].pk},
    "initiatives:edit": lambda o: {"pk": o["initiative"].pk},
    "finance:budget_add": lambda o: {"pk": o["initiative"].pk},
    "finance:budget_edit": lambda o: {
        "pk": o["initiative"].pk,
        "budget_pk": o["budget"].pk,
    },
    "finance:budget_delete": lambda o: {
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
        "reports:compile_approved": lambda o: {"pk": o["period"].pk, "output_format": "pdf"},
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
            for name in ("year_detail", "year_edit", "year_delete", "equity_band")
        },
    }
)
OBJECT_KWARGS.update(applications_walk.OBJECT_KWARGS)
OBJECT_KWARGS.update(preparation_walk.OBJECT_KWARGS)
OBJECT_KWARGS.update(questionnaires_walk.OBJECT_KWARGS)
OBJECT_KWARGS.update(board_walk.OBJECT_KWARGS)
OBJECT_KWARGS.update(catalogue_walk.OBJECT_KWARGS)
OBJECT_KWARGS.update(invoicing_walk.OBJECT_KWARGS)
OBJECT_KWARGS.update(plan_walk.OBJECT_KWARGS)
OBJECT_KWARGS.update(socioeconomics_walk.OBJECT_KWARGS)
OBJECT_KWARGS.update(progression_walk.OBJECT_KWARGS)
OBJECT_KWARGS.update(indicators_walk.OBJECT_KWARGS)
PLAIN = [name for name in _url_names() if name not in OBJECT_KWARGS]
# Every walked URL name: the plain ones, then those that take an object.
NAMES = PLAIN + list(OBJECT_KWARGS)


def url_of(name, side_objects=None):
    kwargs = OBJECT_KWARGS[name](side_objects) if name in OBJECT_KWARGS else {}
    return reverse(name, kwargs=kwargs)
