from django.urls import path

from finsam.staff import views

# The namespace of the pages since they lived in `finsam.accounts`: templates and the permission
# walk name them `accounts:…`.
app_name = "accounts"

urlpatterns = [
    path("users/", views.user_list, name="users"),
    path("users/invite/", views.invite, name="invite"),
    path("users/<int:user_id>/roles/<str:role>/remove/", views.role_remove, name="role_remove"),
    path(
        "users/invitations/<int:pk>/cancel/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("account/api-token/", views.api_token, name="api_token"),
]
