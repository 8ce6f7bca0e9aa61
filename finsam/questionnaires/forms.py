from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from finsam.initiatives.scoping import visible_initiatives
from finsam.questionnaires.models import period_validator


def _initiatives(access, action):
    qs = visible_initiatives(access)
    if not access.can_throughout(action):
        ids = set()
        for role in access.roles:
            ids |= access.assigned_to(role)
        qs = qs.filter(pk__in=ids)
    return qs.order_by("name")


class DistributionForm(forms.Form):
    initiative = forms.ModelChoiceField(
        label=_("Insats"), queryset=None, required=False, empty_label=_("Hela förbundet")
    )
    period = forms.CharField(
        label=_("Mätperiod"),
        max_length=7,
        validators=[period_validator],
        help_text=_("Till exempel 2026-H2 (andra halvåret 2026)."),
    )
    count = forms.IntegerField(label=_("Antal länkar"), min_value=1, max_value=500, initial=20)
    valid_days = forms.IntegerField(
        label=_("Giltiga i antal dagar"), min_value=1, max_value=365, initial=30
    )

    def __init__(self, *args, access, paper=False, **kwargs):
        super().__init__(*args, **kwargs)
        action = "questionnaire.enter_paper" if paper else "questionnaire.manage"
        self.fields["initiative"].queryset = _initiatives(access, action)
        if not access.can_throughout(action):
            self.fields["initiative"].required = True
            self.fields["initiative"].empty_label = None
        if paper:
            del self.fields["count"]
            del self.fields["valid_days"]


class GroupForm(DistributionForm):
    max_uses = forms.IntegerField(
        label=_("Högst antal svar"), min_value=1, max_value=200, initial=30
    )
    per_minute = forms.IntegerField(
        label=_("Högst antal nya svarande per minut"), min_value=1, max_value=100, initial=20
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["count"]
        del self.fields["valid_days"]


class EmailForm(DistributionForm):
    emails = forms.CharField(
        label=_("E-postadresser"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("En adress per rad."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["count"]

    def clean_emails(self):
        emails = [line.strip() for line in self.cleaned_data["emails"].splitlines() if line.strip()]
        bad = []
        for address in emails:
            try:
                validate_email(address)
            except forms.ValidationError:
                bad.append(address)
        if bad:
            raise forms.ValidationError(
                _("Ogiltiga adresser: %(list)s") % {"list": ", ".join(bad[:5])}
            )
        return emails


class ReminderForm(forms.Form):
    period = forms.CharField(max_length=7, validators=[period_validator])
