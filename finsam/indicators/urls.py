from django.urls import path, register_converter

from finsam.indicators import views


class IndicatorScopeConverter:
    regex = "association|initiative"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(IndicatorScopeConverter, "indicatorscope")

app_name = "indicators"

urlpatterns = [
    path("", views.index, name="index"),
    path("<indicatorscope:kind>/<int:obj_id>/", views.scope_page, name="scope"),
]
