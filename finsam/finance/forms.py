"""Forms parse input; the services in `services.py` decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.associations.forms import BootstrapForm


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
