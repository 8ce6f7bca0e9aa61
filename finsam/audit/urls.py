from django.urls import path

from finsam.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.log, name="log"),
    path("export.csv", views.log_csv, name="log_csv"),
    path("changes/", views.change_log, name="changes"),
]
