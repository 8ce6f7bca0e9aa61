"""Demo: a submitted application through the formal check and preparation: the preparation
group's reviews and the secretariat's recommendation (the lead wires it into `load_demo`)."""

from __future__ import annotations

from finsam.applications import services as application_services
from finsam.applications.selectors import has_interest
from finsam.applications.workflow import Status
from finsam.preparation import services
from finsam.preparation.models import Verdict, Visibility
from finsam.staff.access import build_access

# What reviewers in a preparation group write: (scores by criterion, recommendation, comment).
REVIEWS = [
    (
        {
            "cooperation": 5,
            "target_group": 4,
            "method": 4,
            "goals": 3,
            "budget": 4,
            "implementation": 3,
        },
        Verdict.GRANT,
        "Tydlig samverkan mellan kommunen, Arbetsförmedlingen och Försäkringskassan, med "
        "gemensam styrgrupp. Målgruppen och behovet är väl beskrivna. Målen kan göras mer "
        "mätbara; föreslår att uppföljningen kopplas till SUS från start.",
    ),
    (
        {
            "cooperation": 4,
            "target_group": 5,
            "method": 4,
            "goals": 4,
            "budget": 3,
            "implementation": 3,
        },
        Verdict.GRANT,
        "Angeläget projekt för unga som står långt från arbetsmarknaden. Budgeten för "
        "personal år två verkar hög i förhållande till antalet deltagare – värt att stämma av "
        "inför beslut. Implementeringsplanen bör konkretiseras.",
    ),
    (
        {
            "cooperation": 4,
            "target_group": 4,
            "method": 3,
            "goals": 3,
            "budget": 3,
            "implementation": 2,
        },
        Verdict.GRANT,
        "Metoden bygger på beprövade arbetssätt (IPS, stegvis förrehabilitering). Oklart hur "
        "verksamheten ska finansieras efter projekttiden; rekommenderar bifall med villkor om "
        "en implementeringsplan till halvtidsrapporten.",
    ),
]

SUMMARIES = {
    Verdict.GRANT: (
        "Beredningsgruppen är enig om att projektet uppfyller förbundets kriterier: "
        "samverkan mellan minst två parter, en tydlig målgrupp och en rimlig metod. "
        "Gruppen föreslår bifall, med villkor om en implementeringsplan till "
        "halvtidsrapporten."
    ),
    Verdict.REJECT: (
        "Beredningsgruppen bedömer att ansökan inte uppfyller kravet på samverkan mellan "
        "minst två parter och föreslår avslag."
    ),
    Verdict.SUPPLEMENT: (
        "Beredningsgruppen behöver en mer detaljerad budget innan en rekommendation kan lämnas."
    ),
}
SUPPLEMENT_MESSAGE = (
    "Komplettera budgeten med personalkostnader per år och parternas medfinansiering."
)


def demo_preparation(
    application,
    reviewers: list,
    secretariat,
    recommendation: str = Verdict.GRANT,
    proposed_by_year: dict | None = None,
):
    """Take a SUBMITTED application through the formal check into preparation, write one
    review per reviewer (leaving out anyone with a declared interest) and record the
    recommendation. Returns the recorded `Recommendation`."""
    staff = build_access(secretariat, application.association_id)
    if application.status == Status.SUBMITTED:
        application = application_services.transition(staff, application, "start_formal_check")
    if application.status == Status.FORMAL_CHECK:
        application = application_services.transition(
            staff, application, "start_preparation", comment="Ansökan är formellt komplett."
        )
    for i, reviewer in enumerate(reviewers):
        if has_interest(reviewer, application):
            continue
        scores, verdict, comment = REVIEWS[i % len(REVIEWS)]
        services.review_save(
            access=build_access(reviewer, application.association_id),
            application=application,
            scores=scores,
            recommendation=verdict,
            comment=comment,
            visibility=Visibility.REVIEWERS,
            submit=True,
        )
    if proposed_by_year is None:
        proposed_by_year = dict(application.applied_by_year or {})
    return services.recommendation_record(
        access=staff,
        application=application,
        verdict=recommendation,
        summary=SUMMARIES[recommendation],
        proposed_by_year=proposed_by_year if recommendation == Verdict.GRANT else None,
        message_to_applicant=SUPPLEMENT_MESSAGE if recommendation == Verdict.SUPPLEMENT else "",
    )
