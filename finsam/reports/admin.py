from django.contrib import admin

from finsam.reports.models import InitiativeReport, ReportComment, ReportingPeriod


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "association", "kind", "start_date", "end_date", "deadline"]
    list_filter = ["association", "kind"]
    search_fields = ["name"]


class ReportCommentInline(admin.TabularInline):
    model = ReportComment
    extra = 0
    raw_id_fields = ["author"]


@admin.register(InitiativeReport)
class InitiativeReportAdmin(admin.ModelAdmin):
    list_display = ["initiative", "municipality", "period", "kind", "status", "updated_at"]
    list_filter = ["status", "kind", "period__association"]
    list_select_related = ["initiative", "municipality", "period"]
    search_fields = ["initiative__name"]
    raw_id_fields = ["parent", "initiative"]
    inlines = [ReportCommentInline]
