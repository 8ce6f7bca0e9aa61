"""The policy table: which principal may do what (docs/access.md, "Policy table").

One row per action. `anywhere` holds the roles (and principals) that may do it throughout their
association; `assigned` the initiative-scoped roles that may do it only for the initiatives they
are assigned to. Checked by `Access.can` / `Access.require` — in the write services (the one
enforcement point, shared by pages and API) and, for showing or hiding pages and buttons, in views
and templates. Which *objects* a user sees is each app's own scoping (`finsam.<app>.scoping`); this
table says only what a role may do with them.

The table imports no feature app: `core` sits at the bottom of the import graph.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from finsam.core.roles import Role


class Principal(models.TextChoices):
    """Who may act besides the staff roles (`Role`): the principals with no role assignment."""

    # A user of an applicant organisation: owns the organisation's applications, is assigned to
    # no initiative.
    APPLICANT_ORGANISATION = "applicant_organisation", _("Sökande organisation")
    # An anonymous visitor of one association's public pages (association from the URL).
    PUBLIC = "public", _("Besökare")
    # Whoever holds a one-time respondent link (a questionnaire).
    RESPONDENT = "respondent", _("Svarande")


@dataclass(frozen=True)
class Rule:
    anywhere: frozenset = frozenset()
    assigned: frozenset = frozenset()


def _rule(anywhere=(), assigned=()) -> Rule:
    return Rule(anywhere=frozenset(anywhere), assigned=frozenset(assigned))


SEC, OP, BOARD, ANALYST = Role.SECRETARIAT, Role.OPERATOR, Role.BOARD, Role.ANALYST
MANAGER, REGISTRAR, APPLICANT = Role.INITIATIVE_MANAGER, Role.REGISTRAR, Role.APPLICANT
REVIEWER, APPLICANT_ORGANISATION = Role.REVIEWER, Principal.APPLICANT_ORGANISATION
FINANCE = Role.FINANCE

POLICY: dict[str, Rule] = {
    # Associations and their members (municipalities, regions, the agency).
    "association.list": _rule([OP]),
    "association.create": _rule([OP]),
    "association.read": _rule([SEC, BOARD, OP]),
    "association.change": _rule([SEC, OP]),
    "association.change_start_date": _rule([OP]),
    # Users, invitations, roles.
    "user.manage": _rule([SEC, OP]),
    # Initiatives.
    "initiative.create": _rule([SEC]),
    "initiative.edit": _rule([SEC], [MANAGER]),
    "budget.change": _rule([SEC], [MANAGER]),
    "head_count.change": _rule([SEC], [MANAGER]),
    "assignment.change": _rule([SEC], [MANAGER]),
    # Participants: registering, and reading their identity (R-PD1).
    "enrolment.register": _rule([], [REGISTRAR]),
    "identity.read": _rule([], [REGISTRAR]),
    "enrolment.follow_up": _rule([SEC], [MANAGER, REGISTRAR]),
    # Association finance (yearly contributions and results).
    "finance.read": _rule([SEC, BOARD, ANALYST, OP]),
    "finance.change": _rule([SEC]),
    "finance.successor": _rule([SEC, OP]),
    # Socioeconomic estimate (finsam.socioeconomics): the assumptions and the initiatives'
    # estimates; read by the board and analysts, written by the secretariat.
    "estimate.read": _rule([SEC, BOARD, ANALYST, OP]),
    "estimate.change": _rule([SEC]),
    # Reporting periods and initiative reports.
    "period.read": _rule([SEC, BOARD, ANALYST, OP]),
    "period.manage": _rule([SEC]),
    "report.write": _rule([SEC], [MANAGER, APPLICANT]),
    "report.list_own": _rule([], [MANAGER, APPLICANT]),
    "report.return": _rule([SEC]),
    "report.approve": _rule([SEC]),
    "report.comment": _rule([SEC], [MANAGER, APPLICANT]),
    "report.read_approved": _rule([BOARD, ANALYST, OP]),
    # Statistics of the whole association (and region, nation); own initiatives' for the others.
    "statistics.association": _rule([SEC, BOARD, ANALYST, OP]),
    "statistics.sus": _rule([SEC, OP]),
    # The logs: who read personal data (access log) and who changed what (change log).
    "access_log.read": _rule([SEC, OP]),
    "change_log.read": _rule([SEC, OP]),
    # Applications (finsam.applications): which applications each one sees is
    # `finsam.applications.scoping`.
    # Start, write, submit, withdraw and comment on the organisation's own applications.
    "application.own": _rule([APPLICANT_ORGANISATION]),
    # Open the applications of the association (scoped: the board from the proposal on, the
    # preparation group from preparation on and never with a declared interest).
    "application.read": _rule([SEC, OP, BOARD, REVIEWER]),
    # Rounds, forms, the formal check, supplement requests, late submissions, proposals.
    "application.manage": _rule([SEC]),
    # Write a review in the preparation group.
    "application.review": _rule([SEC, REVIEWER]),
    # Declare one's own interests; keep the association's register.
    "interest.declare": _rule([SEC, BOARD, REVIEWER]),
    "interest.manage": _rule([SEC]),
    # Board meetings: read the agenda, the meeting pack, decisions and minutes; run them.
    "board.read": _rule([SEC, OP, BOARD]),
    "board.manage": _rule([SEC]),
    # --- catalogue (issue 11): the public catalogue of initiatives ---
    # Writing an initiative's catalogue entry, and publishing or withdrawing it.
    "catalogue.edit": _rule([SEC]),
    "catalogue.publish": _rule([SEC]),
    # --- end catalogue ---
    # Invoicing (issue 12, finsam.finance.invoices): the owner (an assigned applicant, the report
    # writer of the owner organisation, or the initiative manager) invoices against the basis;
    # the manager or the secretariat approves (step 1), finance approves (step 2) and pays.
    "invoice.read": _rule([SEC, FINANCE, OP], [MANAGER, APPLICANT]),
    "invoice.submit": _rule([], [MANAGER, APPLICANT]),
    "invoice.approve": _rule([SEC], [MANAGER]),
    "invoice.approve_finance": _rule([FINANCE]),
    "invoice.pay": _rule([FINANCE]),
    "invoice.export": _rule([SEC, FINANCE, OP]),
    "invoice.settings": _rule([SEC, FINANCE]),
    # --- progression (issue 13): ratings of participants, aggregates per initiative ---
    # The association's dimensions (scales, who rates, active).
    "progression.configure": _rule([SEC]),
    # Record and read one participant's ratings (personal data: the initiative's registrars).
    "progression.rate": _rule([], [REGISTRAR]),
    # The share who improved per initiative: aggregates only, small counts suppressed.
    "progression.read": _rule([SEC, BOARD, ANALYST, OP], [MANAGER, REGISTRAR]),
    # --- end progression ---
    # --- indicators (issue 13): indicator results of the questionnaires' answers ---
    # The association's (with region and installation pools) for the association-wide roles;
    # an initiative's for them and the initiative's assigned managers.
    "indicators.read": _rule([SEC, BOARD, ANALYST, OP], [MANAGER]),
    # --- end indicators ---
    # --- questionnaires (issue 13, finsam.questionnaires) ---
    # Answering through a one-time link (no account).
    "questionnaire.answer": _rule([Principal.RESPONDENT]),
    # One-time links, QR sheets, group links, e-mail invitations and reminders: the secretariat
    # for the association, the initiative manager for assigned initiatives.
    "questionnaire.manage": _rule([SEC], [MANAGER]),
    # Typing in paper answers and reviewing them.
    "questionnaire.enter_paper": _rule([SEC], [MANAGER, REGISTRAR]),
    # --- end questionnaires ---
    # The principals of the coming issues: rows only, no page or service uses them yet.
    "public.read": _rule([Principal.PUBLIC]),
}


def rule(action: str) -> Rule:
    """The row of `action`; an unknown action is a programming error, not a refusal."""
    try:
        return POLICY[action]
    except KeyError:
        raise KeyError(f"No policy row for action {action!r} (finsam.core.policy.POLICY)") from None
