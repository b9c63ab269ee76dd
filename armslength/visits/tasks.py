"""Background work: the team planner runs on the task queue (`armslength db_worker`)."""

from __future__ import annotations

import time

from django.utils import timezone
from django_tasks import task

from armslength.planner.problem import load_problem
from armslength.planner.solve import make_plan
from armslength.visits.models import PlanningRun, RunStatus

#: the bar while the planner runs: 100 % only once the plan is written, since the last
#: part (repair, fill, reasons) runs after the search's time is up
RUNNING_AT_MOST = 0.95


def progress_recorder(run_id: int):
    """The planner's progress callback for a run: objective, bound and the bar's fraction,
    written at most twice a second (the page polls it)."""
    last = [0.0]

    def progress(objective: int, bound: int, fraction: float) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.5 or fraction >= 1:
            last[0] = now
            PlanningRun.objects.filter(pk=run_id).update(
                objective=objective, bound=bound, progress=min(fraction, RUNNING_AT_MOST)
            )

    return progress


@task()
def run_planner(run_id: int) -> None:
    run = PlanningRun.objects.get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return
    PlanningRun.objects.filter(pk=run_id).update(status=RunStatus.RUNNING)
    progress = progress_recorder(run_id)

    def cancelled() -> bool:
        return PlanningRun.objects.filter(pk=run_id, cancel_requested=True).exists()

    try:
        problem = load_problem(run.problem)
        plan = make_plan(
            problem, time_limit=run.time_limit, workers=2, progress=progress, cancelled=cancelled
        )
    except Exception as exc:  # the page must say so rather than spin forever
        PlanningRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED,
            error=f"{exc.__class__.__name__}: {exc}",
            finished_at=timezone.now(),
        )
        raise
    status = RunStatus.CANCELLED if cancelled() else RunStatus.DONE
    PlanningRun.objects.filter(pk=run_id).update(
        status=status,
        plan=plan.as_json(problem),
        objective=plan.objective,
        bound=plan.bound,
        progress=1.0,
        finished_at=timezone.now(),
    )
