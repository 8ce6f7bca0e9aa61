from django.urls import path

from finsam.socioeconomics import views

app_name = "socioeconomics"

# Mounted at the site's root: the estimates keep the path of the initiative they belong to.
urlpatterns = [
    path("socioeconomics/assumptions/", views.assumption_list, name="assumptions"),
    # The assumption as a query parameter (?key=…): an assumption is no object of its own, it is
    # always the current association's.
    path("socioeconomics/assumptions/edit/", views.assumption_edit, name="assumption_edit"),
    path("initiatives/<int:pk>/estimates/add/", views.estimate_add, name="estimate_add"),
    path(
        "initiatives/<int:pk>/estimates/<int:estimate_pk>/",
        views.estimate_detail,
        name="estimate_detail",
    ),
    path(
        "initiatives/<int:pk>/estimates/<int:estimate_pk>/edit/",
        views.estimate_edit,
        name="estimate_edit",
    ),
    path(
        "initiatives/<int:pk>/estimates/<int:estimate_pk>/delete/",
        views.estimate_delete,
        name="estimate_delete",
    ),
    path(
        "initiatives/<int:pk>/estimates/<int:estimate_pk>/export/<str:fmt>/",
        views.estimate_export,
        name="estimate_export",
    ),
]
