"""API token authentication: django-rest-knox tokens (`Authorization: Token <key>`), hashed at
rest and expiring, with their last use recorded."""

import datetime

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication

# A token used again within this time is not written to again (one write a minute at most).
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def _due(token, now) -> bool:
    """Whether the token's last use is to be written again (at most once a minute)."""
    return token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's authentication with fewer writes and reads per request.

    The token's own expiry is checked on every request, as knox does. knox also reads all the
    user's other tokens on every request to delete the expired ones (housekeeping: an expired
    token is refused when used anyway); here that happens only when the last use is written,
    so a busy client costs one token query per request instead of two. (knox's hash of the
    presented token is one SHA-512, microseconds: not worth caching.)
    """

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            return super()._cleanup_token(auth_token)  # deletes it (and the user's expired)
        if _due(auth_token, timezone.now()):
            return super()._cleanup_token(auth_token)
        return False

    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        now = timezone.now()
        if _due(token, now):
            type(token).objects.filter(pk=token.pk).update(last_used=now)
            token.last_used = now
        return user, token


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        scheme = build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
        scheme["description"] = (
            "A personal API token created on the page *API-nycklar* (shown once; it expires, "
            "and a new password or revoking it ends it): `Authorization: Token <key>`."
        )
        return scheme
