"""Search, filters and sorting of the initiative list.

Filters on many-valued relations (target group, municipality) use `pk__in` subqueries rather than
joins, so they never multiply the rows the list's counts are computed over.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finsam.core.periods import active_in_q
from finsam.initiatives.models import FollowUp, Initiative, Orientation, Status
from finsam.reference.models import Code, CodeList, Municipality

SORT_FIELDS = (
    ("name", "name"),
    ("owner_organisation", "owner"),
    ("start_date", "start"),
    ("end_date", "end"),
    ("status", "status"),
    ("active_participants", "active"),
    ("planned_participants", "planned"),
)


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sort by the chosen column, then by name, so equal values keep a stable order."""

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "name", "pk")


class InitiativeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Sök"),
        method="filter_search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Namn, projektägare eller diarienummer")}
        ),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, empty_label=_("Alla")
    )
    orientation = django_filters.ChoiceFilter(
        label=_("Inriktning"), choices=Orientation.choices, empty_label=_("Alla")
    )
    follow_up = django_filters.ChoiceFilter(
        label=_("Deltagarregistrering"), choices=FollowUp.choices, empty_label=_("Alla")
    )
    target_group = django_filters.ModelChoiceFilter(
        label=_("Målgrupp"),
        queryset=Code.objects.of(CodeList.TARGET_GROUP),
        method="filter_target_group",
        empty_label=_("Alla"),
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Kommun"),
        queryset=Municipality.objects.none(),
        method="filter_municipality",
        empty_label=_("Alla"),
    )
    year = django_filters.ChoiceFilter(
        label=_("Aktiv under år"),
        choices=(),
        method="filter_active_in_year",
        empty_label=_("Alla"),
    )
    o = StableOrderingFilter(fields=SORT_FIELDS, label=_("Sortering"))

    class Meta:
        model = Initiative
        fields = ["q", "status", "orientation", "follow_up", "target_group", "municipality", "year"]

    def __init__(self, *args, association=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        fields = self.filters
        if association is not None:
            fields["municipality"].queryset = association.municipalities.all()
            first = association.start_date.year
        else:
            first = today.year
        years = range(today.year + 1, first - 1, -1)
        fields["year"].extra["choices"] = [(y, str(y)) for y in years]
        for form_field in self.form.fields.values():
            css = "form-select" if isinstance(form_field.widget, forms.Select) else "form-control"
            form_field.widget.attrs["class"] = css
        self.form.fields["q"].widget.attrs["autocomplete"] = "off"

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(owner_organisation__icontains=value)
            | Q(diary_number__icontains=value)
        )

    def filter_target_group(self, queryset, name, value):
        through = Initiative.target_groups.through
        return queryset.filter(pk__in=through.objects.filter(code=value).values("initiative_id"))

    def filter_municipality(self, queryset, name, value):
        through = Initiative.municipalities.through
        return queryset.filter(
            pk__in=through.objects.filter(municipality=value).values("initiative_id")
        )

    def filter_active_in_year(self, queryset, name, value):
        """Initiatives whose period overlaps the calendar year."""
        value = int(value)
        return queryset.filter(
            active_in_q(datetime.date(value, 1, 1), datetime.date(value, 12, 31))
        )

    @property
    def ordering(self) -> str:
        """The current sort key as given in the URL (e.g. "-start"), default "name"."""
        if self.is_bound and self.form.is_valid():
            chosen = self.form.cleaned_data.get("o")
            if chosen:
                return chosen[0]
        return "name"
