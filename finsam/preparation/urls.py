from django.urls import path

from finsam.preparation import views

app_name = "preparation"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("applications/<int:pk>/", views.case, name="case"),
    path("applications/<int:pk>/step/", views.step, name="step"),
    path("applications/<int:pk>/supplement/", views.supplement, name="supplement"),
    path("applications/<int:pk>/review/", views.review, name="review"),
    path("applications/<int:pk>/recommend/", views.recommend, name="recommend"),
    path("interests/", views.interests, name="interests"),
    path("interests/<int:pk>/end/", views.interest_end, name="interest_end"),
    path("rounds/<int:pk>/export.csv", views.export_csv, name="export_csv"),
    path("rounds/<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
]
