from django.urls import path

from finsam.associations import views

app_name = "associations"

urlpatterns = [
    path("associations/", views.association_list, name="list"),
    path("associations/new/", views.association_create, name="create"),
    path("association/", views.detail, name="detail"),
    path("association/edit/", views.edit, name="edit"),
    path("association/members/add/", views.member_add, name="member_add"),
    path("association/members/<int:pk>/", views.member_row, name="member_row"),
    path("association/members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("association/members/<int:pk>/delete/", views.member_delete, name="member_delete"),
]
