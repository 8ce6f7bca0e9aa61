"""The `Access` of an API request.

`AccessMiddleware` builds `request.access` from the *session* user before DRF has authenticated
the request, so a token request would look anonymous there. API views call `api_access` instead,
after DRF authentication, and start every queryset from `finsam.core.access` with its result.
"""

from __future__ import annotations

from dataclasses import replace

from django.http import Http404
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied

from finsam.core.access import SESSION_KEY, Access
from finsam.staff.access import build_access

ASSOCIATION_PARAM = "association"


def api_access(request) -> Access:
    """Build the `Access` of `request.user` in the association the request asks for.

    The association is chosen by the query parameter `association=<id>`; without it, as on the
    pages: the association picked in the session (session-authenticated requests), else the
    user's first available association. An explicit association that the user has no role in
    answers 404, like any other object outside the user's scope.
    """
    raw = request.query_params.get(ASSOCIATION_PARAM, "").strip()
    access = _checked(_build(request, raw))
    return replace(access, channel="api")


def _checked(access: Access) -> Access:
    """The principals without staff roles (a user of an applicant organisation) have no API
    yet: 403 (docs/access.md)."""
    if access.user is not None and not access.is_staff_user:
        raise PermissionDenied
    return access


def _build(request, raw: str) -> Access:
    if not raw:
        association_id = None
        if isinstance(request.successful_authenticator, SessionAuthentication):
            association_id = request.session.get(SESSION_KEY)
        return build_access(request.user, association_id)
    try:
        association_id = int(raw)
    except ValueError as exc:
        raise Http404 from exc
    access = build_access(request.user, association_id)
    if access.association_id != association_id:
        raise Http404
    return access
