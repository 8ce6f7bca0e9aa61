"""Forms parse input; the services in `services.py` decide (and give the Swedish messages)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.associations.forms import BootstrapForm, DateInput
from finsam.socioeconomics.models import CostSource, EstimateMode, LeaverSource


def _number(label, *, decimal_places=0, help_text=""):
    field = forms.DecimalField(
        label=label,
        required=False,
        max_digits=12,
        decimal_places=decimal_places,
        localize=True,
        help_text=help_text,
        error_messages={
            "invalid": _("Ange ett tal, t.ex. 162000 eller 3,5."),
            "max_decimal_places": _("Ange talet med högst %(max)s decimaler."),
            "max_whole_digits": _("Talet är för stort."),
            "max_digits": _("Talet är för stort."),
        },
    )
    field.widget.attrs["inputmode"] = "decimal"
    return field


def _count(label, help_text=""):
    return forms.IntegerField(
        label=label,
        required=False,
        initial=0,
        help_text=help_text,
        error_messages={"invalid": _("Ange ett heltal.")},
    )


class AssumptionForm(BootstrapForm):
    value = _number(_("Värde"), decimal_places=2)
    source = forms.CharField(
        label=_("Källa"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Varifrån värdet kommer: rapport, statistik, beslut."),
    )
    source_url = forms.URLField(
        label=_("Källans webbadress"),
        required=False,
        max_length=500,
        error_messages={"invalid": _("Ange en hel webbadress, t.ex. https://www.scb.se/.")},
    )
    source_date = forms.DateField(
        label=_("Uppgiftens datum"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Ange datumet som ÅÅÅÅ-MM-DD.")},
    )
    is_assumption = forms.BooleanField(label=_("Antagande – ingen offentlig källa"), required=False)


class EstimateForm(BootstrapForm):
    title = forms.CharField(label=_("Rubrik"), max_length=200, required=False)
    mode = forms.ChoiceField(
        label=_("Typ"),
        choices=EstimateMode.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Ett scenario: N deltagare lämnar en ersättning och står utan den i Y år. "
            "Insatsens utfall: antalet från registreringarna eller inmatat, med antagandena "
            "om hur många som står kvar utan ersättning."
        ),
    )
    cost_source = forms.ChoiceField(
        label=_("Insatsens kostnad"), choices=CostSource.choices, widget=forms.RadioSelect
    )
    cost_amount = _number(_("Kostnad (kr)"), help_text=_("Bara när kostnaden matas in."))
    leaver_source = forms.ChoiceField(
        label=_("Deltagare som lämnar ersättning"),
        choices=LeaverSource.choices,
        widget=forms.RadioSelect,
    )
    leavers_municipality = _count(_("Antal som lämnar försörjningsstöd (kommunen)"))
    leavers_state = _count(
        _("Antal som lämnar ersättning från staten"),
        help_text=_("Sjuk- eller aktivitetsersättning, sjukpenning, aktivitetsstöd, a-kassa."),
    )
    years = forms.IntegerField(
        label=_("Antal år"),
        required=False,
        help_text=_("Hur många år beräkningen sträcker sig (i ett scenario: år utan ersättning)."),
        error_messages={"invalid": _("Ange ett heltal.")},
    )
    note = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("mode", "cost_source", "leaver_source"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("leavers_municipality", "leavers_state"):
            if data.get(name) is None:
                data[name] = 0
        return data
