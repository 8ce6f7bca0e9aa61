from django.urls import path

from finsam.finance import views

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
