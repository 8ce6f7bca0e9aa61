from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from allauth.mfa.totp.internal import auth as totp_auth
from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.core.roles import INITIATIVE_SCOPED_ROLES


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-postadress"),
        max_length=254,
        error_messages={"invalid": _("Ange en giltig e-postadress.")},
    )
    role = forms.ChoiceField(label=_("Roll"))
    initiatives = forms.ModelMultipleChoiceField(
        label=_("Insatser"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Krävs för insatsansvarig, deltagaransvarig och sökande; annars inga."),
    )

    def __init__(self, *args, roles, initiatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "---------")] + [(r.value, r.label) for r in roles]
        self.fields["initiatives"].queryset = initiatives
        self.scoped_roles = sorted(INITIATIVE_SCOPED_ROLES)


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    password1 = forms.CharField(
        label=_("Lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minst 8 tecken; inte bara siffror och inte ett vanligt lösenord."),
    )
    password2 = forms.CharField(
        label=_("Lösenord igen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("Lösenorden är inte lika."))
        return cleaned


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Namn"),
        max_length=100,
        help_text=_("Vad nyckeln används till, till exempel systemet som använder den."),
    )


class ActivateTOTPForm(AllauthActivateTOTPForm):
    """allauth's form draws a new secret on every GET, so reloading the set-up page changed the
    key the user may already have scanned. Here the secret stays in the session (allauth's own
    key) until the activation succeeds, when allauth clears it."""

    def __init__(self, *args, **kwargs) -> None:
        self.user = kwargs.pop("user")
        forms.Form.__init__(self, *args, **kwargs)
        self.secret = totp_auth.get_totp_secret()
