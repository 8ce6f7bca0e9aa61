from django.urls import path

from finsam.participants import import_views

app_name = "participant_import"

urlpatterns = [
    path("<int:initiative_pk>/", import_views.upload, name="upload"),
    path(
        "<int:initiative_pk>/mall.xlsx",
        import_views.template,
        {"file_format": "xlsx"},
        name="template_xlsx",
    ),
    path(
        "<int:initiative_pk>/mall.csv",
        import_views.template,
        {"file_format": "csv"},
        name="template_csv",
    ),
]
