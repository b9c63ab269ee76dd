"""The codes of the dataset format (`specs/screening.md`, "Codes and citations").

Plain tuples of (code, label) so the pure engine, the importers and the Django
models all read the same lists; Django turns them into field choices.
"""

from __future__ import annotations

CATEGORIES = (
    ("member", "Member"),
    ("staff", "Staff"),
    ("secondee", "Secondee"),
    ("external_expert", "External expert"),
)

# UK-9: NPM staff include frontline and support staff; non-NPM marks people of a
# member body whose work lies outside the NPM mandate (UK-4, UK-7).
NPM_ROLES = (
    ("frontline", "Frontline NPM work"),
    ("support", "NPM support"),
    ("non_npm", "Not NPM work"),
)

GENDERS = (
    ("female", "Female"),
    ("male", "Male"),
    ("other", "Other"),
    ("undisclosed", "Undisclosed"),
)

# Special-category data, self-declared and optional; used only in suppressed
# aggregates (APT: representation of minority groups). Free text goes in ethnicity.
MINORITY_STATUSES = (
    ("yes", "Belongs to a minority group"),
    ("no", "Does not belong to a minority group"),
    ("prefer_not", "Prefers not to say"),
)

SECTORS = (
    ("executive", "Executive"),
    ("criminal_justice", "Criminal justice"),
    ("law_enforcement", "Law enforcement"),
    ("health", "Health"),
    ("private_operator", "Private operator"),
    ("ngo", "NGO"),
    ("legal", "Legal"),
    ("other", "Other"),
)

AFFILIATION_KINDS = (
    ("employment", "Employment"),
    ("position", "Position"),
    ("family", "Family tie"),
    ("friendship", "Friendship"),
    ("client", "Client"),
    ("ngo_role", "NGO role"),
    ("political", "Political allegiance"),
    ("financial", "Financial interest"),
    ("other_employment", "Other employment"),
)
TIE_KINDS = ("family", "friendship", "client")

WITH_ROLES = (
    ("authority", "Authority (governor, manager, official)"),
    ("staff", "Staff member"),
    ("detainee", "Detainee or patient"),
)

ACKNOWLEDGEMENT_KINDS = (
    ("independence", "Duty to act with real and perceived independence"),
    ("exit_confidentiality", "Continuing confidentiality on exit"),
)

# APT: which skills and other requirements should NPM members and staff have?
APT_SKILLS = (
    ("good_listener", "Good listener"),
    ("observation", "Observation skills"),
    ("writing", "Writing skills"),
    ("analysis", "Analytical skills"),
    ("communication", "Communication skills"),
    ("team_work", "Group dynamics and team work"),
    ("respect_sensitivity", "Respect and sensitivity"),
    ("vulnerabilities", "Consideration of vulnerabilities"),
    ("availability", "Availability and flexibility"),
    ("integrity", "Integrity to the institution"),
    ("human_rights_approach", "Human-rights-based approach"),
)

# APT: what professional expertise is required? The kinds an NPM starts with;
# the coordinator keeps the list (register.Expertise), and `legal` and `medical`
# are the two every NPM must hold.
EXPERTISE = (
    ("legal", "Legal"),
    ("medical", "Medical"),
    ("psychology", "Psychology"),
    ("human_rights", "Human rights"),
    ("detention", "Detention"),
    ("social_work", "Social work"),
    ("anthropology", "Anthropology"),
    ("policing", "Policing"),
    ("migration", "Migration"),
    ("justice_administration", "Administration of justice"),
    ("vulnerable_groups", "Vulnerable groups"),
    ("mental_health", "Mental health"),
    ("children", "Children"),
)
EXPERTISE_SUGGESTIONS = tuple(code for code, _label in EXPERTISE)

# The kinds of place the UK NPM's bodies monitor (register/data/uk-npm-bodies.csv),
# as an establishment's type and a body's place types; other codes read as words.
PLACE_TYPES = (
    ("prison", "Prison"),
    ("young_offender_institution", "Young offender institution"),
    ("secure_training_centre", "Secure training centre"),
    ("secure_childrens_home", "Secure children's home"),
    ("immigration_removal_centre", "Immigration removal centre"),
    ("short_term_holding_facility", "Short-term holding facility"),
    ("escort_and_removal", "Escort and removal"),
    ("police_custody", "Police custody"),
    ("terrorism_act_detention", "Terrorism Act detention"),
    ("court_custody", "Court custody"),
    ("customs_custody", "Customs custody"),
    ("military_detention", "Military detention"),
    ("mental_health_detention", "Mental health detention"),
    ("healthcare_in_detention", "Healthcare in detention"),
    ("social_care_deprivation_of_liberty", "Deprivation of liberty in social care"),
    ("juvenile_justice_centre", "Juvenile justice centre"),
    ("cross_cutting", "Across all places of detention"),
)


def place_type_label(code: str) -> str:
    """A place type as people read it; an unknown one with spaces for underscores."""
    return dict(PLACE_TYPES).get(code) or code.replace("_", " ").capitalize()


# What each rule of the conflict engine and each compliance finding is called
# where people read it; the rule's id (`secondment-origin`) is shown beside it in
# small print, for the policy file and support requests.
RULE_TITLES = {
    "secondment-origin": "Seconded from this establishment",
    "secondment-return": "Likely to return to this establishment",
    "close-affiliation": "Closely affiliated with this establishment",
    "secondment-operator": "Seconded from the organisation that runs it",
    "former-employment": "Worked here before",
    "current-position": "Holds a position here or with its operator",
    "personal-tie-authority": "Family or friend among its authorities",
    "personal-tie": "Family or friend among its staff or detainees",
    "client": "A client detained here",
    "ngo-role": "Role in an NGO working here",
    "former-operator-employment": "Worked for the organisation that runs it",
    "incomplete-facts": "Facts missing, so not cleared",
    "npm-role-unset": "NPM role not recorded",
    "secondee-recruitment": "Secondee's recruitment not recorded",
    "secondee-assessment": "Secondee's conflict assessment missing or due",
    "secondee-supervision": "Secondee's supervision overdue",
    "secondee-awareness": "Secondee has not acknowledged the duty of independence",
    "secondee-leadership": "Secondee in a leadership position",
    "secondee-reporting": "Secondee reports to their organisation of origin",
    "secondee-part-time": "Secondee also works for their organisation of origin",
    "secondee-short-term": "Short secondment",
    "incompatible-position": "Position incompatible with NPM work",
    "other-employment": "Other employment to review",
    "political-allegiance": "Political allegiance to review",
    "term-ending": "Term of office ending",
    "exit-confidentiality": "Exit confidentiality not acknowledged",
    "expertise-missing": "Required expertise missing",
    "gender-balance": "Gender balance below the policy's share",
    # refusals by the team's own rules (engine/team.py), counted in the report
    "team-lead": "May not lead this visit",
    "team-eligibility": "Not in post or not on NPM work for the visit",
    "team-overlap": "Already on another visit on those dates",
    "team-availability": "On leave or over the year's allowance",
}


def rule_title(rule_id: str) -> str:
    """A rule's name as people read it; an unknown id reads as itself, hyphens as spaces."""
    return RULE_TITLES.get(rule_id) or rule_id.replace("-", " ").replace("_", " ").capitalize()


VERDICTS = ("block", "preparation_only", "restricted", "declared", "clear")


def labels(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return dict(pairs)


def codes(pairs: tuple[tuple[str, str], ...]) -> frozenset[str]:
    return frozenset(code for code, _ in pairs)
