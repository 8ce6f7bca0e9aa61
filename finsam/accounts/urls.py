from django.http import HttpResponse
from django.urls import path

app_name = "accounts"


def _todo(request):  # replaced by the real view
    return HttpResponse("")


urlpatterns = [
    path("users/", _todo, name="users"),
    path("api-token/", _todo, name="api_token"),
]
