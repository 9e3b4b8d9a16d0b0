from django import template

from zhibu.points.statement import points_text, signed_points

register = template.Library()


@register.filter
def points(value) -> str:
    """60, 1.5, -2 (no trailing .0); blank for None."""
    return "" if value is None else points_text(value)


@register.filter
def signed(value) -> str:
    """+1, -2, 0: a statement line's effect."""
    return "" if value is None else signed_points(value)


@register.filter
def magnitude(value) -> str:
    """A deduction written after a minus sign already in the text: 4 for -4."""
    return "" if value is None else points_text(abs(value))
