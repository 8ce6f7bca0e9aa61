"""Forms of the participant pages. They only parse: the services validate and act.

Field names are those of the services' input (`EnrolmentInput`, `ExitInput`) so that the
services' errors land on the right field; the consent block is `consent_*`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finsam.participants import variables
from finsam.participants.identity import parse_personal_number
from finsam.participants.models import AnonymousReason, ConsentMethod, Gender
from finsam.participants.services import (
    EXIT_FIELDS,
    ConsentInput,
    EnrolmentInput,
    ExitInput,
)
from finsam.reference import codes
from finsam.reference.models import Code, Municipality

CONSENT_FIELDS = ("consent_given_on", "consent_method", "consent_form_version", "consent_language")
# Consent fields that show the user has started on the consent block (the language has a
# default and says nothing).
_CONSENT_TOUCHED = ("consent_given_on", "consent_method", "consent_form_version")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _code_field(code_list, label, *, multiple=False, current=None):
    queryset = Code.objects.of(code_list)
    if current:
        # Keep a retired code that the enrolment already has selectable, or the form would
        # silently clear it.
        queryset = Code.objects.filter(code_list=code_list).filter(
            Q(active=True) | Q(pk__in=current)
        )
    if multiple:
        return forms.ModelMultipleChoiceField(
            queryset=queryset,
            required=False,
            label=label,
            widget=forms.CheckboxSelectMultiple,
        )
    return forms.ModelChoiceField(
        queryset=queryset, required=False, label=label, empty_label=_("– välj –")
    )


def _variable_fields(phase: str, current=None) -> dict:
    """The fields of the registration variables of `phase`: to register (whose labels may say
    more), or to correct, where `current(name)` gives the enrolment's codes."""
    fields = {}
    for v in variables.of_phase(phase):
        if v.is_extent:
            fields[v.name] = _extent_field(v.label)
        elif current is None:
            label = v.form_label or v.label
            fields[v.name] = _code_field(v.code_list, label, multiple=v.multiple)
        else:
            fields[v.name] = _code_field(
                v.code_list, v.label, multiple=v.multiple, current=current(v.name)
            )
    return fields


def _own_label(association, code: Code) -> str:
    return codes.label(code.code_list, code.code, association=association)


def _extent_field(label):
    return forms.IntegerField(
        required=False,
        min_value=0,
        max_value=100,
        label=label,
        help_text=_("Procent av heltid (40 timmar i veckan = 100)."),
    )


@dataclass(frozen=True)
class ConsentError:
    """A message of the services' consent check, and the id of the consent input it is about
    (empty when the form has no consent fields), for the error summary's link."""

    message: str
    anchor: str = ""

    def __str__(self) -> str:
        return self.message


class ServiceForm(forms.Form):
    """Bootstrap classes, the services' errors on the right fields, and each input described by
    its messages (`participants/_field_messages.html`, which the live check replaces)."""

    # Hints shown elsewhere than under a field that depend on it, by field name: the live check
    # of the field updates them too (`participants/_live_check.html`).
    hints: dict[str, str] = {}

    def __init__(self, *args, association=None, **kwargs):
        """`association` (or its id): code fields show its own wording of a code list, if any."""
        super().__init__(*args, **kwargs)
        self.consent_errors: list[ConsentError] = []
        self.add_fields()
        for name, field in self.fields.items():
            is_code = isinstance(field, forms.ModelChoiceField) and field.queryset.model is Code
            if association is not None and is_code:
                field.label_from_instance = partial(_own_label, association)
            widget = field.widget
            if isinstance(widget, (forms.RadioSelect, forms.CheckboxInput)):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)
            widget.attrs.setdefault("aria-describedby", f"messages-{self.add_prefix(name)}")

    def add_fields(self) -> None:
        """Add fields whose choices come from the database (code lists)."""

    def add_service_errors(self, exc: ValidationError) -> None:
        """Place the services' messages; a field the form already rejected keeps its own."""
        by_field = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        for key, messages in by_field.items():
            if key == "consent":
                self.consent_errors.extend(self._consent_error(e) for e in exc.error_dict[key])
            elif key in self.fields:
                if key not in self.errors:
                    self.add_error(key, messages)
            else:
                self.add_error(None, messages)

    def _consent_error(self, error: ValidationError) -> ConsentError:
        """The consent field a message names (by its code), else the consent's first field."""
        message = error.message % error.params if error.params else error.message
        for name in (f"consent_{error.code}", CONSENT_FIELDS[0]):
            if name in self.fields:
                return ConsentError(str(message), self[name].id_for_label)
        return ConsentError(str(message))

    def mark_invalid(self) -> None:
        anchors = {e.anchor for e in self.consent_errors}
        consent = [
            n for n in CONSENT_FIELDS if n in self.fields and self[n].id_for_label in anchors
        ]
        for name in [*self.errors, *consent]:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                if "class" in widget.attrs and "is-invalid" not in widget.attrs["class"]:
                    widget.attrs["class"] += " is-invalid"

    def service_arguments(self) -> dict:
        """What the form hands to its service (and its check): the input as `data`."""
        return {"data": self.to_input()}

    def value(self, name, default=None):
        """The cleaned value, or `default` when the field did not parse."""
        return getattr(self, "cleaned_data", {}).get(name, default)

    def variable_values(self, phase: str) -> dict:
        """The services' input of the registration variables of `phase`."""
        values = {}
        for variable in variables.of_phase(phase):
            value = self.value(variable.name)
            values[variable.name] = list(value or []) if variable.multiple else value
        return values

    def variable_rows(self, phase: str, *, placed=()) -> list[list]:
        """The fields of the variables of `phase` not `placed` by the template itself, a row
        each; an extent shares the row of the occupation before it."""
        rows: list[list] = []
        for variable in variables.of_phase(phase):
            if variable.name in placed or variable.name not in self.fields:
                continue
            if variable.is_extent and rows:
                rows[-1].append(self[variable.name])
            else:
                rows.append([self[variable.name]])
        return rows


# In a live check of a consent field, the consent fields not reached yet (empty and after the one
# checked, in the order of CONSENT_FIELDS) count as filled in correctly: the service checks the
# consent as a whole, and its messages are to speak only of what the user has reached.
_CONSENT_STAND_INS = {
    "consent_method": ConsentMethod.PAPER,
    "consent_form_version": "–",
    "consent_language": "svenska",
}


class EnrolForm(ServiceForm):
    hints = {
        "personal_number": "derived",
        "start_date": "derived",
        **dict.fromkeys(CONSENT_FIELDS, "consent"),
    }

    anonymous_reason = forms.ChoiceField(
        label=_("Registrering"),
        choices=[
            ("", _("Med personuppgifter (samtycke finns)")),
            (AnonymousReason.NO_CONSENT, _("Anonymt – samtycke saknas")),
            (AnonymousReason.PROTECTED_IDENTITY, _("Anonymt – skyddade personuppgifter")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    personal_number = forms.CharField(
        label=_("Personnummer eller samordningsnummer"),
        required=False,
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "placeholder": _("ÅÅÅÅMMDD-NNNN"), "spellcheck": "false"}
        ),
    )
    name = forms.CharField(
        label=_("Namn"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    gender = forms.ChoiceField(
        label=_("Kön"),
        required=False,
        choices=[("", _("Enligt personnumret"))] + list(Gender.choices),
    )
    age_at_start = forms.IntegerField(
        label=_("Ålder vid start (år)"), required=False, min_value=0, max_value=120
    )
    start_date = forms.DateField(label=_("Startdatum"), required=False, widget=DateInput)
    home_municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.all(),
        label=_("Hemkommun"),
        required=False,
        empty_label=_("– välj –"),
    )
    consent_given_on = forms.DateField(
        label=_("Datum för samtycket"), required=False, widget=DateInput
    )
    consent_method = forms.ChoiceField(
        label=_("Hur samtycket lämnades"),
        required=False,
        choices=[("", _("– välj –"))] + list(ConsentMethod.choices),
    )
    consent_form_version = forms.CharField(
        label=_("Blankettversion"), required=False, max_length=50
    )
    consent_language = forms.CharField(
        label=_("Blankettens språk"), required=False, max_length=32, initial="svenska"
    )

    field_order = [
        "anonymous_reason",
        "personal_number",
        "name",
        "gender",
        "age_at_start",
        "start_date",
        "home_municipality",
    ]

    def __init__(self, *args, checking: str | None = None, **kwargs):
        """`checking`: the field a live check is about (None: the whole form is sent)."""
        self.checking = checking
        super().__init__(*args, **kwargs)

    def add_fields(self) -> None:
        fields = _variable_fields(variables.IN)
        self.fields.update(fields)
        self.order_fields([*self.field_order, *fields])

    @property
    def registration_rows(self) -> list[list]:
        return self.variable_rows(variables.IN)

    @property
    def anonymous(self) -> bool:
        if self.is_bound:
            return bool(self.data.get(self.add_prefix("anonymous_reason")))
        return bool(self.initial.get("anonymous_reason"))

    def to_input(self) -> EnrolmentInput:
        value = self.value
        anonymous = value("anonymous_reason", "") or ""
        consent = None
        if not anonymous and any(value(name) for name in _CONSENT_TOUCHED):
            consent = ConsentInput(
                given_on=self._consent_value("consent_given_on"),
                method=self._consent_value("consent_method"),
                form_version=self._consent_value("consent_form_version"),
                language=self._consent_value("consent_language"),
            )
        return EnrolmentInput(
            start_date=value("start_date"),
            # The identity fields are hidden for anonymous registrations and never passed on.
            personal_number="" if anonymous else value("personal_number", ""),
            name="" if anonymous else value("name", ""),
            anonymous_reason=anonymous,
            gender=value("gender", ""),
            age_at_start=value("age_at_start") if anonymous else None,
            home_municipality=value("home_municipality"),
            **self.variable_values(variables.IN),
            consent=consent,
        )

    def _consent_value(self, name):
        """A consent field's value, or in a live check of the consent its stand-in while the
        field is not reached yet (`_CONSENT_STAND_INS`)."""
        value = self.value(name)
        order = CONSENT_FIELDS.index
        checking = self.checking in CONSENT_FIELDS
        if checking and not value and order(name) > order(self.checking):
            return _CONSENT_STAND_INS[name]
        return value if name == "consent_given_on" else value or ""

    def derived(self) -> dict | None:
        """Birth date, age and legal gender read from a valid number (a hint of the number)."""
        if self.anonymous or "personal_number" in self.errors:
            return None
        raw = self.value("personal_number", "")
        if not raw:
            return None
        try:
            number = parse_personal_number(raw)
        except ValidationError:
            return None
        start = self.value("start_date") or timezone.localdate()
        age = number.age_on(start) if start >= number.birth_date else None
        return {
            "birth_year": number.birth_date.year,
            "age": age,
            "legal_gender": Gender(number.legal_gender).label,
            "coordination_number": number.is_coordination_number,
        }


class ExitForm(ServiceForm):
    end_date = forms.DateField(label=_("Slutdatum"), required=False, widget=DateInput)

    def add_fields(self) -> None:
        self.fields.update(_variable_fields(variables.OUT))
        self.order_fields(EXIT_FIELDS)

    @property
    def registration_rows(self) -> list[list]:
        """The exit's variables but its reason, which the page shows beside the end date."""
        return self.variable_rows(variables.OUT, placed=("exit_reason",))

    def to_input(self) -> ExitInput:
        return ExitInput(end_date=self.value("end_date"), **self.variable_values(variables.OUT))


def _registered(enrolment, phase: str) -> dict:
    """The enrolment's values of the variables of `phase`, as form data: code ids."""
    values = {}
    for variable in variables.of_phase(phase):
        if variable.multiple:
            values[variable.name] = [c.pk for c in getattr(enrolment, variable.name).all()]
        else:
            values[variable.name] = getattr(enrolment, variable.attname)
    return values


class CorrectionForm(ServiceForm):
    """All in- and out-registration fields of one enrolment, filled in with the current
    values; only what the user changes is sent to `enrolment_correct`."""

    reason = forms.CharField(
        label=_("Varför rättas uppgifterna?"),
        required=False,
        max_length=100,
        help_text=_("Sparas i historiken, t.ex. ”fel datum på blanketten”."),
    )

    def __init__(self, *args, enrolment, name: str | None = None, **kwargs):
        self.enrolment = enrolment
        kwargs.setdefault("association", enrolment.initiative.association_id)
        initial = {
            "start_date": enrolment.start_date,
            "gender": enrolment.gender,
            "age_at_start": enrolment.age_at_start,
            "home_municipality": enrolment.home_municipality_id,
            **_registered(enrolment, variables.IN),
        }
        if not enrolment.is_active:
            initial.update(end_date=enrolment.end_date, **_registered(enrolment, variables.OUT))
        if name is not None:
            initial["name"] = name
        self._name = name
        super().__init__(*args, initial=initial, **kwargs)

    def add_fields(self) -> None:
        enrolment, initial = self.enrolment, self.initial

        def current(name):
            value = initial.get(name)
            return [value] if isinstance(value, int) else value or []

        fields = {}
        if self._name is not None:
            fields["name"] = forms.CharField(label=_("Namn"), required=False, max_length=200)
        fields["start_date"] = forms.DateField(
            label=_("Startdatum"), required=False, widget=DateInput
        )
        fields["gender"] = forms.ChoiceField(label=_("Kön"), choices=Gender.choices)
        if enrolment.is_anonymous:
            fields["age_at_start"] = forms.IntegerField(
                label=_("Ålder vid start (år)"), required=False, min_value=0, max_value=120
            )
        fields["home_municipality"] = forms.ModelChoiceField(
            queryset=Municipality.objects.all(),
            label=_("Hemkommun"),
            required=False,
            empty_label=_("– välj –"),
        )
        fields.update(_variable_fields(variables.IN, current))
        if not enrolment.is_active:
            fields["reopen"] = forms.BooleanField(
                label=_("Ångra utregistreringen (deltagandet pågår fortfarande)"),
                required=False,
            )
            fields["end_date"] = forms.DateField(
                label=_("Slutdatum"), required=False, widget=DateInput
            )
            fields.update(_variable_fields(variables.OUT, current))
        fields["reason"] = self.fields.pop("reason")
        self.fields = fields

    @property
    def in_fields(self):
        return [
            self[name]
            for name in self.fields
            if name not in (*EXIT_FIELDS, "reopen", "reason", "name")
        ]

    @property
    def out_fields(self):
        return [self[name] for name in EXIT_FIELDS if name in self.fields]

    def service_arguments(self) -> dict:
        """`enrolment_correct`'s arguments: the changes and the reason."""
        return {"changes": self.changes(), "reason": self.value("reason", "")}

    def changes(self) -> dict:
        """The fields the user changed, as `enrolment_correct` wants them."""
        changes = {}
        for name in self.changed_data:
            if name in ("reason", "reopen") or name in self.errors:
                continue
            value = self.cleaned_data.get(name)
            if name.startswith("income_sources"):
                value = list(value or [])
            changes[name] = value
        if self.value("reopen"):
            changes = {k: v for k, v in changes.items() if k not in EXIT_FIELDS}
            changes["end_date"] = None
        return changes


class WithdrawConsentForm(ServiceForm):
    withdrawn_on = forms.DateField(
        label=_("Datum då samtycket återkallades"), required=False, widget=DateInput
    )


class ProtectIdentityForm(ServiceForm):
    confirm = forms.BooleanField(
        label=_(
            "Jag bekräftar att personen har skyddade personuppgifter. Namn och personnummer tas "
            "bort från alla personens deltaganden och kan inte återställas."
        ),
        error_messages={"required": _("Bekräfta genom att kryssa i rutan.")},
    )
