from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "finsam.indicators"
    label = "indicators"
    verbose_name = "Indikatorer"

    def ready(self):
        from finsam.indicators.report_chapter import indicator_part
        from finsam.reports.chapters import register_initiative_chapter

        register_initiative_chapter(indicator_part)
