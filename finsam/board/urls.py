from django.urls import path

from finsam.board import views

app_name = "board"

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("meetings/<int:pk>/decide/", views.decide_batch, name="decide_batch"),
    path("meetings/<int:pk>/minutes/approve/", views.approve_minutes, name="approve_minutes"),
    path("meetings/<int:pk>/invite/", views.invite, name="invite"),
    path("meetings/<int:pk>/pack.<str:extension>", views.pack, name="pack"),
    path("meetings/<int:pk>/minutes.<str:extension>", views.minutes, name="minutes"),
    path("items/<int:pk>/remove/", views.agenda_remove, name="agenda_remove"),
    path("items/<int:pk>/decide/", views.decide, name="decide"),
    path("decisions/<int:pk>/", views.decision, name="decision"),
    path("decisions/<int:pk>/letter.pdf", views.decision_letter, name="decision_letter"),
    path("decisions/<int:pk>/agreement.<str:extension>", views.agreement, name="agreement"),
    path("decisions/<int:pk>/agreement/sign/", views.sign_agreement, name="sign_agreement"),
    path("decisions/<int:pk>/start/", views.start, name="start"),
]
