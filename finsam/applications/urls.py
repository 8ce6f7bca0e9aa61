from django.urls import path

from finsam.applications import views

app_name = "applications"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("register/done/", views.register_done, name="register_done"),
    path("register/<slug:slug>/", views.register, name="register"),
    path("organisation/", views.organisation, name="organisation"),
    path("join/<str:token>/", views.join, name="join"),
    path("start/<int:round_pk>/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/accept-late/", views.accept_late, name="accept_late"),
    path("<int:pk>/co-applicants/", views.co_applicant_list, name="co_applicants"),
    path(
        "<int:pk>/co-applicants/<int:co_pk>/permission/",
        views.co_applicant_change,
        name="co_applicant_change",
    ),
    path(
        "<int:pk>/co-applicants/<int:co_pk>/remove/",
        views.co_applicant_remove,
        name="co_applicant_remove",
    ),
    path("invitation/<str:token>/", views.co_applicant_accept, name="co_applicant_accept"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_edit, name="round_edit"),
    path("forms/", views.form_list, name="forms"),
    path("forms/new/", views.form_version_create, name="form_version_create"),
    path("forms/<int:pk>/", views.form_version, name="form_version"),
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
