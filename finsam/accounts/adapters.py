import time

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context

# Set in the session at every login (see `finsam.accounts.signals`).
LOGIN_AT_SESSION_KEY = "finsam.login_at"


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: users are invited by their association's secretariat."""

    def is_open_for_signup(self, request):
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A login within the reauthentication window counts as a fresh authentication.

        allauth otherwise asks for the password again before activating an authenticator app,
        which a registrar sent to activation right after logging in would meet twice in a row.
        """
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = context.request
        if request is None or not request.user.is_authenticated:
            return True
        login_at = request.session.get(LOGIN_AT_SESSION_KEY, 0)
        return time.time() - login_at >= app_settings.REAUTHENTICATION_TIMEOUT

    def get_login_stages(self) -> list[str]:
        """allauth's stages, with its second-factor stage replaced by one that accepts an
        identity provider's strong login as the second factor (`finsam.accounts.social`)."""
        return [
            "finsam.accounts.social.AuthenticateStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in super().get_login_stages()
        ]
