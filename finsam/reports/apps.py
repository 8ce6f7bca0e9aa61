from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "finsam.reports"

    def ready(self):
        from finsam.finance.invoices import register_report_approved_check
        from finsam.jobs import kinds
        from finsam.jobs.models import JobKind
        from finsam.reports import compile_jobs
        from finsam.reports.selectors import approved_report_covers

        # Paying an initiative's invoice may wait for the period's approved report.
        register_report_approved_check(approved_report_covers)

        kinds.register(
            JobKind.COMPILED_REPORT,
            run=compile_jobs.run,
            may_see=compile_jobs.may_see,
            title_template="reports/compiled/_job_title.html",
            breadcrumb_template="reports/compiled/_job_breadcrumb.html",
            result_template="reports/compiled/_job_result.html",
            downloadable=True,
        )
