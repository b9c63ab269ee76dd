"""Taking and correcting snapshots: the only writes the annual report makes."""

from __future__ import annotations

import datetime as dt
from contextlib import nullcontext

from auditlog.context import set_actor
from django.db import transaction
from django.utils import timezone

from armslength.register.models import Body
from armslength.reports.figures import FIGURES_VERSION, Period, collect
from armslength.reports.models import Snapshot, SnapshotSource


class SnapshotExists(Exception):
    """A year already frozen is re-taken only when asked to (and then audited)."""

    def __init__(self, snapshots: list[Snapshot]):
        self.snapshots = snapshots
        names = ", ".join(s.body.abbreviation for s in snapshots)
        if len(snapshots) > 5:
            names = f"{len(snapshots)} bodies"
        super().__init__(
            f"{snapshots[0].year} is already frozen for {names}; re-take it on purpose "
            "(--retake, or the re-take button) to replace the figures."
        )


@transaction.atomic
def snapshot_take(
    *,
    year: int,
    bodies: list[Body] | None = None,
    user=None,
    retake: bool = False,
    today: dt.date | None = None,
) -> list[Snapshot]:
    """Freeze `year` for the given bodies (all by default), all of them or none.

    Replacing an existing snapshot changes a published figure, so it must be
    asked for; the audit log keeps the figures it replaced.
    """
    today = today or timezone.localdate()
    if year > today.year:
        raise ValueError(f"{year} has not begun yet; nothing to freeze.")
    bodies = list(bodies) if bodies is not None else list(Body.objects.order_by("abbreviation"))
    existing = list(
        Snapshot.objects.select_for_update()
        .filter(year=year, body__in=bodies)
        .select_related("body")
    )
    if existing and not retake:
        raise SnapshotExists(existing)
    figures = collect(year, today=today, body_ids=[b.pk for b in bodies])
    period = Period.of(year, today)
    taken = []
    with set_actor(user) if user else nullcontext():
        for body in bodies:
            snap, _ = Snapshot.objects.update_or_create(
                body=body,
                year=year,
                defaults={
                    "as_of": period.as_of,
                    "figures": figures[body.pk],
                    "source": SnapshotSource.COMPUTED,
                    "taken_by": user,
                    "note": "re-taken" if any(e.body_id == body.pk for e in existing) else "",
                },
            )
            taken.append(snap)
    return taken


def manual_figures(
    *,
    year: int,
    by_category: dict[str, tuple[int, float]],
    visits: int | None,
    visit_days: int | None,
) -> dict:
    """The figures a body can give for a year before it used armslength."""
    headcount = sum(h for h, _ in by_category.values())
    fte = round(sum(f for _, f in by_category.values()), 2)
    secondees = by_category.get("secondee", (0, 0.0))
    figures = {
        "version": FIGURES_VERSION,
        "as_of": dt.date(year, 12, 31).isoformat(),
        "people": {
            "headcount": headcount,
            "fte": fte,
            "by_category": {
                k: {"headcount": h, "fte": round(f, 2)} for k, (h, f) in by_category.items() if h
            },
        },
        "secondees": {"headcount": secondees[0], "fte": round(secondees[1], 2)},
    }
    if visits is not None:
        figures["visits"] = {"count": visits, "days": visit_days or 0}
    return figures
