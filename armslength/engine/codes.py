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

# APT: what professional expertise is required? Free tags are allowed; these
# are offered first, and `legal` and `medical` are the two the NPM must hold.
EXPERTISE_SUGGESTIONS = (
    "legal",
    "medical",
    "psychology",
    "human_rights",
    "detention",
    "social_work",
    "anthropology",
    "policing",
    "migration",
    "justice_administration",
    "vulnerable_groups",
    "mental_health",
    "children",
)

VERDICTS = ("block", "preparation_only", "restricted", "declared", "clear")


def labels(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return dict(pairs)


def codes(pairs: tuple[tuple[str, str], ...]) -> frozenset[str]:
    return frozenset(code for code, _ in pairs)
