from django.urls import path

from finsam.participants import views

app_name = "participants"

urlpatterns = [
    path("registrar-home/", views.registrar_home, name="registrar_home"),
    path(
        "initiative/<int:initiative_id>/",
        views.initiative_participants,
        name="initiative_participants",
    ),
    path(
        "initiative/<int:initiative_id>/follow-up/",
        views.initiative_follow_up,
        name="initiative_follow_up",
    ),
    path("initiative/<int:initiative_id>/enrol/", views.enrol, name="enrol"),
    path(
        "initiative/<int:initiative_id>/enrol/validate/",
        views.enrol_validate,
        name="enrol_validate",
    ),
    path("enrolment/<uuid:enrolment_uuid>/", views.enrolment_detail, name="enrolment_detail"),
    path("enrolment/<uuid:enrolment_uuid>/exit/", views.enrolment_exit, name="exit"),
    path(
        "enrolment/<uuid:enrolment_uuid>/exit/validate/",
        views.enrolment_exit_validate,
        name="exit_validate",
    ),
    path("enrolment/<uuid:enrolment_uuid>/correct/", views.enrolment_correct, name="correct"),
    path(
        "enrolment/<uuid:enrolment_uuid>/correct/validate/",
        views.enrolment_correct_validate,
        name="correct_validate",
    ),
    path(
        "enrolment/<uuid:enrolment_uuid>/withdraw-consent/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "enrolment/<uuid:enrolment_uuid>/protected-identity/",
        views.protect_identity,
        name="protect_identity",
    ),
]
