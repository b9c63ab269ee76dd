"""Small dataset documents for engine tests, built in the dataset format itself.

`base()` is a world with two HMPPS prisons (one via a parent organisation), a
private prison, an NGO and a law centre, and no people; tests add the people
and facts their story needs.
"""

from __future__ import annotations

import copy

AS_OF = "2027-01-15"

BASE = {
    "format": "armslength.dataset/1",
    "as_of": AS_OF,
    "bodies": [
        {"id": "hmip", "name": "HM Inspectorate of Prisons"},
        {"id": "cqc", "name": "Care Quality Commission"},
    ],
    "organisations": [
        {"id": "moj", "name": "Ministry of Justice", "sector": "executive"},
        {
            "id": "hmpps",
            "name": "HM Prison and Probation Service",
            "parent": "moj",
            "sector": "executive",
        },
        {"id": "private-co", "name": "Custodial Services Ltd", "sector": "private_operator"},
        {"id": "trust", "name": "Westshire Health Trust", "sector": "health"},
        {"id": "ngo", "name": "Prison Reform Network", "sector": "ngo"},
        {"id": "police", "name": "Northshire Police", "sector": "law_enforcement"},
    ],
    "establishments": [
        {"id": "north", "name": "HMP Northbridge", "type": "prison", "operator": "hmpps"},
        {"id": "south", "name": "HMP Southgate", "type": "prison", "operator": "hmpps"},
        {"id": "east", "name": "HMP Eastmoor", "type": "prison", "operator": "private-co"},
        {"id": "yoi", "name": "Moorside YOI", "type": "youth_custody", "operator": "moj"},
        {
            "id": "hosp",
            "name": "Westshire Secure Unit",
            "type": "secure_hospital",
            "operator": "trust",
        },
        {
            "id": "nowhere",
            "name": "Unknown Custody Suite",
            "type": "police_custody",
            "operator": None,
        },
    ],
    "people": [],
    "secondments": [],
    "affiliations": [],
    "assessments": [],
    "supervisions": [],
    "acknowledgements": [],
    "visits": [],
}


def base(**overrides) -> dict:
    doc = copy.deepcopy(BASE)
    doc.update(overrides)
    return doc


def person(pid: str, **fields) -> dict:
    record = {
        "id": pid,
        "name": pid.title(),
        "body": "hmip",
        "category": "staff",
        "npm_role": "frontline",
        "expertise": ["legal", "medical"],
        "gender": "female",
        "leadership": False,
        "full_time_npm": True,
        "reports_to_origin": False,
        "left": None,
        "term": None,
    }
    record.update(fields)
    return record


def secondee(pid: str = "sam", **secondment) -> tuple[dict, dict]:
    s = {
        "person": pid,
        "origin": "hmpps",
        "origin_establishment": "north",
        "return_establishment": "south",
        "start": "2026-01-05",
        "end": "2028-01-04",
        "recruitment": {
            "open_process": True,
            "published_criteria": True,
            "justification": "Expertise not found elsewhere",
        },
    }
    s.update(secondment)
    return person(pid, category="secondee", gender="male"), s


def with_secondee(doc: dict | None = None, pid: str = "sam", **secondment) -> dict:
    doc = doc or base()
    p, s = secondee(pid, **secondment)
    doc["people"].append(p)
    doc["secondments"].append(s)
    return doc


def query(doc: dict, pid: str, est: str | None = None, visit: str | None = None) -> dict:
    doc.setdefault("queries", []).append(
        {"person": pid, "establishment": est} if est else {"person": pid, "visit": visit}
    )
    return doc
