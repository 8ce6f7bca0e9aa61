"""Forms parse input; the services decide (and give the Swedish messages)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.associations.forms import BootstrapForm, DateInput
from finsam.progression.models import RatedBy, Rater
from finsam.progression.services import dimension_field


def _whole(label, help_text=""):
    return forms.IntegerField(
        label=label,
        required=False,
        help_text=help_text,
        error_messages={"invalid": _("Ange ett heltal.")},
    )


class DimensionForm(BootstrapForm):
    name = forms.CharField(label=_("Namn"), max_length=100, required=False)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    scale_min = _whole(_("Skalans lägsta värde"))
    scale_max = _whole(_("Skalans högsta värde"))
    min_label = forms.CharField(label=_("Text för lägsta värdet"), max_length=60, required=False)
    max_label = forms.CharField(label=_("Text för högsta värdet"), max_length=60, required=False)
    rated_by = forms.ChoiceField(
        label=_("Vem skattar"), choices=RatedBy.choices, widget=forms.RadioSelect
    )
    improvement_step = _whole(
        _("Förbättring räknas från"),
        help_text=_(
            "Hur mycket högre den senaste skattningen måste vara än den första för att räknas "
            "som en förbättring, t.ex. 1."
        ),
    )
    is_active = forms.BooleanField(label=_("Används"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rated_by"].widget.attrs["class"] = "form-check-input"
        self.fields["rated_by"].error_messages["required"] = _("Välj vem som skattar.")
        self.fields["rated_by"].error_messages["invalid_choice"] = _("Välj vem som skattar.")


class OccasionForm(BootstrapForm):
    """A rating occasion: the date, who rated, and one field per dimension (`dimensions`: the
    active ones and those rated at this occasion before)."""

    rated_on = forms.DateField(
        label=_("Datum"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD.")},
    )
    rater = forms.ChoiceField(
        label=_("Vem skattade"), choices=Rater.choices, widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args, dimensions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rater"].widget.attrs["class"] = "form-check-input"
        self.fields["rater"].error_messages["invalid_choice"] = _("Välj vem som skattade.")
        self.dimensions = list(dimensions)
        for d in self.dimensions:
            ends = ""
            if d.min_label or d.max_label:
                ends = " " + _("(%(min)s = %(min_label)s, %(max)s = %(max_label)s)") % {
                    "min": d.scale_min,
                    "min_label": d.min_label.lower() or "–",
                    "max": d.scale_max,
                    "max_label": d.max_label.lower() or "–",
                }
            who = {
                RatedBy.SELF: _("Skattas av deltagaren."),
                RatedBy.COACH: _("Skattas av coachen."),
                RatedBy.BOTH: _("Skattas av deltagaren och coachen."),
            }[d.rated_by]
            field = forms.CharField(
                label=d.name,
                required=False,
                max_length=4,
                help_text=_("Ett heltal från %(min)s till %(max)s%(ends)s. %(who)s")
                % {"min": d.scale_min, "max": d.scale_max, "ends": ends, "who": who},
            )
            field.widget.attrs.update(
                {"class": "form-control progression-value", "inputmode": "numeric"}
            )
            self.fields[dimension_field(d.pk)] = field

    def value_fields(self):
        return [self[dimension_field(d.pk)] for d in self.dimensions]

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "rated_on": data.get("rated_on"),
            "rater": data.get("rater") or "",
            "values": {
                d.pk: (data.get(dimension_field(d.pk)) or "").strip() or None
                for d in self.dimensions
            },
        }


class PeriodForm(BootstrapForm):
    """The summary's period (both dates, or neither for all time)."""

    start = forms.DateField(
        label=_("Från"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD.")},
    )
    end = forms.DateField(
        label=_("Till"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD.")},
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None) and not self.errors:
            self.add_error("end" if end is None else "start", _("Ange både från- och till-datum."))
        elif start and end and end < start:
            self.add_error("end", _("Till-datumet ligger före från-datumet."))
        return data

    def period(self):
        """(start, end), or None (all time) when the dates are missing or wrong."""
        if not self.is_valid() or self.cleaned_data.get("start") is None:
            return None
        return (self.cleaned_data["start"], self.cleaned_data["end"])
