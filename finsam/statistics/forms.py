"""The statistics filter: period (with quick picks), initiatives, target groups, municipalities.

One form parses the query string of the pages, their downloads and the API, so the three always
count the same thing. The choices are limited to the scope: an initiative or municipality id from
outside it is rejected like any invalid choice. Filters carry only dates and ids, never personal
data, so the resulting URL can be shared.
"""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from finsam.core.validators import IdsChoiceField
from finsam.initiatives.models import Initiative
from finsam.reference.models import Code, CodeList, Municipality

# Query-string names (shared by pages, downloads and API).
PERIOD_START = "period_start"
PERIOD_END = "period_end"
PRESET = "preset"
INITIATIVE = "initiative"
TARGET_GROUP = "target_group"
MUNICIPALITY = "municipality"
TOTALS_ONLY = "totals_only"

PRESETS = ("this_year", "last_year", "t1", "jan_aug", "year")


def preset_period(
    preset: str, *, today: datetime.date, year: int
) -> tuple[datetime.date, datetime.date]:
    """The dates of a quick pick. "I år" and "Förra året" are relative to today; the tertial,
    "januari–augusti" and "helår" belong to `year` (the year of the period being looked at)."""
    if preset == "this_year":
        return datetime.date(today.year, 1, 1), today
    if preset == "last_year":
        return datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)
    if preset == "t1":
        return datetime.date(year, 1, 1), datetime.date(year, 4, 30)
    if preset == "jan_aug":
        return datetime.date(year, 1, 1), datetime.date(year, 8, 31)
    if preset == "year":
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    raise ValueError(preset)


def preset_label(preset: str, year: int) -> str:
    return {
        "this_year": gettext("I år"),
        "last_year": gettext("Förra året"),
        "t1": gettext("Tertial 1 %(year)s") % {"year": year},
        "jan_aug": gettext("Januari–augusti %(year)s") % {"year": year},
        "year": gettext("Helår %(year)s") % {"year": year},
    }[preset]


def _parse_date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None


def resolve_query(data, *, today: datetime.date) -> QueryDict:
    """The query with defaults filled in and a quick pick turned into dates.

    Without a period the current year so far is shown. A quick pick (`preset=t1`) replaces the
    dates; its year is the year of the period the user was looking at."""
    query = QueryDict(mutable=True)
    for key in data:
        if key != PRESET:
            query.setlist(key, data.getlist(key) if hasattr(data, "getlist") else [data[key]])
    preset = data.get(PRESET, "")
    if preset in PRESETS:
        looked_at = _parse_date(data.get(PERIOD_END)) or _parse_date(data.get(PERIOD_START))
        year = looked_at.year if looked_at else today.year
        start, end = preset_period(preset, today=today, year=year)
        query[PERIOD_START], query[PERIOD_END] = start.isoformat(), end.isoformat()
    if not query.get(PERIOD_START) and not query.get(PERIOD_END):
        start, end = preset_period("this_year", today=today, year=today.year)
        query[PERIOD_START], query[PERIOD_END] = start.isoformat(), end.isoformat()
    return query


class CheckboxList(forms.CheckboxSelectMultiple):
    """Check boxes with Bootstrap's class (the template lays them out in a dropdown)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"class": "form-check-input", **(attrs or {})}, choices)


def initiative_choices(scope):
    queryset = Initiative.objects.select_related("association")
    if scope.initiative_ids is not None:
        queryset = queryset.filter(pk__in=scope.initiative_ids)
    if scope.association_ids is not None:
        queryset = queryset.filter(association_id__in=scope.association_ids)
    return queryset.order_by("name", "pk")


def municipality_choices(scope):
    """Home municipalities to filter on: those of the associations in scope (and of the
    initiatives, which may reach beyond their association); every municipality nationally."""
    queryset = Municipality.objects.all()
    if scope.initiative_ids is not None:
        ids = list(scope.initiative_ids)
        queryset = queryset.filter(
            Q(associations__initiatives__in=ids) | Q(initiatives__in=ids)
        ).distinct()
    elif scope.association_ids is not None:
        queryset = queryset.filter(associations__in=list(scope.association_ids)).distinct()
    return queryset.order_by("name")


class InitiativeChoiceField(IdsChoiceField):
    def __init__(self, *args, with_association=False, **kwargs):
        self.with_association = with_association
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        if self.with_association:
            return f"{obj.name} ({obj.association.name})"
        return obj.name


class StatsFilterForm(forms.Form):
    period_start = forms.DateField(
        label=_("Från"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    period_end = forms.DateField(
        label=_("Till"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    initiative = InitiativeChoiceField(
        label=_("Insatser"), queryset=Initiative.objects.none(), required=False, widget=CheckboxList
    )
    target_group = IdsChoiceField(
        label=_("Målgrupp"),
        queryset=Code.objects.none(),
        required=False,
        widget=CheckboxList,
    )
    municipality = IdsChoiceField(
        label=_("Hemkommun"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=CheckboxList,
    )
    totals_only = forms.BooleanField(label=_("Visa endast totalt"), required=False)

    def __init__(self, data, *, scope, today: datetime.date | None = None):
        self.today = today or timezone.localdate()
        self.scope = scope
        super().__init__(resolve_query(data, today=self.today))
        if scope.kind in ("initiative", "national"):
            # One initiative needs no choice; the whole country has too many to list.
            del self.fields[INITIATIVE]
        else:
            field = self.fields[INITIATIVE]
            field.queryset = initiative_choices(scope)
            field.with_association = scope.kind == "region"
        self.fields[TARGET_GROUP].queryset = Code.objects.of(CodeList.TARGET_GROUP).order_by(
            "sort_order", "labels__sv"
        )
        self.fields[MUNICIPALITY].queryset = municipality_choices(scope)
        self.fields[PERIOD_START].widget.attrs["class"] = "form-control"
        self.fields[PERIOD_END].widget.attrs["class"] = "form-control"
        self.fields[TOTALS_ONLY].widget.attrs.update(
            {"class": "form-check-input", "role": "switch"}
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get(PERIOD_START), cleaned.get(PERIOD_END)
        if start and end and start > end:
            raise forms.ValidationError(
                gettext("Periodens startdatum måste vara före eller samma som slutdatumet."),
                code="period_order",
            )
        if start and end and (end - start).days > 366 * 50:
            raise forms.ValidationError(
                gettext("Perioden får vara högst 50 år."), code="period_length"
            )
        return cleaned

    # --- After validation -------------------------------------------------------------------

    def _ids(self, name) -> tuple[int, ...]:
        return tuple(sorted(obj.pk for obj in self.cleaned_data.get(name) or ()))

    def to_filter(self):
        from finsam.statistics.engine import StatsFilter

        return StatsFilter(
            period_start=self.cleaned_data[PERIOD_START],
            period_end=self.cleaned_data[PERIOD_END],
            initiative_ids=self._ids(INITIATIVE) if INITIATIVE in self.fields else (),
            target_group_ids=self._ids(TARGET_GROUP),
            municipality_ids=self._ids(MUNICIPALITY),
        )

    @property
    def wants_totals_only(self) -> bool:
        return bool(self.cleaned_data.get(TOTALS_ONLY))

    def canonical_query(self, *, totals_only: bool | None = None) -> QueryDict:
        """The validated filters as a query string: what goes into the pushed URL and links."""
        query = QueryDict(mutable=True)
        query[PERIOD_START] = self.cleaned_data[PERIOD_START].isoformat()
        query[PERIOD_END] = self.cleaned_data[PERIOD_END].isoformat()
        for name in (INITIATIVE, TARGET_GROUP, MUNICIPALITY):
            if name in self.fields:
                ids = self._ids(name)
                if ids:
                    query.setlist(name, [str(i) for i in ids])
        if self.wants_totals_only if totals_only is None else totals_only:
            query[TOTALS_ONLY] = "on"
        return query

    def period_text(self) -> str:
        start, end = self.cleaned_data[PERIOD_START], self.cleaned_data[PERIOD_END]
        return f"{date_format(start, 'j F Y')} – {date_format(end, 'j F Y')}"

    def filters_text(self) -> str:
        """The filters in words (for the XLSX header and the page)."""
        parts = [gettext("Period: %(period)s") % {"period": self.period_text()}]
        labelled = (
            (INITIATIVE, gettext("Insatser")),
            (TARGET_GROUP, gettext("Målgrupp")),
            (MUNICIPALITY, gettext("Hemkommun")),
        )
        for name, label in labelled:
            if name in self.fields and self.cleaned_data.get(name):
                names = ", ".join(
                    self.fields[name].label_from_instance(o) for o in self.cleaned_data[name]
                )
                parts.append(f"{label}: {names}")
        return ". ".join(parts) + "."

    def quick_picks(self) -> list[dict]:
        """The quick picks for the period, with the year they would apply to."""
        end = self.cleaned_data.get(PERIOD_END) if hasattr(self, "cleaned_data") else None
        end = end or _parse_date(self.data.get(PERIOD_END)) or self.today
        out = []
        for preset in PRESETS:
            start_date, end_date = preset_period(preset, today=self.today, year=end.year)
            active = (
                hasattr(self, "cleaned_data")
                and self.cleaned_data.get(PERIOD_START) == start_date
                and self.cleaned_data.get(PERIOD_END) == end_date
            )
            out.append({"value": preset, "label": preset_label(preset, end.year), "active": active})
        return out
