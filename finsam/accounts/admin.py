"""The operator sets up identity providers in the admin: allauth's SocialApp (client id, secret,
settings) with finsam's `IdentityProvider` (button label, associations, strong methods) inline."""

from allauth.socialaccount.admin import SocialAppAdmin
from allauth.socialaccount.models import SocialApp
from django.contrib import admin

from finsam.accounts.models import IdentityProvider


class IdentityProviderInline(admin.StackedInline):
    model = IdentityProvider
    extra = 1
    max_num = 1
    filter_horizontal = ["associations"]


admin.site.unregister(SocialApp)


@admin.register(SocialApp)
class IdentityProviderAppAdmin(SocialAppAdmin):
    inlines = [IdentityProviderInline]


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    list_display = ["label", "social_app", "is_active"]
    list_filter = ["is_active", "associations"]
    filter_horizontal = ["associations"]
