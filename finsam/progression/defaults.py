"""The shipped example set of dimensions (marked `is_example`): the measures Elings ark reports
in seed 003 ("83 % har höjt sin aktivitetsnivå", fysisk hälsa, psykisk hälsa, känsla av balans i
tillvaron, syn på framtiden) and work capacity, the heart of the BIP progression cards
(indicators-and-reporting.md §3). Wording and scales are finsam's assumption, not a standard: the
association changes them, or adds its own."""

from django.utils.translation import gettext_lazy as _

from finsam.progression.models import RatedBy

LOW, HIGH = _("Mycket låg"), _("Mycket hög")
BAD, GOOD = _("Mycket dålig"), _("Mycket bra")

EXAMPLE_DIMENSIONS = [
    {
        "name": _("Aktivitetsnivå"),
        "description": _(
            "Hur aktiv deltagaren är i vardagen: rutiner, aktiviteter, att komma iväg."
        ),
        "min_label": LOW,
        "max_label": HIGH,
        "rated_by": RatedBy.BOTH,
    },
    {
        "name": _("Fysisk hälsa"),
        "description": _("Hur deltagaren upplever sin kroppsliga hälsa."),
        "min_label": BAD,
        "max_label": GOOD,
        "rated_by": RatedBy.SELF,
    },
    {
        "name": _("Psykisk hälsa"),
        "description": _("Hur deltagaren upplever sitt psykiska mående."),
        "min_label": BAD,
        "max_label": GOOD,
        "rated_by": RatedBy.SELF,
    },
    {
        "name": _("Känsla av balans i tillvaron"),
        "description": _("Hur väl vardagens delar går ihop för deltagaren."),
        "min_label": LOW,
        "max_label": HIGH,
        "rated_by": RatedBy.SELF,
    },
    {
        "name": _("Syn på framtiden"),
        "description": _("Hur hoppfullt deltagaren ser på sin framtid."),
        "min_label": _("Mycket negativ"),
        "max_label": _("Mycket positiv"),
        "rated_by": RatedBy.SELF,
    },
    {
        "name": _("Arbetsförmåga"),
        "description": _("Hur nära arbete eller studier deltagaren är."),
        "min_label": LOW,
        "max_label": HIGH,
        "rated_by": RatedBy.BOTH,
    },
]
