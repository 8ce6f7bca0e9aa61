"""Writes of the questionnaires: answering through a one-time link, and the staff's distribution
and paper entry. Every function takes the `Access` first and checks the policy.

Answering (`Access.respondent`): `open_invitation` finds a usable invitation by its token,
`save_page` keeps the answers of one page in the invitation's `Draft`, `submit` turns the draft
into a `Response` once: the invitation row is locked (`select_for_update`), a used or expired one
is refused, every answer is checked against the version (item in the version, shown under its
condition, choice code on the item's scale) and the draft is deleted. Nothing of an anonymous
submission reaches the change log (its time would date the answer).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.audit.services import record_change
from finsam.core.roles import Role
from finsam.questionnaires.models import (
    GENDER_ITEM,
    LANGUAGES,
    PARTICIPANT_GROUPS,
    PERIOD_RE,
    SOURCE_LANGUAGE,
    Answer,
    Draft,
    GroupLink,
    Invitation,
    ItemKind,
    QuestionnaireVersion,
    Response,
    ReviewStatus,
    Source,
    hash_token,
)

FREE_TEXT_MAX = 2000


class TokenProblem(Exception):
    """A link that cannot be answered; `reason` is "unknown", "used", "expired" or "closed"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class RateLimited(Exception):
    pass


def new_token() -> str:
    return secrets.token_urlsafe(16)


# --- The definition as the answering page needs it ------------------------------------------


@dataclass
class Page:
    number: int  # 1-based
    section: object
    items: list


# Published versions never change under answers: their pages are read once per process, keyed
# by the version and its publication time (a version number is never reused with other content).
_PAGES: dict[tuple, list[Page]] = {}


def pages(version) -> list[Page]:
    """The version's pages (sections with their items, each item with its scale's `points`)."""
    if version.published_at is None:
        return _read_pages(version)
    key = (version.pk, version.published_at)
    cached = _PAGES.get(key)
    if cached is None:
        if len(_PAGES) > 200:
            _PAGES.clear()
        cached = _PAGES[key] = _read_pages(version)
    return cached


def _read_pages(version) -> list[Page]:
    items = list(
        version.items.select_related("scale", "section").order_by("section__order", "order")
    )
    points = {}
    for item in items:
        if item.scale_id and item.scale_id not in points:
            points[item.scale_id] = list(item.scale.points.order_by("order"))
    for item in items:
        item.points = points.get(item.scale_id, [])
    out: list[Page] = []
    for section in version.sections.order_by("order"):
        section_items = [i for i in items if i.section_id == section.pk]
        if section_items:
            out.append(Page(len(out) + 1, section, section_items))
    return out


def is_shown(item, answers: dict) -> bool:
    """An item with a condition is shown when its condition item was answered with one of the
    codes (`answers`: item code -> {"choice": …})."""
    if not item.condition_item:
        return True
    given = answers.get(item.condition_item) or {}
    return given.get("choice") in set(item.condition_codes)


def clean_answer(item, raw: str):
    """The stored form of one posted answer, None for no answer; ValidationError if invalid."""
    raw = (raw or "").strip()
    if not raw:
        if item.required:
            raise ValidationError(_("Svara på frågan."))
        return None
    if item.kind == ItemKind.FREE_TEXT:
        if len(raw) > FREE_TEXT_MAX:
            raise ValidationError(_("Svaret får vara högst %(n)s tecken.") % {"n": FREE_TEXT_MAX})
        return {"text": raw}
    codes = {p.code for p in item.points}
    if raw not in codes:
        raise ValidationError(_("Välj ett av svarsalternativen."))
    return {"choice": raw}


# --- Answering -------------------------------------------------------------------------------


def find_invitation(token: str, *, lock: bool = False) -> Invitation:
    """The usable invitation of `token`, or TokenProblem."""
    qs = Invitation.objects.select_related("version__questionnaire", "association")
    if lock:
        qs = qs.select_for_update(of=("self",))
    invitation = qs.filter(token_hash=hash_token(token or "")).first()
    if invitation is None:
        raise TokenProblem("unknown")
    if invitation.used:
        raise TokenProblem("used")
    if invitation.expires_at <= timezone.now():
        raise TokenProblem("expired")
    return invitation


def save_page(access, token: str, page: Page, posted: dict, language: str) -> dict:
    """Keep the answers of one page in the draft. `posted` maps item codes to raw values.
    Returns {item code: error} (nothing saved when there are errors)."""
    access.require("questionnaire.answer")
    with transaction.atomic():
        invitation = find_invitation(token, lock=True)
        draft = Draft.objects.filter(invitation=invitation).first() or Draft(invitation=invitation)
        answers = dict(draft.answers)
        errors = {}
        for item in page.items:
            if not is_shown(item, answers):
                answers.pop(item.code, None)
                continue
            try:
                value = clean_answer(item, posted.get(item.code, ""))
            except ValidationError as error:
                errors[item.code] = error.messages[0]
                continue
            if value is None:
                answers.pop(item.code, None)
            else:
                answers[item.code] = value
        if errors:
            return errors
        draft.answers = answers
        draft.language = language if language in LANGUAGES else SOURCE_LANGUAGE
        draft.save()
    return {}


def _build_answers(version, answers: dict) -> list[Answer]:
    """The answers to store, checked against the version again (a draft is server-side, but
    a version could have been answered under another definition: never trust it blindly)."""
    items = {i.code: i for p in pages(version) for i in p.items}
    out = []
    for code, given in answers.items():
        item = items.get(code)
        if item is None:
            raise ValidationError(_("Frågan %(code)s finns inte i enkäten.") % {"code": code})
        if not is_shown(item, answers):
            continue
        if item.kind == ItemKind.FREE_TEXT:
            out.append(Answer(item_code=code, text=str(given.get("text", ""))[:FREE_TEXT_MAX]))
            continue
        point = next((p for p in item.points if p.code == given.get("choice")), None)
        if point is None:
            raise ValidationError(_("Välj ett av svarsalternativen."))
        out.append(Answer(item_code=code, choice_code=point.code, value=point.value))
    for item in items.values():
        if item.required and is_shown(item, answers) and item.code not in answers:
            raise ValidationError(_("Svara på frågan %(code)s.") % {"code": item.code})
    return out


def submit(access, token: str) -> Response:
    """Turn the draft of `token` into a Response, once."""
    access.require("questionnaire.answer")
    with transaction.atomic():
        invitation = find_invitation(token, lock=True)
        draft = Draft.objects.filter(invitation=invitation).first()
        answers = draft.answers if draft else {}
        version = invitation.version
        questionnaire = version.questionnaire
        rows = _build_answers(version, answers)
        gender = next((a.choice_code for a in rows if a.item_code == GENDER_ITEM), "")
        enrolment = None
        if not questionnaire.anonymous and questionnaire.respondent_group in PARTICIPANT_GROUPS:
            enrolment = invitation.enrolment
        response = Response.objects.create(
            version=version,
            association=invitation.association,
            initiative=invitation.initiative,
            respondent_group=questionnaire.respondent_group,
            language=draft.language if draft else SOURCE_LANGUAGE,
            period=invitation.period,
            gender=gender if gender in ("woman", "man", "other") else "",
            enrolment=enrolment,
            source=Source.WEB,
        )
        for row in rows:
            row.response = response
        Answer.objects.bulk_create(rows)
        invitation.used = True
        invitation.email = None
        invitation.save(update_fields=["used", "email"])
        if draft:
            draft.delete()
    return response


# --- Distribution (staff) ----------------------------------------------------------------------


def _check_target(access, version, initiative, period, action="questionnaire.manage"):
    if initiative is not None:
        access.require(action, initiative=initiative)
    else:
        access.require(action)
        if not access.can_throughout(action):
            raise ValidationError(_("Välj en insats."))
    owner = version.questionnaire.association_id
    if owner is not None and owner != access.association_id:
        raise ValidationError(_("Enkäten tillhör ett annat förbund."))
    if version.published_at is None:
        raise ValidationError(_("Versionen är inte publicerad."))
    if not PERIOD_RE.match(period or ""):
        raise ValidationError(_("Ange mätperioden som till exempel 2026-H2."))


def create_invitations(
    access, *, version: QuestionnaireVersion, initiative, period: str, count: int, valid_days=30
) -> list[str]:
    """`count` one-time links; returns the tokens (shown once: only their hashes are kept)."""
    _check_target(access, version, initiative, period)
    if not 1 <= count <= 500:
        raise ValidationError(_("Ange ett antal mellan 1 och 500."))
    expires = timezone.now() + timedelta(days=valid_days)
    tokens = [new_token() for _i in range(count)]
    with transaction.atomic():
        Invitation.objects.bulk_create(
            Invitation(
                token_hash=hash_token(t),
                version=version,
                association=access.association,
                initiative=initiative,
                period=period,
                expires_at=expires,
            )
            for t in tokens
        )
        record_change(
            access=access,
            obj=version,
            action="questionnaire.invitations",
            changes={"count": [None, count], "period": [None, period]},
        )
    return tokens


def invite_enrolment(access, *, version, enrolment, period: str, valid_days=30) -> str:
    """A one-time link for one enrolled participant of a non-anonymous participant
    questionnaire: only by the initiative's registrar, only with the enrolment's consent (not
    withdrawn). The answer is then stored with the enrolment; returns the token."""
    access.require("enrolment.register", initiative=enrolment.initiative)
    _check_target(access, version, enrolment.initiative, period, action="questionnaire.enter_paper")
    questionnaire = version.questionnaire
    if questionnaire.anonymous or questionnaire.respondent_group not in PARTICIPANT_GROUPS:
        raise ValidationError(_("Enkäten är anonym: den kopplas aldrig till en deltagare."))
    consent = getattr(enrolment, "consent", None) if hasattr(enrolment, "consent") else None
    if consent is None or consent.withdrawn_on is not None:
        raise ValidationError(_("Deltagaren har inte samtyckt."))
    token = new_token()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            token_hash=hash_token(token),
            version=version,
            association=access.association,
            initiative=enrolment.initiative,
            period=period,
            expires_at=timezone.now() + timedelta(days=valid_days),
            enrolment=enrolment,
        )
        record_change(access=access, obj=invitation, action="questionnaire.invite_enrolment")
    return token


def create_group_link(
    access, *, version, initiative, period: str, max_uses=30, per_minute=20, valid_hours=4
) -> str:
    _check_target(access, version, initiative, period)
    token = new_token()
    with transaction.atomic():
        link = GroupLink.objects.create(
            token_hash=hash_token(token),
            version=version,
            association=access.association,
            initiative=initiative,
            period=period,
            expires_at=timezone.now() + timedelta(hours=valid_hours),
            max_uses=max_uses,
            per_minute=per_minute,
        )
        record_change(access=access, obj=link, action="questionnaire.group_link")
    return token


def find_group_link(token: str, *, lock=False) -> GroupLink:
    qs = GroupLink.objects.select_related("version__questionnaire")
    if lock:
        qs = qs.select_for_update()
    link = qs.filter(token_hash=hash_token(token or "")).first()
    if link is None:
        raise TokenProblem("unknown")
    if not link.active or link.expires_at <= timezone.now():
        raise TokenProblem("expired")
    return link


def start_from_group_link(access, token: str) -> str:
    """A fresh one-time link for one respondent of a group session (rate-limited)."""
    access.require("questionnaire.answer")
    with transaction.atomic():
        link = find_group_link(token, lock=True)
        now = timezone.now()
        made = link.invitations.all()
        if made.count() >= link.max_uses:
            raise TokenProblem("closed")
        if made.filter(created_at__gte=now - timedelta(minutes=1)).count() >= link.per_minute:
            raise RateLimited
        personal = new_token()
        Invitation.objects.create(
            token_hash=hash_token(personal),
            version=link.version,
            association_id=link.association_id,
            initiative_id=link.initiative_id,
            period=link.period,
            expires_at=min(link.expires_at, now + timedelta(hours=4)),
            group_link=link,
        )
    return personal


def _send(invitation_token: str, email: str, version, url_for, reminder=False):
    name = version.questionnaire.text()
    subject = (_("Påminnelse: %(name)s") if reminder else _("Enkät: %(name)s")) % {"name": name}
    body = _(
        "Hej!\n\nDu är inbjuden att svara på enkäten ”%(name)s”. Svaren är anonyma.\n\n"
        "Svara här: %(url)s\n\nLänken kan bara användas en gång."
    ) % {"name": name, "url": url_for(invitation_token)}
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])


def send_email_invitations(
    access, *, version, initiative, period: str, emails: list[str], url_for, valid_days=30
) -> int:
    """One one-time link per address, sent by e-mail (`url_for(token)` makes the absolute URL)."""
    _check_target(access, version, initiative, period)
    if version.questionnaire.respondent_group in PARTICIPANT_GROUPS:
        raise ValidationError(
            _("E-postinbjudningar är för personal, styrelse, chefer och remittenter.")
        )
    emails = sorted({e.strip().lower() for e in emails if e.strip()})
    if not emails:
        raise ValidationError(_("Ange minst en e-postadress."))
    if len(emails) > 500:
        raise ValidationError(_("Högst 500 adresser åt gången."))
    now = timezone.now()
    with transaction.atomic():
        for email in emails:
            token = new_token()
            Invitation.objects.create(
                token_hash=hash_token(token),
                version=version,
                association=access.association,
                initiative=initiative,
                period=period,
                expires_at=now + timedelta(days=valid_days),
                email=email,
                sent_at=now,
            )
            _send(token, email, version, url_for)
        record_change(
            access=access,
            obj=version,
            action="questionnaire.email_invitations",
            changes={"count": [None, len(emails)], "period": [None, period]},
        )
    return len(emails)


def send_reminders(access, *, version, period: str, url_for) -> int:
    """Remind the unused e-mail invitations of the association (a new link replaces the old one:
    only hashes are kept; a draft stays with the invitation)."""
    access.require("questionnaire.manage")
    now = timezone.now()
    qs = Invitation.objects.filter(
        version=version,
        association=access.association,
        period=period,
        used=False,
        expires_at__gt=now,
    ).filter(email__isnull=False)
    if not access.can_throughout("questionnaire.manage"):
        qs = qs.filter(initiative__in=access.assigned_to(Role.INITIATIVE_MANAGER))
    count = 0
    with transaction.atomic():
        for invitation in qs.select_for_update():
            token = new_token()
            invitation.token_hash = hash_token(token)
            invitation.reminded_at = now
            invitation.save(update_fields=["token_hash", "reminded_at"])
            _send(token, invitation.email, version, url_for, reminder=True)
            count += 1
        if count:
            record_change(
                access=access,
                obj=version,
                action="questionnaire.reminders",
                changes={"count": [None, count]},
            )
    return count


# --- Paper answers -----------------------------------------------------------------------------


def enter_paper(
    access, *, version, initiative, period: str, posted: dict, language=SOURCE_LANGUAGE
):
    """A paper questionnaire typed in by a registrar: a Response with review status "entered".
    Returns (response, errors); nothing is saved when there are errors."""
    _check_target(access, version, initiative, period, action="questionnaire.enter_paper")
    answers, errors = {}, {}
    for page in pages(version):
        for item in page.items:
            try:
                value = clean_answer(item, posted.get(item.code, ""))
            except ValidationError as error:
                errors[item.code] = error.messages[0]
                continue
            if value is not None:
                answers[item.code] = value
    if errors:
        return None, errors
    with transaction.atomic():
        rows = _build_answers(version, answers)
        gender = next((a.choice_code for a in rows if a.item_code == GENDER_ITEM), "")
        response = Response.objects.create(
            version=version,
            association=access.association,
            initiative=initiative,
            respondent_group=version.questionnaire.respondent_group,
            language=language,
            period=period,
            gender=gender,
            source=Source.PAPER,
            review_status=ReviewStatus.ENTERED,
        )
        for row in rows:
            row.response = response
        Answer.objects.bulk_create(rows)
        record_change(access=access, obj=response, action="questionnaire.enter_paper")
    return response, {}


def review_paper(access, response: Response) -> None:
    access.require(
        "questionnaire.enter_paper",
        initiative=response.initiative_id or None,
        association=response.association_id,
    )
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.source != Source.PAPER or locked.review_status != ReviewStatus.ENTERED:
            raise ValidationError(_("Svaret är redan granskat."))
        locked.review_status = ReviewStatus.REVIEWED
        locked.save(update_fields=["review_status"])
        record_change(
            access=access,
            obj=locked,
            action="questionnaire.review_paper",
            changes={"review_status": [ReviewStatus.ENTERED, ReviewStatus.REVIEWED]},
        )
