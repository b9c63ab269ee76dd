"""The labels of the engine's codes (engine/codes.py), marked for translation.

The engine stays free of Django, so its English labels are looked up here, where
gettext can see them: `choices(codes.SECTORS)` gives a model field, form or filter
the same codes with labels in the reader's language. A label missing here shows in
English; tests/test_languages.py checks that none is missing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LABELS = {
    # CATEGORIES
    "Member": _("Member"),
    "Staff": _("Staff"),
    "Secondee": _("Secondee"),
    "External expert": _("External expert"),
    # NPM_ROLES
    "Frontline NPM work": _("Frontline NPM work"),
    "NPM support": _("NPM support"),
    "Not NPM work": _("Not NPM work"),
    # GENDERS
    "Female": _("Female"),
    "Male": _("Male"),
    "Other": _("Other"),
    "Undisclosed": _("Undisclosed"),
    # MINORITY_STATUSES
    "Belongs to a minority group": _("Belongs to a minority group"),
    "Does not belong to a minority group": _("Does not belong to a minority group"),
    "Prefers not to say": _("Prefers not to say"),
    # SECTORS
    "Executive": _("Executive"),
    "Criminal justice": _("Criminal justice"),
    "Law enforcement": _("Law enforcement"),
    "Health": _("Health"),
    "Private operator": _("Private operator"),
    "NGO": _("NGO"),
    "Legal": _("Legal"),
    # AFFILIATION_KINDS
    "Employment": _("Employment"),
    "Position": _("Position"),
    "Family tie": _("Family tie"),
    "Friendship": _("Friendship"),
    "Client": _("Client"),
    "NGO role": _("NGO role"),
    "Political allegiance": _("Political allegiance"),
    "Financial interest": _("Financial interest"),
    "Other employment": _("Other employment"),
    # WITH_ROLES
    "Authority (governor, manager, official)": _("Authority (governor, manager, official)"),
    "Staff member": _("Staff member"),
    "Detainee or patient": _("Detainee or patient"),
    # ACKNOWLEDGEMENT_KINDS
    "Duty to act with real and perceived independence": _(
        "Duty to act with real and perceived independence"
    ),
    "Continuing confidentiality on exit": _("Continuing confidentiality on exit"),
    # APT_SKILLS
    "Good listener": _("Good listener"),
    "Observation skills": _("Observation skills"),
    "Writing skills": _("Writing skills"),
    "Analytical skills": _("Analytical skills"),
    "Communication skills": _("Communication skills"),
    "Group dynamics and team work": _("Group dynamics and team work"),
    "Respect and sensitivity": _("Respect and sensitivity"),
    "Consideration of vulnerabilities": _("Consideration of vulnerabilities"),
    "Availability and flexibility": _("Availability and flexibility"),
    "Integrity to the institution": _("Integrity to the institution"),
    "Human-rights-based approach": _("Human-rights-based approach"),
}
VERDICT_LABELS = {
    "block": _("block"),
    "preparation_only": _("preparation only"),
    "restricted": _("restricted"),
    "declared": _("declared"),
    "clear": _("clear"),
}


def label(text: str):
    """The translated label of an engine label (itself when it has none)."""
    return LABELS.get(text, text)


def choices(pairs) -> list[tuple[str, object]]:
    """Engine (code, English label) pairs with labels in the reader's language."""
    return [(code, label(text)) for code, text in pairs]


def labels(pairs) -> dict[str, object]:
    return dict(choices(pairs))
