"""Writes of progression: the association's dimensions, and a participant's rating occasions.

Each service checks the policy itself, validates everything before writing (nothing is half
saved: one transaction), records the change in the change log (a rating occasion is a personal
object: the names of the changed fields only, never values) and, for ratings, writes the access
log. Messages are Swedish and name the field they belong to."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.audit.models import Action
from finsam.audit.services import diff, log_access, record_change, snapshot
from finsam.participants.models import AnonymousReason
from finsam.progression import defaults
from finsam.progression.models import Dimension, RatedBy, Rater, Rating, RatingOccasion

DIMENSION_FIELDS = (
    "name",
    "description",
    "scale_min",
    "scale_max",
    "min_label",
    "max_label",
    "rated_by",
    "improvement_step",
    "is_active",
    "position",
)
SCALE_FIELDS = ("scale_min", "scale_max")
MAX_SCALE = 100
# An enrolment anonymised after the fact (consent withdrawn, identity past its retention) gets no
# new ratings; one registered anonymously (no consent, protected identity) is rated like the rest
# of its registration: without identity.
CLOSED_REASONS = (AnonymousReason.CONSENT_WITHDRAWN, AnonymousReason.RETENTION_ENDED)
# What the access log names as read or changed.
RATING_FIELDS = "progressionsskattningar"


def dimension_field(dimension_id) -> str:
    """The form field (and error key) of a dimension's value."""
    return f"dimension_{dimension_id}"


# --- Dimensions ---------------------------------------------------------------------------------


def _check_dimension(association, dimension, data: dict) -> dict:
    errors: dict[str, list] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = [_("Ange dimensionens namn.")]
    elif (
        Dimension.objects.filter(association=association, name__iexact=name)
        .exclude(pk=getattr(dimension, "pk", None))
        .exists()
    ):
        errors["name"] = [_("Det finns redan en dimension med det namnet.")]
    low, high = data.get("scale_min"), data.get("scale_max")
    if low is None:
        errors["scale_min"] = [_("Ange skalans lägsta värde.")]
    elif low < 0:
        errors["scale_min"] = [_("Skalan kan inte börja under 0.")]
    if high is None:
        errors["scale_max"] = [_("Ange skalans högsta värde.")]
    elif high > MAX_SCALE:
        errors["scale_max"] = [_("Skalan kan inte gå över %(max)s.") % {"max": MAX_SCALE}]
    elif low is not None and high <= low:
        errors["scale_max"] = [_("Det högsta värdet måste vara större än det lägsta.")]
    if data.get("rated_by") not in RatedBy.values:
        errors["rated_by"] = [_("Välj vem som skattar.")]
    step = data.get("improvement_step")
    if step is None or step < 1:
        errors["improvement_step"] = [_("Ange ett steg på minst 1.")]
    elif low is not None and high is not None and high > low and step > high - low:
        errors["improvement_step"] = [
            _("Steget kan inte vara större än skalans längd (%(length)s).") % {"length": high - low}
        ]
    scale_changed = dimension is not None and (low, high) != (
        dimension.scale_min,
        dimension.scale_max,
    )
    if scale_changed and dimension.ratings.exists():
        errors.setdefault("scale_min", []).append(
            _(
                "Skalan kan inte ändras när det finns skattningar på den. Lägg till en ny "
                "dimension i stället."
            )
        )
    return errors


@transaction.atomic
def dimension_save(*, access, association, dimension: Dimension | None = None, **data) -> Dimension:
    """Create or change a dimension of `association` (the secretariat)."""
    access.require("progression.configure", association=association)
    if dimension is not None and dimension.association_id != association.pk:
        raise ValidationError({"__all__": [_("Dimensionen hör till ett annat förbund.")]})
    data = {k: data[k] for k in DIMENSION_FIELDS if k in data}
    if data.get("position") is None:
        data["position"] = (
            dimension.position
            if dimension is not None
            else Dimension.objects.filter(association=association).count() + 1
        )
    data["name"] = (data.get("name") or "").strip()
    errors = _check_dimension(association, dimension, data)
    if errors:
        raise ValidationError(errors)
    if dimension is None:
        dimension = Dimension(association=association)
        before: dict = {}
    else:
        dimension = Dimension.objects.select_for_update().get(pk=dimension.pk)
        before = snapshot(dimension, DIMENSION_FIELDS)
    for name, value in data.items():
        setattr(dimension, name, value)
    dimension.save()
    changes = diff(before, snapshot(dimension, DIMENSION_FIELDS))
    if changes:
        action = "progression.dimension_change" if before else "progression.dimension_add"
        record_change(access=access, obj=dimension, action=action, changes=changes)
    return dimension


@transaction.atomic
def dimensions_add_examples(*, access, association) -> list[Dimension]:
    """Add the shipped example set (`defaults.EXAMPLE_DIMENSIONS`, marked as examples) to
    `association`; a dimension of the same name already there is left as it is."""
    access.require("progression.configure", association=association)
    have = {n.casefold() for n in association.progression_dimensions.values_list("name", flat=True)}
    position = association.progression_dimensions.count()
    added = []
    for spec in defaults.EXAMPLE_DIMENSIONS:
        name = str(spec["name"])
        if name.casefold() in have:
            continue
        position += 1
        dimension = Dimension.objects.create(
            association=association,
            name=name,
            description=str(spec["description"]),
            min_label=str(spec["min_label"]),
            max_label=str(spec["max_label"]),
            rated_by=spec["rated_by"],
            is_example=True,
            position=position,
        )
        record_change(
            access=access,
            obj=dimension,
            action="progression.dimension_add",
            changes=diff({}, snapshot(dimension, DIMENSION_FIELDS)),
        )
        added.append(dimension)
    return added


# --- Rating occasions ---------------------------------------------------------------------------


def _fmt(day: datetime.date) -> str:
    return day.isoformat()


def _check_date(errors: dict, enrolment, rated_on) -> None:
    if rated_on is None:
        errors["rated_on"] = [_("Ange datum för skattningen.")]
    elif rated_on < enrolment.start_date:
        errors["rated_on"] = [
            _("Datumet ligger före deltagandets start (%(date)s).")
            % {"date": _fmt(enrolment.start_date)}
        ]
    elif enrolment.end_date is not None and rated_on > enrolment.end_date:
        errors["rated_on"] = [
            _("Datumet ligger efter deltagandets slut (%(date)s).")
            % {"date": _fmt(enrolment.end_date)}
        ]
    elif rated_on > timezone.localdate():
        errors["rated_on"] = [_("Datumet får inte ligga i framtiden.")]


def _check_values(errors: dict, enrolment, rater, values: dict, occasion) -> dict[int, int]:
    """The values to store, {dimension id: value}, with every error on its field."""
    dimensions = {
        d.pk: d for d in Dimension.objects.filter(association=enrolment.initiative.association_id)
    }
    rated_before = set(occasion.ratings.values_list("dimension_id", flat=True)) if occasion else ()
    out = {}
    for key, value in values.items():
        try:
            dimension = dimensions[int(key)]
        except (KeyError, TypeError, ValueError):
            errors.setdefault("__all__", []).append(_("Skattningen gäller en okänd dimension."))
            continue
        field = dimension_field(dimension.pk)
        if value is None or value == "":
            continue
        if not dimension.is_active and dimension.pk not in rated_before:
            errors[field] = [
                _("Dimensionen %(name)s används inte längre.") % {"name": dimension.name}
            ]
            continue
        if rater in Rater.values and not dimension.rated_by_rater(rater):
            errors[field] = [
                _("%(name)s skattas inte av %(rater)s.")
                % {"name": dimension.name, "rater": Rater(rater).label.lower()}
            ]
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or str(value).strip() not in (str(number), f"+{number}"):
            errors[field] = [_("Ange ett heltal.")]
        elif not dimension.scale_min <= number <= dimension.scale_max:
            errors[field] = [
                _("Ange ett värde från %(min)s till %(max)s.")
                % {"min": dimension.scale_min, "max": dimension.scale_max}
            ]
        else:
            out[dimension.pk] = number
    if not out and not any(k != "__all__" for k in errors) and "__all__" not in errors:
        errors["__all__"] = [_("Ange minst ett värde.")]
    return out


def occasion_check(*, access, enrolment, rated_on, rater, values: dict, occasion=None) -> dict:
    """Every error of a rating occasion as {field: [messages]}, saving nothing."""
    access.require("progression.rate", initiative=enrolment.initiative)
    errors: dict[str, list] = {}
    if enrolment.anonymous_reason in CLOSED_REASONS:
        errors["__all__"] = [_("Deltagandet är avidentifierat: inga nya skattningar registreras.")]
        return errors
    _check_date(errors, enrolment, rated_on)
    if rater not in Rater.values:
        errors["rater"] = [_("Välj vem som skattade.")]
    _check_values(errors, enrolment, rater, values, occasion)
    return errors


def _values(occasion) -> dict[int, int]:
    return dict(occasion.ratings.values_list("dimension_id", "value"))


def _existing(enrolment, rated_on, rater, occasion):
    qs = RatingOccasion.objects.filter(enrolment=enrolment, rated_on=rated_on, rater=rater)
    if occasion is not None:
        qs = qs.exclude(pk=occasion.pk)
    return qs.first()


def _duplicate_error(rater, rated_on):
    return ValidationError(
        {
            "rated_on": [
                _("Det finns redan en skattning av %(rater)s den %(date)s. Ändra den i stället.")
                % {"rater": Rater(rater).label.lower(), "date": _fmt(rated_on)}
            ]
        }
    )


def occasion_record(
    *,
    access,
    enrolment,
    rated_on: datetime.date,
    rater: str,
    values: dict,
    occasion: RatingOccasion | None = None,
    channel: str = "web",
) -> RatingOccasion:
    """Record a rating occasion of `enrolment` (or change `occasion`): the date, who rated and a
    value per dimension (None or "" = not rated). The same occasion sent twice (a double submit)
    is stored once."""
    errors = occasion_check(
        access=access,
        enrolment=enrolment,
        rated_on=rated_on,
        rater=rater,
        values=values,
        occasion=occasion,
    )
    if errors:
        raise ValidationError(errors)
    wanted = _check_values({}, enrolment, rater, values, occasion)
    with transaction.atomic():
        existing = _existing(enrolment, rated_on, rater, occasion)
        if existing is not None:
            if occasion is None and _values(existing) == wanted:
                return existing  # the same occasion sent again
            raise _duplicate_error(rater, rated_on)
        if occasion is None:
            try:
                with transaction.atomic():
                    saved = RatingOccasion.objects.create(
                        enrolment=enrolment,
                        rated_on=rated_on,
                        rater=rater,
                        recorded_by=access.user,
                    )
            except IntegrityError:
                # A concurrent twin got there first.
                existing = _existing(enrolment, rated_on, rater, None)
                if existing is not None and _values(existing) == wanted:
                    return existing
                raise _duplicate_error(rater, rated_on) from None
            Rating.objects.bulk_create(
                Rating(occasion=saved, dimension_id=pk, value=v) for pk, v in wanted.items()
            )
            saved.enrolment = enrolment
            changes = {"rated_on": [None, 1], "rater": [None, 1]}
            changes.update({_dimension_name(pk): [None, 1] for pk in wanted})
            record_change(
                access=access,
                obj=saved,
                action="progression.rating_record",
                changes=changes,
                channel=channel,
            )
            log_access(
                access=access,
                action=Action.CREATE,
                initiative=enrolment.initiative,
                pseudonyms=[enrolment.pseudonym],
                fields=RATING_FIELDS,
                channel=channel,
            )
            return saved
        saved = RatingOccasion.objects.select_for_update().get(pk=occasion.pk)
        saved.enrolment = enrolment
        before = {"rated_on": saved.rated_on, "rater": saved.rater, **_values(saved)}
        saved.rated_on, saved.rater = rated_on, rater
        try:
            with transaction.atomic():
                saved.save()
        except IntegrityError:
            raise _duplicate_error(rater, rated_on) from None
        saved.ratings.exclude(dimension_id__in=wanted).delete()
        for pk, value in wanted.items():
            Rating.objects.update_or_create(
                occasion=saved, dimension_id=pk, defaults={"value": value}
            )
        after = {"rated_on": rated_on, "rater": rater, **wanted}
        changes = {
            (_dimension_name(k) if isinstance(k, int) else k): [None, 1]
            for k in dict.fromkeys([*before, *after])
            if before.get(k) != after.get(k)
        }
        if changes:
            record_change(
                access=access,
                obj=saved,
                action="progression.rating_change",
                changes=changes,
                channel=channel,
            )
            log_access(
                access=access,
                action=Action.UPDATE,
                initiative=enrolment.initiative,
                pseudonyms=[enrolment.pseudonym],
                fields=RATING_FIELDS,
                channel=channel,
            )
        return saved


def _dimension_name(pk: int) -> str:
    return Dimension.objects.values_list("name", flat=True).get(pk=pk)


@transaction.atomic
def occasion_delete(*, access, occasion: RatingOccasion, channel: str = "web") -> None:
    """Remove a rating occasion recorded by mistake (logged in both logs)."""
    enrolment = occasion.enrolment
    access.require("progression.rate", initiative=enrolment.initiative)
    record_change(
        access=access,
        obj=occasion,
        action="progression.rating_delete",
        changes={"rated_on": [1, None], "rater": [1, None]},
        channel=channel,
    )
    log_access(
        access=access,
        action=Action.UPDATE,
        initiative=enrolment.initiative,
        pseudonyms=[enrolment.pseudonym],
        fields=RATING_FIELDS,
        channel=channel,
    )
    RatingOccasion.objects.filter(pk=occasion.pk).delete()
