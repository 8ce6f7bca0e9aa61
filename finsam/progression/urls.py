from django.urls import path

from finsam.progression import views

app_name = "progression"

urlpatterns = [
    path("dimensions/", views.dimension_list, name="dimensions"),
    path("dimensions/add/", views.dimension_add, name="dimension_add"),
    path("dimensions/examples/", views.dimension_examples, name="dimension_examples"),
    path("dimensions/<int:pk>/", views.dimension_edit, name="dimension_edit"),
    path("enrolment/<uuid:enrolment_uuid>/", views.enrolment_ratings, name="enrolment"),
    path("enrolment/<uuid:enrolment_uuid>/add/", views.occasion_add, name="occasion_add"),
    path(
        "enrolment/<uuid:enrolment_uuid>/<uuid:occasion_uuid>/",
        views.occasion_edit,
        name="occasion_edit",
    ),
    path(
        "enrolment/<uuid:enrolment_uuid>/<uuid:occasion_uuid>/delete/",
        views.occasion_delete,
        name="occasion_delete",
    ),
    path("initiative/<int:initiative_id>/", views.initiative_summary, name="initiative"),
]
