"""The login page's "Logga in med …" buttons, one for each active identity provider."""

from django import template

from finsam.accounts.identity_providers import login_providers

register = template.Library()


@register.inclusion_tag("socialaccount/snippets/identity_provider_buttons.html", takes_context=True)
def identity_provider_buttons(context):
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "buttons": [
            {"label": idp.label, "provider": idp.social_app.get_provider(request)}
            for idp in login_providers()
        ],
    }
