"""The writes of applications: starting one, taking a step of the workflow, submitting.

Every service takes the caller's `access` first, checks the policy, runs in one transaction and
records a change event (docs/access.md). The workflow's transitions are declared on the model
(`Application`); `transition` is the only way to take them.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from finsam.applications.diary import take_diary_number
from finsam.applications.formdef.definition import find_block
from finsam.applications.formdef.options import with_options
from finsam.applications.models import Application, CoApplicantPermission, Revision, Round, Step
from finsam.applications.notifications import notify_step
from finsam.applications.scoping import applications_for
from finsam.applications.workflow import BY_APPLICANT, BY_SECRETARIAT, Status
from finsam.audit.services import record_change
from finsam.core.formats import sv_date
from finsam.core.policy import Principal


def may_write(access, application: Application) -> bool:
    """The owner organisation's users, and co-applicants invited with edit rights."""
    if Principal.APPLICANT_ORGANISATION not in access.roles:
        return False
    if application.organisation_id == access.organisation.pk:
        return True
    return application.co_applicants.filter(
        user=access.user, accepted_at__isnull=False, permission=CoApplicantPermission.EDIT
    ).exists()


def may_comment(access, application: Application) -> bool:
    if Principal.APPLICANT_ORGANISATION not in access.roles:
        return False
    if application.organisation_id == access.organisation.pk:
        return True
    return application.co_applicants.filter(
        user=access.user,
        accepted_at__isnull=False,
        permission__in=[CoApplicantPermission.EDIT, CoApplicantPermission.COMMENT],
    ).exists()


def _require_taker(access, application: Application, by: str) -> None:
    if by == BY_APPLICANT:
        access.require("application.own")
        if not may_write(access, application):
            raise PermissionDenied
    else:
        access.require("application.manage", association=application.association)


def _locked(access, application: Application) -> Application:
    """The application under a row lock, through the caller's scope (404 outside it)."""
    return applications_for(access).select_for_update(of=("self",)).get(pk=application.pk)


def transitions_for(access, application: Application) -> list[str]:
    """The names of the transitions `access` may take from the application's status now."""
    names = []
    for t in application.get_available_status_transitions():
        by = t.custom.get("by")
        if (
            by == BY_APPLICANT
            and access.can("application.own")
            and may_write(access, application)
            or by == BY_SECRETARIAT
            and access.can("application.manage", association=application.association)
        ):
            names.append(t.name)
    return names


def _transition_by(name: str) -> str:
    method = getattr(Application, name, None)
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        raise ValueError(f"{name!r} is not a transition of Application")
    return next(iter(meta.transitions.values())).custom["by"]


def _take(access, application: Application, name: str, comment: str = "") -> Step:
    """Take transition `name` on a locked application: refuse one not declared from its status,
    store the step, record the change, notify."""
    method = getattr(application, name)
    if not can_proceed(method):
        raise ValidationError(
            _("Det går inte att göra det när ansökan har status %(status)s.")
            % {"status": application.get_status_display()}
        )
    before = application.status
    method()
    application.save()
    step = Step.objects.create(
        application=application,
        transition=name,
        from_status=before,
        to_status=application.status,
        by=access.user,
        by_role=str(access.primary_role or ""),
        comment=comment,
    )
    record_change(
        access=access,
        obj=application,
        action=f"application.{name}",
        changes={"status": [before, application.status]},
    )
    notify_step(application, before, application.status)
    return step


@transaction.atomic
def transition(access, application: Application, name: str, *, comment: str = "") -> Application:
    """Take the workflow's transition `name` (a method of `Application`) as `access`."""
    by = _transition_by(name)
    _require_taker(access, application, by)
    if name in ("submit", "accept_late", "supplement"):
        raise ValueError(f"use {name}() of this module, which checks what the step needs")
    application = _locked(access, application)
    _take(access, application, name, comment)
    return application


@transaction.atomic
def application_create(access, *, round: Round, title: str) -> Application:
    """Start a draft in an open round for the principal's organisation."""
    access.require("application.own")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Ange projektets namn.")})
    if round.association_id != access.association.pk:
        raise PermissionDenied
    if not round.is_open():
        raise ValidationError({"round": _("Ansökningsomgången är inte öppen.")})
    # The copy keeps the options of choices filled in from the code lists (formdef.options),
    # and the form's project name starts as the title (editing.TITLE_BLOCK keeps them together).
    definition = with_options(round.form_version.definition, round.association)
    application = Application.objects.create(
        association=round.association,
        round=round,
        organisation=access.organisation,
        title=title,
        form_version=round.form_version,
        form_definition=definition,
        answers={"project_name": title} if find_block(definition, "project_name")[0] else {},
        created_by=access.user,
    )
    record_change(access=access, obj=application, action="application.create")
    return application


def _closed_message(round: Round) -> str:
    return _(
        "Ansökningsomgången stängde %(date)s. Kontakta kansliet om ansökan behöver tas emot sent."
    ) % {"date": sv_date(round.closes_on)}


def _store_revision(access, application: Application, reason: str) -> Revision:
    last = application.revisions.order_by("-number").values_list("number", flat=True).first()
    return Revision.objects.create(
        application=application,
        number=(last or 0) + 1,
        answers=application.answers,
        reason=reason,
        created_by=access.user,
    )


def _give_diary_number(application: Application, now: datetime.datetime) -> None:
    year = timezone.localtime(now).year
    sequence, number = take_diary_number(application.association_id, year)
    application.diary_year, application.diary_sequence = year, sequence
    application.diary_number = number
    application.submitted_at = now


def completeness_problems(application: Application) -> list:
    """What keeps the answers from being submitted (the form's required blocks)."""
    from finsam.applications import formdef

    return formdef.missing(application.form_definition, application.answers)


@transaction.atomic
def submit(access, application: Application) -> Application:
    """Submit a draft: only complete, only while the round is open, only once. Gives the
    diary number and stores a revision."""
    _require_taker(access, application, BY_APPLICANT)
    application = _locked(access, application)
    if application.status != Status.DRAFT:
        raise ValidationError(_("Ansökan är redan inlämnad."))
    if not application.round.is_open():
        raise ValidationError(_closed_message(application.round))
    problems = completeness_problems(application)
    if problems:
        raise ValidationError(
            [_("Ansökan är inte komplett: %(what)s") % {"what": p.message} for p in problems]
        )
    _give_diary_number(application, timezone.now())
    _take(access, application, "submit")
    _store_revision(access, application, "submit")
    return application


@transaction.atomic
def accept_late(access, application: Application, *, reason: str) -> Application:
    """The secretariat takes in a draft after its round closed, with the reason recorded."""
    access.require("application.manage", association=application.association)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Ange skälet till att ansökan tas emot sent.")})
    application = _locked(access, application)
    if application.status != Status.DRAFT:
        raise ValidationError(_("Ansökan är redan inlämnad."))
    problems = completeness_problems(application)
    if problems:
        raise ValidationError(
            [_("Ansökan är inte komplett: %(what)s") % {"what": p.message} for p in problems]
        )
    application.late_reason = reason
    _give_diary_number(application, timezone.now())
    _take(access, application, "accept_late", comment=reason)
    _store_revision(access, application, "submit")
    return application


@transaction.atomic
def supplement(access, application: Application) -> Application:
    """The applicant sends the requested supplement: back to preparation, with a revision."""
    _require_taker(access, application, BY_APPLICANT)
    application = _locked(access, application)
    if application.status != Status.SUPPLEMENT_REQUESTED:
        raise ValidationError(_("Ingen komplettering är begärd."))
    problems = completeness_problems(application)
    if problems:
        raise ValidationError(
            [_("Ansökan är inte komplett: %(what)s") % {"what": p.message} for p in problems]
        )
    _take(access, application, "supplement")
    _store_revision(access, application, "supplement")
    return application
