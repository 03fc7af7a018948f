"""Solve times of the assignment solvers on dense random instances (run on demand).

    .venv/bin/python benchmarks/bench_assign.py            # district and city (~7 min)
    .venv/bin/python benchmarks/bench_assign.py --quick    # no networkx on the city (~2 min)

For each instance the same full min-cost flow network (every pair allowed) is solved by
networkx's network simplex and OR-Tools' cost scaling, and the same problem as a linear
program by HiGHS (scipy's ``linprog``), all in this process. The objectives must agree
(within the rounding of ``PRECISION``). Then ``solve()`` is timed end to end, which
encodes the table, prices candidate pairs (see ``mentormatch.optimize.pricing``) and
reports blocking pairs, for each objective. Times are wall-clock seconds, best of
``--repeat`` runs for the fast methods.
"""

from __future__ import annotations

import argparse
import time
from functools import partial

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linprog

from mentormatch.optimize import PRECISION, solve
from mentormatch.optimize.backends import solve_flow
from mentormatch.optimize.instance import Instance
from mentormatch.optimize.network import build_network, integer_costs

SIZES = {"district 282 x 13": (282, 13, 25), "city 6000 x 300": (6000, 300, 25)}


def instance_table(n: int, m: int, seed: int = 2018) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        rng.random((n, m)),
        index=[f"s{i:05d}" for i in range(n)],
        columns=[f"m{j:04d}" for j in range(m)],
    )


def timed(function, repeat: int):
    best, result = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def flow_objective(instance: Instance, solver: str):
    net = build_network(
        instance,
        np.arange(instance.n_edges),
        integer_costs(instance.score),
        placed=instance.n_mentees,
    )
    flow = solve_flow(net, solver)
    return float(instance.score[net.chosen_edges(flow)].sum())


def highs_objective(scores: pd.DataFrame, capacity: int) -> float:
    n, m = scores.shape
    each_mentee = sp.kron(sp.eye(n), np.ones((1, m)), format="csr")
    each_mentor = sp.kron(np.ones((1, n)), sp.eye(m), format="csr")
    result = linprog(
        -scores.to_numpy().ravel(),
        A_ub=each_mentor,
        b_ub=np.full(m, capacity),
        A_eq=each_mentee,
        b_eq=np.ones(n),
        bounds=(0, 1),
        method="highs",
    )
    return -result.fun


def methods(scores: pd.DataFrame, capacity: int, repeat: int, *, networkx: bool):
    """(name, function returning the objective, runs) for one instance."""
    instance = Instance.from_frames(scores, capacity)
    big = len(scores) > 1000
    listed = [
        (
            "OR-Tools min-cost flow (full network)",
            partial(flow_objective, instance, "ortools"),
            repeat,
        ),
        (
            "networkx network simplex (full network)",
            partial(flow_objective, instance, "networkx"),
            1 if big else repeat,
        ),
        ("HiGHS linear program (linprog)", partial(highs_objective, scores, capacity), 1),
    ]
    if not networkx:
        listed.pop(1)
    for objective in ("total", "fair", "stable"):
        run = partial(solve, scores, capacity, objective=objective)
        listed.append((f"solve(objective={objective!r})", lambda run=run: run().objective, repeat))
    return listed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip networkx on the city")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each fast method")
    args = parser.parse_args()

    rows = []
    for name, (n, m, capacity) in SIZES.items():
        scores = instance_table(n, m)
        networkx = not (args.quick and n > 1000)
        for method, function, repeat in methods(scores, capacity, args.repeat, networkx=networkx):
            seconds, value = timed(function, repeat)
            rows.append(
                {"instance": name, "method": method, "seconds": seconds, "objective": value}
            )

    table = pd.DataFrame(rows)
    reference = table[table["method"].str.startswith("OR-Tools")].set_index("instance")
    table["x OR-Tools"] = table["seconds"] / table["instance"].map(reference["seconds"])
    exact = ~table["method"].str.contains("fair|stable")
    gap = (table["objective"] - table["instance"].map(reference["objective"])).abs()
    limit = table["instance"].map({k: v[0] / PRECISION for k, v in SIZES.items()})
    # fair and stable optimise something else: their sums are shown, not compared.
    table["agrees"] = np.where(exact, np.where(gap <= limit, "yes", "NO"), "-")
    with pd.option_context("display.width", 140, "display.max_colwidth", 45):
        print(table.to_string(index=False, float_format=lambda x: f"{x:.4f}"))
    if (table["agrees"] == "NO").any():
        raise SystemExit("objectives disagree")


if __name__ == "__main__":
    main()
