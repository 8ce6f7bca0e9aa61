from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken

from finsam.core.models import TimeStampedModel
from finsam.core.roles import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        """`createsuperuser`: an operator (the admin is open to the operator role only)."""
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        user = self.create_user(email, password, **extra)
        RoleAssignment.objects.using(self._db).create(user=user, role=Role.OPERATOR)
        return user


class User(AbstractUser):
    """A person who logs in. Identified by e-mail; roles come from role assignments."""

    username = None
    email = models.EmailField(_("e-post"), unique=True)
    organisation = models.CharField(_("arbetsgivare"), max_length=200, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, **kwargs):
        """A new password revokes the user's API tokens (other sessions end by themselves: their
        session hash no longer matches). Hash upgrades at login are not password changes."""
        password_changed = self._password is not None and not self._state.adding
        super().save(**kwargs)
        if password_changed:
            self.auth_token_set.all().delete()  # ApiToken (knox's related name)


class RoleAssignment(TimeStampedModel):
    """A user's role in one association (the operator's role has no association)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    association = models.ForeignKey(
        "associations.Association",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    role = models.CharField(_("roll"), max_length=32, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "association", "role"], name="unique_role_assignment"
            ),
            models.CheckConstraint(
                condition=models.Q(role=Role.OPERATOR, association__isnull=True)
                | (~models.Q(role=Role.OPERATOR) & models.Q(association__isnull=False)),
                name="operator_has_no_association",
            ),
        ]
        verbose_name = _("rolltilldelning")
        verbose_name_plural = _("rolltilldelningar")

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.association or '*'}"


class InitiativeAssignment(TimeStampedModel):
    """Links an initiative manager, registrar or applicant to one initiative (uppdrag)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="initiative_assignments")
    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("roll"), max_length=32, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "initiative", "role"], name="unique_initiative_assignment"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    role__in=[Role.INITIATIVE_MANAGER, Role.REGISTRAR, Role.APPLICANT]
                ),
                name="initiative_assignment_role",
            ),
        ]
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.initiative}"


class ApplicantOrganisation(TimeStampedModel):
    """An organisation that applies to one association for funding (a municipality's unit, a
    non-profit, a company). Its users own its applications; they are assigned to no initiative
    and hold no role in the association (`Access.applicant`, docs/access.md)."""

    association = models.ForeignKey(
        "associations.Association",
        on_delete=models.CASCADE,
        related_name="applicant_organisations",
    )
    name = models.CharField(_("namn"), max_length=200)
    org_number = models.CharField(_("organisationsnummer"), max_length=11, blank=True)
    members = models.ManyToManyField(
        User, blank=True, related_name="applicant_organisations", verbose_name=_("användare")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("sökande organisation")
        verbose_name_plural = _("sökande organisationer")

    def __str__(self):
        return self.name


class Invitation(TimeStampedModel):
    """An invitation sent by the secretariat; accepted through a one-time link."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-post"))
    role = models.CharField(_("roll"), max_length=32, choices=Role.choices)
    initiatives = models.ManyToManyField(
        "initiatives.Initiative", blank=True, verbose_name=_("insatser")
    )
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")

    def welcome_text(self) -> str:
        """What the invited person is told once the invitation is accepted (by the invitation
        link or by an identity provider login)."""
        return gettext("Välkommen! Du har nu rollen %(role)s i %(association)s.") % {
            "role": str(Role(self.role).label).lower(),
            "association": self.association.name,
        }


# The Swedish eID framework's levels of assurance that count as a second factor: LoA 3 and 4
# (SITHS/Efos cards, BankID, Freja+) and their eIDAS equivalents (substantial, high).
DEFAULT_STRONG_METHODS = "\n".join(
    [
        "http://id.elegnamnden.se/loa/1.0/loa3",
        "http://id.elegnamnden.se/loa/1.0/loa4",
        "http://id.elegnamnden.se/loa/1.0/eidas-sub",
        "http://id.elegnamnden.se/loa/1.0/eidas-nf-sub",
        "http://id.elegnamnden.se/loa/1.0/eidas-high",
        "http://id.elegnamnden.se/loa/1.0/eidas-nf-high",
    ]
)


class IdentityProvider(TimeStampedModel):
    """An organisation's identity provider (an allauth SocialApp: OpenID Connect or SAML 2) and
    the associations whose staff may log in through it. The operator sets it up."""

    social_app = models.OneToOneField(
        "socialaccount.SocialApp",
        on_delete=models.CASCADE,
        related_name="identity_provider",
        verbose_name=_("inloggningstjänst"),
        help_text=_("Klient-id, hemlighet och inställningar (server_url, idp …) hos allauth."),
    )
    label = models.CharField(
        _("namn på knappen"),
        max_length=100,
        help_text=_("Visas som ”Logga in med …”, t.ex. ”Region Skåne (SITHS)”."),
    )
    associations = models.ManyToManyField(
        "associations.Association",
        related_name="identity_providers",
        verbose_name=_("förbund"),
        help_text=_("Förbund vars användare och inbjudna får logga in med tjänsten."),
    )
    email_domains = models.CharField(
        _("e-postdomäner"),
        max_length=500,
        blank=True,
        help_text=_(
            "Domäner som tjänsten får intyga e-postadresser för, separerade med mellanslag "
            "eller kommatecken (t.ex. ”skane.se”). Tomt: alla."
        ),
    )
    strong_methods = models.TextField(
        _("starka inloggningsmetoder"),
        default=DEFAULT_STRONG_METHODS,
        blank=True,
        help_text=_(
            "acr-värden (OpenID Connect) eller AuthnContextClassRef (SAML), ett per rad, som "
            "räknas som andra faktor. Andra metoder följs av kod från autentiseringsappen."
        ),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["label"]
        verbose_name = _("identitetsleverantör")
        verbose_name_plural = _("identitetsleverantörer")

    def __str__(self):
        return self.label


class ApiToken(AbstractAuthToken):
    """An API token (django-rest-knox): only a hash of the key is kept; the key is shown once.

    Named by its user, expires (`API_TOKEN_DAYS`), records its last use; revoked by the user, by
    a new password and when the authenticator app is removed."""

    name = models.CharField(_("namn"), max_length=100)
    last_used = models.DateTimeField(_("senast använd"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")
