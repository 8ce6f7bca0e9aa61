from django.urls import path

from finsam.applications import views

app_name = "applications"

urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
]

# The applicant's editing pages (finsam.applications.views_edit).
from finsam.applications import views_edit  # noqa: E402

urlpatterns += [
    path("<int:pk>/edit/", views_edit.edit, name="edit"),
    path("<int:pk>/edit/<slug:section>/", views_edit.edit_section, name="edit_section"),
    path("<int:pk>/edit/<slug:section>/autosave/", views_edit.autosave, name="autosave"),
    path("<int:pk>/revisions/", views_edit.revisions, name="revisions"),
    path("<int:pk>/revisions/diff/", views_edit.revision_diff, name="revision_diff"),
    path("<int:pk>/check/", views_edit.check, name="check"),
    path("<int:pk>/submit/", views_edit.submit, name="submit"),
    path("attachments/<int:pk>/", views_edit.attachment, name="attachment"),
    path("attachments/<int:pk>/delete/", views_edit.attachment_delete, name="attachment_delete"),
]
