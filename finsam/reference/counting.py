"""The counting rule (R6), defined by the exit-reason code list: a wrong registration
("felregistrering") never counts, in any statistics, list or check."""

from django.db import models

from finsam.reference.models import EXIT_WRONG_REGISTRATION, Code, CodeList


def counted_q(*, prefix: str = "") -> models.Q:
    """The counting rule (R6) as a Q object: a wrong registration (exit reason
    "felregistrering") never counts. `prefix` reaches enrolments from a related model
    ("enrolments__"). A subquery on the code, not a join: the statistics' GROUP BY stays on one
    table. An open enrolment has no exit reason and always counts."""
    wrong = Code.objects.filter(
        code_list=CodeList.EXIT_REASON, code=EXIT_WRONG_REGISTRATION
    ).values("pk")
    return ~models.Q(**{f"{prefix}exit_reason__in": wrong})


def is_counted(exit_reason: Code | None) -> bool:
    """The counting rule for one enrolment with this exit reason (None: not exited)."""
    return exit_reason is None or exit_reason.code != EXIT_WRONG_REGISTRATION
