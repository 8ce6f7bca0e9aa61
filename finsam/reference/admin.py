from django.contrib import admin

from finsam.reference.models import Code, Municipality, Region


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


@admin.register(Code)
class CodeAdmin(admin.ModelAdmin):
    list_display = ["code_list", "code", "label_sv", "label_en", "category", "sort_order", "active"]
    list_editable = ["label_sv", "label_en", "category", "sort_order", "active"]
    list_filter = ["code_list", "active", "category"]
    search_fields = ["code", "label_sv", "label_en"]
    ordering = ["code_list", "sort_order", "code"]

    def has_delete_permission(self, request, obj=None):
        # Registrations point at codes: retire a code by setting it inactive instead.
        return False
