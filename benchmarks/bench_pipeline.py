"""The whole district pipeline at city size in one process: time and peak memory per step.

A planner's machine runs every step on one roster in one Python process (as the report's
kernels do): synthesise (or load) the district, cluster the secretaries with ``k="auto"``,
match with sequential bases, evaluate the plan against random ones, form salon groups,
compute the capacity index. The goal (issue 12): the whole pipeline at 6,000 secretaries
under 1 GB of peak memory (the process's ``ru_maxrss``, interpreter and libraries
included). Each step's time is also given against the yardstick run in the same process.

Run: ``.venv/bin/python benchmarks/bench_pipeline.py [--sizes district city]``.
"""

from __future__ import annotations

import argparse
import gc
import platform
import resource
import sys
import time
from datetime import date

from bench_match import cpu_name
from bench_report import reference

SIZES = {
    "district": {"seed": 2018},
    "city": {"seed": 3, "n_secretaries": 6000, "n_mentors": 272, "n_bases": 428},
}
GOAL_MB = 1024


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def steps(size: str):
    """(name, callable) of each step; each callable gets the results so far."""
    import mentormatch as mm
    from mentormatch.evaluate import compare_strategies

    return [
        ("synthesise", lambda r: mm.synthesize_district(**SIZES[size])),
        (
            "cluster (k auto)",
            lambda r: mm.cluster_secretaries(r["synthesise"], k="auto", progress=False),
        ),
        ("match (sequential bases)", lambda r: mm.match(r["synthesise"])),
        (
            "evaluate plan",
            lambda r: mm.evaluate_plan(r["synthesise"], r["match (sequential bases)"]),
        ),
        (
            "compare with random plans",
            lambda r: compare_strategies(r["synthesise"], n_random=200, n_boot=200, progress=False),
        ),
        (
            "salon groups",
            lambda r: mm.form_salon_groups(
                r["synthesise"], n_groups=max(10, len(r["synthesise"].in_post) // 28)
            ),
        ),
        ("capacity index", lambda r: mm.capacity_index(r["synthesise"])),
    ]


def rows(sizes=("district", "city")) -> list[dict]:
    """One row per size and step (and one for the whole pipeline), run in this process:
    the city after the district, so its peak includes nothing the district left alive
    beyond what a session keeps."""
    ref = reference(3)
    out = []
    for size in sizes:
        results, started = {}, time.perf_counter()
        for name, step in steps(size):
            gc.collect()
            t0 = time.perf_counter()
            results[name] = step(results)
            seconds = time.perf_counter() - t0
            out.append(
                {
                    "capability": name,
                    "size": size,
                    "seconds": seconds,
                    "peak_mb": _peak_mb(),
                    "reference": "scipy linear_sum_assignment 2000x2000 (same process)",
                    "ratio": seconds / ref,
                    "goal": "",
                    "met": True,
                    "note": "process peak so far (ru_maxrss)",
                }
            )
        total = time.perf_counter() - started
        peak = _peak_mb()
        out.append(
            {
                "capability": "whole pipeline",
                "size": size,
                "seconds": total,
                "peak_mb": peak,
                "reference": "scipy linear_sum_assignment 2000x2000 (same process)",
                "ratio": total / ref,
                "goal": f"< {GOAL_MB} MB peak" if size == "city" else "",
                "met": peak < GOAL_MB if size == "city" else True,
                "note": "process peak (ru_maxrss), one process",
            }
        )
        del results
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    args = parser.parse_args()
    import numpy
    import pandas

    print(
        f"Measured {date.today()} on: {cpu_name()}; Python {platform.python_version()}, "
        f"numpy {numpy.__version__}, pandas {pandas.__version__}.\n"
    )
    print("| size | step | s | x reference | process peak MB so far |")
    print("|---|---|---:|---:|---:|")
    for row in rows(tuple(args.sizes)):
        name = (
            f"**{row['capability']}**"
            if row["capability"] == "whole pipeline"
            else row["capability"]
        )
        figures = f"{row['seconds']:.2f} | {row['ratio']:.1f} | {row['peak_mb']:.0f}"
        print(f"| {row['size']} | {name} | {figures} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
