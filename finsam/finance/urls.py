from django.urls import path

from finsam.finance import views

app_name = "finance"

urlpatterns = [
    path("", views.year_list, name="years"),
    path("years/add/", views.year_add, name="year_add"),
    path("years/<int:pk>/", views.year_detail, name="year_detail"),
    path("years/<int:pk>/edit/", views.year_edit, name="year_edit"),
    path("years/<int:pk>/delete/", views.year_delete, name="year_delete"),
]
