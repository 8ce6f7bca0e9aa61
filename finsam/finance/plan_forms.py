"""Forms of the operational plan pages: they parse; `finance.plan` decides."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.associations.forms import BootstrapForm
from finsam.associations.models import MemberKind
from finsam.core.formats import sv_date
from finsam.finance import keys
from finsam.finance.forms import _kr_field, _percent_field
from finsam.finance.plan import LINE_FIELDS, KeyInput

LINE_LABELS = {"budget": _("Budget"), "outcome": _("Utfall"), "forecast": _("Prognos")}


class PlanLinesForm(BootstrapForm):
    """Budget, outcome and forecast per budget line of the year; outcome and forecast per
    initiative (its budget is set on the initiative's page)."""

    def __init__(self, *args, line_types=(), initiatives=(), **kwargs):
        self.line_types = list(line_types)
        self.initiative_lines = list(initiatives)
        super().__init__(*args, **kwargs)
        for t in self.line_types:
            for name in LINE_FIELDS:
                field = _kr_field(f"{t.name}: {LINE_LABELS[name]}")
                self.fields[f"{name}_{t.code}"] = field
            self.fields[f"text_{t.code}"] = forms.CharField(
                label=f"{t.name}: {_('beskrivning')}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
        for line in self.initiative_lines:
            for name in ("outcome", "forecast"):
                self.fields[f"{name}_i{line.budget_pk}"] = _kr_field(
                    f"{line.label}: {LINE_LABELS[name]}"
                )
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-control")
            field.widget.attrs["class"] += " form-control-sm"
            if not name.startswith("text_"):
                field.widget.attrs["class"] += " plan-amount"

    @classmethod
    def initial_for(cls, plan_year) -> dict:
        initial = {}
        for group in plan_year.lines.values():
            for line in group:
                for name in LINE_FIELDS:
                    initial[f"{name}_{line.code}"] = getattr(line, name)
                initial[f"text_{line.code}"] = line.text
        for line in plan_year.initiatives:
            initial[f"outcome_i{line.budget_pk}"] = line.outcome
            initial[f"forecast_i{line.budget_pk}"] = line.forecast
        return initial

    def rows(self):
        """(line type, [bound budget, outcome, forecast], bound text) per line type."""
        return [
            (t, [self[f"{n}_{t.code}"] for n in LINE_FIELDS], self[f"text_{t.code}"])
            for t in self.line_types
        ]

    def initiative_rows(self):
        return [
            (line, self[f"outcome_i{line.budget_pk}"], self[f"forecast_i{line.budget_pk}"])
            for line in self.initiative_lines
        ]

    def service_data(self) -> dict:
        data = self.cleaned_data
        lines = {
            t.code: {
                **{n: data.get(f"{n}_{t.code}") for n in LINE_FIELDS},
                "text": data.get(f"text_{t.code}", ""),
            }
            for t in self.line_types
        }
        initiatives = {
            line.budget_pk: {
                "outcome": data.get(f"outcome_i{line.budget_pk}"),
                "forecast": data.get(f"forecast_i{line.budget_pk}"),
            }
            for line in self.initiative_lines
        }
        return {"lines": lines, "initiatives": initiatives}


def _weight_field(label):
    field = _percent_field(label)
    field.required = False
    return field


class ContributionKeyForm(BootstrapForm):
    """The year's total and the municipal key; one fixed share per municipal member."""

    total = _kr_field(_("Förbundets totala medlemsbidrag (kr)"), required=True)
    weight_population = _weight_field(_("Folkmängd (%)"))
    weight_population_16_64 = _weight_field(_("Folkmängd 16–64 år (%)"))
    weight_equal = _weight_field(_("Lika delar (%)"))
    weight_fixed = _weight_field(_("Fasta andelar (%)"))
    population_date = forms.ChoiceField(label=_("Folkmängdens referensdatum"), required=False)

    WEIGHTS = {
        "weight_population": keys.POPULATION,
        "weight_population_16_64": keys.POPULATION_16_64,
        "weight_equal": keys.EQUAL,
        "weight_fixed": keys.FIXED,
    }

    def __init__(self, *args, members=(), dates=(), **kwargs):
        self.municipal_members = [m for m in members if m.kind == MemberKind.MUNICIPALITY]
        super().__init__(*args, **kwargs)
        self.fields["total"].error_messages["required"] = _(
            "Ange förbundets totala medlemsbidrag i hela kronor."
        )
        self.fields["population_date"].choices = [
            ("", _("Ingen (nyckeln använder inte folkmängd)"))
        ] + [(d.isoformat(), sv_date(d)) for d in dates]
        for member in self.municipal_members:
            field = forms.DecimalField(
                label=member.name,
                required=False,
                max_digits=6,
                decimal_places=3,
                localize=True,
                error_messages={"invalid": _("Ange andelen som ett tal, t.ex. 12,5.")},
            )
            field.widget.attrs.update(
                {"class": "form-control form-control-sm", "inputmode": "decimal"}
            )
            self.fields[f"fixed_{member.pk}"] = field

    def fixed_rows(self):
        return [(m, self[f"fixed_{m.pk}"]) for m in self.municipal_members]

    @classmethod
    def initial_for(cls, key) -> dict:
        if key is None:
            return {"weight_population": Decimal("100")}
        initial = {
            "total": key.total,
            "weight_population": key.weight_population,
            "weight_population_16_64": key.weight_population_16_64,
            "weight_equal": key.weight_equal,
            "weight_fixed": key.weight_fixed,
            "population_date": key.population_date.isoformat() if key.population_date else "",
        }
        for share in key.shares.all():
            initial[f"fixed_{share.member_id}"] = share.percent
        return initial

    def key_input(self) -> KeyInput:
        import datetime

        data = self.cleaned_data
        day = data.get("population_date")
        return KeyInput(
            total=data.get("total"),
            weights={basis: data.get(name) or Decimal("0") for name, basis in self.WEIGHTS.items()},
            fixed_shares={
                m.pk: data[f"fixed_{m.pk}"]
                for m in self.municipal_members
                if data.get(f"fixed_{m.pk}") is not None
            },
            population_date=datetime.date.fromisoformat(day) if day else None,
        )
