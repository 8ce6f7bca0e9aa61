"""The applications' demo: Lunds samordningsförbund (seed 004 is an application from Lund) with
its logins, the applicant organisations, and the rounds of Lund and Skaraborg.

Idempotent: run again, it finds what it made and changes nothing. Seed 004's application itself
is the lead's (its answers come from the form engine's data), made with `demo_application`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from finsam.accounts.models import ApplicantOrganisation, RoleAssignment, User
from finsam.applications import editing, services
from finsam.applications.models import (
    Application,
    ApplicationForm,
    CoApplicant,
    FormVersion,
    Round,
)
from finsam.applications.rounds import standard_form_version
from finsam.associations.models import Association, Member
from finsam.core.policy import Principal
from finsam.core.roles import Role
from finsam.reference.models import Municipality, Region
from finsam.staff.access import build_access

LUND = {
    "slug": "lund",
    "name": "Lunds samordningsförbund",
    "org_number": "222000-0190",  # fictitious (valid check digit)
    "start_date": datetime.date(2008, 1, 1),
    "description": (
        "Samordningsförbund för Lunds kommun, Region Skåne, Försäkringskassan och "
        "Arbetsförmedlingen. Demodata för ansökningar (seed 004 är en ansökan från Lund)."
    ),
}
# The state 50 %, the region and the municipality 25 % each (the law's split).
LUND_MEMBERS = (
    ("fk", "Försäkringskassan", None, None, "25"),
    ("af", "Arbetsförmedlingen", None, None, "25"),
    ("region", "Region Skåne", None, "12", "25"),
    ("municipality", "Lunds kommun", "1281", None, "25"),
)
APPLICANT_ORGANISATION = ("Socialförvaltningen, Lunds kommun", "212000-1124")
PARTNER_ORGANISATION = ("Arbetsförmedlingen Lund", "202100-2114")


def _logins():
    from finsam.demo.loading import DemoLogin

    return (
        DemoLogin("kansli@lund.demo.finsam.se", Role.SECRETARIAT, "lund", (), "Lena", "Kansli"),
        DemoLogin(
            "beredning@lund.demo.finsam.se", Role.REVIEWER, "lund", (), "Bertil", "Beredning"
        ),
        DemoLogin("styrelse@lund.demo.finsam.se", Role.BOARD, "lund", (), "Siv", "Styrelse"),
        DemoLogin(
            "ansokan@lund.demo.finsam.se",
            Principal.APPLICANT_ORGANISATION,
            "lund",
            (),
            "Amir",
            "Ansökan",
        ),
        DemoLogin(
            "arbetsformedlingen@lund.demo.finsam.se",
            Principal.APPLICANT_ORGANISATION,
            "lund",
            (),
            "Maja",
            "Medsökande",
        ),
    )


# A minimal form while the shipped standard form (formdef/standard_form.json) is not there.
FALLBACK_DEFINITION = {
    "version": 1,
    "title": "Ansökan om medel (demo)",
    "sections": [
        {
            "key": "summary",
            "title": "Sammanfattning",
            "blocks": [
                {"key": "summary", "type": "text", "label": "Sammanfattning", "required": True}
            ],
        },
        {
            "key": "goals",
            "title": "Syfte och mål",
            "blocks": [{"key": "goals", "type": "text", "label": "Mål", "required": True}],
        },
    ],
}


def _form_version() -> FormVersion:
    version = standard_form_version()
    if version is not None:
        return version
    form, _created = ApplicationForm.objects.get_or_create(
        association=None, code="demo", defaults={"name": "Ansökan om medel (demo)"}
    )
    version, _created = FormVersion.objects.get_or_create(
        form=form, number=1, defaults={"definition": FALLBACK_DEFINITION}
    )
    return version


def skaraborg_rounds(today: datetime.date) -> list[dict]:
    """Skaraborg's rounds: 1 Feb, 1 May and 1 Oct 2026 (closed) and 1 Feb 2027 (open now)."""
    return [
        {
            "title": "Ansökningsomgång 1 februari 2026",
            "opens_on": datetime.date(2025, 11, 1),
            "closes_on": datetime.date(2026, 2, 1),
        },
        {
            "title": "Ansökningsomgång 1 maj 2026",
            "opens_on": datetime.date(2026, 2, 2),
            "closes_on": datetime.date(2026, 5, 1),
        },
        {
            "title": "Ansökningsomgång 1 oktober 2026",
            "opens_on": datetime.date(2026, 5, 2),
            "closes_on": datetime.date(2026, 10, 1),
        },
        {
            "title": "Ansökningsomgång 1 februari 2027",
            "opens_on": min(datetime.date(2026, 10, 2), today),
            "closes_on": datetime.date(2027, 2, 1),
        },
    ]


def _get_or_create(model, result, lookup: dict, values: dict):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        result.add(model._meta.model_name)
    return obj


def _lund(result) -> Association:
    association = _get_or_create(
        Association,
        result,
        {"slug": LUND["slug"]},
        {k: v for k, v in LUND.items() if k != "slug"},
    )
    lund = Municipality.objects.filter(code="1281").first()
    if lund is not None and not association.municipalities.filter(pk=lund.pk).exists():
        association.municipalities.add(lund)
    for kind, name, municipality_code, region_code, share in LUND_MEMBERS:
        _get_or_create(
            Member,
            result,
            {"association": association, "name": name},
            {
                "kind": kind,
                "municipality": Municipality.objects.filter(code=municipality_code).first()
                if municipality_code
                else None,
                "region": Region.objects.filter(code=region_code).first() if region_code else None,
                "contribution_share": Decimal(share),
                "is_financier": True,
            },
        )
    return association


def _users(associations: dict, result) -> dict[str, User]:
    from finsam.demo.loading import PASSWORD

    users, password_hash = {}, None
    for login in _logins():
        user = User.objects.filter(email=login.email).first()
        if user is None:
            password_hash = password_hash or make_password(PASSWORD)
            user = User.objects.create(
                email=login.email,
                password=password_hash,
                first_name=login.first_name,
                last_name=login.last_name,
                organisation="Demo",
            )
            result.add("user")
        if login.role in Role.values:
            _, created = RoleAssignment.objects.get_or_create(
                user=user, association=associations[login.association], role=login.role
            )
            result.add("roleassignment", int(created))
        users[login.email] = user
    return users


def _organisation(association, name, org_number, member, result) -> ApplicantOrganisation:
    organisation = _get_or_create(
        ApplicantOrganisation,
        result,
        {"association": association, "name": name},
        {"org_number": org_number},
    )
    organisation.members.add(member)
    return organisation


def _round(association, spec: dict, version: FormVersion, created_by, result) -> Round:
    round_ = Round.objects.filter(association=association, title=spec["title"]).first()
    if round_ is None:
        round_ = Round.objects.create(
            association=association,
            form_version=version,
            created_by=created_by,
            **spec,
        )
        result.add("round")
    elif round_.form_version_id != version.pk and not round_.applications.exists():
        round_.form_version = version  # the standard form arrived after the first load
        round_.save(update_fields=["form_version", "updated_at"])
    return round_


def load_applications(result, today: datetime.date | None = None) -> None:
    """Lund with its logins and organisations, and the rounds of Lund and Skaraborg."""
    today = today or timezone.localdate()
    lund = _lund(result)
    associations = {"lund": lund}
    users = _users(associations, result)
    _organisation(lund, *APPLICANT_ORGANISATION, users["ansokan@lund.demo.finsam.se"], result)
    _organisation(
        lund, *PARTNER_ORGANISATION, users["arbetsformedlingen@lund.demo.finsam.se"], result
    )
    version = _form_version()
    _round(
        lund,
        {
            "title": "Löpande ansökningar 2026",
            "description": "Ansök när som helst under året. Styrelsen beslutar vid nästa möte.",
            "opens_on": datetime.date(2026, 1, 1),
            "closes_on": None,
        },
        version,
        users["kansli@lund.demo.finsam.se"],
        result,
    )
    skaraborg = Association.objects.filter(slug="skaraborg").first()
    if skaraborg is not None:
        secretariat = User.objects.filter(email="kansli@skaraborg.demo.finsam.se").first()
        for spec in skaraborg_rounds(today):
            _round(skaraborg, spec, version, secretariat, result)
    known = {login.email for login in result.logins}
    result.logins = tuple(result.logins) + tuple(
        login for login in _logins() if login.email not in known
    )


def demo_application(
    round: Round,
    organisation: ApplicantOrganisation,
    title: str,
    answers: dict,
    by_user: User,
    submit: bool,
    co_applicants: tuple = (),
) -> Application:
    """An application written by `by_user` of `organisation` in `round` (found again by its
    title on a rerun), submitted when `submit`. `co_applicants`: (user, organisation name,
    permission) accepted as co-applicants."""
    application = Application.objects.filter(
        round=round, organisation=organisation, title=title
    ).first()
    access = build_access(by_user, round.association_id)
    if application is None:
        application = services.application_create(access, round=round, title=title)
    if application.status in ("draft", "supplement_requested") and application.answers != answers:
        # Through the editing service, as the applicant's page saves: cleaned, and the amounts
        # applied for and the period derived.
        saved = editing.answers_save(
            access, application, data=answers, lock_version=application.lock_version
        )
        if saved.errors:
            raise ValueError(f"demo answers of {title!r} do not fit the form: {saved.errors}")
        application = saved.application
    for user, organisation_name, permission in co_applicants:
        CoApplicant.objects.get_or_create(
            application=application,
            email=user.email,
            defaults={
                "organisation_name": organisation_name,
                "permission": permission,
                "user": user,
                "token": f"demo-{application.pk}-{user.pk}",
                "invited_by": by_user,
                "accepted_at": timezone.now(),
                "expires_at": timezone.now() + datetime.timedelta(days=14),
            },
        )
    if submit and application.status == "draft":
        application = services.submit(access, application)
    return application
