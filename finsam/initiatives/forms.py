"""Forms parse input; the services in `services.py` decide (and hold every rule)."""

import datetime

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from finsam.initiatives.models import INITIATIVE_TEXT_FIELDS, HeadCount, Initiative
from finsam.initiatives.selectors import ASSIGNABLE_ROLES, specific_orientation_codes
from finsam.initiatives.services import INITIATIVE_FIELDS, M2M_FIELDS
from finsam.reference.models import Code, CodeList

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
CHECK_WIDGETS = (forms.CheckboxSelectMultiple, forms.RadioSelect, forms.CheckboxInput)


def _bootstrap(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, CHECK_WIDGETS):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class InvalidMarkingMixin:
    """Give inputs with errors Bootstrap's `is-invalid` (also for errors added by services)."""

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = (attrs.get("class", "") + " is-invalid").strip()


class ServiceValidatedModelForm(InvalidMarkingMixin, forms.ModelForm):
    """A ModelForm that leaves uniqueness and constraints to the service (Swedish messages,
    checked once, in one place)."""

    def validate_unique(self):
        pass

    def validate_constraints(self):  # Django >= 6.0 calls it separately
        pass


class InitiativeForm(ServiceValidatedModelForm):
    LOCK_HELP = _(
        "Inriktning, deltagarregistrering och ESF-finansiering kan inte ändras när insatsen har "
        "registrerade deltagare eller antal. Skapa i så fall en ny insats."
    )

    target_groups = forms.ModelMultipleChoiceField(
        label=_("Målgrupper"),
        queryset=Code.objects.of(CodeList.TARGET_GROUP),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Initiative
        fields = [*INITIATIVE_FIELDS, *M2M_FIELDS]
        widgets = {
            "start_date": forms.DateInput(**DATE_WIDGET),
            "end_date": forms.DateInput(**DATE_WIDGET),
            "municipalities": forms.SelectMultiple(attrs={"size": 8}),
            **{name: forms.Textarea(attrs={"rows": 4}) for name in INITIATIVE_TEXT_FIELDS},
        }
        labels = {
            "name": _("Insatsens namn"),
            "owner_organisation": _("Projektägare"),
            "target_group_description": _("Målgrupp (beskrivning)"),
            "follow_up_description": _("Uppföljning (beskrivning)"),
            "referral": _("Remittering"),
            "municipalities": _("Kommuner"),
            "esf_funded": _("ESF-finansierad"),
        }
        help_texts = {
            "name": _("Unikt inom förbundet."),
            "diary_number": _("Beslutets diarienummer."),
            "owner_organisation": _("T.ex. Skövde kommun, Arbetsmarknadsenheten."),
            "follow_up": _(
                "Personuppgifter/anonym: deltagarna registreras in och ut. "
                "Endast antal: antal per månad och kön (t.ex. konferenser, utbildningar). "
                "Strukturövergripande insatser följs normalt upp med endast antal."
            ),
            "end_date": _("Lämnas tomt om insatsen pågår tills vidare."),
            "municipalities": _("Håll ned Ctrl (Cmd på Mac) för att välja flera."),
            "planned_participants": _("För hela insatsperioden."),
            "referral": _("Vem som kan remittera deltagare och hur."),
            "steering_group": _("Vilka som ingår i styrgruppen."),
        }

    def __init__(self, *args, association, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.locked = locked
        self.fields["municipalities"].queryset = association.municipalities.all()
        orientation = self._chosen_orientation()
        self.fields["specific_orientation"].queryset = specific_orientation_codes(
            orientation=orientation
        )
        self.fields["specific_orientation"].empty_label = _("– välj –")
        self.fields["orientation"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("initiatives:specific_orientation_options"),
                "hx-target": "#id_specific_orientation",
                "hx-trigger": "change",
            }
        )
        for name in ("orientation", "follow_up", "esf_funded"):
            self.fields[name].help_text = " ".join(
                str(part) for part in (self.fields[name].help_text, self.LOCK_HELP) if part
            )
            if locked:
                self.fields[name].disabled = True
        _bootstrap(self)

    def _chosen_orientation(self) -> str:
        if self.locked:
            return self.instance.orientation
        if self.is_bound:
            return self.data.get(self.add_prefix("orientation")) or self.instance.orientation or ""
        if self.instance.pk:
            return self.instance.orientation
        return self.initial.get("orientation") or self.fields["orientation"].initial or ""

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in (*INITIATIVE_FIELDS, *M2M_FIELDS)}


class MonthField(forms.CharField):
    """A month as YYYY-MM (the browser's month picker), cleaned to the month's first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": _("ÅÅÅÅ-MM")})
    default_error_messages = {"invalid": _("Ange månaden som ÅÅÅÅ-MM, t.ex. 2024-03.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return datetime.datetime.strptime(value.strip(), "%Y-%m").date()
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m")
        return value


class HeadCountForm(InvalidMarkingMixin, forms.Form):
    month = MonthField(label=_("Månad"))
    women = forms.IntegerField(label=HeadCount._meta.get_field("women").verbose_name, min_value=0)
    men = forms.IntegerField(label=HeadCount._meta.get_field("men").verbose_name, min_value=0)
    other = forms.IntegerField(label=HeadCount._meta.get_field("other").verbose_name, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class AssignmentForm(InvalidMarkingMixin, forms.Form):
    role = forms.ChoiceField(
        label=_("Roll"), choices=[(role.value, role.label) for role in ASSIGNABLE_ROLES]
    )
    user = forms.ModelChoiceField(label=_("Användare"), queryset=None)

    def __init__(self, *args, association, **kwargs):
        from finsam.accounts.models import User

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            role_assignments__association=association, is_active=True
        ).distinct()
        _bootstrap(self)
