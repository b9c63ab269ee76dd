"""Where each finding is fixed: the page and the words of the link.

A finding links to the form that closes it ("Record the recruitment"), not
just to the person it concerns; findings whose fix is a judgment (a political
allegiance to review) link to where that judgment is recorded.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

#: rule id -> (link text, how to build the URL from the finding)
_ADD_FOR_PERSON = {
    "secondee-recruitment": (_("Record the recruitment"), "compliance:recruitmentrecord_add"),
    "secondee-assessment": (_("Record a conflict assessment"), "compliance:assessment_add"),
    "secondee-supervision": (_("Record a supervision"), "compliance:supervision_add"),
}
_EDIT_PERSON = {
    "npm-role-unset": _("Set the NPM role"),
    "secondee-leadership": _("Change the leadership position"),
    "secondee-reporting": _("Change who they report to"),
    "secondee-part-time": _("Correct the share of NPM time"),
    "term-ending": _("Update the term of office"),
}
_PERSON_PAGE = {
    "secondee-awareness": _("See their acknowledgements"),
    "secondee-short-term": _("Review the secondment"),
    "incompatible-position": _("Review the declarations"),
    "other-employment": _("Review the declarations"),
    "political-allegiance": _("Review the declarations"),
    "exit-confidentiality": _("See their acknowledgements"),
}
_BODY_PEOPLE = {
    "expertise-missing": _("See the body's people"),
    "gender-balance": _("See the body's people"),
}


def fix_for(rule: str, *, person_id: int | None, body_id: int | None) -> tuple[str, str] | None:
    """(link text, url) of the page where this finding is fixed, or None."""
    if person_id and rule in _ADD_FOR_PERSON:
        text, name = _ADD_FOR_PERSON[rule]
        return str(text), f"{reverse(name)}?person={person_id}"
    if person_id and rule in _EDIT_PERSON:
        return str(_EDIT_PERSON[rule]), reverse("register:person_edit", args=[person_id])
    if person_id:
        text = _PERSON_PAGE.get(rule, _("Open their record"))
        return str(text), reverse("register:person_detail", args=[person_id])
    if body_id and rule in _BODY_PEOPLE:
        url = f"{reverse('register:person_list')}?body={body_id}&current=true"
        return str(_BODY_PEOPLE[rule]), url
    return None
