from django.http import HttpResponse
from django.urls import path

app_name = "audit"


def _todo(request):  # replaced by the real view
    return HttpResponse("")


urlpatterns = [
    path("log/", _todo, name="log"),
]
