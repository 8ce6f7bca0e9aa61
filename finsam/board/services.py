"""The writes of the board: meetings, the agenda, decisions (one by one or as a batch), the
approval of the minutes (when the decisions take effect and a grant becomes an initiative), the
agreement and the invitation to a meeting.

Every service takes the caller's `access` first, checks the policy, runs in one transaction and
records a change event. An application moves only through
`finsam.applications.services.transition`.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from finsam.accounts.models import RoleAssignment
from finsam.applications.models import Application
from finsam.applications.selectors import interested_users
from finsam.applications.services import transition
from finsam.applications.workflow import Status
from finsam.audit.services import record_change
from finsam.board import pack_sources
from finsam.board.models import (
    TAKES_EFFECT,
    AgendaItem,
    Decision,
    DecisionAmount,
    Meeting,
    MeetingStatus,
    Outcome,
)
from finsam.board.scoping import meetings_for
from finsam.board.selectors import reporting_dates
from finsam.core.formats import sv_date
from finsam.core.roles import Role
from finsam.finance import compensation as compensation_rules
from finsam.finance.services import budget_save, compensation_models_set
from finsam.initiatives.models import Initiative
from finsam.initiatives.models import Status as InitiativeStatus
from finsam.initiatives.services import initiative_create, initiative_update
from finsam.reference.models import Code, CodeList

logger = logging.getLogger(__name__)


def _locked_meeting(access, meeting: Meeting) -> Meeting:
    return meetings_for(access).select_for_update().get(pk=meeting.pk)


def _not_approved(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.MINUTES_APPROVED:
        raise ValidationError(_("Protokollet för mötet är redan justerat."))


# --- Meetings and the agenda ------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    access, *, date: datetime.date, place: str = "", first_paragraph: int = 1
) -> Meeting:
    access.require("board.manage", association=access.association)
    errors = {}
    if date is None:
        errors["date"] = _("Ange mötets datum.")
    if first_paragraph is None or first_paragraph < 1:
        errors["first_paragraph"] = _(
            "Ange paragrafnumret som det första ärendet får (1 eller mer)."
        )
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(
        association=access.association,
        date=date,
        place=(place or "").strip(),
        first_paragraph=first_paragraph,
        created_by=access.user,
    )
    meeting.full_clean(exclude=["association", "created_by"])
    meeting.save()
    record_change(access=access, obj=meeting, action="meeting.create")
    return meeting


@transaction.atomic
def agenda_add(access, meeting: Meeting, application: Application) -> AgendaItem:
    """Put a recommended application on the agenda: proposes it to the board (`propose`); it
    gets the meeting's next paragraph number."""
    access.require("board.manage", association=meeting.association_id)
    meeting = _locked_meeting(access, meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Ärenden kan bara läggas till ett planerat möte."))
    if application.association_id != meeting.association_id:
        raise ValidationError(_("Ansökan hör till ett annat förbund."))
    application = transition(access, application, "propose")
    last = meeting.items.aggregate(last=Max("paragraph"))["last"]
    item = AgendaItem.objects.create(
        meeting=meeting,
        application=application,
        paragraph=(last + 1) if last else meeting.first_paragraph,
    )
    record_change(
        access=access,
        obj=meeting,
        action="meeting.agenda_add",
        changes={"agenda": [None, f"§ {item.paragraph} {application.diary_number}"]},
    )
    return item


@transaction.atomic
def agenda_remove(access, item: AgendaItem) -> None:
    """Take an undecided application off the agenda (`withdraw_proposal`)."""
    access.require("board.manage", association=item.meeting.association_id)
    meeting = _locked_meeting(access, item.meeting)
    _not_approved(meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk, meeting=meeting)
    if Decision.objects.filter(item=item).exists():
        raise ValidationError(
            _("Ärendet är redan beslutat och kan inte tas bort från dagordningen.")
        )
    transition(access, item.application, "withdraw_proposal")
    record_change(
        access=access,
        obj=meeting,
        action="meeting.agenda_remove",
        changes={"agenda": [f"§ {item.paragraph} {item.application.diary_number}", None]},
    )
    item.delete()
    # The paragraphs after it move up, keeping the agenda without gaps.
    for later in meeting.items.filter(paragraph__gt=item.paragraph).order_by("paragraph"):
        later.paragraph -= 1
        later.save(update_fields=["paragraph"])


# --- Decisions --------------------------------------------------------------------------------


def _clean_amounts(amounts: dict, years: list[int]) -> dict[int, int]:
    """{year: whole kronor}; errors keyed `amount_<year>`."""
    out, errors = {}, {}
    for year, value in (amounts or {}).items():
        year = int(year)
        if value in (None, ""):
            continue
        try:
            number = int(str(value).replace("\u00a0", "").replace(" ", ""))
        except ValueError:
            errors[f"amount_{year}"] = _("Ange beloppet i hela kronor.")
            continue
        if number < 0:
            errors[f"amount_{year}"] = _("Beloppet kan inte vara negativt.")
        elif year not in years:
            errors[f"amount_{year}"] = _("%(year)s ligger utanför projektets period.") % {
                "year": year
            }
        elif number > 0:
            out[year] = number
    if errors:
        raise ValidationError(errors)
    return out


def _check_decision(
    application, *, outcome, amounts, compensation, period_start, period_end
) -> tuple[dict, dict]:
    from finsam.board.selectors import decision_years

    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Välj beslut: bevilja, avslå eller bordlägga.")})
    if outcome != Outcome.GRANTED:
        return {}, {}
    errors = {}
    if period_start is None:
        errors["period_start"] = _("Ange projektets startdatum.")
    if period_start and period_end and period_end < period_start:
        errors["period_end"] = _("Slutdatum kan inte vara före startdatum.")
    if errors:
        raise ValidationError(errors)
    years = decision_years(application, period_start, period_end)
    try:
        cleaned_amounts = _clean_amounts(amounts, years)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        cleaned_amounts = {}
    if not cleaned_amounts and not errors:
        errors["amounts"] = _("Ange beviljat belopp för minst ett år.")
    codes = set(application.association.municipalities.values_list("code", flat=True))
    try:
        cleaned_compensation = compensation_rules.clean(
            compensation or {}, municipality_codes=codes
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
        cleaned_compensation = {}
    if errors:
        raise ValidationError(errors)
    return cleaned_amounts, cleaned_compensation


def _decide(
    access,
    item: AgendaItem,
    *,
    outcome: str,
    decided_on: datetime.date,
    conditions: str = "",
    amounts: dict | None = None,
    compensation: dict | None = None,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> Decision:
    if Decision.objects.filter(item=item).exists():
        raise ValidationError(_("Ärendet är redan beslutat."))
    application = item.application
    if outcome == Outcome.GRANTED:
        period_start = period_start or application.period_start
        period_end = period_end or application.period_end
    amounts, compensation = _check_decision(
        application,
        outcome=outcome,
        amounts=amounts,
        compensation=compensation,
        period_start=period_start,
        period_end=period_end,
    )
    application = transition(access, application, "decide")
    granted = outcome == Outcome.GRANTED
    decision = Decision.objects.create(
        item=item,
        application=application,
        outcome=outcome,
        conditions=(conditions or "").strip(),
        period_start=period_start if granted else None,
        period_end=period_end if granted else None,
        compensation=compensation,
        reporting_dates=reporting_dates(period_start, period_end) if granted else [],
        decided_on=decided_on or item.meeting.date,
        recorded_by=access.user,
    )
    decision.full_clean(exclude=["item", "application", "recorded_by"], validate_unique=False)
    for year, amount in amounts.items():
        DecisionAmount.objects.create(decision=decision, year=year, amount=amount)
    decision.excluded.set(interested_users(application))
    record_change(
        access=access,
        obj=decision,
        action="decision.create",
        changes={
            "outcome": [None, outcome],
            **({"amounts": [None, {str(y): a for y, a in amounts.items()}]} if amounts else {}),
        },
    )
    return decision


@transaction.atomic
def decide(access, item: AgendaItem, **fields) -> Decision:
    """Record the board's decision on one agenda item (`decide`); it takes effect when the
    minutes are approved."""
    access.require("board.manage", association=item.meeting.association_id)
    meeting = _locked_meeting(access, item.meeting)
    _not_approved(meeting)
    item = AgendaItem.objects.select_related("application__association").get(
        pk=item.pk, meeting=meeting
    )
    fields.setdefault("decided_on", meeting.date)
    decision = _decide(access, item, **fields)
    if meeting.status == MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status", "updated_at"])
    return decision


@transaction.atomic
def decide_batch(access, meeting: Meeting, rows: list[dict]) -> list[Decision]:
    """Decide several agenda items at once, all or nothing: `rows` are {"item": AgendaItem,
    "outcome": ..., and the other fields of `decide`}; a row without an outcome is left
    undecided. A ValidationError keyed by the item's paragraph ("§ 12: …") names every row that
    failed, and nothing is saved."""
    access.require("board.manage", association=meeting.association_id)
    meeting = _locked_meeting(access, meeting)
    _not_approved(meeting)
    decided, errors = [], {}
    for row in rows:
        row = dict(row)
        item = row.pop("item")
        if not row.get("outcome"):
            continue
        if item.meeting_id != meeting.pk:
            raise ValueError("the row's item is on another meeting")
        row.setdefault("decided_on", meeting.date)
        try:
            with transaction.atomic():
                decided.append(_decide(access, item, **row))
        except ValidationError as exc:
            messages = (
                [
                    f"{k}: {m}" if k != "__all__" else m
                    for k, ms in exc.message_dict.items()
                    for m in ms
                ]
                if hasattr(exc, "error_dict")
                else exc.messages
            )
            errors[item.pk] = [f"{item.paragraph_label}: {m}" for m in messages]
    if errors:
        transaction.set_rollback(True)
        raise ValidationError(errors)
    if not decided:
        raise ValidationError(_("Välj ett beslut för minst ett ärende."))
    if meeting.status == MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status", "updated_at"])
    return decided


# --- The minutes ------------------------------------------------------------------------------


@transaction.atomic
def approve_minutes(
    access, meeting: Meeting, *, approved_on: datetime.date, adjusters: str
) -> Meeting:
    """The minutes are approved (justerat protokoll): every decision of the meeting takes effect
    (`grant` / `reject` / `table`), and a grant becomes an initiative. Once only."""
    access.require("board.manage", association=meeting.association_id)
    meeting = _locked_meeting(access, meeting)
    _not_approved(meeting)
    errors = {}
    if approved_on is None:
        errors["approved_on"] = _("Ange datum då protokollet justerades.")
    elif approved_on < meeting.date:
        errors["approved_on"] = _("Protokollet kan inte justeras före mötet.")
    adjusters = (adjusters or "").strip()
    if not adjusters:
        errors["adjusters"] = _("Ange vem som justerade protokollet.")
    if errors:
        raise ValidationError(errors)
    items = list(meeting.items.select_related("application"))
    if not items:
        raise ValidationError(_("Mötet har inga ärenden."))
    undecided = [i.paragraph_label for i in items if not Decision.objects.filter(item=i).exists()]
    if undecided:
        raise ValidationError(
            _(
                "Alla ärenden måste vara beslutade innan protokollet justeras. "
                "Saknar beslut: %(list)s."
            )
            % {"list": ", ".join(undecided)}
        )
    now = timezone.now()
    for decision in Decision.objects.filter(item__meeting=meeting).select_related("item"):
        if decision.took_effect_at is not None:  # pragma: no cover - guarded by the status
            continue
        application = transition(
            access,
            decision.application,
            TAKES_EFFECT[decision.outcome],
            comment=_("Protokoll justerat %(date)s, %(paragraph)s")
            % {"date": sv_date(approved_on), "paragraph": decision.item.paragraph_label},
        )
        if decision.outcome == Outcome.GRANTED:
            _grant(access, decision, application)
        decision.took_effect_at = now
        decision.save(update_fields=["took_effect_at", "updated_at"])
    meeting.status = MeetingStatus.MINUTES_APPROVED
    meeting.minutes_approved_on = approved_on
    meeting.minutes_approved_by = access.user
    meeting.adjusters = adjusters
    meeting.full_clean(exclude=["association", "created_by", "minutes_approved_by"])
    meeting.save()
    record_change(
        access=access,
        obj=meeting,
        action="meeting.approve_minutes",
        changes={"status": [MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED]},
    )
    return meeting


# The initiative's texts taken from the standard form's answers (formdef's block keys): the
# initiative's field → the blocks whose answers it is made of, in order.
INITIATIVE_TEXTS_FROM_ANSWERS = {
    "background": ("starting_points",),
    "purpose": ("summary",),
    "goals": ("goals_organisations", "goals_individuals"),
    "target_group_description": ("target_group",),
    "method": ("method", "activity_phases"),
    "referral": ("criteria", "referral"),
    "steering_group": ("steering_group",),
}


def _initiative_name(application) -> str:
    name = application.title.strip()
    if Initiative.objects.filter(association=application.association, name__iexact=name).exists():
        name = f"{name} ({application.diary_number})"
    return name[:200]


def _int_or_none(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _codes(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value or [] if v]


def _grant(access, decision: Decision, application: Application) -> Initiative:
    """The granted application becomes an initiative: with its owner, period, target groups,
    municipalities, texts, budget per year and compensation model; linked from the
    application."""
    if application.initiative_id is not None:
        raise ValidationError(_("Ansökan har redan blivit en insats."))
    answers = application.answers or {}
    association = application.association
    target_groups = Code.objects.filter(
        code_list=CodeList.TARGET_GROUP, code__in=_codes(answers.get("target_groups"))
    )
    municipalities = association.municipalities.filter(
        code__in=_codes(answers.get("municipalities"))
    )
    texts = {
        field: "\n\n".join(
            filter(None, (pack_sources.answer_text(application, key) for key in keys))
        )
        for field, keys in INITIATIVE_TEXTS_FROM_ANSWERS.items()
    }
    initiative = initiative_create(
        access=access,
        association=association,
        name=_initiative_name(application),
        diary_number=application.diary_number,
        owner_organisation=application.organisation.name,
        start_date=decision.period_start,
        end_date=decision.period_end,
        status=InitiativeStatus.PLANNED,
        planned_participants=_int_or_none(answers.get("participants_planned")),
        target_groups=list(target_groups),
        municipalities=list(municipalities),
        **texts,
    )
    amounts = list(decision.amounts.all())
    for row in amounts:
        budget_save(
            access=access,
            initiative=initiative,
            year=row.year,
            amount=row.amount,
            rate_per_participant_week=decision.compensation.get("rate_per_week"),
            note=_("Beviljat i beslut %(paragraph)s, %(date)s")
            % {"paragraph": decision.item.paragraph_label, "date": sv_date(decision.decided_on)},
        )
    if decision.compensation:
        compensation_models_set(
            access=access,
            initiative=initiative,
            years=[row.year for row in amounts],
            data=decision.compensation,
        )
    Application.objects.filter(pk=application.pk).update(initiative=initiative)
    record_change(
        access=access,
        obj=application,
        action="application.initiative",
        changes={"initiative": [None, initiative.pk]},
    )
    return initiative


# --- The agreement ----------------------------------------------------------------------------


def _decision_locked(access, decision: Decision) -> Decision:
    from finsam.board.scoping import decisions_for

    return decisions_for(access).select_for_update(of=("self",)).get(pk=decision.pk)


@transaction.atomic
def sign_agreement(access, decision: Decision, *, signed_on: datetime.date) -> Decision:
    """The agreement is signed (`sign_agreement`)."""
    access.require("board.manage", association=decision.application.association_id)
    if signed_on is None:
        raise ValidationError({"signed_on": _("Ange datum då avtalet tecknades.")})
    decision = _decision_locked(access, decision)
    if decision.outcome != Outcome.GRANTED or decision.took_effect_at is None:
        raise ValidationError(
            _("Avtal tecknas bara för en beviljad ansökan med justerat protokoll.")
        )
    transition(access, decision.application, "sign_agreement")
    decision.agreement_signed_on = signed_on
    decision.save(update_fields=["agreement_signed_on", "updated_at"])
    record_change(
        access=access,
        obj=decision,
        action="decision.sign_agreement",
        changes={"agreement_signed_on": [None, signed_on.isoformat()]},
    )
    return decision


@transaction.atomic
def start(access, decision: Decision) -> Decision:
    """The initiative starts (`start`): the application runs and its initiative is active."""
    access.require("board.manage", association=decision.application.association_id)
    decision = _decision_locked(access, decision)
    application = transition(access, decision.application, "start")
    if application.initiative_id:
        initiative = Initiative.objects.get(pk=application.initiative_id)
        if initiative.status == InitiativeStatus.PLANNED:
            initiative_update(
                access=access, initiative=initiative, data={"status": InitiativeStatus.ACTIVE}
            )
    return decision


# --- The invitation ---------------------------------------------------------------------------


def board_addresses(association) -> list[str]:
    return sorted(
        set(
            RoleAssignment.objects.filter(
                association=association, role=Role.BOARD, user__is_active=True
            ).values_list("user__email", flat=True)
        )
        - {""}
    )


@transaction.atomic
def send_invitation(access, meeting: Meeting) -> int:
    """Mail the board members the invitation (kallelse) with a link to the meeting's page,
    where the agenda and the meeting pack are. Returns how many were sent (on commit)."""
    access.require("board.manage", association=meeting.association_id)
    meeting = _locked_meeting(access, meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Kallelse skickas bara till ett planerat möte."))
    if not meeting.items.exists():
        raise ValidationError(_("Lägg till ärenden på dagordningen innan kallelsen skickas."))
    addresses = board_addresses(meeting.association)
    if not addresses:
        raise ValidationError(_("Förbundet har inga styrelseledamöter med e-postadress."))
    with translation.override("sv"):
        link = settings.SITE_URL.rstrip("/") + reverse("board:meeting", kwargs={"pk": meeting.pk})
        subject = _("Kallelse till styrelsemöte %(date)s") % {"date": sv_date(meeting.date)}
        body = _(
            "Välkommen till styrelsemöte i %(association)s %(date)s%(place)s.\n\n"
            "Dagordningen och möteshandlingarna finns här: %(link)s\n"
        ) % {
            "association": meeting.association.name,
            "date": sv_date(meeting.date),
            "place": f", {meeting.place}" if meeting.place else "",
            "link": link,
        }
    messages = [(subject, body, None, [address]) for address in addresses]

    def send():
        try:
            send_mass_mail(messages)
        except OSError:
            logger.exception("The invitation to meeting %s could not be sent", meeting.pk)

    transaction.on_commit(send)
    meeting.invitation_sent_at = timezone.now()
    meeting.save(update_fields=["invitation_sent_at", "updated_at"])
    record_change(access=access, obj=meeting, action="meeting.invite")
    return len(messages)


__all__ = [
    "agenda_add",
    "agenda_remove",
    "approve_minutes",
    "decide",
    "decide_batch",
    "meeting_create",
    "send_invitation",
    "sign_agreement",
    "start",
    "Status",
]
