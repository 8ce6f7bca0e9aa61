"""Forms parse input; the services (`services.py`, `rounds.py`, `co_applicants.py`,
`comments.py`, `registration.py`) decide and hold every rule."""

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.applications.models import CoApplicantPermission, Round
from finsam.applications.rounds import form_versions_for
from finsam.initiatives.forms import InvalidMarkingMixin, ServiceValidatedModelForm, _bootstrap

DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
# Large enough for any form definition, small enough for one request.
DEFINITION_MAX_BYTES = 512 * 1024


class BootstrapForm(InvalidMarkingMixin, forms.Form):
    REQUIRED_MESSAGES: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = message
        _bootstrap(self)


class NewPasswordForm(BootstrapForm):
    """A new account's password, typed twice (a registration, joining an organisation)."""

    password1 = forms.CharField(
        label=_("Lösenord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minst åtta tecken, inte bara siffror och inte ett vanligt lösenord."),
    )
    password2 = forms.CharField(
        label=_("Lösenordet igen"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", _("Lösenorden är inte lika."))
        return data


class RegistrationForm(NewPasswordForm):
    field_order = ["organisation_name", "org_number", "first_name", "last_name", "email"]
    organisation_name = forms.CharField(
        label=_("Organisationens namn"),
        max_length=200,
        help_text=_("T.ex. Socialförvaltningen, Lunds kommun."),
    )
    org_number = forms.CharField(
        label=_("Organisationsnummer"), max_length=13, help_text=_("Tio siffror: NNNNNN-NNNN.")
    )
    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    email = forms.EmailField(
        label=_("E-postadress"),
        help_text=_("Vi skickar en länk hit som du öppnar för att bekräfta adressen."),
        error_messages={"invalid": _("Ange en giltig e-postadress, t.ex. namn@example.se.")},
    )

    REQUIRED_MESSAGES = {
        "organisation_name": _("Ange organisationens namn."),
        "org_number": _("Ange organisationsnumret."),
        "first_name": _("Ange ditt förnamn."),
        "last_name": _("Ange ditt efternamn."),
        "email": _("Ange din e-postadress."),
        "password1": _("Välj ett lösenord."),
        "password2": _("Skriv lösenordet en gång till."),
    }


class StartForm(BootstrapForm):
    title = forms.CharField(label=_("Projektets namn"), max_length=200)
    REQUIRED_MESSAGES = {"title": _("Ange projektets namn.")}


class WithdrawForm(BootstrapForm):
    comment = forms.CharField(
        label=_("Varför återtas ansökan? (valfritt)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AcceptLateForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Skäl att ta emot ansökan sent"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skälet sparas i ansökans historik."),
    )
    REQUIRED_MESSAGES = {"reason": _("Ange skälet till att ansökan tas emot sent.")}


class CommentForm(BootstrapForm):
    text = forms.CharField(
        label=_("Ny kommentar"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    staff_only = forms.BooleanField(label=_("Bara för kansliet"), required=False)
    REQUIRED_MESSAGES = {"text": _("Skriv en kommentar.")}

    def __init__(self, *args, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not staff:
            del self.fields["staff_only"]


class InviteForm(BootstrapForm):
    email = forms.EmailField(
        label=_("E-postadress"),
        error_messages={"invalid": _("Ange en giltig e-postadress, t.ex. namn@example.se.")},
    )
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200)
    permission = forms.ChoiceField(
        label=_("Behörighet"),
        choices=CoApplicantPermission.choices,
        initial=CoApplicantPermission.COMMENT,
    )
    REQUIRED_MESSAGES = {
        "email": _("Ange en e-postadress."),
        "organisation_name": _("Ange vilken organisation personen företräder."),
        "permission": _("Välj en behörighet."),
    }


class PermissionForm(BootstrapForm):
    permission = forms.ChoiceField(label=_("Behörighet"), choices=CoApplicantPermission.choices)


class RoundForm(ServiceValidatedModelForm):
    class Meta:
        model = Round
        fields = ["title", "description", "opens_on", "closes_on", "form_version"]
        widgets = {
            "opens_on": forms.DateInput(**DATE_WIDGET),
            "closes_on": forms.DateInput(**DATE_WIDGET),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "title": _("Namn"),
            "description": _("Beskrivning"),
            "opens_on": _("Öppnar"),
            "closes_on": _("Sista dag att lämna in"),
            "form_version": _("Formulär"),
        }
        help_texts = {
            "title": _("T.ex. Ansökningsomgång 1 februari 2027. Unikt inom förbundet."),
            "closes_on": _("Lämna tomt för en löpande omgång."),
        }

    REQUIRED_MESSAGES = {
        "title": _("Ange omgångens namn."),
        "opens_on": _("Ange när omgången öppnar."),
        "form_version": _("Välj formulär."),
    }

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_version"].queryset = form_versions_for(access)
        self.fields["form_version"].empty_label = _("Välj formulär")
        self.fields["form_version"].label_from_instance = lambda v: (
            f"{v.form.name} – version {v.number}"
        )
        for name, message in self.REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = message
        self.fields["form_version"].error_messages["invalid_choice"] = _(
            "Formuläret finns inte i förbundet."
        )
        _bootstrap(self)

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class FormVersionForm(BootstrapForm):
    name = forms.CharField(
        label=_("Formulärets namn"),
        max_length=200,
        help_text=_("Samma namn som ett befintligt formulär ger en ny version av det."),
    )
    definition = forms.CharField(
        label=_("Definition (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text=_('Avsnitt ("sections") med block ("blocks"), som i standardformuläret.'),
    )
    file = forms.FileField(
        label=_("…eller ladda upp en JSON-fil"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    REQUIRED_MESSAGES = {"name": _("Ange formulärets namn.")}

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > DEFINITION_MAX_BYTES:
                self.add_error("file", _("Filen är för stor (högst 512 kB)."))
                return data
            try:
                data["definition"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("file", _("Filen är inte en textfil i UTF-8."))
                return data
        if not (data.get("definition") or "").strip() and "file" not in self.errors:
            self.add_error("definition", _("Klistra in definitionen eller ladda upp en fil."))
        return data


class ColleagueForm(BootstrapForm):
    email = forms.EmailField(
        label=_("E-postadress"),
        error_messages={"invalid": _("Ange en giltig e-postadress, t.ex. namn@example.se.")},
    )
    REQUIRED_MESSAGES = {"email": _("Ange en e-postadress.")}


class JoinForm(NewPasswordForm):
    field_order = ["first_name", "last_name"]
    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    REQUIRED_MESSAGES = {
        "first_name": _("Ange ditt förnamn."),
        "last_name": _("Ange ditt efternamn."),
        "password1": _("Välj ett lösenord."),
        "password2": _("Skriv lösenordet en gång till."),
    }
