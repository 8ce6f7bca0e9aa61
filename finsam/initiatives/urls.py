from django.http import HttpResponse
from django.urls import path

app_name = "initiatives"


def _todo(request):  # replaced by the real view
    return HttpResponse("")


urlpatterns = [
    path("list/", _todo, name="list"),
]
