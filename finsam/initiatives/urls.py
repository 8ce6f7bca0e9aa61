from django.urls import path

from finsam.initiatives import views

app_name = "initiatives"

urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("new/", views.initiative_create, name="create"),
    path(
        "specific-orientations/",
        views.specific_orientation_options,
        name="specific_orientation_options",
    ),
    path("<int:pk>/", views.initiative_detail, name="detail"),
    path("<int:pk>/edit/", views.initiative_edit, name="edit"),
    path("<int:pk>/head-counts/", views.head_counts, name="head_counts"),
    path("<int:pk>/assignments/add/", views.assignment_add, name="assignment_add"),
    path(
        "<int:pk>/assignments/<int:assignment_pk>/remove/",
        views.assignment_remove,
        name="assignment_remove",
    ),
]
