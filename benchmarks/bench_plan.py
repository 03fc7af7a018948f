"""District planning end to end: `mm.match` per objective and base method, and re-matching.

    .venv/bin/python benchmarks/bench_plan.py [--repeat 5]

For the sample district (282 secretaries, 65 mentees, 13 mentors, 20 bases) and a city
(6,000 in post, 300 mentors, 400 bases) made by ``synthesize_district``, it times the
whole planning call (scores, rules, solve, bases, reasons, alternates, blocking pairs)
and, as the reference run in the same process, the bare solve of the same score table
by ``mentormatch.optimize.solve`` (OR-Tools / networkx). Best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import platform
import time

import pandas as pd

import mentormatch as mm
from mentormatch.optimize import solve


def best(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def run(name: str, d: mm.District, repeat: int) -> list[dict]:
    scores = mm.score_pairs(d).pivot(index="secretary_id", columns="mentor_id", values="total")
    cap = d.mentors.set_index("mentor_id")["capacity"]
    low = d.mentors.set_index("mentor_id")["min_load"].fillna(0).astype(int)
    rows = []
    for objective in ("total", "fair", "stable"):
        ref_s, _ = best(
            lambda o=objective: solve(
                scores, cap, min_load=None if o == "stable" else low, objective=o
            ),
            repeat,
        )
        for bases in ("none", "sequential", "joint"):
            if bases == "joint" and (objective != "total" or len(d.mentees) > 500):
                continue
            s, plan = best(lambda o=objective, b=bases: mm.match(d, o, bases=b), repeat)
            f = plan.figures()
            rows.append(
                {
                    "district": name,
                    "mentees": len(d.mentees),
                    "mentors": len(d.mentors),
                    "objective": objective,
                    "bases": bases,
                    "solver": plan.solver,
                    "match_s": round(s, 4),
                    "bare_solve_s": round(ref_s, 4),
                    "ratio": round(s / ref_s, 1),
                    "total": f["total_score"],
                    "worst": f["min_score"],
                    "coverage": f["coverage_mentor_and_base"],
                }
            )
    base = mm.match(d, bases="none")
    gone = base.assignment.value_counts().index[0]
    d2 = d.replace(mentors=d.mentors[d.mentors["mentor_id"] != gone])
    s, plan = best(lambda: mm.rematch(d2, base, tolerance=0.05, bases="none"), repeat)
    kept = int((plan.changes["change"] == "kept").sum())
    rows.append(
        {
            "district": name,
            "mentees": len(d.mentees),
            "mentors": len(d2.mentors),
            "objective": f"rematch (mentor {gone} leaves)",
            "bases": "none",
            "solver": plan.solver,
            "match_s": round(s, 4),
            "bare_solve_s": float("nan"),
            "ratio": float("nan"),
            "total": plan.figures()["total_score"],
            "worst": plan.figures()["min_score"],
            "coverage": f"kept {kept}",
        }
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    rows = run("sample (282)", mm.load_district("data/sample"), args.repeat)
    city = mm.synthesize_district(
        seed=1, n_secretaries=6000, n_mentors=300, n_bases=400, assessments=False
    )
    rows += run("city (6,000)", city, 1)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
