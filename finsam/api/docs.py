"""The OpenAPI document and a plain page listing the endpoints (no Swagger UI: no CDN)."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

API_VERSION = "v1"
METHODS = ("get", "post", "put", "patch", "delete")


class OpenApiJsonView(SpectacularAPIView):
    """`/api/openapi.json`: public, served as `application/json`."""

    renderer_classes = [OpenApiJsonRenderer2, OpenApiJsonRenderer]
    authentication_classes = []
    permission_classes = [AllowAny]
    api_version = API_VERSION


def endpoints(schema):
    rows = []
    for path, operations in schema.get("paths", {}).items():
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            rows.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "parameters": [p["name"] for p in operation.get("parameters", [])],
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return rows


@login_not_required
def api_docs(request):
    schema = SchemaGenerator(api_version=API_VERSION).get_schema(request=None, public=True)
    return render(
        request,
        "api/docs.html",
        {"schema": schema, "endpoints": endpoints(schema), "version": API_VERSION},
    )
