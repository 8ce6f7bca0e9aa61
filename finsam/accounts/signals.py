import time

from allauth.core import context
from allauth.mfa.models import Authenticator
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from finsam.accounts.adapters import LOGIN_AT_SESSION_KEY
from finsam.accounts.models import ApiToken
from finsam.accounts.two_factor import record_totp_activation


@receiver(user_logged_in, dispatch_uid="finsam_accounts_stamp_login")
def stamp_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT_SESSION_KEY] = time.time()


@receiver(post_save, sender=Authenticator, dispatch_uid="finsam_accounts_totp_activated")
def count_activation_as_second_factor(sender, instance, created, **kwargs):
    """The user activating an authenticator app in this request has just proved a code from it
    (allauth's activation form checks one): the session has passed the second factor."""
    request = context.request
    if (
        created
        and instance.type == Authenticator.Type.TOTP
        and request is not None
        and request.user.is_authenticated
        and request.user.pk == instance.user_id
    ):
        record_totp_activation(request, instance)


@receiver(post_delete, sender=Authenticator, dispatch_uid="finsam_accounts_totp_removed")
def revoke_tokens_without_second_factor(sender, instance, **kwargs):
    """API tokens are only created by sessions that passed two factors: removing the
    authenticator app revokes them."""
    if instance.type == Authenticator.Type.TOTP:
        ApiToken.objects.filter(user_id=instance.user_id).delete()
