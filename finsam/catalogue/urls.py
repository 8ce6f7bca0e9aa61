from django.urls import path

from finsam.catalogue import views

app_name = "catalogue"

urlpatterns = [
    # Public, no login.
    path("katalog/", views.catalogue_index, name="index"),
    path("katalog/<slug:slug>/", views.catalogue_association, name="association"),
    path("katalog/<slug:slug>/<int:pk>/", views.catalogue_entry, name="entry"),
    path("katalog/<slug:slug>/<int:pk>/slutrapport/", views.final_report, name="final_report"),
    # The secretariat: an initiative's entry.
    path("initiatives/<int:pk>/catalogue/", views.entry_edit, name="edit"),
    path("initiatives/<int:pk>/catalogue/publish/", views.entry_publish, name="publish"),
]
