from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from finsam.reference.loading import reword_code
from finsam.reference.models import (
    Code,
    CodeList,
    CodeListVersion,
    Municipality,
    MunicipalPopulation,
    Region,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["code", "name"]


class CodeForm(forms.ModelForm):
    """The Swedish and English wording of a code; a change is saved as a new version of its
    national list (`reword_code`). A new meaning needs a new code (a file, `load_code_list`)."""

    label_sv = forms.CharField(label=_("benämning (svenska)"), max_length=300)
    label_en = forms.CharField(label=_("benämning (engelska)"), max_length=300, required=False)

    class Meta:
        model = Code
        fields = ["sort_order", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("label_sv", self.instance.label_sv)
            self.initial.setdefault("label_en", self.instance.label_en)
        help_text = _(
            "Bara formuleringen: en ny betydelse kräver en ny kod. En ändring blir en ny version "
            "av kodlistan."
        )
        self.fields["label_sv"].help_text = help_text


@admin.register(Code)
class CodeAdmin(admin.ModelAdmin):
    """Codes are loaded from files (`manage.py load_code_list`), which keeps a code's meaning for
    good: here the operator can change a code's wording (a new version), its order and whether
    it is still offered."""

    form = CodeForm

    list_display = ["code_list", "code", "label_sv", "label_en", "category", "version", "active"]
    list_editable = ["active"]
    list_filter = ["code_list", "active", "category"]
    search_fields = ["code", "labels"]
    ordering = ["code_list", "sort_order", "code"]
    readonly_fields = ["code_list", "code", "category", "version"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Registrations point at codes: retire a code by setting it inactive instead.
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        labels = {**obj.labels, "sv": form.cleaned_data["label_sv"].strip()}
        if form.cleaned_data.get("label_en", "").strip():
            labels["en"] = form.cleaned_data["label_en"].strip()
        if labels == obj.labels:
            return
        if obj.active:
            reword_code(obj, labels, by=request.user)
        else:
            self.message_user(
                request,
                _("En kod som inte används längre kan inte formuleras om."),
                messages.WARNING,
            )


class CodeListVersionInline(admin.TabularInline):
    model = CodeListVersion
    fields = [
        "number",
        "valid_from",
        "valid_to",
        "source_document",
        "source_date",
        "loaded_at",
        "loaded_by",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CodeList)
class CodeListAdmin(admin.ModelAdmin):
    """Lists and their versions are data loaded from files; the admin shows them."""

    list_display = ["key", "owner", "status", "source_document", "source_date"]
    list_filter = ["status", "key"]
    list_select_related = ["owner"]
    readonly_fields = ["key", "owner", "names", "source_document", "source_date", "status"]
    fields = [*readonly_fields, "notes"]
    inlines = [CodeListVersionInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MunicipalPopulation)
class MunicipalPopulationAdmin(admin.ModelAdmin):
    """Population figures per reference date, with their source (`manage.py load_population`)."""

    list_display = ["municipality", "reference_date", "total", "aged_16_64", "verified", "source"]
    list_filter = ["reference_date", "verified"]
    list_select_related = ["municipality"]
    search_fields = ["municipality__name", "municipality__code"]
