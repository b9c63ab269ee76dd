"""Random small planning problems in the spec's format (hypothesis)."""

from __future__ import annotations

from hypothesis import strategies as st

REGIONS = ["north", "south", "east"]
TRAVEL = {
    a: {b: (0 if a == b else 2 + i + j) for j, b in enumerate(REGIONS)}
    for i, a in enumerate(REGIONS)
}


@st.composite
def small_problem(draw, max_people: int = 8, max_visits: int = 6) -> dict:
    n_people = draw(st.integers(2, max_people))
    n_visits = draw(st.integers(1, max_visits))
    people = []
    for i in range(n_people):
        person = {
            "id": f"p{i}",
            "body": "HMIP",
            "category": draw(st.sampled_from(["staff", "staff", "member", "secondee"])),
            "expertise": draw(
                st.lists(
                    st.sampled_from(["legal", "medical", "psychology"]), max_size=2, unique=True
                )
            ),
            "gender": draw(st.sampled_from(["female", "male", "other"])),
            "region": draw(st.sampled_from(REGIONS)),
            "can_lead": draw(st.booleans()),
        }
        if draw(st.booleans()):
            person["max_visits"] = draw(st.integers(0, 3))
        if draw(st.booleans()):
            person["max_days"] = draw(st.integers(1, 8))
        if draw(st.integers(0, 4)) == 0:
            start = draw(st.integers(1, 20))
            person["unavailable"] = [
                {
                    "start": f"2027-03-{start:02d}",
                    "end": f"2027-03-{start + draw(st.integers(0, 4)):02d}",
                }
            ]
        people.append(person)
    visits = []
    for i in range(n_visits):
        start = draw(st.integers(1, 20))
        visits.append(
            {
                "id": f"v{i}",
                "establishment": f"e{draw(st.integers(0, 3))}",
                "region": draw(st.sampled_from(REGIONS)),
                "start": f"2027-03-{start:02d}",
                "end": f"2027-03-{start + draw(st.integers(0, 3)):02d}",
                "team_size": draw(st.integers(1, 3)),
                "requires": draw(
                    st.dictionaries(
                        st.sampled_from(["legal", "medical"]), st.integers(0, 1), max_size=2
                    )
                ),
                "min_women": draw(st.integers(0, 1)),
                "needs_lead": draw(st.booleans()),
            }
        )
    conflicts = []
    for _ in range(draw(st.integers(0, 4))):
        entry = {
            "person": f"p{draw(st.integers(0, n_people - 1))}",
            "verdict": draw(
                st.sampled_from(["block", "preparation_only", "restricted", "declared"])
            ),
        }
        if draw(st.booleans()):
            entry["visit"] = f"v{draw(st.integers(0, n_visits - 1))}"
        else:
            entry["establishment"] = f"e{draw(st.integers(0, 3))}"
        conflicts.append(entry)
    return {
        "format": "armslength.plan-problem/1",
        "horizon": {"start": "2027-01-01", "end": "2027-12-31"},
        "travel": TRAVEL,
        "people": people,
        "visits": visits,
        "conflicts": conflicts,
    }
