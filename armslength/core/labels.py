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
    # EXPERTISE (the kinds an NPM starts with; the coordinator may add more)
    "Medical": _("Medical"),
    "Psychology": _("Psychology"),
    "Human rights": _("Human rights"),
    "Detention": _("Detention"),
    "Social work": _("Social work"),
    "Anthropology": _("Anthropology"),
    "Policing": _("Policing"),
    "Migration": _("Migration"),
    "Administration of justice": _("Administration of justice"),
    "Vulnerable groups": _("Vulnerable groups"),
    "Mental health": _("Mental health"),
    "Children": _("Children"),
    # PLACE_TYPES
    "Prison": _("Prison"),
    "Young offender institution": _("Young offender institution"),
    "Secure training centre": _("Secure training centre"),
    "Secure children's home": _("Secure children's home"),
    "Immigration removal centre": _("Immigration removal centre"),
    "Short-term holding facility": _("Short-term holding facility"),
    "Escort and removal": _("Escort and removal"),
    "Police custody": _("Police custody"),
    "Terrorism Act detention": _("Terrorism Act detention"),
    "Court custody": _("Court custody"),
    "Customs custody": _("Customs custody"),
    "Military detention": _("Military detention"),
    "Mental health detention": _("Mental health detention"),
    "Healthcare in detention": _("Healthcare in detention"),
    "Deprivation of liberty in social care": _("Deprivation of liberty in social care"),
    "Juvenile justice centre": _("Juvenile justice centre"),
    "Across all places of detention": _("Across all places of detention"),
}
#: each rule's and finding's title (engine/codes.py RULE_TITLES) in the reader's language
RULE_TITLES = {
    "secondment-origin": _("Seconded from this establishment"),
    "secondment-return": _("Likely to return to this establishment"),
    "close-affiliation": _("Closely affiliated with this establishment"),
    "secondment-operator": _("Seconded from the organisation that runs it"),
    "former-employment": _("Worked here before"),
    "current-position": _("Holds a position here or with its operator"),
    "personal-tie-authority": _("Family or friend among its authorities"),
    "personal-tie": _("Family or friend among its staff or detainees"),
    "client": _("A client detained here"),
    "ngo-role": _("Role in an NGO working here"),
    "former-operator-employment": _("Worked for the organisation that runs it"),
    "incomplete-facts": _("Facts missing, so not cleared"),
    "npm-role-unset": _("NPM role not recorded"),
    "secondee-recruitment": _("Secondee's recruitment not recorded"),
    "secondee-assessment": _("Secondee's conflict assessment missing or due"),
    "secondee-supervision": _("Secondee's supervision overdue"),
    "secondee-awareness": _("Secondee has not acknowledged the duty of independence"),
    "secondee-leadership": _("Secondee in a leadership position"),
    "secondee-reporting": _("Secondee reports to their organisation of origin"),
    "secondee-part-time": _("Secondee also works for their organisation of origin"),
    "secondee-short-term": _("Short secondment"),
    "incompatible-position": _("Position incompatible with NPM work"),
    "other-employment": _("Other employment to review"),
    "political-allegiance": _("Political allegiance to review"),
    "term-ending": _("Term of office ending"),
    "exit-confidentiality": _("Exit confidentiality not acknowledged"),
    "expertise-missing": _("Required expertise missing"),
    "gender-balance": _("Gender balance below the policy's share"),
    "team-lead": _("May not lead this visit"),
    "team-eligibility": _("Not in post or not on NPM work for the visit"),
    "team-overlap": _("Already on another visit on those dates"),
    # findings the engine names only by id (codes.RULE_TITLES has no title for them)
    "secondee-selection": _("Secondee not selected on merit"),
    "secondment-unrecorded": _("Secondee with no secondment record"),
    "team-availability": _("On leave or over the year's allowance"),
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


def place_type(code: str) -> str:
    """A place type in the reader's language; an unknown one as words (engine's rule)."""
    from armslength.engine import codes

    return str(label(codes.place_type_label(code)))


def rule_title(rule_id: str) -> str:
    """A rule's or finding's title in the reader's language; an unknown id as words."""
    from armslength.engine import codes

    title = RULE_TITLES.get(rule_id)
    return str(title) if title is not None else codes.rule_title(rule_id)
