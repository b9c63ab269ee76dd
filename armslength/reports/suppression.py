"""Small-number suppression for figures about special-category data.

Gender and minority status are about the people counted; in a small body a
count of 1 to 4 (or 0) can tell a reader who is who. So in those tables any
count under `THRESHOLD` is shown as "fewer than 5" (primary suppression), and
when that leaves a single hidden cell that the total would give away, the next
smallest cell is hidden too (secondary suppression). Shares derived from a
hidden count are hidden with it. Storage keeps raw counts (snapshots add up
across bodies); only what is shown is suppressed.
"""

from __future__ import annotations

THRESHOLD = 5
RULE = (
    f"Figures about gender and minority status that count fewer than {THRESHOLD} people "
    f'are shown as "fewer than {THRESHOLD}", and where one hidden figure could be worked '
    "out from the total, the next smallest figure is hidden as well."
)


class Suppressed:
    """A count that is not shown; it prints as the words the report uses."""

    def __str__(self) -> str:
        return f"fewer than {THRESHOLD}"

    def __repr__(self) -> str:
        return "Suppressed()"

    def __eq__(self, other) -> bool:
        return isinstance(other, Suppressed)

    def __hash__(self) -> int:
        return hash(Suppressed)


HIDDEN = Suppressed()


def suppress(counts: dict[str, int]) -> dict[str, int | Suppressed]:
    """The counts as they may be shown: every small one hidden, and never exactly one."""
    hidden = {k for k, n in counts.items() if n < THRESHOLD}
    if len(hidden) == 1 and len(counts) > 1:
        visible = sorted((n, k) for k, n in counts.items() if k not in hidden)
        hidden.add(visible[0][1])
    return {k: HIDDEN if k in hidden else n for k, n in counts.items()}


def share(count: int | Suppressed, total: int) -> float | Suppressed | None:
    if isinstance(count, Suppressed):
        return HIDDEN
    return count / total if total else None
