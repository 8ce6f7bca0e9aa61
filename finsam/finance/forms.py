"""Forms parse input; the services in `services.py` decide."""

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from finsam.associations.forms import BootstrapForm, DateInput
from finsam.associations.models import MEMBER_FIELDS, Member, MemberKind
from finsam.finance.models import InitiativeBudget
from finsam.finance.services import BUDGET_FIELDS
from finsam.initiatives.forms import ServiceValidatedModelForm, _bootstrap
from finsam.reference.models import Municipality, Region


def _kr_field(label, *, min_value=None, required=False):
    field = forms.DecimalField(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=0,
        min_value=min_value,
        localize=False,
        error_messages={
            "invalid": _("Ange beloppet i hela kronor, t.ex. 1500000."),
            "max_decimal_places": _("Ange beloppet i hela kronor, utan decimaler."),
            "max_whole_digits": _("Beloppet är för stort."),
            "max_digits": _("Beloppet är för stort."),
        },
    )
    field.widget.attrs.update({"inputmode": "numeric", "step": "1"})
    return field


class YearAddForm(BootstrapForm):
    year = forms.IntegerField(label=_("År"), min_value=1900, max_value=2200)


class YearForm(BootstrapForm):
    """The year's equity, administration costs and one contribution field per member."""

    equity_at_start = _kr_field(_("Eget kapital vid årets början (kr)"))
    equity_at_end = _kr_field(_("Eget kapital vid årets slut (kr)"))
    admin_cost_budget = _kr_field(_("Administrationskostnad, budget (kr)"), min_value=0)
    admin_cost_outcome = _kr_field(_("Administrationskostnad, utfall (kr)"), min_value=0)
    note = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    YEAR_FIELDS = (
        "equity_at_start",
        "equity_at_end",
        "admin_cost_budget",
        "admin_cost_outcome",
        "note",
    )

    def __init__(self, *args, members=(), **kwargs):
        self.members = list(members)
        super().__init__(*args, **kwargs)
        for member in self.members:
            self.fields[self.member_field(member)] = _kr_field(member.name, min_value=0)
        # BootstrapForm styled the fields that existed before the member fields.
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    @staticmethod
    def member_field(member) -> str:
        return f"member_{member.pk}"

    @classmethod
    def initial_for(cls, detail) -> dict:
        year = detail.year
        initial = {name: getattr(year, name) for name in cls.YEAR_FIELDS}
        for line in detail.lines:
            initial[cls.member_field(line.member)] = line.amount
        return initial

    def member_rows(self):
        """(member, bound field) pairs for the contributions table."""
        return [(m, self[self.member_field(m)]) for m in self.members]

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.YEAR_FIELDS}
        data["contributions"] = {
            m.pk: self.cleaned_data[self.member_field(m)] for m in self.members
        }
        return data


class MemberForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("Typ"), choices=MemberKind.choices)
    name = forms.CharField(
        label=_("Namn"),
        max_length=200,
        required=False,
        help_text=_("Lämnas tomt för Försäkringskassan, Arbetsförmedlingen och kommuner."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Kommun"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label="–",
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, empty_label="–"
    )
    contribution_share = forms.DecimalField(
        label=_("Andel (%)"),
        max_digits=6,
        decimal_places=3,
        error_messages={"required": _("Ange medlemmens andel i procent.")},
        widget=forms.NumberInput(attrs={"step": "0.001", "min": "0", "max": "100"}),
    )
    is_financier = forms.BooleanField(label=_("Finansiär"), required=False, initial=True)
    valid_from = forms.DateField(label=_("Giltig från"), required=False, widget=DateInput())
    valid_to = forms.DateField(label=_("Giltig till"), required=False, widget=DateInput())

    @classmethod
    def initial_for(cls, member: Member) -> dict:
        return {
            name: getattr(member, Member._meta.get_field(name).attname) for name in MEMBER_FIELDS
        }


class BudgetForm(ServiceValidatedModelForm):
    class Meta:
        model = InitiativeBudget
        fields = list(BUDGET_FIELDS)
        widgets = {"note": forms.TextInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The decimal fields allow negatives in the model; the integer one has min_value already.
        for name in ("amount", "outcome", "rate_per_participant_week"):
            self.fields[name].validators.append(MinValueValidator(0))
            self.fields[name].widget.attrs["min"] = 0
        _bootstrap(self)
        for field in self.fields.values():
            # The inputs sit in table cells; they belong to the form outside the table.
            field.widget.attrs["form"] = "budget-form"
            field.widget.attrs["class"] += " form-control-sm"


def _percent_field(label):
    field = forms.DecimalField(
        label=label,
        max_digits=4,
        decimal_places=1,
        localize=True,
        error_messages={
            "required": _("Ange en procentsats."),
            "invalid": _("Ange procentsatsen som ett tal, t.ex. 10 eller 12,5."),
            "max_decimal_places": _("Ange procentsatsen med högst en decimal."),
            "max_whole_digits": _("Ange en procentsats mellan 0 och 100."),
            "max_digits": _("Ange en procentsats mellan 0 och 100."),
        },
    )
    field.widget.attrs["inputmode"] = "decimal"
    return field


class EquityBandForm(BootstrapForm):
    """The band the equity should lie in, in % of the allocated funds; the service checks
    0–100 and lower ≤ upper."""

    lower = _percent_field(_("Nedre gräns (%)"))
    upper = _percent_field(_("Övre gräns (%)"))
