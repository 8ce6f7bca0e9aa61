"""The secretariat's rounds and form versions (services).

A round is open from `opens_on` through `closes_on` (or continuous without a closing date) and
uses one form version; the version of a round that has applications is never changed, and a
version is never edited once made (a new one is made instead).
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from finsam.applications import formdef
from finsam.applications.models import ApplicationForm, FormVersion, Round
from finsam.audit.services import record_change

STANDARD_FORM_FILE = Path(__file__).resolve().parent / "formdef" / "standard_form.json"
STANDARD_FORM_CODE = "standard"
ROUND_FIELDS = ("title", "description", "opens_on", "closes_on", "form_version")


def standard_form_version() -> FormVersion | None:
    """The shipped standard form (no association, code "standard") and its version 1, made from
    `formdef/standard_form.json`; None while the file is not there."""
    if not STANDARD_FORM_FILE.exists():
        return None
    definition = json.loads(STANDARD_FORM_FILE.read_text(encoding="utf-8"))
    form, _created = ApplicationForm.objects.get_or_create(
        association=None,
        code=STANDARD_FORM_CODE,
        defaults={"name": definition.get("title") or "Ansökan om medel"},
    )
    version, _created = FormVersion.objects.get_or_create(
        form=form, number=1, defaults={"definition": definition}
    )
    return version


def form_versions_for(access):
    """The form versions the association's rounds may use: the shipped forms' and its own."""
    if access.association is None:
        return FormVersion.objects.none()
    return FormVersion.objects.filter(
        Q(form__association__isnull=True) | Q(form__association=access.association)
    ).select_related("form")


def definition_problems(definition) -> list[str]:
    """What is wrong with a form definition (empty when it can be used): the form engine's
    check."""
    return formdef.validate_definition(definition)


def parse_definition(text: str):
    """The definition in `text` (JSON), or ValidationError with a Swedish message."""
    try:
        definition = json.loads(text)
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            {"definition": _("Texten är inte giltig JSON: %(error)s") % {"error": exc}}
        ) from exc
    problems = definition_problems(definition)
    if problems:
        raise ValidationError({"definition": problems})
    return definition


def _check_round(access, data: dict, round_: Round | None) -> None:
    errors = {}
    if not (data.get("title") or "").strip():
        errors["title"] = _("Ange omgångens namn.")
    opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
    if opens_on is None:
        errors["opens_on"] = _("Ange när omgången öppnar.")
    elif closes_on is not None and closes_on < opens_on:
        errors["closes_on"] = _("Omgången måste stänga samma dag som den öppnar eller senare.")
    version = data.get("form_version")
    if version is None:
        errors["form_version"] = _("Välj formulär.")
    elif not form_versions_for(access).filter(pk=version.pk).exists():
        errors["form_version"] = _("Formuläret finns inte i förbundet.")
    elif (
        round_ is not None and round_.form_version_id != version.pk and round_.applications.exists()
    ):
        errors["form_version"] = _(
            "Formuläret kan inte bytas: omgången har redan ansökningar. Skapa en ny omgång."
        )
    title_taken = Round.objects.filter(
        association=access.association, title=(data.get("title") or "").strip()
    )
    if round_ is not None:
        title_taken = title_taken.exclude(pk=round_.pk)
    if "title" not in errors and title_taken.exists():
        errors["title"] = _("Det finns redan en omgång med det namnet.")
    if errors:
        raise ValidationError(errors)


def _title_taken() -> ValidationError:
    return ValidationError({"title": _("Det finns redan en omgång med det namnet.")})


@transaction.atomic
def round_create(access, *, data: dict) -> Round:
    access.require("application.manage", association=access.association)
    _check_round(access, data, None)
    values = {k: data.get(k) for k in ROUND_FIELDS}
    values["title"] = values["title"].strip()
    values["description"] = (values["description"] or "").strip()
    try:
        with transaction.atomic():
            round_ = Round.objects.create(
                association=access.association, created_by=access.user, **values
            )
    except IntegrityError as exc:  # the same title saved at the same moment
        raise _title_taken() from exc
    record_change(access=access, obj=round_, action="round.create")
    return round_


@transaction.atomic
def round_update(access, round_: Round, *, data: dict) -> Round:
    access.require("application.manage", association=round_.association)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _check_round(access, data, round_)
    changes = {}
    for name in ROUND_FIELDS:
        new = data.get(name)
        if name in ("title", "description"):
            new = (new or "").strip()
        old = getattr(round_, name)
        if old != new:
            changes[name] = [str(old) if old is not None else None, str(new) if new else None]
            setattr(round_, name, new)
    if changes:
        try:
            with transaction.atomic():
                round_.save()
        except IntegrityError as exc:
            raise _title_taken() from exc
        record_change(access=access, obj=round_, action="round.update", changes=changes)
    return round_


@transaction.atomic
def form_version_create(access, *, name: str, definition_text: str) -> FormVersion:
    """A new version of the association's form `name` (a new form when there is none by that
    name) from a JSON definition. Earlier versions stay as they are."""
    access.require("application.manage", association=access.association)
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Ange formulärets namn.")
    try:
        definition = parse_definition(definition_text)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    form = (
        ApplicationForm.objects.select_for_update()
        .filter(association=access.association, name=name)
        .first()
    )
    if form is None:
        code = slugify(name)[:50] or "formular"
        taken = set(
            ApplicationForm.objects.filter(
                association=access.association, code__startswith=code
            ).values_list("code", flat=True)
        )
        unique, n = code, 2
        while unique in taken:
            unique, n = f"{code}-{n}", n + 1
        form = ApplicationForm.objects.create(
            association=access.association, code=unique, name=name
        )
        record_change(access=access, obj=form, action="application_form.create")
    last = form.versions.aggregate(last=Max("number"))["last"] or 0
    version = FormVersion.objects.create(
        form=form, number=last + 1, definition=definition, created_by=access.user
    )
    record_change(access=access, obj=version, action="form_version.create")
    return version
