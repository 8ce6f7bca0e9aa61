"""`{{ enrolment|as_registered:"education" }}`: an enrolment's code in the wording of the code-list
version it was registered with (and in its association's own wording, where it has one)."""

from django import template

from finsam.reference import codes
from finsam.reference.models import Code

register = template.Library()


def _label(enrolment, code: Code) -> str:
    return codes.label(
        code.code_list,
        code.code,
        version=(enrolment.code_versions or {}).get(code.code_list),
        association=enrolment.initiative.association_id,
    )


@register.filter
def as_registered(enrolment, field_name: str) -> str:
    """The label of a code field, or the labels of a many-codes field joined by ", "."""
    value = getattr(enrolment, field_name, None)
    if value is None:
        return ""
    if isinstance(value, Code):
        return _label(enrolment, value)
    return ", ".join(_label(enrolment, code) for code in value.all())
