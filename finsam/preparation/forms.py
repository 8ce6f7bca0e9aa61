"""Forms parse input; the services in `services.py` decide."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from finsam.associations.forms import BootstrapForm, DateInput
from finsam.preparation.models import Verdict, Visibility


class ReviewEntryForm(BootstrapForm):
    """A reviewer's scores (one radio group per criterion), recommendation and comment."""

    recommendation = forms.ChoiceField(
        label=_("Din rekommendation"),
        choices=Verdict.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Motivera bedömningen: styrkor, svagheter och frågor till den sökande."),
    )
    visibility = forms.ChoiceField(
        label=_("Vem får läsa bedömningen"),
        choices=Visibility.choices,
        initial=Visibility.REVIEWERS,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, criteria=(), **kwargs):
        self.criteria = list(criteria)
        super().__init__(*args, **kwargs)
        for criterion in reversed(self.criteria):
            low, high = int(criterion.get("min", 1)), int(criterion.get("max", 5))
            choices = [(str(n), str(n)) for n in range(low, high + 1)]
            field = forms.ChoiceField(
                label=gettext(criterion["label"]),
                help_text=gettext(criterion.get("help", "")) if criterion.get("help") else "",
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields = {f"score_{criterion['key']}": field, **self.fields}
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["class"] = "form-check-input"

    def score_fields(self):
        return [self[f"score_{c['key']}"] for c in self.criteria]

    def scores(self) -> dict:
        return {c["key"]: self.cleaned_data.get(f"score_{c['key']}") for c in self.criteria}

    @classmethod
    def initial_for(cls, review) -> dict:
        initial = {
            "recommendation": review.recommendation,
            "comment": review.comment,
            "visibility": review.visibility,
        }
        initial.update({f"score_{k}": str(v) for k, v in review.scores.items()})
        return initial


# Whole kronor, digits grouped by spaces or not ("450000", "450 000").
AMOUNT = RegexValidator(
    r"^\s*\d[\d \u00a0]*$", message=_("Ange beloppet i hela kronor, t.ex. 450000.")
)


class RecommendationForm(BootstrapForm):
    verdict = forms.ChoiceField(
        label=_("Beredningsgruppens rekommendation"),
        choices=Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj en rekommendation.")},
    )
    summary = forms.CharField(
        label=_("Sammanfattning av bedömningarna"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Går till styrelsen med förslaget."),
        error_messages={"required": _("Sammanfatta beredningsgruppens bedömning.")},
    )
    message_to_applicant = forms.CharField(
        label=_("Meddelande till sökande"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vid komplettering: vad den sökande ska komplettera med. Visas för sökande."),
    )

    def __init__(self, *args, years=(), **kwargs):
        self.years = list(years)
        super().__init__(*args, **kwargs)
        for year in self.years:
            field = forms.CharField(
                label=_("Föreslaget belopp %(year)s (kr)") % {"year": year},
                required=False,
                help_text=_("Vid bifall."),
                validators=[AMOUNT],
            )
            field.widget.attrs.update({"inputmode": "numeric", "class": "form-control"})
            self.fields[f"year_{year}"] = field
        for name in ("verdict",):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def year_fields(self):
        return [self[f"year_{y}"] for y in self.years]

    def amounts(self) -> dict:
        return {y: self.cleaned_data.get(f"year_{y}") for y in self.years}


class SupplementRequestForm(BootstrapForm):
    message = forms.CharField(
        label=_("Vad ska den sökande komplettera med?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Visas för den sökande i ansökans historik och skickas med e-post."),
        error_messages={"required": _("Skriv vad den sökande behöver komplettera med.")},
    )


class InterestForm(BootstrapForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        empty_label=_("Välj organisation"),
        error_messages={"required": _("Välj organisationen.")},
    )
    description = forms.CharField(
        label=_("Vad intresset består i"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("T.ex. anställd, styrelseledamot eller närstående i organisationen."),
    )
    valid_from = forms.DateField(
        label=_("Gäller från"),
        widget=DateInput(),
        error_messages={"invalid": _("Ange ett datum, t.ex. 2026-03-01.")},
    )
    valid_to = forms.DateField(
        label=_("Gäller till"),
        required=False,
        widget=DateInput(),
        help_text=_("Lämna tomt om intresset gäller tills vidare."),
        error_messages={"invalid": _("Ange ett datum, t.ex. 2026-12-31.")},
    )

    def __init__(self, *args, organisations, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if users is not None:
            self.fields = {
                "user": forms.ModelChoiceField(
                    label=_("Person"),
                    queryset=users,
                    required=False,
                    empty_label=_("Jag själv"),
                    widget=forms.Select(attrs={"class": "form-select"}),
                ),
                **self.fields,
            }
            self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.email
