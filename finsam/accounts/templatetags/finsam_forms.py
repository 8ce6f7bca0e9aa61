"""Render Django form fields with Bootstrap classes (used by the allauth and finsam forms)."""

from django import forms, template

register = template.Library()

_CHOICE_LISTS = (forms.CheckboxSelectMultiple, forms.RadioSelect)


def _widget_class(widget) -> str:
    if isinstance(widget, (forms.CheckboxInput, *_CHOICE_LISTS)):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.filter
def widget_kind(bound_field) -> str:
    """'checkbox', 'choices' (a list of checkboxes or radios) or 'input'."""
    widget = bound_field.field.widget
    if isinstance(widget, _CHOICE_LISTS):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


@register.filter
def bs_widget(bound_field):
    """The field's widget with Bootstrap classes (and `is-invalid` when the field has errors)."""
    widget = bound_field.field.widget
    classes = [widget.attrs.get("class", ""), _widget_class(widget)]
    if bound_field.errors:
        classes.append("is-invalid")
    attrs = {"class": " ".join(c for c in classes if c)}
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    return bound_field.as_widget(attrs=attrs)


@register.filter
def bs_options(bound_field):
    """The sub-widgets of a checkbox/radio list, each with the Bootstrap check class."""
    widget = bound_field.field.widget
    if "form-check-input" not in widget.attrs.get("class", ""):
        widget.attrs["class"] = (widget.attrs.get("class", "") + " form-check-input").strip()
    return bound_field.subwidgets


@register.filter
def error_anchor(bound_field) -> str:
    """The id of the field's first input, for a link from the error summary (a list of radios
    or checkboxes has no input with the field's own id). A form whose template draws a field
    itself names the target in `error_anchors` (field name → id)."""
    anchor = getattr(bound_field.form, "error_anchors", {}).get(bound_field.name)
    if anchor:
        return anchor
    if isinstance(bound_field.field.widget, _CHOICE_LISTS):
        options = bound_field.subwidgets
        return options[0].id_for_label if options else bound_field.auto_id
    return bound_field.id_for_label
