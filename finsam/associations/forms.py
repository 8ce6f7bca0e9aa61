from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from finsam.associations.selectors import municipalities_by_region
from finsam.associations.validators import normalize_org_number
from finsam.reference.models import Municipality


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BootstrapForm(forms.Form):
    """Adds Bootstrap classes to the widgets, and marks invalid fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            self._mark_invalid(name)

    def _mark_invalid(self, name):
        if name in self.fields:
            widget = self.fields[name].widget
            if "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"

    @classmethod
    def initial_for(cls, obj) -> dict:
        """The form filled in from a stored object: its fields of the form's field names."""
        return model_to_dict(obj, fields=list(cls.base_fields))

    def apply_errors(self, exc: ValidationError) -> None:
        """Show a service's ValidationError on the form's fields."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
                self._mark_invalid(field)
        else:
            self.add_error(None, exc.messages)


class AssociationForm(BootstrapForm):
    """Create or edit an association. The start date is only editable by the operator."""

    name = forms.CharField(label=_("Namn"), max_length=200)
    slug = forms.SlugField(
        label=_("Kortnamn"),
        max_length=80,
        help_text=_("Små bokstäver, siffror och bindestreck, t.ex. ostra-skaraborg."),
    )
    org_number = forms.CharField(
        label=_("Organisationsnummer"),
        max_length=13,
        help_text=_("Tio siffror, NNNNNN-NNNN."),
    )
    start_date = forms.DateField(label=_("Startdatum"), widget=DateInput())
    end_date = forms.DateField(
        label=_("Slutdatum"),
        required=False,
        widget=DateInput(),
        help_text=_("Bara om förbundet upphör."),
    )
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    address = forms.CharField(
        label=_("Adress"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact_person = forms.CharField(label=_("Kontaktperson"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Kontakt e-post"), required=False)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Kommuner som förbundet omfattar"),
        queryset=Municipality.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst en kommun som förbundet omfattar.")},
    )

    # The picker (associations/form.html) draws its own checkboxes, grouped by county and folded:
    # the summary links to the fieldset.
    error_anchors = {"municipalities": "municipalities"}

    def __init__(self, *args, can_change_start_date=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_change_start_date:
            del self.fields["start_date"]

    def clean_org_number(self):
        return normalize_org_number(self.cleaned_data["org_number"])

    def municipality_groups(self):
        """[(region, [(municipality, checked)], n_checked)] for the picker grouped by county."""
        value = self["municipalities"].value() or []
        selected = {str(v.pk if hasattr(v, "pk") else v) for v in value}
        groups = []
        for region, municipalities in municipalities_by_region():
            rows = [(m, str(m.pk) in selected) for m in municipalities]
            groups.append((region, rows, sum(1 for _m, checked in rows if checked)))
        return groups
