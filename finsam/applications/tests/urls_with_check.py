"""The project's URLs with a stand-in for the form engine's completeness page
(`applications:check`), to test the application page's link to it."""

from django.http import HttpResponse
from django.urls import URLResolver, include, path

from config import urls as project_urls
from finsam.applications import urls as application_urls


def check(request, pk):
    return HttpResponse("check")


urlpatterns = [
    p
    for p in project_urls.urlpatterns
    if not (isinstance(p, URLResolver) and p.namespace == "applications")
] + [
    path(
        "applications/",
        include(
            (
                [
                    *application_urls.urlpatterns,
                    path("<int:pk>/check/", check, name="check"),
                ],
                "applications",
            )
        ),
    )
]
