"""Writes for the socioeconomic estimate: the association's assumptions and the initiatives'
estimates. Each checks the policy itself, validates everything before writing (nothing is half
saved) and records the change in the change log."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from finsam.audit.services import diff, record_change, snapshot
from finsam.socioeconomics import selectors
from finsam.socioeconomics.models import (
    UNITS,
    Assumption,
    AssumptionKey,
    CostSource,
    Estimate,
    EstimateMode,
    LeaverSource,
    Unit,
)

ASSUMPTION_FIELDS = ("value", "source", "source_url", "source_date", "is_assumption")
ESTIMATE_FIELDS = (
    "title",
    "mode",
    "cost_source",
    "cost_amount",
    "leaver_source",
    "leavers_municipality",
    "leavers_state",
    "years",
    "note",
)
MAX_COST_PER_PERSON = Decimal(10_000_000)
MAX_DISCOUNT_RATE = Decimal(20)
MAX_YEARS = 40
MAX_LEAVERS = 100_000


def _check_assumption(key: str, value, association, source, is_assumption) -> dict:
    errors: dict[str, list] = {}
    if value is None:
        errors["value"] = [_("Ange ett värde.")]
        return errors
    if value < 0:
        errors["value"] = [_("Värdet kan inte vara negativt.")]
    elif key == AssumptionKey.DISCOUNT_RATE and value > MAX_DISCOUNT_RATE:
        errors["value"] = [
            _("Diskonteringsräntan ska ligga mellan 0 och %(max)s %%.") % {"max": MAX_DISCOUNT_RATE}
        ]
    elif UNITS[AssumptionKey(key)] == Unit.PERCENT and value > 100:
        errors["value"] = [_("En andel kan inte vara över 100 %.")]
    elif UNITS[AssumptionKey(key)] == Unit.KR_PER_YEAR and value > MAX_COST_PER_PERSON:
        errors["value"] = [_("Beloppet är orimligt stort för en person och ett år.")]
    if key in (AssumptionKey.SHARE_YEAR1, AssumptionKey.SHARE_YEAR5) and "value" not in errors:
        current = selectors.assumptions(association)
        year1 = value if key == AssumptionKey.SHARE_YEAR1 else current["share_year1"].value
        year5 = value if key == AssumptionKey.SHARE_YEAR5 else current["share_year5"].value
        if year5 > year1:
            errors["value"] = [
                _(
                    "Andelen efter 5 år (%(year5)s %%) kan inte vara större än andelen efter "
                    "1 år (%(year1)s %%)."
                )
                % {"year5": year5.normalize(), "year1": year1.normalize()}
            ]
    if not (source or "").strip() and not is_assumption:
        errors["source"] = [
            _("Ange en källa, eller markera värdet som ett antagande utan offentlig källa.")
        ]
    return errors


@transaction.atomic
def assumption_set(
    *,
    access,
    association,
    key: str,
    value: Decimal | None,
    source: str = "",
    source_url: str = "",
    source_date: datetime.date | None = None,
    is_assumption: bool = False,
) -> Assumption:
    """Set one assumption of the association (creating its row over the default)."""
    access.require("estimate.change", association=association)
    if key not in AssumptionKey.values:
        raise ValidationError({"key": [_("Okänt antagande.")]})
    errors = _check_assumption(key, value, association, source, is_assumption)
    if errors:
        raise ValidationError(errors)
    assumption = (
        Assumption.objects.select_for_update().filter(association=association, key=key).first()
    )
    before = snapshot(assumption, ASSUMPTION_FIELDS) if assumption else {}
    if assumption is None:
        assumption = Assumption(association=association, key=key)
    assumption.value = value
    assumption.source = (source or "").strip()
    assumption.source_url = (source_url or "").strip()
    assumption.source_date = source_date
    assumption.is_assumption = is_assumption
    assumption.changed_by = access.user
    assumption.full_clean(validate_constraints=False, validate_unique=False)
    assumption._history_user = access.user
    assumption.save()
    record_change(
        access=access,
        obj=assumption,
        action="estimate.assumption_set",
        changes=diff(before, snapshot(assumption, ASSUMPTION_FIELDS)),
    )
    return assumption


def _check_estimate(data: dict) -> dict:
    errors: dict[str, list] = {}
    if not (data.get("title") or "").strip():
        errors["title"] = [_("Ange en rubrik.")]
    if data.get("mode") not in EstimateMode.values:
        errors["mode"] = [_("Välj typ av uppskattning.")]
    if data.get("cost_source") not in CostSource.values:
        errors["cost_source"] = [_("Välj var kostnaden kommer från.")]
    cost = data.get("cost_amount")
    if cost is not None and cost < 0:
        errors["cost_amount"] = [_("Kostnaden kan inte vara negativ.")]
    elif data.get("cost_source") == CostSource.ENTERED and cost is None:
        errors["cost_amount"] = [_("Ange kostnaden i kronor.")]
    if data.get("leaver_source") not in LeaverSource.values:
        errors["leaver_source"] = [_("Välj var antalet deltagare kommer från.")]
    for name in ("leavers_municipality", "leavers_state"):
        value = data.get(name)
        if value is None or value < 0:
            errors[name] = [_("Antalet kan inte vara negativt.")]
        elif value > MAX_LEAVERS:
            errors[name] = [_("Antalet är orimligt stort.")]
    years = data.get("years")
    if years is None or not 1 <= years <= MAX_YEARS:
        errors["years"] = [_("Antalet år ska ligga mellan 1 och %(max)s.") % {"max": MAX_YEARS}]
    if (
        data.get("mode") == EstimateMode.SCENARIO
        and data.get("leaver_source") == LeaverSource.EXITS
    ):
        errors["leaver_source"] = [
            _("Ett scenario anger själv hur många deltagare som lämnar ersättning.")
        ]
    return errors


@transaction.atomic
def estimate_save(*, access, initiative, estimate: Estimate | None = None, **data) -> Estimate:
    """Create (`estimate` None) or change an estimate of `initiative`."""
    access.require("estimate.change", initiative=initiative)
    data = {name: data.get(name) for name in ESTIMATE_FIELDS}
    data["title"] = (data["title"] or "").strip()
    data["note"] = (data["note"] or "").strip()
    if data["cost_source"] == CostSource.BUDGETS:
        data["cost_amount"] = None
    errors = _check_estimate(data)
    same_title = Estimate.objects.filter(initiative=initiative, title=data["title"])
    if estimate is not None:
        same_title = same_title.exclude(pk=estimate.pk)
    if "title" not in errors and same_title.exists():
        # Also what a double submit of the new-estimate form meets: never a second copy.
        errors["title"] = [_("Insatsen har redan en uppskattning med den rubriken.")]
    if errors:
        raise ValidationError(errors)
    if estimate is not None:
        estimate = Estimate.objects.select_for_update().get(pk=estimate.pk, initiative=initiative)
        before = snapshot(estimate, ESTIMATE_FIELDS)
        action = "estimate.change"
    else:
        estimate = Estimate(
            initiative=initiative,
            association_id=initiative.association_id,
            created_by=access.user,
        )
        before = {}
        action = "estimate.create"
    for name, value in data.items():
        setattr(estimate, name, value)
    estimate.full_clean(validate_constraints=False)
    estimate._history_user = access.user
    try:
        with transaction.atomic():
            estimate.save()
    except IntegrityError as exc:
        # Two submits at the same moment: the unique title lets only the first through.
        raise ValidationError(
            {"title": [_("Insatsen har redan en uppskattning med den rubriken.")]}
        ) from exc
    record_change(
        access=access,
        obj=estimate,
        action=action,
        changes=diff(before, snapshot(estimate, ESTIMATE_FIELDS)),
    )
    return estimate


@transaction.atomic
def estimate_delete(*, access, estimate: Estimate) -> None:
    access.require("estimate.change", initiative=estimate.initiative)
    record_change(
        access=access,
        obj=estimate,
        action="estimate.delete",
        changes=diff(snapshot(estimate, ESTIMATE_FIELDS), {}),
    )
    estimate.delete()
