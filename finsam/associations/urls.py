from django.http import HttpResponse
from django.urls import path

app_name = "associations"


def _todo(request):  # replaced by the real view
    return HttpResponse("")


urlpatterns = [
    path("detail/", _todo, name="detail"),
    path("list/", _todo, name="list"),
]
