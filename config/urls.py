from django.contrib import admin
from django.urls import include, path

from finsam.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("association/switch/", core_views.switch_association, name="switch_association"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("finsam.staff.urls")),
    path("", include("finsam.associations.urls")),
    path("", include("finsam.catalogue.urls")),
    path("", include("finsam.questionnaires.urls")),
    path("initiatives/", include("finsam.initiatives.urls")),
    path("participants/import/", include("finsam.participants.import_urls")),
    path("participants/", include("finsam.participants.urls")),
    path("progression/", include("finsam.progression.urls")),
    path("audit/", include("finsam.audit.urls")),
    path("statistics/successor/", include("finsam.followup.urls")),
    path("statistics/", include("finsam.statistics.urls")),
    path("indicators/", include("finsam.indicators.urls")),
    path("reports/", include("finsam.reports.urls")),
    path("", include("finsam.finance.urls")),
    path("", include("finsam.socioeconomics.urls")),
    path("jobs/", include("finsam.jobs.urls")),
    path("applications/", include("finsam.applications.urls")),
    path("preparation/", include("finsam.preparation.urls")),
    path("board/", include("finsam.board.urls")),
    path("invoicing/", include("finsam.finance.invoice_urls")),
    path("api/", include("finsam.api.urls")),
]

# Errors under /api/ answer in the API's JSON format, the other pages with the HTML templates.
handler400 = "finsam.api.errors.bad_request"
handler403 = "finsam.api.errors.permission_denied"
handler404 = "finsam.api.errors.page_not_found"
handler500 = "finsam.api.errors.server_error"
