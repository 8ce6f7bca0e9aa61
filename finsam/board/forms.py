"""Forms parse input; the services in `services.py` decide (and hold every rule). A service's
ValidationError keyed by field goes back onto the form (`apply_errors`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from finsam.board.models import Outcome
from finsam.board.selectors import applied_by_year, decision_years
from finsam.finance.compensation import COUNTING_RULES
from finsam.finance.models import CompensationKind, FixedPeriod
from finsam.initiatives.forms import InvalidMarkingMixin, _bootstrap

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


class BoardForm(InvalidMarkingMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def apply_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for key, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(key if key in self.fields else None, message)
        else:
            for message in exc.messages:
                self.add_error(None, message)


class MeetingForm(BoardForm):
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(**DATE_WIDGET))
    place = forms.CharField(label=_("Plats"), max_length=200, required=False)
    first_paragraph = forms.IntegerField(
        label=_("Första paragrafnummer"),
        min_value=1,
        initial=1,
        help_text=_(
            "Paragraferna numreras löpande under året; det första ärendet får detta nummer."
        ),
    )


class MinutesForm(BoardForm):
    approved_on = forms.DateField(
        label=_("Protokollet justerades"), widget=forms.DateInput(**DATE_WIDGET)
    )
    adjusters = forms.CharField(
        label=_("Justerare"),
        max_length=300,
        help_text=_("Namnen på dem som justerade protokollet."),
    )


class AgreementForm(BoardForm):
    signed_on = forms.DateField(label=_("Avtalet tecknades"), widget=forms.DateInput(**DATE_WIDGET))


def _amount_field(label, initial=None, required=False):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        initial=initial,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class DecisionForm(BoardForm):
    """One decision: outcome, conditions, period, granted amount per year and the compensation
    model with its caps per municipality."""

    outcome = forms.ChoiceField(
        label=_("Beslut"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    conditions = forms.CharField(
        label=_("Villkor"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    period_start = forms.DateField(
        label=_("Projektstart"), required=False, widget=forms.DateInput(**DATE_WIDGET)
    )
    period_end = forms.DateField(
        label=_("Projektslut"), required=False, widget=forms.DateInput(**DATE_WIDGET)
    )
    kind = forms.ChoiceField(
        label=_("Ersättningsmodell"),
        choices=[("", _("Välj"))] + list(CompensationKind.choices),
        required=False,
    )
    fixed_amount = _amount_field(_("Fast belopp (kr)"))
    fixed_period = forms.ChoiceField(
        label=_("Det fasta beloppet gäller"),
        choices=[("", _("Välj"))] + list(FixedPeriod.choices),
        required=False,
    )
    rate_per_week = _amount_field(_("Ersättning per deltagarvecka (kr)"))
    counting_rule = forms.ChoiceField(
        label=_("Räkneregel"),
        choices=[("", _("Välj"))] + list(COUNTING_RULES.items()),
        required=False,
    )
    unit_name = forms.CharField(label=_("Enhet som ersätts"), max_length=100, required=False)
    unit_price = _amount_field(_("Pris per enhet (kr)"))

    def __init__(self, *args, application, municipalities, **kwargs):
        self.application = application
        applied = applied_by_year(application)
        self.years = decision_years(application)
        self.municipalities = list(municipalities)
        super().__init__(*args, **kwargs)
        self.fields["period_start"].initial = application.period_start
        self.fields["period_end"].initial = application.period_end
        for year in self.years:
            self.fields[f"amount_{year}"] = _amount_field(
                _("Beviljat %(year)s (kr)") % {"year": year}, initial=applied.get(year)
            )
        for municipality in self.municipalities:
            self.fields[f"cap_{municipality.code}"] = _amount_field(
                _("Tak för %(name)s (kr per år)") % {"name": municipality.name}
            )
        _bootstrap(self)
        self.fields["outcome"].widget.attrs["class"] = "form-check-input"

    def amount_fields(self):
        return [self[f"amount_{y}"] for y in self.years]

    def cap_fields(self):
        return [self[f"cap_{m.code}"] for m in self.municipalities]

    def decision_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "conditions": data.get("conditions", ""),
            "period_start": data.get("period_start"),
            "period_end": data.get("period_end"),
            "amounts": {y: data.get(f"amount_{y}") for y in self.years},
            "compensation": {
                "kind": data.get("kind"),
                "fixed_amount": data.get("fixed_amount"),
                "fixed_period": data.get("fixed_period"),
                "rate_per_week": data.get("rate_per_week"),
                "counting_rule": data.get("counting_rule"),
                "unit_name": data.get("unit_name"),
                "unit_price": data.get("unit_price"),
                "caps": {
                    m.code: data.get(f"cap_{m.code}")
                    for m in self.municipalities
                    if data.get(f"cap_{m.code}") is not None
                },
            },
        }


BATCH_MODELS = [
    ("", _("Välj")),
    ("fixed", _("Fast bidrag per år")),
    ("per_participant_week", _("Per deltagarvecka")),
]


class BatchRow(BoardForm):
    """One agenda item in the batch: outcome (empty: not decided now), conditions, amounts per
    year and, for a grant, a simple compensation model (fixed per year or per participant-week;
    other models and caps: decide the item on its own page)."""

    outcome = forms.ChoiceField(
        label=_("Beslut"), choices=[("", _("Inte nu"))] + list(Outcome.choices), required=False
    )
    conditions = forms.CharField(label=_("Villkor"), required=False)
    kind = forms.ChoiceField(label=_("Ersättningsmodell"), choices=BATCH_MODELS, required=False)
    rate = _amount_field(_("Belopp per år eller per deltagarvecka (kr)"))

    def __init__(self, *args, item, **kwargs):
        self.item = item
        application = item.application
        applied = applied_by_year(application)
        self.years = decision_years(application)
        super().__init__(*args, prefix=f"item{item.pk}", **kwargs)
        for year in self.years:
            self.fields[f"amount_{year}"] = _amount_field(
                _("Beviljat %(year)s (kr)") % {"year": year}, initial=applied.get(year)
            )
        _bootstrap(self)

    def amount_fields(self):
        return [self[f"amount_{y}"] for y in self.years]

    def row(self) -> dict:
        data = self.cleaned_data
        kind = data.get("kind") or ""
        compensation = {"kind": kind}
        if kind == "fixed":
            compensation.update(fixed_amount=data.get("rate"), fixed_period="year")
        elif kind == "per_participant_week":
            compensation.update(rate_per_week=data.get("rate"), counting_rule="enrolled_weeks")
        return {
            "item": self.item,
            "outcome": data.get("outcome") or "",
            "conditions": data.get("conditions", ""),
            "amounts": {y: data.get(f"amount_{y}") for y in self.years},
            "compensation": compensation,
        }
