"""Filters of the access log page (and its CSV download)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.audit import selectors
from finsam.audit.models import AccessEvent, Action, ChangeEvent


class _LogFilter(django_filters.FilterSet):
    """What both logs are filtered by: the day range and the user (its e-mail address)."""

    date_from = django_filters.DateFilter(
        label=_("Från och med"),
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("Till och med"),
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    actor = django_filters.CharFilter(
        label=_("Användare"),
        field_name="actor__email",
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("E-postadress")}),
    )


class AccessEventFilter(_LogFilter):
    action = django_filters.ChoiceFilter(
        label=_("Händelse"), choices=Action.choices, empty_label=_("Alla")
    )
    initiative = django_filters.ModelChoiceFilter(
        label=_("Insats"), queryset=None, empty_label=_("Alla")
    )
    pseudonym = django_filters.CharFilter(
        label=_("Pseudonym"),
        method="filter_pseudonym",
        widget=forms.TextInput(attrs={"placeholder": _("t.ex. K7Q2M9")}),
    )

    class Meta:
        model = AccessEvent
        fields = ["date_from", "date_to", "action", "initiative", "pseudonym", "actor"]

    def filter_pseudonym(self, queryset, name, value):
        return selectors.about_pseudonym(queryset, value)

    def __init__(self, *args, initiatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["initiative"].queryset = initiatives


# The kinds of object the write services record changes of (model label, name on the page).
OBJECT_TYPES = {
    "initiatives.initiative": _("Insats"),
    "finance.initiativebudget": _("Budget"),
    # Budgets were `initiatives`' before they moved to `finance`; the log keeps their old type.
    "initiatives.initiativebudget": _("Budget (äldre händelser)"),
    "initiatives.headcount": _("Antal per månad"),
    "accounts.initiativeassignment": _("Uppdrag"),
    "accounts.invitation": _("Inbjudan"),
    "accounts.roleassignment": _("Roll"),
    "reports.reportingperiod": _("Rapportperiod"),
    "reports.initiativereport": _("Rapport"),
    "reports.reportcomment": _("Rapportkommentar"),
    "finance.associationyear": _("Förbundets år"),
    "finance.equityband": _("Intervall för eget kapital"),
    "socioeconomics.assumption": _("Antagande (socioekonomisk uppskattning)"),
    "socioeconomics.estimate": _("Socioekonomisk uppskattning"),
    "associations.association": _("Förbund"),
    "associations.member": _("Medlem"),
    "participants.enrolment": _("Deltagande"),
}


class ChangeEventFilter(_LogFilter):
    object_type = django_filters.ChoiceFilter(
        label=_("Objekttyp"), choices=list(OBJECT_TYPES.items()), empty_label=_("Alla")
    )

    class Meta:
        model = ChangeEvent
        fields = ["date_from", "date_to", "object_type", "actor"]
