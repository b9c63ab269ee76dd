from django import template

from armslength.reports.report import cell_text

register = template.Library()


@register.filter
def cell(value) -> str:
    """A report cell as people read it: thousands separated, shares in %, hidden counts in words."""
    return cell_text(value)


@register.filter
def zip_with(values, flags) -> list[tuple]:
    """Pairs each cell (or header) with its column's flag: `{% for v, num in row|zip_with:f %}`."""
    flags = list(flags)
    return [(v, flags[i] if i < len(flags) else False) for i, v in enumerate(values)]
