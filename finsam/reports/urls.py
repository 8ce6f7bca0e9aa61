from django.urls import path

from finsam.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.period_list, name="periods"),
    path("mine/", views.my_reports, name="mine"),
    path("periods/new/", views.period_create, name="period_create"),
    path("periods/<int:pk>/", views.period_overview, name="period"),
    path("periods/<int:pk>/edit/", views.period_edit, name="period_edit"),
    path("periods/<int:pk>/create-reports/", views.create_reports, name="create_reports"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/autosave/", views.report_autosave, name="autosave"),
    path("<int:pk>/insert-summary/", views.report_insert_summary, name="insert_summary"),
    path("<int:pk>/submit/", views.report_submit, name="submit"),
    path("<int:pk>/return/", views.report_return, name="return"),
    path("<int:pk>/approve/", views.report_approve, name="approve"),
    path("<int:pk>/comments/", views.report_comment, name="comment"),
]

# The compiled report of a period, compiled as a job (finsam/reports/compile_views.py).
from finsam.reports import compile_views  # noqa: E402

urlpatterns += [
    path(
        "periods/<int:pk>/compile/<str:output_format>/",
        compile_views.compile_start,
        name="compile",
    ),
    # Of the approved reports only: the board too, at any time.
    path(
        "periods/<int:pk>/compile-approved/<str:output_format>/",
        compile_views.compile_start,
        {"approved_only": True},
        name="compile_approved",
    ),
]
