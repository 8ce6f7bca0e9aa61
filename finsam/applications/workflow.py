"""The application's workflow: its statuses, with one name for staff and one for applicants.

The transitions themselves are declared on `Application` (django-fsm-2's `@transition`: source,
target and, in `custom`, who may take it); `finsam.applications.services.transition` is the one
way to take them. A transition not declared from the current status is refused.

    draft → submitted → formal check → preparation (⇄ supplement requested) → recommendation
    → proposal to the board → decided (granted / rejected / tabled) → minutes approved: granted or
    rejected (tabled goes back to recommendation) → agreement → running → final report → finished;
    withdrawn by the applicant before the decision.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Inlämnad")
    FORMAL_CHECK = "formal_check", _("Formell kontroll")
    PREPARATION = "preparation", _("Beredning")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Komplettering begärd")
    RECOMMENDED = "recommended", _("Rekommendation lämnad")
    PROPOSED = "proposed", _("Förslag till styrelsen")
    DECIDED = "decided", _("Beslutad, protokollet ej justerat")
    GRANTED = "granted", _("Beviljad")
    REJECTED = "rejected", _("Avslagen")
    AGREEMENT = "agreement", _("Avtal tecknat")
    RUNNING = "running", _("Pågår")
    FINAL_REPORT = "final_report", _("Slutrapport inlämnad")
    FINISHED = "finished", _("Avslutad")
    WITHDRAWN = "withdrawn", _("Återtagen")


# What the applicant sees: the internal steps of preparation are one step for them.
APPLICANT_NAMES = {
    Status.DRAFT: _("Utkast"),
    Status.SUBMITTED: _("Inlämnad"),
    Status.FORMAL_CHECK: _("Under handläggning"),
    Status.PREPARATION: _("Under handläggning"),
    Status.SUPPLEMENT_REQUESTED: _("Komplettering begärd"),
    Status.RECOMMENDED: _("Under handläggning"),
    Status.PROPOSED: _("Inför styrelsens beslut"),
    Status.DECIDED: _("Beslut fattat, väntar på justerat protokoll"),
    Status.GRANTED: _("Beviljad"),
    Status.REJECTED: _("Avslagen"),
    Status.AGREEMENT: _("Avtal tecknat"),
    Status.RUNNING: _("Pågår"),
    Status.FINAL_REPORT: _("Slutrapport inlämnad"),
    Status.FINISHED: _("Avslutad"),
    Status.WITHDRAWN: _("Återtagen"),
}

# The statuses in which the applicant (or a co-applicant with edit rights) may change the answers.
EDITABLE = frozenset({Status.DRAFT, Status.SUPPLEMENT_REQUESTED})
# Before the decision the applicant may withdraw.
WITHDRAWABLE = (
    Status.DRAFT,
    Status.SUBMITTED,
    Status.FORMAL_CHECK,
    Status.PREPARATION,
    Status.SUPPLEMENT_REQUESTED,
    Status.RECOMMENDED,
    Status.PROPOSED,
)
# What the preparation group works on (and may read, conflicts of interest aside).
IN_PREPARATION_OR_LATER = frozenset(Status) - {
    Status.DRAFT,
    Status.SUBMITTED,
    Status.FORMAL_CHECK,
    Status.WITHDRAWN,
}
# What reaches the board.
BEFORE_THE_BOARD_OR_LATER = frozenset(
    {
        Status.PROPOSED,
        Status.DECIDED,
        Status.GRANTED,
        Status.REJECTED,
        Status.AGREEMENT,
        Status.RUNNING,
        Status.FINAL_REPORT,
        Status.FINISHED,
    }
)
# Who takes a transition (`custom={"by": ...}` on the model's transitions).
BY_APPLICANT = "applicant"
BY_SECRETARIAT = "secretariat"
