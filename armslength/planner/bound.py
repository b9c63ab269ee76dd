"""A proved lower bound that accounts for workload limits (Lagrangian relaxation).

The plain bound (each visit's cheapest team, as if it were alone) ignores
that the cheapest people cannot go everywhere: on a full year it is far
below any real plan. Here each person's yearly limits (`max_visits`,
`max_days`) are moved into the objective with prices λ, μ ≥ 0:

    L(λ, μ) = Σ_visits min(unplanned weight, cheapest team at prices cost + λ_p + μ_p·days)
              - Σ_people (λ_p·max_visits_p + μ_p·max_days_p)

For any prices L is at most the optimum (weak duality: a valid plan pays at
most zero for the priced limits), so it is a proved bound; subgradient steps
raise the prices of people the relaxation over-uses. The inner minimum is
taken without the overlap rule and, while searching prices, without the
team's needs; the final evaluation adds the needs one at a time (lead, each
expertise, women), each still a valid lower bound on the team's cost.
"""

from __future__ import annotations

import time

import numpy as np

from armslength.planner.matrix import Pairs
from armslength.planner.problem import Problem

BIG = 10**9


def lagrangian_bound(
    problem: Problem,
    pairs: Pairs,
    hopeless: set[int],
    upper: int,
    seconds: float,
    iterations: int = 60,
) -> int:
    """The best L(λ, μ) found within `seconds`, with the needs added at the best prices."""
    started = time.monotonic()
    n_visits = len(problem.visits)
    unplanned = problem.weights["unplanned"]
    # Only the capacities that are finite are priced.
    max_visits = np.array(
        [p.max_visits if p.max_visits is not None else -1 for p in problem.people], dtype=float
    )
    max_days = np.array(
        [p.max_days if p.max_days is not None else -1 for p in problem.people], dtype=float
    )
    has_visits, has_days = max_visits >= 0, max_days >= 0
    lam = np.zeros(len(problem.people))
    mu = np.zeros(len(problem.people))
    live = np.array([v not in hopeless for v in range(n_visits)])
    leads = np.array([p.may_lead for p in problem.people], dtype=bool)
    kmax = int(pairs.team_size.max()) if n_visits else 0
    days = pairs.days.astype(float)
    best, best_prices = -float("inf"), (lam.copy(), mu.copy())
    step_scale = 0.05
    stale = 0
    for _ in range(iterations):
        began = time.monotonic()
        value, use_visits, use_days = _inner(pairs, lam, mu, live, kmax, unplanned, days, leads)
        value += unplanned * (n_visits - live.sum())
        value -= float(lam @ np.where(has_visits, max_visits, 0))
        value -= float(mu @ np.where(has_days, max_days, 0))
        if value > best + 1e-6:
            best, best_prices, stale = value, (lam.copy(), mu.copy()), 0
            step_scale = min(1.0, step_scale * 1.2)
        else:
            stale += 1
            if stale >= 2:
                step_scale /= 2
                stale = 0
        g_lam = np.where(has_visits, use_visits - max_visits, 0.0)
        g_mu = np.where(has_days, use_days - max_days, 0.0)
        # Prices that are zero and not over-used stay zero.
        g_lam[(lam <= 0) & (g_lam < 0)] = 0
        g_mu[(mu <= 0) & (g_mu < 0)] = 0
        norm = float(g_lam @ g_lam + g_mu @ g_mu)
        # Stop before an iteration that would end past the time given.
        done = time.monotonic()
        if norm == 0 or done + (done - began) - started > seconds or step_scale < 1e-4:
            break
        step = step_scale * max(upper - value, 1.0) / norm
        lam = np.maximum(0.0, lam + step * g_lam)
        mu = np.maximum(0.0, mu + step * g_mu)
    lam, mu = best_prices
    total = _with_needs(problem, pairs, lam, mu, live, unplanned)
    total += unplanned * (n_visits - live.sum())
    total -= float(lam @ np.where(has_visits, max_visits, 0))
    total -= float(mu @ np.where(has_days, max_days, 0))
    # Costs are whole numbers, so any bound rounds up; a hair below for float error.
    return max(0, int(np.ceil(max(best, total) - 1e-6)))


CHUNK = 1500  # visits priced at once: memory stays small on a national programme


def _priced(pairs: Pairs, lam, mu, days, a: int, b: int):
    base = np.where(pairs.eligible[a:b], pairs.cost[a:b].astype(float), float(BIG))
    return base + lam[None, :] + mu[None, :] * days[a:b, None]


def _inner(pairs: Pairs, lam, mu, live, kmax: int, unplanned: int, days, leads):
    """Per visit the cheapest `team_size` at these prices with a lead where one is
    needed (or unplanned, if dearer); and who is used."""
    n_visits, n_people = pairs.eligible.shape
    k = min(kmax, n_people)
    value = 0.0
    use_visits = np.zeros(n_people)
    use_days = np.zeros(n_people)
    for a in range(0, n_visits, CHUNK):
        b = min(n_visits, a + CHUNK)
        priced = _priced(pairs, lam, mu, days, a, b)
        if k < n_people:
            part = np.argpartition(priced, k - 1, axis=1)[:, :k]
        else:
            part = np.argsort(priced, axis=1)[:, :k]
        values = np.take_along_axis(priced, part, axis=1)
        order = np.argsort(values, axis=1)
        part = np.take_along_axis(part, order, axis=1)
        values = np.take_along_axis(values, order, axis=1)
        size = pairs.team_size[a:b, None]
        take = np.arange(k)[None, :] < size
        team_cost = np.where(take, values, 0.0).sum(axis=1)
        if leads.any():
            # Without a lead among the cheapest, the dearest of them gives way to the
            # cheapest lead: exact for the lead need alone.
            lead_ids = np.flatnonzero(leads)
            best_lead = lead_ids[np.argmin(priced[:, lead_ids], axis=1)]
            lead_cost = priced[np.arange(b - a), best_lead]
            has_lead = (leads[part] & take).any(axis=1)
            last = np.take_along_axis(values, size - 1, axis=1)[:, 0]
            swap = pairs.needs_lead[a:b] & ~has_lead
            team_cost = np.where(swap, team_cost - last + lead_cost, team_cost)
            part = part.copy()
            rows = np.flatnonzero(swap)
            part[rows, pairs.team_size[a:b][rows] - 1] = best_lead[rows]
        alive = live[a:b]
        planned = alive & (team_cost < unplanned)
        value += float(np.where(planned, team_cost, np.where(alive, unplanned, 0.0)).sum())
        chosen = take & planned[:, None]
        np.add.at(use_visits, part[chosen], 1.0)
        np.add.at(use_days, part[chosen], np.broadcast_to(days[a:b, None], part.shape)[chosen])
    return value, use_visits, use_days


def _with_needs(problem: Problem, pairs: Pairs, lam, mu, live, unplanned: int) -> float:
    """Per visit the best of the single-need lower bounds on its cheapest team."""
    people = problem.people
    masks = {
        "lead": np.array([p.may_lead for p in people]),
        "women": np.array([p.gender == "female" for p in people]),
    }
    tags = {tag for v in problem.visits for tag, _ in v.requires}
    for tag in tags:
        masks["tag:" + tag] = np.array([tag in p.expertise for p in people])
    days = pairs.days.astype(float)
    total = 0.0
    for a in range(0, len(problem.visits), CHUNK):
        b = min(len(problem.visits), a + CHUNK)
        priced = _priced(pairs, lam, mu, days, a, b)
        for visit in problem.visits[a:b]:
            if not live[visit.index]:
                continue
            row = priced[visit.index - a]
            k = visit.team_size
            needs = [(masks["lead"], 1)] if visit.needs_lead else []
            needs += [(masks["tag:" + tag], n) for tag, n in visit.requires]
            if visit.min_women:
                needs.append((masks["women"], visit.min_women))
            best = _cheapest(row, k, None, 0)
            for mask, n in needs:
                best = max(best, _cheapest(row, k, mask, n))
            total += min(unplanned, best)
    return total


def _cheapest(row, k: int, mask, n: int) -> float:
    """The cheapest k of `row` with at least n from `mask` (exact for one need)."""
    if mask is None or n == 0:
        values = np.partition(row, k - 1)[:k] if k < len(row) else row
        return float(values.sum())
    holders = np.sort(row[mask])[:k]
    others = np.sort(row[~mask])[:k]
    if len(holders) < n:
        return float(BIG)
    h = np.concatenate([[0.0], np.cumsum(holders)])
    o = np.concatenate([[0.0], np.cumsum(others)])
    best = float(BIG)
    for j in range(n, min(k, len(holders)) + 1):
        if k - j <= len(others):
            best = min(best, h[j] + o[k - j])
    return best
