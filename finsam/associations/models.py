from django.db import models
from django.utils.translation import gettext_lazy as _

from finsam.associations.validators import validate_org_number
from finsam.core.models import TimeStampedModel
from finsam.core.validators import DATE_VALIDATORS, LONG_TEXT_VALIDATORS, TEXT_VALIDATORS
from finsam.reference.models import Municipality, Region


class Association(TimeStampedModel):
    """A samordningsförbund: the tenant of every other record."""

    name = models.CharField(_("namn"), max_length=200, unique=True, validators=TEXT_VALIDATORS)
    slug = models.SlugField(_("kortnamn"), max_length=80, unique=True)
    org_number = models.CharField(
        _("organisationsnummer"), max_length=11, unique=True, validators=[validate_org_number]
    )
    start_date = models.DateField(_("startdatum"), validators=DATE_VALIDATORS)
    end_date = models.DateField(_("slutdatum"), null=True, blank=True, validators=DATE_VALIDATORS)
    description = models.TextField(_("beskrivning"), blank=True, validators=LONG_TEXT_VALIDATORS)
    address = models.TextField(_("adress"), blank=True, validators=LONG_TEXT_VALIDATORS)
    contact_person = models.CharField(
        _("kontaktperson"), max_length=200, blank=True, validators=TEXT_VALIDATORS
    )
    contact_email = models.EmailField(_("kontakt e-post"), blank=True)
    municipalities = models.ManyToManyField(
        Municipality, related_name="associations", verbose_name=_("kommuner")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("samordningsförbund")
        verbose_name_plural = _("samordningsförbund")

    def __str__(self):
        return self.name


class MemberKind(models.TextChoices):
    FORSAKRINGSKASSAN = "fk", _("Försäkringskassan")
    ARBETSFORMEDLINGEN = "af", _("Arbetsförmedlingen")
    REGION = "region", _("Region")
    MUNICIPALITY = "municipality", _("Kommun")


# The fields a member's writes accept and the change log and the API show.
MEMBER_FIELDS = (
    "kind",
    "name",
    "municipality",
    "region",
    "contribution_share",
    "is_financier",
    "valid_from",
    "valid_to",
)


class Member(TimeStampedModel):
    """A member (part) of an association and its share of the contributions."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(_("typ"), max_length=16, choices=MemberKind.choices)
    name = models.CharField(_("namn"), max_length=200, validators=TEXT_VALIDATORS)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("kommun")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region")
    )
    contribution_share = models.DecimalField(
        _("andel av bidragen (%)"), max_digits=6, decimal_places=3
    )
    is_financier = models.BooleanField(_("finansiär"), default=True)
    valid_from = models.DateField(
        _("giltig från"), null=True, blank=True, validators=DATE_VALIDATORS
    )
    valid_to = models.DateField(_("giltig till"), null=True, blank=True, validators=DATE_VALIDATORS)

    class Meta:
        ordering = ["association", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["association", "name"], name="unique_member_name"),
            models.CheckConstraint(
                condition=models.Q(contribution_share__gte=0, contribution_share__lte=100),
                name="member_share_is_percentage",
            ),
        ]
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmar")

    def __str__(self):
        return self.name
