from django.urls import path

from finsam.finance import invoice_views as views

app_name = "invoicing"

urlpatterns = [
    path("", views.home, name="home"),
    path("settings/", views.settings_edit, name="settings"),
    path("export/sie/", views.export_sie, name="export_sie"),
    path("export/xlsx/", views.export_xlsx, name="export_xlsx"),
    path("initiatives/<int:pk>/<int:year>/", views.basis_page, name="basis"),
    path("initiatives/<int:pk>/<int:year>/model/", views.model_edit, name="model"),
    path("initiatives/<int:pk>/<int:year>/<int:period>/", views.basis_page, name="basis_period"),
    path(
        "initiatives/<int:pk>/<int:year>/<int:period>/weeks/<int:municipality>/",
        views.weeks_page,
        name="weeks",
    ),
    path(
        "initiatives/<int:pk>/<int:year>/<int:period>/invoice/",
        views.invoice_new,
        name="invoice_new",
    ),
    path("initiatives/<int:pk>/<int:year>/<int:period>/units/", views.units_edit, name="units"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice"),
    path("invoices/<int:pk>/<slug:action>/", views.invoice_action, name="invoice_action"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
