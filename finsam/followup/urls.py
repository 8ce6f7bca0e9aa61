from django.urls import path

from finsam.followup import views

app_name = "followup"

urlpatterns = [
    path("", views.successor_page, name="successor"),
]
