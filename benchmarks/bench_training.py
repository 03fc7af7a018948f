"""Training and supervision at district and city size: the training plan (launch class,
electives by need, small classes), the visit calendar, the casebook and the effect of
electives, each timed against scipy's ``linear_sum_assignment`` on a random 2,000 x 2,000
matrix in the same process.

Each size runs in a fresh process, so that its peak memory (``ru_maxrss``) is its own.
The plan the small classes and the visits follow is made first and not timed.

    .venv/bin/python benchmarks/bench_training.py [--sizes district,city]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CITY = {"seed": 3, "n_secretaries": 6000, "n_mentors": 272, "n_bases": 428}
#: Goal: a small multiple of the yardstick at city size (DESIGN.md, Performance).
GOAL = 10.0


def _best(f, repeat: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - start)
    return min(times), out


def measure(size: str) -> list[dict]:
    from bench_report import reference

    import mentormatch as mm
    from mentormatch.evaluate import training_effect

    yard = reference()
    d = (
        mm.load_district(ROOT / "data" / "sample")
        if size == "district"
        else mm.synthesize_district(**CITY)
    )
    plan = mm.match(d, partial=True)
    rows = []
    seconds, tp = _best(lambda: mm.plan_training(d, plan=plan))
    f = tp.figures()
    rows.append(
        (
            "training plan",
            seconds,
            f"{len(d.in_post):,} in post; {f['seats_filled']:,} seats filled",
        )
    )
    seconds, schedule = _best(lambda: mm.visit_schedule(d, plan))
    rows.append(("visit calendar", seconds, f"{len(schedule):,} visits"))
    with tempfile.TemporaryDirectory() as tmp:
        seconds, _ = _best(lambda: mm.casebook(d, Path(tmp) / "book"), repeat=1)
    rows.append(("casebook", seconds, f"{len(d.salon_records):,} records"))
    seconds, effect = _best(lambda: training_effect(d), repeat=1)
    rows.append(("training effect", seconds, f"{effect.n_obs:,} changes"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [
        {
            "capability": name,
            "size": size,
            "seconds": s,
            "peak_mb": peak,
            "yardstick_seconds": yard,
            "yardstick_ratio": s / yard,
            "ratio": None,
            "reference": "",
            "goal": f"< {GOAL:g}x yardstick" if size == "city" else "instant",
            "met": (s / yard < GOAL) if size == "city" else s < 2.0,
            "note": note,
        }
        for name, s, note in rows
    ]


def rows(sizes=("district", "city")) -> list[dict]:
    """The rows of every size, each size in a fresh process."""
    out = []
    for size in sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--one", size],
            capture_output=True,
            text=True,
            cwd=HERE,
            check=True,
        )
        out += json.loads(done.stdout.strip().splitlines()[-1])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", default="district,city")
    args = parser.parse_args()
    if args.one:
        sys.path.insert(0, str(HERE))
        print(json.dumps(measure(args.one)))
        return
    print("| capability | size | s | peak MB | x yardstick | goal | met | note |")
    print("|---|---|---:|---:|---:|---|---|---|")
    for r in rows(tuple(args.sizes.split(","))):
        print(
            f"| {r['capability']} | {r['size']} | {r['seconds']:.3f} | {r['peak_mb']:,.0f} | "
            f"{r['yardstick_ratio']:.2f} | {r['goal']} | {'yes' if r['met'] else '**no**'} | "
            f"{r['note']} |"
        )


if __name__ == "__main__":
    main()
