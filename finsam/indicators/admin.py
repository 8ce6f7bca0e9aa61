"""The indicators in the admin: the national placeholders are replaced by the official wording,
items, answers and targets by editing their rows (no code change)."""

from django.contrib import admin

from finsam.indicators.models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__", "association", "kind", "level", "target_share", "verified"]
    list_filter = ["association", "kind", "level", "verified", "active"]
    search_fields = ["code"]
    ordering = ["association", "order", "code"]
