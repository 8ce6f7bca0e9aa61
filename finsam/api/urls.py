from django.urls import include, path, re_path

from finsam.api import docs, public, views
from finsam.api import indicators as indicator_views
from finsam.api import statistics as statistics_views
from finsam.indicators import urls as _indicator_urls  # noqa: F401 (registers "indicatorscope")
from finsam.statistics import urls as _statistics_urls  # noqa: F401 (registers "scopekind")

app_name = "api"

v1 = [
    path("me/", views.MeApi.as_view(), name="me"),
    path("associations/", views.AssociationListApi.as_view(), name="association_list"),
    path(
        "associations/<int:pk>/",
        views.AssociationDetailApi.as_view(),
        name="association_detail",
    ),
    path("initiatives/", views.InitiativeListApi.as_view(), name="initiative_list"),
    path("initiatives/<int:pk>/", views.InitiativeDetailApi.as_view(), name="initiative_detail"),
    path(
        "initiatives/<int:pk>/enrolments/",
        views.InitiativeEnrolmentListApi.as_view(),
        name="initiative_enrolments",
    ),
    path("enrolments/<uuid:uuid>/", views.EnrolmentDetailApi.as_view(), name="enrolment_detail"),
    path("enrolments/<uuid:uuid>/exit/", views.EnrolmentExitApi.as_view(), name="enrolment_exit"),
    path("public/grants/", public.PublicGrantListApi.as_view(), name="public_grants"),
    path(
        "statistics/",
        statistics_views.StatisticsScopeListApi.as_view(),
        name="statistics_scopes",
    ),
    path(
        "statistics/national/",
        statistics_views.NationalStatisticsApi.as_view(),
        name="statistics_national",
    ),
    path(
        "statistics/<scopekind:kind>/<int:pk>/",
        statistics_views.StatisticsApi.as_view(),
        name="statistics",
    ),
    path("indicators/", indicator_views.IndicatorScopeListApi.as_view(), name="indicator_scopes"),
    path(
        "indicators/<indicatorscope:kind>/<int:pk>/",
        indicator_views.IndicatorsApi.as_view(),
        name="indicators",
    ),
]

urlpatterns = [
    path("openapi.json", docs.OpenApiJsonView.as_view(), name="openapi"),
    path("", docs.api_docs, name="docs"),
    re_path(r"^(?P<version>v1)/", include(v1)),
]
