import time

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.models import EmailAddress
from allauth.account.stages import EmailVerificationStage
from allauth.core import context

# Set in the session at every login (see `finsam.accounts.signals`).
LOGIN_AT_SESSION_KEY = "finsam.login_at"


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up through allauth's own page: staff are invited by their association's
    secretariat, applicants register on the applications' page
    (`finsam.applications.registration`)."""

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
            else "finsam.accounts.adapters.ApplicantEmailVerificationStage"
            if stage == "allauth.account.stages.EmailVerificationStage"
            else stage
            for stage in super().get_login_stages()
        ]


def needs_verification(user) -> bool:
    """A self-registered applicant whose address is not verified yet: the registration stores
    the address unverified (`finsam.applications.registration`). Staff (a user with a role) are
    invited and never asked, even when allauth stored an address row for them (a password
    reset)."""
    verified = list(EmailAddress.objects.filter(user=user).values_list("verified", flat=True))
    if not verified or any(verified):
        return False
    from finsam.accounts.models import RoleAssignment  # the adapter loads before the models

    return not RoleAssignment.objects.filter(user=user).exists()


class ApplicantEmailVerificationStage(EmailVerificationStage):
    """allauth's verification stage, mandatory for the self-registered applicants only (staff
    are invited, so verification is "none" for them): an unverified applicant is sent the
    confirmation mail again and not logged in."""

    def handle(self):
        if needs_verification(self.login.user):
            self.login.email_verification = EmailVerificationMethod.MANDATORY
        return super().handle()
