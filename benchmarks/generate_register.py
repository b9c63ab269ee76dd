"""Generate a national register in the dataset format, for benchmarks.

Deterministic for a seed. Sizes default to the conflict-engine issue's
national register: 25 bodies, 20,000 people, 3,000 establishments, 60,000
affiliations, 2,000 secondments. Shaped like the UK: a few large public
operators (each running a hundred or more places, under parent departments),
many small private and health operators, people who mostly declare past
employment and ties at single establishments.

    python benchmarks/generate_register.py --out /tmp/national.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys

AS_OF = dt.date(2027, 1, 15)
SECTORS_PUBLIC = ["executive", "criminal_justice", "law_enforcement", "health"]
KIND_WEIGHTS = {
    "employment": 30,
    "position": 8,
    "family": 10,
    "friendship": 10,
    "client": 6,
    "ngo_role": 6,
    "political": 3,
    "financial": 7,
    "other_employment": 8,
}
TYPES = [
    "prison",
    "police_custody",
    "immigration_removal_centre",
    "mental_health_detention",
    "secure_childrens_home",
    "young_offender_institution",
    "court_custody",
]


def day(rng: random.Random, lo: int, hi: int) -> str:
    return (AS_OF + dt.timedelta(days=rng.randint(lo, hi))).isoformat()


def generate(
    seed: int = 1,
    bodies: int = 25,
    people: int = 20_000,
    establishments: int = 3_000,
    affiliations: int = 60_000,
    secondments: int = 2_000,
    organisations: int = 300,
) -> dict:
    rng = random.Random(seed)
    body_ids = [f"b{i:02d}" for i in range(bodies)]
    orgs = []
    departments = [f"dept{i}" for i in range(5)]
    for i, d in enumerate(departments):
        orgs.append({"id": d, "name": f"Department {i}", "sector": "executive"})
    big = [f"agency{i}" for i in range(10)]
    for i, a in enumerate(big):
        orgs.append(
            {
                "id": a,
                "name": f"Public Agency {i}",
                "parent": departments[i % 5],
                "sector": rng.choice(SECTORS_PUBLIC),
            }
        )
    small = [f"org{i}" for i in range(organisations - len(orgs))]
    for i, o in enumerate(small):
        orgs.append(
            {
                "id": o,
                "name": f"Operator {i}",
                "sector": rng.choice(
                    ["private_operator", "health", "ngo", "legal", "other", "law_enforcement"]
                ),
            }
        )
    ests = []
    for i in range(establishments):
        operator = rng.choice(big) if rng.random() < 0.45 else rng.choice(small)
        if rng.random() < 0.01:
            operator = None
        ests.append(
            {
                "id": f"e{i:04d}",
                "name": f"Establishment {i}",
                "type": rng.choice(TYPES),
                "operator": operator,
                "region": f"r{rng.randint(0, 11)}",
            }
        )
    est_ids = [e["id"] for e in ests]
    org_ids = [o["id"] for o in orgs]
    persons = []
    for i in range(people):
        category = rng.choices(["staff", "member", "secondee", "external_expert"], [75, 10, 8, 7])[
            0
        ]
        persons.append(
            {
                "id": f"p{i:05d}",
                "name": f"Person {i}",
                "body": rng.choice(body_ids),
                "category": category,
                "npm_role": rng.choice(["frontline", "frontline", "support", "non_npm", None]),
                "expertise": rng.sample(
                    ["legal", "medical", "detention", "psychology", "policing"], k=rng.randint(1, 2)
                ),
                "gender": rng.choice(["female", "female", "male", "male", "other", "undisclosed"]),
                "leadership": rng.random() < 0.05,
                "full_time_npm": rng.random() < 0.85,
                "reports_to_origin": rng.random() < 0.02,
                "left": day(rng, -900, -1) if rng.random() < 0.05 else None,
                "term": {"start": day(rng, -1500, -100), "end": day(rng, 0, 1500)}
                if category == "member"
                else None,
            }
        )
    secondees = [p["id"] for p in persons if p["category"] == "secondee"]
    seconds = []
    for i in range(secondments):
        pid = secondees[i % len(secondees)] if secondees else persons[i]["id"]
        origin = rng.choice(big + small[:40])
        start = day(rng, -1200, -10)
        seconds.append(
            {
                "person": pid,
                "origin": origin if rng.random() > 0.005 else None,
                "origin_establishment": rng.choice(est_ids),
                "return_establishment": rng.choice(est_ids) if rng.random() < 0.7 else None,
                "start": start,
                "end": (
                    dt.date.fromisoformat(start) + dt.timedelta(days=rng.randint(200, 1100))
                ).isoformat(),
                "recruitment": {
                    "open_process": rng.random() < 0.9,
                    "published_criteria": rng.random() < 0.9,
                    "justification": "Expertise not available elsewhere"
                    if rng.random() < 0.85
                    else "",
                },
            }
        )
    kinds = list(KIND_WEIGHTS)
    weights = list(KIND_WEIGHTS.values())
    affs = []
    for _ in range(affiliations):
        kind = rng.choices(kinds, weights)[0]
        record = {
            "person": f"p{rng.randrange(people):05d}",
            "kind": kind,
            "role": "officer",
            "detail": "a named person",
        }
        # Ties and client/NGO roles name a place; employment sometimes an organisation.
        if (
            kind in ("employment", "position", "other_employment", "political", "financial")
            and rng.random() < 0.25
        ):
            record["organisation"] = (
                rng.choice(small) if rng.random() < 0.8 else rng.choice(org_ids)
            )
        else:
            record["establishment"] = rng.choice(est_ids)
        if kind in ("family", "friendship", "client"):
            record["with_role"] = rng.choice(["authority", "staff", "detainee"])
        if rng.random() < 0.7:  # most declared interests are in the past
            record["start"] = day(rng, -5000, -2000)
            record["end"] = day(rng, -1999, -30)
        else:
            record["start"] = day(rng, -3000, -1)
            record["on_leave"] = kind == "position" and rng.random() < 0.3
        affs.append(record)
    assessments = []
    for s in seconds:
        if rng.random() < 0.8:
            done = rng.randint(-400, -31)
            assessments.append(
                {
                    "person": s["person"],
                    "date": day(rng, done, done),
                    "cleared_organisations": [s["origin"]]
                    if s["origin"] and rng.random() < 0.3
                    else [],
                    "next_review": day(rng, -30, 300),
                }
            )
    return {
        "format": "armslength.dataset/1",
        "as_of": AS_OF.isoformat(),
        "bodies": [{"id": b, "name": f"Body {b}"} for b in body_ids],
        "organisations": orgs,
        "establishments": ests,
        "people": persons,
        "secondments": seconds,
        "affiliations": affs,
        "assessments": assessments,
        "supervisions": [
            {"person": s["person"], "date": day(rng, -200, -1)}
            for s in seconds
            if rng.random() < 0.7
        ],
        "acknowledgements": [
            {"person": s["person"], "kind": "independence", "date": day(rng, -1000, -1)}
            for s in seconds
            if rng.random() < 0.8
        ],
        "visits": [],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--establishments", type=int, default=3_000)
    parser.add_argument("--affiliations", type=int, default=60_000)
    parser.add_argument("--secondments", type=int, default=2_000)
    args = parser.parse_args()
    doc = generate(
        args.seed,
        people=args.people,
        establishments=args.establishments,
        affiliations=args.affiliations,
        secondments=args.secondments,
    )
    with open(args.out, "w") as handle:
        json.dump(doc, handle)
    print(
        f"wrote {args.out}: {len(doc['people'])} people, {len(doc['establishments'])} "
        f"establishments, {len(doc['affiliations'])} affiliations, "
        f"{len(doc['secondments'])} secondments",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
