import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from finsam.accounts.adapters import LOGIN_AT_SESSION_KEY


@receiver(user_logged_in, dispatch_uid="finsam_accounts_stamp_login")
def stamp_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT_SESSION_KEY] = time.time()
