"""A wide table in its own scroll region: on a narrow screen the page keeps the screen's width
and the table scrolls sideways inside a region that keyboard users can focus (the first column
stays in view, finsam.css `.table-scroll`).

    {% scrolltable _("Deltagare") %}<table>…</table>{% endscrolltable %}
"""

from django import template
from django.template.loader import render_to_string
from django.utils.translation import gettext

register = template.Library()


class ScrollTableNode(template.Node):
    def __init__(self, nodelist, label):
        self.nodelist = nodelist
        self.label = label

    def render(self, context):
        label = self.label.resolve(context) if self.label else gettext("Tabell")
        return render_to_string(
            "includes/scroll_table.html",
            {"label": label, "table": self.nodelist.render(context)},
        )


@register.tag
def scrolltable(parser, token):
    bits = token.split_contents()
    if len(bits) > 2:
        raise template.TemplateSyntaxError("scrolltable takes at most one argument, the label")
    label = parser.compile_filter(bits[1]) if len(bits) == 2 else None
    nodelist = parser.parse(("endscrolltable",))
    parser.delete_first_token()
    return ScrollTableNode(nodelist, label)
