from django.urls import path

from finsam.applications import views

app_name = "applications"

urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
]
