from django.contrib import admin

from finsam.finance.models import BudgetLineType


@admin.register(BudgetLineType)
class BudgetLineTypeAdmin(admin.ModelAdmin):
    """The budget line catalogue (finance-law-privacy.md §3.1), a configurable code list."""

    list_display = ["code", "name", "group", "sus_cost_type", "sort_order", "active"]
    list_filter = ["group", "active"]
    list_editable = ["sort_order", "active"]
