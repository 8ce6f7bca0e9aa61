"""Template tags of the statistics pages."""

from django import template

from finsam.statistics import engine

register = template.Library()


@register.simple_tag
def small_cell_label() -> str:
    """How a hidden small count is shown ("1–4" with SMALL_CELL_LIMIT 5)."""
    return engine.small_cell_label()
