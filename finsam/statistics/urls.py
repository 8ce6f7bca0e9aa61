from django.urls import path, register_converter

from finsam.statistics import views


class ScopeKindConverter:
    """The scope kinds addressed by an id (the whole country has its own URL)."""

    regex = "initiative|association|region"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ScopeKindConverter, "scopekind")

app_name = "statistics"

# A plain list: the SUS-report pages append their patterns here.
urlpatterns = [
    path("", views.index, name="index"),
    path("national/", views.scope_page, {"kind": "national"}, name="national"),
    path("<scopekind:kind>/<int:obj_id>/", views.scope_page, name="scope"),
]

# The SUS reports (finsam/statistics/sus_views.py).
from finsam.statistics import sus_views  # noqa: E402

urlpatterns += [
    path("sus/initiatives/", sus_views.initiative_report, name="sus_initiative_report"),
    path("sus/participants/", sus_views.participant_report, name="sus_participant_report"),
]
