from django.urls import path

from finsam.finance import plan_views, views

app_name = "finance"

# Mounted at the site's root: the members' shares and the initiatives' budgets keep the paths of
# the association's and the initiatives' pages they are sections of.
urlpatterns = [
    path("finance/", views.year_list, name="years"),
    path("finance/years/add/", views.year_add, name="year_add"),
    path("finance/years/<int:pk>/", views.year_detail, name="year_detail"),
    path("finance/years/<int:pk>/edit/", views.year_edit, name="year_edit"),
    path("finance/years/<int:pk>/delete/", views.year_delete, name="year_delete"),
    path("finance/years/<int:pk>/equity-band/", views.equity_band_edit, name="equity_band"),
    # The operational plan (finance.plan_views).
    path("finance/years/<int:pk>/plan/", plan_views.plan_detail, name="plan"),
    path("finance/years/<int:pk>/plan/lines/", plan_views.plan_lines_edit, name="plan_lines"),
    path("finance/years/<int:pk>/plan.pdf", plan_views.plan_pdf, name="plan_pdf"),
    path("finance/years/<int:pk>/plan.docx", plan_views.plan_docx, name="plan_docx"),
    path("finance/years/<int:pk>/key/", plan_views.contribution_key_edit, name="contribution_key"),
    path("finance/years/<int:pk>/close/", plan_views.year_close, name="year_close"),
    path("finance/years/<int:pk>/cost-report/", plan_views.cost_report, name="cost_report"),
    path(
        "finance/years/<int:pk>/cost-report.xlsx",
        plan_views.cost_report_xlsx,
        name="cost_report_xlsx",
    ),
    path("association/members/add/", views.member_add, name="member_add"),
    path("association/members/<int:pk>/", views.member_row, name="member_row"),
    path("association/members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("association/members/<int:pk>/delete/", views.member_delete, name="member_delete"),
    path("initiatives/<int:pk>/budgets/add/", views.budget_add, name="budget_add"),
    path(
        "initiatives/<int:pk>/budgets/<int:budget_pk>/edit/",
        views.budget_edit,
        name="budget_edit",
    ),
    path(
        "initiatives/<int:pk>/budgets/<int:budget_pk>/delete/",
        views.budget_delete,
        name="budget_delete",
    ),
]
