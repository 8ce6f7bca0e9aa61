from django.urls import path

from finsam.associations import views

app_name = "associations"

urlpatterns = [
    path("associations/", views.association_list, name="list"),
    path("associations/new/", views.association_create, name="create"),
    path("association/", views.detail, name="detail"),
    path("association/edit/", views.edit, name="edit"),
]
