"""The one error format of the API: `{"errors": {"<field>": ["<Swedish message>", ...]}}`.

Validation errors (from serializers, or Django `ValidationError`s raised by the services) are keyed
by field; everything else (401, 403, 404, 405 …) uses the key `__all__`. Messages never carry
personal data: what the client sent as personal number or name is scrubbed from every message.

Requests under `/api/` that never reach a DRF view (an unknown path, a malformed UUID in a path,
too many query parameters, an uncaught exception) get the same format from the Django error
handlers below (`config/urls.py`); every other path keeps the Swedish HTML error pages.
"""

from __future__ import annotations

import re

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

ALL = NON_FIELD_ERRORS  # "__all__", as the services use it
IDENTITY_FIELDS = ("personal_number", "name")
# Something that looks like a personal identity number, with or without century and separator.
_PERSONAL_NUMBER = re.compile(r"\d{6}(?:\d{2})?[-+ ]?\d{4}")
# A parenthesised part with digits, e.g. the date in "Datumet i personnumret finns inte (…)".
_PARENTHESISED_DIGITS = re.compile(r"\s*\([^)]*\d[^)]*\)")


API_PREFIX = "/api/"


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_errors(exc))
    elif isinstance(exc, exceptions.ParseError):
        # The parser's message is English and quotes positions of the body: say it plainly.
        exc = exceptions.ParseError(_("Innehållet kunde inte tolkas som JSON."))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten(response.data)
        sent = _sent_identity(context)
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        errors = {ALL: [str(detail)]}
        sent = []
    response.data = {"errors": scrub(errors, sent)}
    return response


def _django_errors(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {ALL: exc.messages}


def flatten(data, prefix="") -> dict[str, list[str]]:
    """DRF's nested error structure as `{"field" | "parent.field" | "list.0": [messages]}`."""
    out: dict[str, list[str]] = {}

    def walk(node, key):
        if isinstance(node, dict):
            for name, child in node.items():
                if name == api_settings.NON_FIELD_ERRORS_KEY:
                    name = ALL
                walk(child, f"{key}.{name}" if key and name != ALL else (key or name))
        elif isinstance(node, list) and node and all(not isinstance(n, dict | list) for n in node):
            out.setdefault(key or ALL, []).extend(str(n) for n in node)
        elif isinstance(node, list):
            for index, child in enumerate(node):
                if child:
                    walk(child, f"{key}.{index}" if key else str(index))
        else:
            out.setdefault(key or ALL, []).append(str(node))

    walk(data, prefix)
    return out


def _sent_identity(context) -> list[str]:
    """The identity values of the request's body. A body that does not parse has nothing that a
    validation message could echo (and the parse error must not be raised again here)."""
    request = context.get("request")
    try:
        data = request.data if request is not None else None
    except exceptions.APIException:
        return []
    if not isinstance(data, dict):
        return []
    values = []
    for field in IDENTITY_FIELDS:
        value = data.get(field)
        if isinstance(value, str) and len(value.strip()) >= 3:
            values.append(value.strip())
    return values


def scrub(errors: dict[str, list[str]], sent: list[str]) -> dict[str, list[str]]:
    """Remove personal data from messages: the values sent as identity, anything shaped like a
    personal identity number, and (on the identity fields) parenthesised details."""
    clean: dict[str, list[str]] = {}
    for field, messages in errors.items():
        out = []
        for message in messages:
            for value in sent:
                message = message.replace(value, "…")
            message = _PERSONAL_NUMBER.sub("…", message)
            if field in IDENTITY_FIELDS:
                message = _PARENTHESISED_DIGITS.sub("", message)
            out.append(message)
        clean[field] = out
    return clean


# --- Django's error handlers (config/urls.py) -------------------------------------------------


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def error_response(status: int, message: str) -> JsonResponse:
    return JsonResponse({"errors": {ALL: [message]}}, status=status)


def bad_request(request, exception):
    if is_api(request):
        return error_response(400, _("Felaktig begäran."))
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api(request):
        return error_response(403, str(exceptions.PermissionDenied.default_detail))
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api(request):
        return error_response(404, str(exceptions.NotFound.default_detail))
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return error_response(500, _("Ett fel uppstod på servern. Försök igen senare."))
    return defaults.server_error(request)
