"""An application's form in a template: `{% load application_forms %}`, then
`{% application_answers application %}` (the answers read-only: staff pages, the meeting pack's
HTML) or `{% application_form definition answers errors %}` (the inputs, without the <form>)."""

from django import template

from finsam.applications.formdef.render import render_display, render_form

register = template.Library()


@register.simple_tag(takes_context=True)
def application_answers(context, application):
    return render_display(
        application.form_definition, application.answers, request=context.get("request")
    )


@register.simple_tag(takes_context=True)
def application_form(context, definition, answers, errors=None, section=None):
    return render_form(
        definition, answers, errors or {}, section=section, request=context.get("request")
    )
