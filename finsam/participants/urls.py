from django.http import HttpResponse
from django.urls import path

app_name = "participants"


def _todo(request):  # replaced by the real view
    return HttpResponse("")


urlpatterns = [
    path("registrar-home/", _todo, name="registrar_home"),
]
