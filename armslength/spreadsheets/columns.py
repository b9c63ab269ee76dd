"""The columns of each kind of spreadsheet, and how a cell becomes a value.

One `Column` per field: its header in the template, whether it is required,
how a cell is read (a parser that raises `CellError` with a message a person
can act on), an example for the template, and a line of help. Parsers accept
what spreadsheets produce: ISO or UK dates or real date cells, yes/no, codes or
their labels in any case, lists separated by semicolons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from armslength.engine import codes


class CellError(ValueError):
    """A cell that cannot be read; the message names what is wrong and what would be right."""


@dataclass(frozen=True)
class Column:
    name: str
    field: str
    parse: Callable[[object], object]
    required: bool = False
    example: str = ""
    help: str = ""
    #: looked up in the register: "organisation", "establishment", "person", "body"
    ref: str | None = None
    #: a list of references (bodies, establishments), saved as a many-to-many field
    many: bool = False


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    singular: str
    model: str
    columns: tuple[Column, ...]
    #: what identifies a row again on a later import (the upsert key), in words
    identity: str
    examples: tuple[dict[str, str], ...] = field(default=())

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def header(self) -> list[str]:
        return [c.name for c in self.columns]


# --- cell parsers ----------------------------------------------------------------


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(max_length: int):
    def parse(value) -> str:
        if blank(value):
            return ""
        result = str(value).strip()
        if "\x00" in result:
            raise CellError("contains a NUL character")
        if len(result) > max_length:
            raise CellError(f"is {len(result)} characters long; at most {max_length} fit")
        return result

    return parse


def date(value) -> dt.date | None:
    if blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise CellError(f"{raw!r} is not a date: write it as YYYY-MM-DD (or DD/MM/YYYY)")


YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}


def boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    raw = "" if value is None else str(value).strip().lower()
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise CellError(f"{value!r} is not yes or no")


def optional_boolean(value) -> bool | None:
    return None if blank(value) else boolean(value)


def choice(pairs: tuple[tuple[str, str], ...], *, allow_blank: bool = False):
    by_word = {}
    for code, label in pairs:
        by_word[code.lower()] = code
        by_word[label.lower()] = code

    def parse(value) -> str:
        if blank(value):
            if allow_blank:
                return ""
            raise CellError("is empty")
        raw = str(value).strip().lower().replace(" ", "_")
        found = by_word.get(raw) or by_word.get(str(value).strip().lower())
        if found is None:
            allowed = ", ".join(code for code, _ in pairs)
            raise CellError(f"{value!r} is not one of: {allowed}")
        return found

    return parse


def decimal(value) -> Decimal | None:
    if blank(value):
        return None
    try:
        return Decimal(str(value).strip()).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise CellError(f"{value!r} is not a number") from None


def whole_number(value) -> int | None:
    if blank(value):
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        raise CellError(f"{value!r} is not a whole number") from None
    if number != int(number) or number < 0:
        raise CellError(f"{value!r} is not a whole number of 0 or more")
    return int(number)


def tags(value) -> list[str]:
    if blank(value):
        return []
    if "\x00" in str(value):
        raise CellError("contains a NUL character")
    parts = str(value).replace(",", ";").split(";")
    return [p.strip().lower().replace(" ", "_") for p in parts if p.strip()]


def apt_skills(value) -> list[str]:
    parse = choice(codes.APT_SKILLS)
    return [parse(part) for part in tags(value)]


def key(value) -> str:
    """A stable key: letters, digits, hyphens and underscores (an HR number works)."""
    if blank(value):
        return ""
    raw = str(value).strip()
    if raw.endswith(".0") and raw[:-2].isdigit():  # a number cell read from XLSX
        raw = raw[:-2]
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
    if not set(raw) <= allowed or len(raw) > 80:
        raise CellError(f"{raw!r} is not a key: use letters, digits, - and _ (at most 80)")
    return raw.lower()


# --- the kinds ----------------------------------------------------------------------

KEY_HELP = "Stable key: the same on every import, so a re-import updates instead of duplicating"

ORGANISATIONS = Kind(
    "organisations",
    _("Organisations"),
    _("organisation"),
    "register.Organisation",
    (
        Column("key", "key", key, example="hmpps", help=KEY_HELP + " (from the name if empty)"),
        Column("name", "name", text(200), required=True, example="HM Prison and Probation Service"),
        Column("parent", "parent", key, ref="organisation", example="moj", help="Parent's key"),
        Column(
            "sector",
            "sector",
            choice(codes.SECTORS),
            required=True,
            example="executive",
            help="One of: " + ", ".join(c for c, _ in codes.SECTORS),
        ),
        Column(
            "works_at",
            "works_at",
            tags,
            ref="establishment",
            many=True,
            example="",
            help=("Keys of the establishments where it works (an NGO that visits), separated by ;"),
        ),
    ),
    identity=_("key (or, when empty, the name)"),
    examples=(
        {"key": "moj", "name": "Ministry of Justice", "parent": "", "sector": "executive"},
        {
            "key": "hmpps",
            "name": "HM Prison and Probation Service",
            "parent": "moj",
            "sector": "executive",
        },
    ),
)

ESTABLISHMENTS = Kind(
    "establishments",
    _("Establishments"),
    _("establishment"),
    "register.Establishment",
    (
        Column("key", "key", key, example="hmp-northbridge", help=KEY_HELP),
        Column("name", "name", text(200), required=True, example="HMP Northbridge"),
        Column("type", "type", text(60), required=True, example="prison", help="Place type"),
        Column(
            "operator",
            "operator",
            key,
            ref="organisation",
            example="hmpps",
            help="Operator's organisation key (empty only if unknown)",
        ),
        Column("region", "region", text(60), example="north"),
        Column("jurisdiction", "jurisdiction", text(60), example="England and Wales"),
        Column(
            "visiting_bodies",
            "visiting_bodies",
            tags,
            ref="body",
            many=True,
            example="hmip; imb",
            help="Abbreviations or keys of the bodies that may visit, separated by ;",
        ),
    ),
    identity=_("key (or, when empty, the name)"),
    examples=(
        {
            "key": "hmp-northbridge",
            "name": "HMP Northbridge",
            "type": "prison",
            "operator": "hmpps",
            "region": "north",
            "jurisdiction": "England and Wales",
            "visiting_bodies": "hmip; imb",
        },
    ),
)

PEOPLE = Kind(
    "people",
    _("People"),
    _("person"),
    "register.Person",
    (
        Column("key", "key", key, required=True, example="hr-10234", help=KEY_HELP),
        Column("name", "name", text(200), required=True, example="Alex Morgan"),
        Column("email", "email", text(254), example="alex.morgan@example.org"),
        Column(
            "category",
            "category",
            choice(codes.CATEGORIES),
            required=True,
            example="staff",
            help="member, staff, secondee or external_expert",
        ),
        Column(
            "npm_role",
            "npm_role",
            choice(codes.NPM_ROLES, allow_blank=True),
            example="frontline",
            help="frontline, support or non_npm (UK-9)",
        ),
        Column("unit", "unit", text(120), example="Inspection team 2"),
        Column("expertise", "expertise", tags, example="legal; detention", help="Separated by ;"),
        Column("languages", "languages", tags, example="english; welsh"),
        Column("skills", "skills", apt_skills, example="writing; analysis", help="APT skills"),
        Column(
            "gender",
            "gender",
            choice(codes.GENDERS),
            required=True,
            example="female",
            help="female, male, other or undisclosed",
        ),
        Column("home_region", "home_region", text(60), example="north"),
        Column("can_lead", "can_lead", boolean, example="no", help="yes or no"),
        Column("leadership", "leadership", boolean, example="no", help="yes or no"),
        Column("full_time_npm", "full_time_npm", boolean, example="yes", help="yes or no"),
        Column("npm_share", "npm_share", decimal, example="", help="0.01 to 1.00 if part time"),
        Column("joined", "joined", date, example="2024-04-01", help="YYYY-MM-DD"),
        Column("left", "left", date, example="", help="YYYY-MM-DD; empty if in post"),
        Column("term_start", "term_start", date, help="Members only"),
        Column("term_end", "term_end", date, help="Members only"),
        Column("max_visits", "max_visits", whole_number, help="Most visits a year"),
        Column("max_days", "max_days", whole_number, help="Most visit days a year"),
    ),
    identity=_("key"),
    examples=(
        {
            "key": "hr-10234",
            "name": "Alex Morgan",
            "email": "alex.morgan@example.org",
            "category": "staff",
            "npm_role": "frontline",
            "expertise": "legal; detention",
            "languages": "english",
            "skills": "writing; analysis",
            "gender": "female",
            "home_region": "north",
            "can_lead": "yes",
            "full_time_npm": "yes",
            "joined": "2024-04-01",
        },
        {
            "key": "hr-10377",
            "name": "Sam Okafor",
            "category": "secondee",
            "npm_role": "frontline",
            "expertise": "medical",
            "languages": "english",
            "gender": "male",
            "full_time_npm": "no",
            "npm_share": "0.60",
            "joined": "2025-09-01",
        },
    ),
)

SECONDMENTS = Kind(
    "secondments",
    _("Secondments"),
    _("secondment"),
    "register.Secondment",
    (
        Column("person", "person", key, required=True, ref="person", example="hr-10377"),
        Column("origin", "origin", key, required=True, ref="organisation", example="hmpps"),
        Column(
            "origin_establishment",
            "origin_establishment",
            key,
            ref="establishment",
            example="hmp-northbridge",
            help="Establishment key they come from",
        ),
        Column(
            "return_establishment",
            "return_establishment",
            key,
            ref="establishment",
            help="Establishment key they are likely to return to",
        ),
        Column("start", "start", date, required=True, example="2025-09-01"),
        Column("end", "end", date, example="2027-08-31"),
        Column("open_process", "open_process", boolean, example="yes", help="UK-11"),
        Column("published_criteria", "published_criteria", boolean, example="yes", help="UK-11"),
        Column(
            "inclusive",
            "inclusive",
            optional_boolean,
            example="yes",
            help="UK-11: an inclusive process? yes, no, or empty if not recorded",
        ),
        Column(
            "merit_based",
            "merit_based",
            optional_boolean,
            example="yes",
            help="APT: selected on merit? yes, no, or empty if not recorded",
        ),
        Column("justification", "justification", text(5000), example="Clinical expertise"),
    ),
    identity=_("person and start date"),
    examples=(
        {
            "person": "hr-10377",
            "origin": "hmpps",
            "origin_establishment": "hmp-northbridge",
            "start": "2025-09-01",
            "end": "2027-08-31",
            "open_process": "yes",
            "published_criteria": "yes",
            "inclusive": "yes",
            "merit_based": "yes",
            "justification": "Custody healthcare expertise not found elsewhere",
        },
    ),
)

AFFILIATIONS = Kind(
    "affiliations",
    _("Declarations"),
    _("declaration"),
    "declarations.Affiliation",
    (
        Column("person", "person", key, required=True, ref="person", example="hr-10234"),
        Column(
            "kind",
            "kind",
            choice(codes.AFFILIATION_KINDS),
            required=True,
            example="employment",
            help=", ".join(c for c, _ in codes.AFFILIATION_KINDS),
        ),
        Column("establishment", "establishment", key, ref="establishment", example=""),
        Column("organisation", "organisation", key, ref="organisation", example="hmpps"),
        Column("role", "role", text(200), example="Prison officer"),
        Column("detail", "detail", text(200), help="For a tie: who it is with"),
        Column(
            "with_role",
            "with_role",
            choice(codes.WITH_ROLES, allow_blank=True),
            help="For a tie: authority, staff or detainee",
        ),
        Column("start", "start", date, example="2015-01-01"),
        Column("end", "end", date, example="2022-12-31"),
        Column("on_leave", "on_leave", boolean, example="no"),
    ),
    identity=_("person, kind, establishment or organisation, and start date"),
    examples=(
        {
            "person": "hr-10234",
            "kind": "employment",
            "organisation": "hmpps",
            "role": "Prison officer",
            "start": "2015-01-01",
            "end": "2022-12-31",
            "on_leave": "no",
        },
    ),
)

KINDS = {k.key: k for k in (PEOPLE, SECONDMENTS, AFFILIATIONS, ESTABLISHMENTS, ORGANISATIONS)}
#: kinds whose rows belong to one body (the importing manager's)
BODY_KINDS = frozenset({"people", "secondments", "affiliations"})
