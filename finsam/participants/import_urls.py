from django.urls import path

from finsam.participants import import_views

app_name = "participant_import"

urlpatterns = [
    path("<int:initiative_pk>/", import_views.upload, name="upload"),
    *(
        path(
            f"<int:initiative_pk>/mall.{file_format}",
            import_views.template,
            {"file_format": file_format},
            name=f"template_{file_format}",
        )
        for file_format in ("xlsx", "csv")
    ),
]
