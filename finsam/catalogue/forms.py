"""The secretariat's entry form and the public search form."""

from __future__ import annotations

import io
import zipfile

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.catalogue.models import CatalogueEntry, PublicStatus
from finsam.catalogue.search import MAX_QUERY_WORDS
from finsam.catalogue.services import ReportFile

MAX_REPORT_BYTES = 20 * 1024 * 1024
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def report_type(data: bytes) -> str | None:
    """The content type of a final report by its content, not its name: PDF or DOCX."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return DOCX
        except zipfile.BadZipFile:
            return None
    return None


class EntryForm(forms.ModelForm):
    final_report = forms.FileField(
        label=_("Slutrapport"),
        required=False,
        help_text=_("PDF eller Word (docx), högst 20 MB. Publiceras för alla."),
    )
    remove_final_report = forms.BooleanField(label=_("Ta bort slutrapporten"), required=False)

    class Meta:
        model = CatalogueEntry
        fields = ["summary", "who_for", "how_to_refer", "contact", "results"]
        labels = {
            "summary": _("Sammanfattning"),
            "who_for": _("Vem insatsen är till för"),
            "how_to_refer": _("Så remitterar du"),
            "contact": _("Kontakt"),
            "results": _("Resultat"),
        }
        help_texts = {
            "summary": _("Vad insatsen gör, med egna ord. Krävs för att publicera."),
            "who_for": _("Målgruppen, för den som remitterar deltagare."),
            "how_to_refer": _("Hur handläggare anmäler eller remitterar deltagare."),
            "contact": _(
                "En funktion eller roll med tjänsteadress, t.ex. "
                "”Projektledare, projekt@kommun.se”. Inga privata uppgifter."
            ),
            "results": _("För avslutade insatser: vad insatsen ledde till."),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "who_for": forms.Textarea(attrs={"rows": 3}),
            "how_to_refer": forms.Textarea(attrs={"rows": 3}),
            "results": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field, forms.BooleanField) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_final_report(self):
        upload = self.cleaned_data.get("final_report")
        if not upload:
            return None
        if upload.size > MAX_REPORT_BYTES:
            raise forms.ValidationError(_("Filen är för stor: högst 20 MB."))
        data = upload.read()
        content_type = report_type(data)
        if content_type is None:
            raise forms.ValidationError(
                _("Filen är inte en PDF eller ett Word-dokument (docx), vad den än heter.")
            )
        name = upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
        return ReportFile(name=name, content_type=content_type, data=data)

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SearchForm(forms.Form):
    """The public search: a query and the filters, all optional (a GET form)."""

    q = forms.CharField(label=_("Sök"), required=False, max_length=200)
    municipality = forms.TypedChoiceField(
        label=_("Kommun"), required=False, coerce=int, empty_value=None
    )
    target_group = forms.TypedChoiceField(
        label=_("Målgrupp"), required=False, coerce=int, empty_value=None
    )
    year = forms.TypedChoiceField(label=_("År"), required=False, coerce=int, empty_value=None)
    owner = forms.ChoiceField(label=_("Projektägare"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, data, *, options: dict):
        super().__init__(data)
        every = [("", _("Alla"))]
        self.fields["municipality"].choices = every + [
            (m.pk, m.name) for m in options["municipalities"]
        ]
        self.fields["target_group"].choices = every + [
            (c.pk, str(c)) for c in options["target_groups"]
        ]
        self.fields["year"].choices = every + [(y, str(y)) for y in options["years"]]
        self.fields["owner"].choices = every + [(o, o) for o in options["owners"]]
        self.fields["status"].choices = every + list(PublicStatus.choices)
        for name, field in self.fields.items():
            css = "form-control" if name == "q" else "form-select"
            field.widget.attrs["class"] = css
        self.fields["q"].widget.attrs.update(
            {"type": "search", "autocomplete": "off", "spellcheck": "false"}
        )

    def criteria(self) -> dict:
        """The valid criteria (an invalid filter is dropped, its message shown)."""
        if self.is_valid():
            data = self.cleaned_data
        else:
            data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        words = (data.get("q") or "").split()[: MAX_QUERY_WORDS * 2]
        return {
            "query": " ".join(words),
            "municipality": data.get("municipality"),
            "target_group": data.get("target_group"),
            "year": data.get("year"),
            "owner": data.get("owner") or "",
            "status": data.get("status") or "",
        }
