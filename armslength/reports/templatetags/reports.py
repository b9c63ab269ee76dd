from django import template

from armslength.reports.report import cell_text

register = template.Library()


@register.filter
def cell(value) -> str:
    """A report cell as people read it: thousands separated, shares in %, hidden counts in words."""
    return cell_text(value)
