"""A fictional register for demonstrations and tests, laid out around a date.

Two NPMs: the UK's (`UK`), whose bodies are the real 21 UK NPM members (from
`data/uk-npm-bodies.csv`), every organisation below ministry level, every
establishment and every person invented; and a single-body NPM of a fictional
French-speaking country (`demo_generic.GENERIC`, `armslength demo --npm generic`).
The same seed and date give the same register.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from importlib import resources

from django.db import transaction

from armslength.accounts.models import Role, User
from armslength.accounts.twofactor import enrol, required
from armslength.compliance.models import (
    Acknowledgement,
    Assessment,
    InterferenceAction,
    InterferenceReport,
    Supervision,
)
from armslength.declarations.models import Affiliation, ReviewStatus
from armslength.engine.policy import shipped_policy_text
from armslength.register.models import Body, Establishment, Organisation, Person, Secondment
from armslength.visits.models import PlaceRequest, Unavailability, Visit, VisitStatus, VisitType

DEMO_PASSWORD = "armslength-demo"

# (key, name, parent key, sector)
ORGANISATIONS = [
    ("moj", "Ministry of Justice", None, "executive"),
    ("hmpps", "HM Prison and Probation Service", "moj", "executive"),
    ("ycs", "Youth Custody Service", "hmpps", "criminal_justice"),
    ("home-office", "Home Office", None, "executive"),
    ("immigration-enforcement", "Immigration Enforcement", "home-office", "law_enforcement"),
    ("scottish-gov", "Scottish Government", None, "executive"),
    ("sps", "Scottish Prison Service", "scottish-gov", "executive"),
    ("doj-ni", "Department of Justice (Northern Ireland)", None, "executive"),
    ("nips", "Northern Ireland Prison Service", "doj-ni", "executive"),
    ("northshire-police", "Northshire Police", None, "law_enforcement"),
    ("southmoor-police", "Southmoor Constabulary", None, "law_enforcement"),
    ("westvale-police", "Westvale Police", None, "law_enforcement"),
    ("glenmor-police", "Glenmor Police Division", None, "law_enforcement"),
    ("loughside-police", "Loughside Police District", None, "law_enforcement"),
    ("custodial-services", "Custodial Services Ltd", None, "private_operator"),
    ("harbour-detention", "Harbour Detention Services Ltd", None, "private_operator"),
    ("secure-care-group", "Secure Care Group plc", None, "private_operator"),
    ("northshire-health", "Northshire Health NHS Trust", None, "health"),
    ("westvale-mh", "Westvale Mental Health NHS Trust", None, "health"),
    ("lowland-health", "Lowland Health Board", "scottish-gov", "health"),
    ("cymru-health", "Dyffryn University Health Board", None, "health"),
    ("eastfield-council", "Eastfield County Council", None, "other"),
    ("prison-reform-network", "Prison Reform Network", None, "ngo"),
    ("detention-advice", "Detention Advice Centre", None, "ngo"),
    ("northbridge-law", "Northbridge Law Centre", None, "legal"),
]

# (name, type, operator key, region, jurisdiction)
ESTABLISHMENTS = [
    ("HMP Northbridge", "prison", "hmpps", "north", "England & Wales"),
    ("HMP Southgate", "prison", "hmpps", "south", "England & Wales"),
    ("HMP Eastmoor", "prison", "custodial-services", "east", "England & Wales"),
    ("HMP Westwater", "prison", "hmpps", "west", "England & Wales"),
    ("HMP Ashcombe", "prison", "hmpps", "south", "England & Wales"),
    ("HMP Kingsreach", "prison", "custodial-services", "midlands", "England & Wales"),
    ("HMP Millbrook", "prison", "hmpps", "midlands", "England & Wales"),
    ("HMP Ravenscar", "prison", "hmpps", "north", "England & Wales"),
    ("HMP Thornbury", "prison", "hmpps", "west", "England & Wales"),
    ("HMP & YOI Fenwick", "prison", "hmpps", "east", "England & Wales"),
    ("HMP Cwm Teg", "prison", "hmpps", "wales", "England & Wales"),
    ("HMYOI Brackley", "young_offender_institution", "ycs", "midlands", "England & Wales"),
    ("HMYOI Stonegate", "young_offender_institution", "ycs", "north", "England & Wales"),
    ("Oakfield Secure Training Centre", "secure_training_centre", "ycs", "south", "England"),
    (
        "Riverside Immigration Removal Centre",
        "immigration_removal_centre",
        "harbour-detention",
        "south",
        "England & Wales",
    ),
    (
        "Marsh Lane Immigration Removal Centre",
        "immigration_removal_centre",
        "custodial-services",
        "east",
        "England & Wales",
    ),
    (
        "Dover Road Short-term Holding Facility",
        "short_term_holding_facility",
        "immigration-enforcement",
        "south",
        "England & Wales",
    ),
    (
        "Northshire Central Custody Suite",
        "police_custody",
        "northshire-police",
        "north",
        "England & Wales",
    ),
    (
        "Northshire East Custody Suite",
        "police_custody",
        "northshire-police",
        "north",
        "England & Wales",
    ),
    ("Southmoor Custody Centre", "police_custody", "southmoor-police", "south", "England & Wales"),
    ("Westvale Bridewell", "police_custody", "westvale-police", "west", "England & Wales"),
    ("Crown Court Cells, Northbridge", "court_custody", "hmpps", "north", "England & Wales"),
    ("Westvale Secure Hospital", "mental_health_detention", "westvale-mh", "west", "England"),
    (
        "Northshire Medium Secure Unit",
        "mental_health_detention",
        "northshire-health",
        "north",
        "England",
    ),
    ("Ysbyty Dyffryn Secure Unit", "mental_health_detention", "cymru-health", "wales", "Wales"),
    (
        "Hollybank Secure Children's Home",
        "secure_childrens_home",
        "eastfield-council",
        "east",
        "England",
    ),
    (
        "Meadowview Care Home (DoLS)",
        "social_care_deprivation_of_liberty",
        "secure-care-group",
        "midlands",
        "England",
    ),
    ("HMP Glenmor", "prison", "sps", "highlands", "Scotland"),
    ("HMP Clydeview", "prison", "sps", "central belt", "Scotland"),
    ("HMYOI Lomondside", "young_offender_institution", "sps", "central belt", "Scotland"),
    ("Glenmor Police Custody Centre", "police_custody", "glenmor-police", "highlands", "Scotland"),
    (
        "Lowland State Hospital",
        "mental_health_detention",
        "lowland-health",
        "central belt",
        "Scotland",
    ),
    ("HMP Loughside", "prison", "nips", "east", "Northern Ireland"),
    (
        "Hydebank Juvenile Justice Centre",
        "juvenile_justice_centre",
        "doj-ni",
        "east",
        "Northern Ireland",
    ),
    ("Loughside Custody Suite", "police_custody", "loughside-police", "east", "Northern Ireland"),
]

# (body key, number of people): about 300 across the bodies that use secondees most.
STAFFING = [
    ("hmip", 90),
    ("cqc", 45),
    ("imb", 35),
    ("hmips", 30),
    ("cjini", 25),
    ("hmicfrs", 25),
    ("rqia", 15),
    ("mwcs", 15),
    ("ofsted", 20),
]

FIRST = [
    "Aisha",
    "Ben",
    "Carys",
    "Dev",
    "Eilidh",
    "Femi",
    "Grace",
    "Hamza",
    "Isla",
    "Jonah",
    "Kiran",
    "Lena",
    "Malik",
    "Niamh",
    "Owen",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tess",
    "Umar",
    "Vera",
    "Wyn",
    "Ximena",
    "Yusuf",
    "Zara",
    "Alex",
    "Bryony",
    "Callum",
    "Dara",
]
LAST = [
    "Ahmed",
    "Bennett",
    "Campbell",
    "Davies",
    "Evans",
    "Fraser",
    "Gallagher",
    "Hughes",
    "Iqbal",
    "Jones",
    "Kaur",
    "Lewis",
    "MacLeod",
    "Nolan",
    "Okafor",
    "Patel",
    "Quigley",
    "Reid",
    "Singh",
    "Thomas",
    "Usman",
    "Vaughan",
    "Walsh",
    "Young",
    "Zielinski",
]
UNITS = [
    "Inspection team A",
    "Inspection team B",
    "Health and social care",
    "Research",
    "Policy",
    "Corporate services",
]
REGIONS = ["north", "south", "east", "west", "midlands", "wales", "highlands", "central belt"]
EXPERTISE = [
    "legal",
    "medical",
    "psychology",
    "human_rights",
    "detention",
    "social_work",
    "policing",
    "migration",
    "mental_health",
    "children",
]
LANGUAGES = ["english", "welsh", "gaelic", "polish", "urdu", "arabic", "romanian", "irish"]


@dataclass(frozen=True)
class DemoNpm:
    """What differs between demo NPMs; the way a register is laid out stays the same."""

    key: str
    policy_pack: str  # armslength/engine/policies/<pack>.yaml
    language: str  # the demo accounts' language ("" follows the browser)
    bodies: list[dict]  # rows as in data/uk-npm-bodies.csv
    mandate_beyond_npm: frozenset[str]  # body abbreviations
    organisations: list[tuple]
    establishments: list[tuple]
    staffing: list[tuple[str, int]]
    first_names: list[str]
    last_names: list[str]
    units: list[str]
    regions: list[str]
    languages: list[str]  # the first is everyone's
    justifications: list[str]
    relatives: list[str]
    managed: tuple[str, ...]  # bodies with a demo manager and a visit programme
    home: str  # the body of the staff and secondee logins and the declaration round
    words: dict[str, str]  # the few free-text phrases the demo writes in records


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    body: str
    note: str


def bodies_csv_rows() -> list[dict[str, str]]:
    text = resources.files("armslength.register").joinpath("data/uk-npm-bodies.csv").read_text()
    return list(csv.DictReader(text.splitlines()))


JUSTIFICATIONS = [
    "Operational custody expertise not available in the open market",
    "Clinical forensic experience needed for healthcare inspections",
    "Police custody procedures expertise for the custody inspection programme",
    "",
]
RELATIVES = [
    "Jo Marsh (governor)",
    "Sam Reid (officer)",
    "Lee Hart (nurse)",
    "Ray Bloom (detainee)",
    "Kit Vale (healthcare assistant)",
]

UK = DemoNpm(
    key="uk",
    policy_pack="uk-npm",
    language="",  # each account follows its browser (English, Welsh or French)
    bodies=bodies_csv_rows(),
    mandate_beyond_npm=frozenset({"CQC", "HMICFRS", "Ofsted", "CI", "RQIA"}),
    organisations=ORGANISATIONS,
    establishments=ESTABLISHMENTS,
    staffing=STAFFING,
    first_names=FIRST,
    last_names=LAST,
    units=UNITS,
    regions=REGIONS,
    languages=LANGUAGES,
    justifications=JUSTIFICATIONS,
    relatives=RELATIVES,
    managed=("hmip", "cqc", "hmips"),
    home="hmip",
    words={
        "term_process": "Public appointment by open competition",
        "annual_leave": "Annual leave",
        "training": "Training",
        "areas": "Origin organisation, its establishments, former colleagues",
        "restrictions": "No visits to establishments run by the origin organisation",
        "supervisor": "Head of inspections",
        "round": "Annual declarations {year}",
        "roles": "officer;nurse;teacher;manager",
        "caseworker": "caseworker",
        "client": "a former client",
        "adviser": "sessional adviser",
        "board": "board member",
    },
)


def demo_npm(key: str) -> DemoNpm:
    """The demo NPM named on the command line: `uk` (default) or `generic`."""
    from armslength.register.demo_generic import GENERIC

    return {"uk": UK, "generic": GENERIC}[key]


def register_is_empty() -> bool:
    return not (Body.objects.exists() or Person.objects.exists())


@transaction.atomic
def load_demo(*, seed: int = 1, today: dt.date, npm: DemoNpm = UK) -> list[DemoLogin]:
    """Fill an empty register; returns the demo logins. A pack other than the
    installation's is adopted as the first policy version, so it stays in force."""
    rng = random.Random(seed)
    _adopt_pack(npm)
    bodies = _load_bodies(npm)
    organisations = _load_organisations(npm)
    establishments = _load_establishments(npm, bodies, organisations)
    people = _load_people(npm, rng, bodies, organisations, establishments, today)
    _load_declarations(npm, rng, people, organisations, establishments, today)
    _load_safeguards(npm, rng, people, today)
    _load_visits(npm, rng, bodies, establishments, today, seed)
    logins = _load_accounts(npm, bodies, people)
    _load_round(npm, bodies[npm.home], today)
    # Drawn from a second generator so the people above stay as they were.
    history = random.Random(seed + 1000)
    _load_former_secondees(npm, history, bodies, organisations, today)
    _load_minority_statuses(history, people)
    _load_interference(npm, history, bodies, people, today)
    _load_joint_visit(npm, bodies, establishments, today)
    _load_snapshots(today)
    # written past the services (one batch): the findings computed once, so a new
    # installation's dashboard shows them before the first change or daily run
    from armslength.compliance.services import findings_sync

    findings_sync(today=today, trigger="loading the demo")
    return logins


def _adopt_pack(npm: DemoNpm) -> None:
    from django.conf import settings

    from armslength.screening.services import policy_version_adopt

    if npm.policy_pack != settings.POLICY_PACK:
        policy_version_adopt(
            text=shipped_policy_text(npm.policy_pack),
            note=f"Set up with the {npm.policy_pack} policy pack (armslength demo)",
            user=None,
        )


def _load_bodies(npm: DemoNpm) -> dict[str, Body]:
    bodies = {}
    for row in npm.bodies:
        body = Body.objects.create(
            key=row["abbreviation"].lower(),
            abbreviation=row["abbreviation"],
            name=row["name"],
            jurisdictions=row["jurisdiction"],
            place_types=[t for t in row["place_types"].split(";") if t],
            is_coordinator=row["coordinator"] == "yes",
            mandate_beyond_npm=row["abbreviation"] in npm.mandate_beyond_npm,
        )
        bodies[body.key] = body
    return bodies


def _load_organisations(npm: DemoNpm) -> dict[str, Organisation]:
    organisations: dict[str, Organisation] = {}
    for key, name, parent, sector in npm.organisations:
        organisations[key] = Organisation.objects.create(
            key=key, name=name, parent=organisations.get(parent) if parent else None, sector=sector
        )
    return organisations


def _load_establishments(npm, bodies, organisations) -> list[Establishment]:
    made = []
    for name, kind, operator, region, jurisdiction in npm.establishments:
        est = Establishment.objects.create(
            name=name,
            type=kind,
            operator=organisations[operator],
            region=region,
            jurisdiction=jurisdiction,
        )
        visitors = [
            b
            for b in bodies.values()
            if kind in b.place_types and _jurisdiction_fits(b.jurisdictions, jurisdiction)
        ]
        est.visiting_bodies.set(visitors)
        made.append(est)
    return made


def _jurisdiction_fits(body_jurisdiction: str, place_jurisdiction: str) -> bool:
    if body_jurisdiction == "UK-wide":
        return True
    parts = {p.strip() for p in body_jurisdiction.replace("&", "and").split(" and ")}
    place = {p.strip() for p in place_jurisdiction.replace("&", "and").split(" and ")}
    return bool(parts & place)


def _load_people(npm, rng, bodies, organisations, establishments, today) -> list[Person]:
    people: list[Person] = []
    origins = [
        o
        for o in organisations.values()
        if o.sector in {"executive", "law_enforcement", "health", "criminal_justice"}
    ]
    for body_key, count in npm.staffing:
        body = bodies[body_key]
        for _i in range(count):
            people.append(_make_person(npm, rng, body, origins, establishments, today))
    return people


def _make_person(npm, rng, body, origins, establishments, today) -> Person:
    roll = rng.random()
    category = (
        "member"
        if roll < 0.10
        else "secondee"
        if roll < 0.19
        else "external_expert"
        if roll < 0.25
        else "staff"
    )
    joined = today - dt.timedelta(days=rng.randint(60, 365 * 12))
    left = None
    if rng.random() < 0.06:
        left = today - dt.timedelta(days=rng.randint(1, min(900, (today - joined).days)))
    name = f"{rng.choice(npm.first_names)} {rng.choice(npm.last_names)}"
    expertise = rng.sample(EXPERTISE, k=rng.choice([1, 1, 2, 2, 3]))
    person = Person(
        body=body,
        name=name,
        email=f"{name.lower().replace(' ', '.')}@{body.key}.example",
        category=category,
        npm_role=""
        if rng.random() < 0.04
        else rng.choice(["frontline"] * 6 + ["support"] * 3 + ["non_npm"]),
        unit=rng.choice(npm.units),
        expertise=expertise,
        languages=[npm.languages[0], *rng.sample(npm.languages[1:], k=rng.choice([0, 0, 1]))],
        skills=rng.sample(
            ["good_listener", "observation", "writing", "analysis", "communication", "team_work"],
            k=3,
        ),
        gender=rng.choice(["female"] * 11 + ["male"] * 8 + ["other", "undisclosed"]),
        home_region=rng.choice(npm.regions),
        can_lead=category in {"member", "staff"} and rng.random() < 0.3,
        leadership=category == "member" and rng.random() < 0.3,
        full_time_npm=rng.random() > 0.15,
        joined=joined,
        left=left,
    )
    if not person.full_time_npm:
        person.npm_share = rng.choice(["0.40", "0.50", "0.60", "0.80"])
    person.max_visits = rng.choice([10, 12, 15, 20])
    person.max_days = rng.choice([30, 40, 50])
    if category == "member":
        person.term_start = joined
        person.term_end = joined + dt.timedelta(days=365 * rng.choice([3, 4, 5]))
        person.term_appointing_process = npm.words["term_process"]
        person.term_renewable = rng.random() < 0.6
    person.save()
    if rng.random() < 0.5:
        leave = today + dt.timedelta(days=rng.randint(0, 300))
        Unavailability.objects.create(
            person=person,
            start=leave,
            end=leave + dt.timedelta(days=rng.randint(3, 12)),
            reason=rng.choice([npm.words["annual_leave"], npm.words["training"]]),
        )
    if category == "secondee":
        _make_secondment(npm, rng, person, origins, establishments, today)
    return person


def _make_secondment(npm, rng, person, origins, establishments, today) -> None:
    origin = rng.choice(origins)
    operated = [e for e in establishments if e.operator_id == origin.pk]
    start = today - dt.timedelta(days=rng.randint(30, 700))
    if person.left:
        start = min(start, person.left - dt.timedelta(days=200))
    end = start + dt.timedelta(days=365 * rng.choice([2, 2, 3]) - 1)
    if person.left:
        end = person.left - dt.timedelta(days=1)
    Secondment.objects.create(
        person=person,
        origin=origin,
        origin_establishment=rng.choice(operated) if operated else None,
        return_establishment=rng.choice(operated) if operated and rng.random() < 0.7 else None,
        start=start,
        end=end,
        open_process=rng.random() < 0.9,
        published_criteria=rng.random() < 0.85,
        justification=rng.choice([*npm.justifications[:2], ""]),
    )


def _load_former_secondees(npm, rng, bodies, organisations, today) -> None:
    """Secondees who have since returned, so the years before show more reliance (UK-10)."""
    origins = [
        o
        for o in organisations.values()
        if o.sector in {"executive", "law_enforcement", "health", "criminal_justice"}
    ]
    for body_key, count in npm.staffing:
        for _i in range(max(1, count // 8)):
            end = today - dt.timedelta(days=rng.randint(120, 365 * 3))
            start = end - dt.timedelta(days=365 * rng.choice([2, 3]) - 1)
            name = f"{rng.choice(npm.first_names)} {rng.choice(npm.last_names)}"
            person = Person.objects.create(
                body=bodies[body_key],
                name=name,
                email=f"{name.lower().replace(' ', '.')}@{body_key}.example",
                category="secondee",
                npm_role="frontline",
                expertise=rng.sample(EXPERTISE, k=1),
                languages=[npm.languages[0]],
                gender=rng.choice(["female", "male"]),
                home_region=rng.choice(npm.regions),
                joined=start,
                left=end + dt.timedelta(days=1),
            )
            Secondment.objects.create(
                person=person,
                origin=rng.choice(origins),
                start=start,
                end=end,
                open_process=rng.random() < 0.7,
                published_criteria=rng.random() < 0.6,
                justification=rng.choice(npm.justifications),
            )


def _load_minority_statuses(rng, people) -> None:
    """Self-declared minority status (special-category; only ever shown in aggregate)."""
    for person in people:
        roll = rng.random()
        person.minority_status = (
            "yes" if roll < 0.12 else "no" if roll < 0.85 else "prefer_not" if roll < 0.9 else ""
        )
    Person.objects.bulk_update(people, ["minority_status"])


def _load_snapshots(today) -> None:
    """Three frozen years before this one, as if the NPM had used armslength since."""
    from armslength.reports.services import snapshot_take

    for year in range(today.year - 3, today.year):
        snapshot_take(year=year, today=today)


def _load_declarations(npm, rng, people, organisations, establishments, today) -> None:
    """Declared interests: mostly past employment; some ties, NGO roles and clients."""
    operators = [o for o in organisations.values() if o.establishments.exists()]
    ngos = [o for o in organisations.values() if o.sector == "ngo"]
    for person in people:
        roll = rng.random()
        ago = today - dt.timedelta(days=rng.randint(400, 4000))
        kw = {
            "person": person,
            "status": rng.choice([ReviewStatus.ACCEPTED] * 4 + [ReviewStatus.PENDING]),
        }
        if roll < 0.25:
            Affiliation.objects.create(
                kind="employment",
                establishment=rng.choice(establishments),
                role=rng.choice(npm.words["roles"].split(";")),
                start=ago - dt.timedelta(days=1500),
                end=ago,
                **kw,
            )
        elif roll < 0.33:
            Affiliation.objects.create(
                kind="employment",
                organisation=rng.choice(operators),
                role=npm.words["caseworker"],
                start=ago - dt.timedelta(days=900),
                end=ago,
                **kw,
            )
        elif roll < 0.38:
            Affiliation.objects.create(
                kind=rng.choice(["family", "friendship"]),
                establishment=rng.choice(establishments),
                with_role=rng.choice(["authority", "staff", "staff"]),
                detail=rng.choice(npm.relatives),
                **kw,
            )
        elif roll < 0.41:
            Affiliation.objects.create(
                kind="ngo_role",
                establishment=rng.choice(establishments),
                role=rng.choice(ngos).name,
                start=ago,
                **kw,
            )
        elif roll < 0.43 and "legal" in person.expertise:
            Affiliation.objects.create(
                kind="client",
                establishment=rng.choice(establishments),
                with_role="detainee",
                detail=npm.words["client"],
                start=ago,
                end=ago + dt.timedelta(days=200),
                **kw,
            )
        elif roll < 0.45:
            Affiliation.objects.create(
                kind="other_employment",
                organisation=rng.choice(operators),
                role=npm.words["adviser"],
                start=ago,
                **kw,
            )
        elif roll < 0.46:
            Affiliation.objects.create(
                kind="position",
                organisation=rng.choice(operators),
                role=npm.words["board"],
                start=ago,
                on_leave=True,
                **kw,
            )


def _load_safeguards(npm, rng, people, today) -> None:
    """Assessments, supervisions and acknowledgements for most secondees, not all."""
    for person in people:
        current = person.current_secondments(today)
        if person.category != "secondee" or not current or person.left:
            continue
        secondment = current[0]
        if rng.random() < 0.8:
            done = max(secondment.start, today - dt.timedelta(days=rng.randint(20, 420)))
            assessment = Assessment.objects.create(
                signed_off_at=dt.datetime.combine(done, dt.time(12), tzinfo=dt.UTC),
                person=person,
                date=done,
                next_review=done + dt.timedelta(days=365),
                areas_considered=npm.words["areas"],
                restrictions=npm.words["restrictions"],
            )
            if rng.random() < 0.3 and secondment.origin_id:
                assessment.cleared_organisations.add(secondment.origin)
        if rng.random() < 0.75:
            Supervision.objects.create(
                person=person,
                supervisor=npm.words["supervisor"],
                date=today - dt.timedelta(days=rng.randint(5, 130)),
            )
        if rng.random() < 0.85:
            Acknowledgement.objects.create(
                person=person, kind="independence", date=secondment.start, text_version="2024-1"
            )


def _load_visits(npm, rng, bodies, establishments, today, seed: int = 1) -> None:
    """A programme for the next months for the bodies with demo managers; the largest
    of them gets a full one (`_load_programme`), worth running the planner on."""
    largest = max(npm.managed, key=lambda key: dict(npm.staffing).get(key, 0))
    for key in npm.managed:
        body = bodies[key]
        places = [e for e in establishments if body in e.visiting_bodies.all()]
        if key == largest:
            # drawn from its own generator: the other bodies' visits stay as they were
            _load_programme(npm, random.Random(seed + 2000), body, places, today)
            continue
        for _n in range(12):
            _demo_visit(rng, body, places, today, today + dt.timedelta(days=rng.randint(-60, 240)))


def _demo_visit(rng, body, places, today, start) -> Visit:
    requires = {}
    if rng.random() < 0.4:
        requires["legal"] = 1
    if rng.random() < 0.4:
        requires["medical"] = 1
    return Visit.objects.create(
        body=body,
        establishment=rng.choice(places),
        start=start,
        end=start + dt.timedelta(days=rng.randint(0, 4)),
        type=rng.choice(list(VisitType.values)),
        status=VisitStatus.DONE if start < today else VisitStatus.PLANNED,
        team_size=rng.choice([2, 3, 3, 4]),
        requires=requires,
        min_women=rng.choice([0, 0, 1]),
        needs_lead=rng.random() < 0.7,
    )


#: the largest body's programme: visits per person over the coming months, and how far ahead
PROGRAMME_PER_PERSON = 2.5
PROGRAMME_DAYS = 210


def _load_programme(npm, rng, body, places, today) -> None:
    """A realistic programme for the coming months: a few hundred visits on working days,
    some already staffed in part (and a few fully), some joint with a partner body whose
    inspector is on the team. Members are added through `assignment_add`, so every team
    rule applies and whoever is refused is simply not added."""
    from armslength.screening.services import screen_register

    for _n in range(4):  # a few done in the last weeks
        _demo_visit(rng, body, places, today, today - dt.timedelta(days=rng.randint(7, 60)))
    staff = list(Person.objects.filter(body=body).prefetch_related("secondments"))
    count = int(PROGRAMME_PER_PERSON * len(staff))
    visitors = {e.pk: list(e.visiting_bodies.all()) for e in places}
    crews: dict[int, list[Person]] = {}
    screening = screen_register(today)
    for _n in range(count):
        start = today + dt.timedelta(days=rng.randint(1, PROGRAMME_DAYS))
        start -= dt.timedelta(days=max(0, start.weekday() - 4))  # no visit starts at a weekend
        visit = _demo_visit(rng, body, places, today, max(start, today + dt.timedelta(days=1)))
        roll = rng.random()
        partners = [b for b in visitors[visit.establishment_id] if b != body]
        if roll < 0.08 and partners:
            partner = rng.choice(partners)
            visit.partner_bodies.add(partner)
            if partner.pk not in crews:
                crews[partner.pk] = list(
                    Person.objects.filter(body=partner).prefetch_related("secondments")
                )
            _staff(rng, visit, crews[partner.pk], 1, screening)
        elif roll < 0.28:
            _staff(rng, visit, staff, rng.randint(1, visit.team_size - 1), screening)
        elif roll < 0.31:
            _staff(rng, visit, staff, visit.team_size, screening)


def _staff(rng, visit, people, wanted, screening) -> None:
    """Put up to `wanted` people on the visit's team, a lead first when it needs one.
    People the team rules or the engine would refuse are passed over before asking."""
    from armslength.engine import team
    from armslength.engine.verdicts import Verdict
    from armslength.visits.services import AssignmentRefused, assignment_add

    added = 0
    for person in rng.sample(people, k=min(len(people), 4 * wanted)):
        if added == wanted:
            return
        if not team.eligibility(person.post(), visit.start, visit.end).eligible:
            continue
        verdict = screening.for_pair(person.key, visit.establishment.key, visit.start, visit.end)
        if verdict.verdict >= Verdict.PREPARATION_ONLY:
            continue
        role = "lead" if visit.needs_lead and not added and person.can_lead else "member"
        try:
            assignment_add(visit=visit, person=person, role=role, screening=screening)
        except AssignmentRefused:
            continue
        added += 1


INTERFERENCE_KINDS = ["intimidation"] * 5 + ["hindrance"] * 3 + ["reprisal"] * 2 + ["other"]
INTERFERENCE_STEPS = [
    ("acknowledged", "Report acknowledged to the staff member; notes of the visit secured."),
    ("acted_on", "Raised in writing with the establishment's governor."),
    ("closed", "Governor's reply received; matter discussed with the staff member."),
]


def _load_interference(npm, rng, bodies, people, today) -> None:
    """Interference reports this year at the bodies with demo managers, at every stage of
    handling; a few escalated to the coordinator, one reporter agreeing to be named."""
    start = dt.date(today.year, 1, 1)
    managed = {bodies[key].pk for key in npm.managed}
    staff = [p for p in people if p.body_id in managed and p.is_current(today)]
    if not staff:
        return
    for n in range(24):
        day = start + dt.timedelta(days=rng.randint(0, (today - start).days))
        steps = INTERFERENCE_STEPS[: rng.choice([0, 1, 1, 2, 3, 3])]
        closed = bool(steps) and steps[-1][0] == "closed"
        activity = dt.datetime.combine(
            min(today, day + dt.timedelta(days=2 * len(steps))), dt.time(10), tzinfo=dt.UTC
        )
        report = InterferenceReport.objects.create(
            person=rng.choice(staff),
            date=day,
            kind=rng.choice(INTERFERENCE_KINDS),
            what="Told by an officer that the inspection would 'go badly' for them.",
            by_whom="An officer on the wing",
            status=steps[-1][0] if steps else "received",
            outcome=rng.choice(["resolved", "resolved", "referred", "not_substantiated"])
            if closed
            else "",
            name_may_be_shared=n == 3,
            escalated_at=activity if n % 6 == 3 else None,
            last_activity_at=activity,
        )
        for i, (status, text) in enumerate(steps):
            InterferenceAction.objects.create(
                report=report, date=day + dt.timedelta(days=2 * (i + 1)), text=text, status=status
            )


def _load_joint_visit(npm, bodies, establishments, today) -> None:
    """A joint visit led by the home body with another managed body, a place asked of
    the partner with a doctor (an NPM of one body has no joint visits)."""
    partners = [key for key in npm.managed if key != npm.home]
    if not partners:
        return
    lead, partner = bodies[npm.home], bodies[partners[0]]
    lead_places = [e for e in establishments if lead in e.visiting_bodies.all()]
    both = [e for e in lead_places if partner in e.visiting_bodies.all()]
    place = (both or lead_places)[0]
    visit = Visit.objects.create(
        body=lead,
        establishment=place,
        start=today + dt.timedelta(days=45),
        end=today + dt.timedelta(days=47),
        type=VisitType.ANNOUNCED,
        team_size=3,
        requires={"medical": 1},
        min_women=1,
    )
    visit.partner_bodies.set([partner])
    PlaceRequest.objects.create(visit=visit, body=partner, places=1, expertise="a doctor")


def _load_round(npm, body, today) -> None:
    """An annual declaration round at the home body, most people having answered."""
    from armslength.compliance.models import RoundResponse
    from armslength.compliance.services import declaration_round_open

    round_ = declaration_round_open(
        body=body,
        name=npm.words["round"].format(year=today.year),
        due_on=today + dt.timedelta(days=10),
    )
    for n, response in enumerate(RoundResponse.objects.filter(round=round_).order_by("pk")):
        if n % 5:
            response.responded_at = dt.datetime.combine(today, dt.time(9), tzinfo=dt.UTC)
            response.nil_return = n % 3 == 0
            response.save()


def _load_accounts(npm, bodies, people) -> list[DemoLogin]:
    logins: list[DemoLogin] = []

    def account(username, role, body=None, person=None, first="", last="", note=""):
        user = User(
            username=username,
            role=role,
            body=body,
            person=person,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.example",
            language=npm.language,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        if required(user):  # the demo comes enrolled; `armslength demo` prints the keys
            enrol(user)
        logins.append(
            DemoLogin(username, Role(role).label, body.abbreviation if body else "", note)
        )

    account(
        "coordinator",
        Role.COORDINATOR,
        first="Morgan",
        last="Coordinator",
        note="bodies, reference data, aggregate figures",
    )
    for key in npm.managed:
        body = bodies[key]
        account(
            f"manager.{key}",
            Role.MANAGER,
            body=body,
            first="Demo",
            last=f"Manager {body.abbreviation}",
            note="the body's register",
        )
    account(
        "auditor",
        Role.AUDITOR,
        first="Ada",
        last="Auditor",
        note="reads everything, writes nothing",
    )
    hmip = bodies[npm.home]
    staff = next(
        p for p in people if p.body_id == hmip.pk and p.category == "staff" and p.left is None
    )
    account(
        f"staff.{npm.home}",
        Role.STAFF,
        body=hmip,
        person=staff,
        first=staff.name.split()[0],
        last=staff.name.split()[-1],
        note=f"signs in as {staff.name}",
    )
    secondee = next(
        (p for p in people if p.body_id == hmip.pk and p.category == "secondee" and p.left is None),
        None,
    )
    if secondee:
        account(
            f"secondee.{npm.home}",
            Role.STAFF,
            body=hmip,
            person=secondee,
            first=secondee.name.split()[0],
            last=secondee.name.split()[-1],
            note=f"signs in as {secondee.name} (a secondee)",
        )
    return logins
