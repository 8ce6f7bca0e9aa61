"""The roles of the system map (domain README, "Who uses it")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR = "operator", _("Systemförvaltare")
    SECRETARIAT = "secretariat", _("Förbundschef / kansli")
    INITIATIVE_MANAGER = "initiative_manager", _("Insatsansvarig")
    REGISTRAR = "registrar", _("Deltagaransvarig")
    BOARD = "board", _("Styrelseledamot")
    APPLICANT = "applicant", _("Sökande")
    ANALYST = "analyst", _("Analytiker")
    # A member of the preparation group (beredningsgrupp): officials of the parties who review
    # applications and recommend.
    REVIEWER = "reviewer", _("Beredningsgrupp")
    # The association's finance (ekonomi): the second approval of initiatives' invoices, payment
    # and the export to accounting (issue 12).
    FINANCE = "finance", _("Ekonomi")


# Roles that hold personal data and therefore must log in with two factors.
PERSONAL_DATA_ROLES = frozenset({Role.REGISTRAR})
# Roles whose access is limited to the initiatives they are assigned to.
INITIATIVE_SCOPED_ROLES = frozenset({Role.INITIATIVE_MANAGER, Role.REGISTRAR, Role.APPLICANT})
# Roles that see every initiative of their association.
ASSOCIATION_WIDE_ROLES = frozenset({Role.SECRETARIAT, Role.BOARD, Role.ANALYST, Role.FINANCE})
