"""Generate realistic team-planning problems in the spec's format (armslength.plan-problem/1).

A body's year (default): 600 people and 2,500 visits of 1-5 days over 12
months, teams of 2-6, legal and medical expertise each held by about a fifth
of people, secondees about 7 % and blocked at 1-3 places, workload limits set
so that demand is about 80 % of capacity, and a few visits no team could
staff. `--national` gives 4,000 people and 20,000 visits.

    python benchmarks/generate_plan_problem.py --out /tmp/body.json [--national] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random

REGIONS = [f"r{i}" for i in range(8)]
START = dt.date(2027, 1, 1)


def travel_matrix(rng: random.Random) -> dict:
    spots = {r: (rng.uniform(0, 10), rng.uniform(0, 10)) for r in REGIONS}
    return {
        a: {
            b: 0
            if a == b
            else 1
            + round(((spots[a][0] - spots[b][0]) ** 2 + (spots[a][1] - spots[b][1]) ** 2) ** 0.5)
            for b in REGIONS
        }
        for a in REGIONS
    }


def generate(
    seed: int = 1,
    people: int = 600,
    visits: int = 2500,
    establishments: int = 300,
    impossible: int = 5,
    load: float = 0.8,
) -> dict:
    rng = random.Random(seed)
    ests = [(f"e{i}", rng.choice(REGIONS)) for i in range(establishments)]
    visit_list = []
    for i in range(visits):
        est, region = rng.choice(ests)
        days = rng.choice([1, 1, 2, 2, 3, 3, 4, 5])
        start = START + dt.timedelta(days=rng.randint(0, 364 - days))
        size = rng.choice([2, 3, 3, 4, 4, 5, 6])
        requires = {}
        if rng.random() < 0.4:
            requires["legal"] = 1
        if rng.random() < 0.4:
            requires["medical"] = 1
        visit = {
            "id": f"v{i}",
            "establishment": est,
            "region": region,
            "start": start.isoformat(),
            "end": (start + dt.timedelta(days=days - 1)).isoformat(),
            "team_size": size,
            "requires": requires,
            "min_women": rng.choice([0, 0, 0, 0, 1, 2]) if size >= 3 else 0,
            "needs_lead": rng.random() < 0.7,
        }
        visit_list.append(visit)
    for visit in rng.sample(visit_list, impossible):  # nobody holds this expertise
        visit["requires"] = {"forensic_odontology": 1}
    demand_days = sum(
        v["team_size"] * (dt.date.fromisoformat(v["end"]) - dt.date.fromisoformat(v["start"])).days
        + v["team_size"]
        for v in visit_list
    )
    demand_visits = sum(v["team_size"] for v in visit_list)
    max_days = round(demand_days / load / people)
    max_visits = round(demand_visits / load / people)
    person_list, conflicts = [], []
    for i in range(people):
        secondee = rng.random() < 0.07
        expertise = [
            tag
            for tag, share in (
                ("legal", 0.2),
                ("medical", 0.2),
                ("psychology", 0.1),
                ("detention", 0.3),
            )
            if rng.random() < share
        ]
        unavailable = []
        for _ in range(rng.randint(1, 3)):
            a = START + dt.timedelta(days=rng.randint(0, 350))
            unavailable.append(
                {
                    "start": a.isoformat(),
                    "end": (a + dt.timedelta(days=rng.randint(3, 10))).isoformat(),
                }
            )
        person = {
            "id": f"p{i}",
            "body": "HMIP",
            "category": "secondee"
            if secondee
            else rng.choice(["staff", "staff", "staff", "member", "external_expert"]),
            "expertise": expertise,
            "gender": rng.choice(["female", "female", "male", "male", "other"]),
            "region": rng.choice(REGIONS),
            "max_visits": max_visits,
            "max_days": max_days,
            "unavailable": unavailable,
            "can_lead": not secondee and rng.random() < 0.3,
        }
        person_list.append(person)
        if secondee:
            for est, _region in rng.sample(ests, rng.randint(1, 3)):
                conflicts.append({"person": person["id"], "establishment": est, "verdict": "block"})
        for _ in range(rng.choice([0, 0, 0, 1, 2])):
            est, _region = rng.choice(ests)
            conflicts.append(
                {
                    "person": person["id"],
                    "establishment": est,
                    "verdict": rng.choice(["preparation_only", "restricted", "declared"]),
                }
            )
    return {
        "format": "armslength.plan-problem/1",
        "horizon": {"start": START.isoformat(), "end": "2027-12-31"},
        "travel": travel_matrix(rng),
        "people": person_list,
        "visits": visit_list,
        "conflicts": conflicts,
    }


def national(seed: int = 1) -> dict:
    return generate(seed, people=4000, visits=20000, establishments=2400, impossible=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--national", action="store_true")
    args = parser.parse_args()
    doc = national(args.seed) if args.national else generate(args.seed)
    with open(args.out, "w") as handle:
        json.dump(doc, handle)


if __name__ == "__main__":
    main()
