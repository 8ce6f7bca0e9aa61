from django.urls import path

from finsam.questionnaires import views

app_name = "questionnaires"

urlpatterns = [
    # Public, no login: the one-time link is the right.
    path("q/tack/", views.thanks, name="thanks"),
    path("q/grupp/<str:token>/", views.group, name="group"),
    path("q/<str:token>/", views.answer, name="answer"),
    # Staff.
    path("questionnaires/", views.index, name="index"),
    path("questionnaires/<int:pk>/links/", views.links, name="links"),
    path("questionnaires/<int:pk>/group/", views.group_link, name="group_link"),
    path("questionnaires/<int:pk>/email/", views.email, name="email"),
    path("questionnaires/<int:pk>/remind/", views.remind, name="remind"),
    path("questionnaires/<int:pk>/paper/", views.paper, name="paper"),
    path("questionnaires/paper/", views.paper_list, name="paper_list"),
    path("questionnaires/paper/<uuid:pk>/review/", views.paper_review, name="paper_review"),
]
