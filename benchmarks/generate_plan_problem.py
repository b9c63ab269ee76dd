"""Generate realistic team-planning problems in the spec's format (armslength.plan-problem/1).

The generator has knobs (`Knobs`) and named families, each a different shape
of a real body's year (issue 15): balanced, scarce leads, many expertises,
heavy leave, tight, seasonal, conflict-dense and regional, plus the national
size. A body's year is 600 people and 2,500 visits of 1-5 days over 12 months;
`--national` is 4,000 people and 20,000 visits. `scale` shrinks a family
keeping its shape, for fast tests.

    python benchmarks/generate_plan_problem.py --out /tmp/body.json [--family tight] [--seed 1]
    python benchmarks/generate_plan_problem.py --out /tmp/nat.json --national
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random

#: bump when any family's output changes: benchmark caches are keyed on it
GENERATOR_VERSION = 2
START = dt.date(2027, 1, 1)
DAYS = 365
PLAIN_REGIONS = [f"r{i}" for i in range(8)]
# UK-like regions: rough map positions (hundreds of km) for distance-based travel costs.
UK_REGIONS = {
    "scotland-north": (2.5, 9.0),
    "scotland-central": (2.6, 7.3),
    "north-east": (4.0, 6.0),
    "north-west": (3.1, 5.0),
    "yorkshire": (4.1, 4.9),
    "northern-ireland": (0.5, 6.2),
    "wales": (2.6, 3.1),
    "west-midlands": (3.4, 3.4),
    "east-midlands": (4.2, 3.6),
    "east": (5.3, 3.0),
    "london": (4.8, 2.2),
    "south-east": (5.0, 1.6),
    "south-west": (2.4, 1.4),
}
# Where people live in the regional family: uneven, London and the south-east heavy.
UK_HOMES = {
    "london": 0.30,
    "south-east": 0.15,
    "north-west": 0.12,
    "west-midlands": 0.09,
    "yorkshire": 0.08,
    "scotland-central": 0.07,
    "east": 0.05,
    "east-midlands": 0.04,
    "south-west": 0.04,
    "wales": 0.03,
    "north-east": 0.02,
    "northern-ireland": 0.005,
    "scotland-north": 0.005,
}
BASIC_EXPERTISE = (("legal", 0.2), ("medical", 0.2), ("psychology", 0.1), ("detention", 0.3))
MANY_EXPERTISE = (
    ("legal", 0.14),
    ("medical", 0.12),
    ("psychology", 0.1),
    ("detention", 0.25),
    ("children", 0.08),
    ("mental_health", 0.09),
    ("immigration", 0.06),
    ("healthcare_inspection", 0.08),
    ("social_care", 0.1),
    ("disability", 0.06),
    ("interpreting", 0.05),
    ("data_analysis", 0.07),
)


@dataclasses.dataclass(frozen=True)
class Knobs:
    people: int = 600
    visits: int = 2500
    establishments: int = 300
    impossible: int = 5  # visits needing an expertise nobody holds
    load: float = 0.8  # demand / capacity from the workload limits
    lead_share: float = 0.3  # people who may lead (secondees never do)
    needs_lead_share: float = 0.7
    expertise: tuple = BASIC_EXPERTISE
    #: probability that a visit requires 0, 1, 2, 3 different expertises
    requires_count: tuple = (0.36, 0.48, 0.16, 0.0)
    require_from: int = 2  # requirements are drawn from the first N expertises
    leave_share: float = 0.04  # share of working days unavailable, in blocks
    training_tag: str | None = None  # a training window takes this whole expertise away
    peak_share: float = 0.0  # share of visits bunched into peak weeks
    peaks: tuple = ()  # day offsets of the peak weeks
    conflict_share: float = 0.0  # extra share of person-visit pairs not clear
    regions: str = "plain"  # "plain" (8 random regions) or "uk"
    travel_scale: int = 1  # travel cost per unit of distance
    uneven_homes: bool = False

    def scaled(self, scale: float) -> Knobs:
        if scale == 1:
            return self
        return dataclasses.replace(
            self,
            people=max(6, round(self.people * scale)),
            visits=max(4, round(self.visits * scale)),
            establishments=max(2, round(self.establishments * scale)),
            impossible=min(max(1, round(self.impossible * scale)), self.impossible),
        )


FAMILIES: dict[str, Knobs] = {
    "balanced": Knobs(),
    "scarce_leads": Knobs(lead_share=0.15, needs_lead_share=0.7),
    "many_expertises": Knobs(
        expertise=MANY_EXPERTISE, requires_count=(0.25, 0.4, 0.25, 0.1), require_from=12
    ),
    "heavy_leave": Knobs(leave_share=0.2, training_tag="medical"),
    "tight": Knobs(load=0.96),
    "seasonal": Knobs(peak_share=0.5, peaks=(60, 95, 250, 285, 320)),
    "conflict_dense": Knobs(conflict_share=0.05),
    "regional": Knobs(regions="uk", travel_scale=3, uneven_homes=True),
}
NATIONAL = Knobs(people=4000, visits=20000, establishments=2400, impossible=20)


def travel_matrix(rng: random.Random, knobs: Knobs) -> tuple[list[str], dict]:
    if knobs.regions == "uk":
        spots = dict(UK_REGIONS)
    else:
        spots = {r: (rng.uniform(0, 10), rng.uniform(0, 10)) for r in PLAIN_REGIONS}
    names = list(spots)
    matrix = {
        a: {
            b: 0
            if a == b
            else knobs.travel_scale
            * (
                1
                + round(
                    ((spots[a][0] - spots[b][0]) ** 2 + (spots[a][1] - spots[b][1]) ** 2) ** 0.5
                )
            )
            for b in names
        }
        for a in names
    }
    return names, matrix


def _visit_start(rng: random.Random, knobs: Knobs, days: int) -> int:
    if knobs.peaks and rng.random() < knobs.peak_share:
        return min(DAYS - days, rng.choice(knobs.peaks) + rng.randint(0, 13))
    return rng.randint(0, DAYS - days)


def _visits(rng: random.Random, knobs: Knobs, ests: list[tuple[str, str]]) -> list[dict]:
    tags = [tag for tag, _ in knobs.expertise][: knobs.require_from]
    visit_list = []
    for i in range(knobs.visits):
        est, region = rng.choice(ests)
        days = rng.choice([1, 1, 2, 2, 3, 3, 4, 5])
        start = START + dt.timedelta(days=_visit_start(rng, knobs, days))
        size = rng.choice([2, 3, 3, 4, 4, 5, 6])
        count = rng.choices(range(4), weights=knobs.requires_count)[0]
        requires = {tag: 1 for tag in rng.sample(tags, min(count, len(tags), size))}
        visit_list.append(
            {
                "id": f"v{i}",
                "establishment": est,
                "region": region,
                "start": start.isoformat(),
                "end": (start + dt.timedelta(days=days - 1)).isoformat(),
                "team_size": size,
                "requires": requires,
                "min_women": rng.choice([0, 0, 0, 0, 1, 2]) if size >= 3 else 0,
                "needs_lead": rng.random() < knobs.needs_lead_share,
            }
        )
    for visit in rng.sample(visit_list, knobs.impossible):  # nobody holds this expertise
        visit["requires"] = {"forensic_odontology": 1}
    return visit_list


def _leave(rng: random.Random, knobs: Knobs, training: tuple[int, int] | None, tags) -> list:
    """Blocks of leave adding up to about `leave_share` of the year, plus any training."""
    blocks = []
    target = max(3, round(knobs.leave_share * DAYS))
    taken = 0
    while taken < target:
        length = min(target - taken, rng.randint(3, 14)) if target - taken >= 3 else 3
        a = rng.randint(0, DAYS - length)
        blocks.append((a, a + length - 1))
        taken += length
    if training and knobs.training_tag in tags:
        blocks.append(training)
    return [
        {
            "start": (START + dt.timedelta(days=a)).isoformat(),
            "end": (START + dt.timedelta(days=b)).isoformat(),
        }
        for a, b in blocks
    ]


def _home(rng: random.Random, knobs: Knobs, regions: list[str]) -> str:
    if knobs.uneven_homes and knobs.regions == "uk":
        return rng.choices(list(UK_HOMES), weights=list(UK_HOMES.values()))[0]
    return rng.choice(regions)


def generate_family(knobs: Knobs, seed: int = 1) -> dict:
    rng = random.Random(seed)
    regions, travel = travel_matrix(rng, knobs)
    ests = [(f"e{i}", rng.choice(regions)) for i in range(knobs.establishments)]
    visit_list = _visits(rng, knobs, ests)
    demand_days = sum(
        v["team_size"]
        * ((dt.date.fromisoformat(v["end"]) - dt.date.fromisoformat(v["start"])).days + 1)
        for v in visit_list
    )
    demand_visits = sum(v["team_size"] for v in visit_list)
    max_days = max(1, round(demand_days / knobs.load / knobs.people))
    max_visits = max(1, round(demand_visits / knobs.load / knobs.people))
    training = None
    if knobs.training_tag:
        a = rng.randint(100, 250)
        training = (a, a + 13)
    person_list, conflicts = [], []
    for i in range(knobs.people):
        secondee = rng.random() < 0.07
        expertise = [tag for tag, share in knobs.expertise if rng.random() < share]
        person = {
            "id": f"p{i}",
            "body": "HMIP",
            "category": "secondee"
            if secondee
            else rng.choice(["staff", "staff", "staff", "member", "external_expert"]),
            "expertise": expertise,
            "gender": rng.choice(["female", "female", "male", "male", "other"]),
            "region": _home(rng, knobs, regions),
            "max_visits": max_visits,
            "max_days": max_days,
            "unavailable": _leave(rng, knobs, training, expertise),
            "can_lead": not secondee and rng.random() < knobs.lead_share,
        }
        person_list.append(person)
        if secondee:
            for est, _region in rng.sample(ests, min(len(ests), rng.randint(1, 3))):
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
    conflicts += _dense_conflicts(rng, knobs, person_list, visit_list, ests)
    return {
        "format": "armslength.plan-problem/1",
        "horizon": {
            "start": START.isoformat(),
            "end": (START + dt.timedelta(DAYS - 1)).isoformat(),
        },
        "travel": travel,
        "people": person_list,
        "visits": visit_list,
        "conflicts": conflicts,
    }


VERDICT_MIX = ["block", "preparation_only", "restricted", "restricted", "declared", "declared"]


def _dense_conflicts(rng, knobs: Knobs, people, visits, ests) -> list[dict]:
    """About `conflict_share` of person-visit pairs not clear: two fifths through
    establishment entries (every visit there), the rest per visit; every verdict."""
    if not knobs.conflict_share:
        return []
    out = []
    per_est = round(0.4 * knobs.conflict_share * len(people) * len(ests))
    for _ in range(per_est):
        out.append(
            {
                "person": rng.choice(people)["id"],
                "establishment": rng.choice(ests)[0],
                "verdict": rng.choice(VERDICT_MIX),
            }
        )
    per_visit = round(0.6 * knobs.conflict_share * len(people) * len(visits))
    for _ in range(per_visit):
        out.append(
            {
                "person": rng.choice(people)["id"],
                "visit": rng.choice(visits)["id"],
                "verdict": rng.choice(VERDICT_MIX),
            }
        )
    return out


def family(name: str, seed: int = 1, scale: float = 1.0) -> dict:
    """A named family's problem; `scale` < 1 keeps its shape at a smaller size."""
    knobs = NATIONAL if name == "national" else FAMILIES[name]
    return generate_family(knobs.scaled(scale), seed)


def generate(
    seed: int = 1,
    people: int = 600,
    visits: int = 2500,
    establishments: int = 300,
    impossible: int = 5,
    load: float = 0.8,
) -> dict:
    """The balanced family with its sizes as arguments (kept for existing callers)."""
    knobs = dataclasses.replace(
        FAMILIES["balanced"],
        people=people,
        visits=visits,
        establishments=establishments,
        impossible=impossible,
        load=load,
    )
    return generate_family(knobs, seed)


def national(seed: int = 1) -> dict:
    return family("national", seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--family", choices=sorted(FAMILIES), default="balanced")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--national", action="store_true")
    args = parser.parse_args()
    name = "national" if args.national else args.family
    with open(args.out, "w") as handle:
        json.dump(family(name, args.seed, args.scale), handle)


if __name__ == "__main__":
    main()
