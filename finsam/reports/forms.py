"""Forms parse input; the services in `services.py` decide (and hold every rule)."""

import json

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from finsam.initiatives.forms import InvalidMarkingMixin, ServiceValidatedModelForm, _bootstrap
from finsam.reports.models import HEADER_FIELDS, InitiativeReport, ReportingPeriod
from finsam.reports.services import PERIOD_FIELDS

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
# The autosave fires when a field changes, and 2 s after the last keystroke.
AUTOSAVE_TRIGGER = "change, keyup changed delay:2s"


class PeriodForm(ServiceValidatedModelForm):
    class Meta:
        model = ReportingPeriod
        fields = list(PERIOD_FIELDS)
        widgets = {
            "start_date": forms.DateInput(**DATE_WIDGET),
            "end_date": forms.DateInput(**DATE_WIDGET),
            "deadline": forms.DateInput(**DATE_WIDGET),
        }
        labels = {
            "name": _("Namn"),
            "kind": _("Typ av rapport"),
            "start_date": _("Periodens första dag"),
            "end_date": _("Periodens sista dag"),
            "deadline": _("Sista inlämningsdag"),
        }
        help_texts = {
            "name": _("T.ex. Delårsrapport januari–augusti 2021. Unikt inom förbundet."),
            "deadline": _("Rapporter som inte är inlämnade 14 dagar före markeras i översikten."),
        }

    REQUIRED_MESSAGES = {
        "name": _("Ange ett namn på perioden."),
        "kind": _("Välj delårsrapport eller slutrapport."),
        "start_date": _("Ange periodens första dag."),
        "end_date": _("Ange periodens sista dag."),
        "deadline": _("Ange sista inlämningsdag."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = message
        _bootstrap(self)

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PERIOD_FIELDS}


class CreateReportsForm(forms.Form):
    """Which initiatives get sub-reports per municipality (the others get one report)."""

    sub_reports = forms.TypedMultipleChoiceField(
        label=_("Delrapporter per kommun"), coerce=int, required=False
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sub_reports"].choices = [
            (c.initiative.pk, c.initiative.name) for c in candidates if c.can_have_sub_reports
        ]
        self.fields["sub_reports"].error_messages["invalid_choice"] = _(
            "Delrapporter per kommun kan bara väljas för insatser med minst två kommuner."
        )


class ReportForm(InvalidMarkingMixin, forms.Form):
    """The header and the sections of one report; every field autosaves on its own."""

    project_name = forms.CharField(label=_("Projektets namn"), max_length=200, required=False)
    owner_organisation = forms.CharField(label=_("Projektägare"), max_length=300, required=False)
    project_period = forms.CharField(label=_("Projektperiod"), max_length=200, required=False)

    def __init__(self, *args, report: InitiativeReport, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.sections = report.sections()
        for name, heading, _questions in self.sections:
            self.fields[name] = forms.CharField(
                label=heading, required=False, strip=False, widget=forms.Textarea(attrs={"rows": 6})
            )
        for name in self.fields:
            self.initial.setdefault(name, getattr(report, name))
        _bootstrap(self)
        autosave = reverse("reports:autosave", args=[report.pk])
        for name, field in self.fields.items():
            field.widget.attrs.update(
                {
                    "hx-post": autosave,
                    "hx-trigger": AUTOSAVE_TRIGGER,
                    "hx-vals": json.dumps({"field": name}),
                    "hx-target": f"#saved-{name}",
                    "hx-swap": "innerHTML",
                    "hx-sync": "this:queue last",
                    "aria-describedby": f"saved-{name}",
                }
            )

    def section_fields(self):
        """(bound field, guiding questions) per section, in template order."""
        return [(self[name], questions) for name, _heading, questions in self.sections]

    def header_fields(self):
        return [self[name] for name in HEADER_FIELDS]

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Kommentar"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": _("Skriv en kommentar.")},
    )
