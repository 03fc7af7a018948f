"""Every capability at every size: the one table of issue 12.

    .venv/bin/python benchmarks/bench_scale.py [--only match,groups,...] [--write]

For each capability and each size (district: the sample, 282 secretaries; city:
``synthesize_district(seed=3, n_secretaries=6000, n_mentors=272, n_bases=428)``; nation:
``synthesize_region(seed=2018, n_secretaries=600_000, n_mentors=30_000, n_bases=40_000)``)
it measures the time and the peak memory, each measurement in a fresh process (the
process's ``ru_maxrss``, interpreter and libraries included, so peaks do not leak from
one row into the next), and two ratios: to the *yardstick* (scipy's
``linear_sum_assignment`` on a random 2,000 x 2,000 matrix, run in the same process:
the goals are multiples of it) and to the *reference* the issue names for the
capability (raw OR-Tools on the same pairs for matching, the exchange method for salon
groups where it can run, ``kmedoids``' FasterPAM for clustering where it is installed).

Matching, practice bases, re-matching and the explanation rows are measured here; the
other capabilities come from their own scripts' ``rows()`` (``bench_cluster.py``,
``bench_groups.py``, ``bench_pipeline.py``, ``bench_report.py``). ``--write`` puts the
table into ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SIZES = ("district", "city", "nation")
CITY = {"seed": 3, "n_secretaries": 6000, "n_mentors": 272, "n_bases": 428}
NATION = {"seed": 2018, "n_secretaries": 600_000, "n_mentors": 30_000, "n_bases": 40_000}
YARDSTICK = "scipy linear_sum_assignment, random 2000x2000 (same process)"

#: Matching capabilities: (name, goal at each size as a multiple of the yardstick).
MATCHING = {
    "match total": {"district": None, "city": 8, "nation": 100},
    "match fair": {"district": None, "city": 8, "nation": 100},
    "match stable": {"district": None, "city": 8, "nation": 60},
    "joint bases": {"district": None, "city": 20, "nation": None},
    "re-match": {"district": None, "city": None, "nation": None},
    "explain (reasons, alternates)": {"district": None, "city": None, "nation": None},
}
#: Peak memory goals (MB) for matching at national size.
NATION_MB = 3000


def _data(size: str):
    import mentormatch as mm
    from mentormatch.region_synth import synthesize_region

    if size == "district":
        return mm.load_district(HERE.parent / "data" / "sample")
    if size == "city":
        return mm.synthesize_district(**CITY)
    return synthesize_region(**NATION)


def _raw_reference(data, objective: str) -> tuple[float, str]:
    """Raw OR-Tools on the same pairs: the plan's pairs (all of a District's, a
    Region's candidates), one SimpleMinCostFlow, built straight from arrays."""
    from bench_match import raw_ortools

    import mentormatch as mm
    from mentormatch.candidates import candidate_pairs
    from mentormatch.optimize.network import integer_costs

    if isinstance(data, mm.District):
        scores = mm.score_pairs(data)
        ids = data.mentees["secretary_id"].tolist()
        mids = data.mentors["mentor_id"].tolist()
        mentee = np.searchsorted(np.array(ids, dtype=object), scores["secretary_id"].to_numpy())
        mentee = scores["secretary_id"].map({s: i for i, s in enumerate(ids)}).to_numpy()
        mentor = scores["mentor_id"].map({m: j for j, m in enumerate(mids)}).to_numpy()
        cost = integer_costs(scores["total"].to_numpy())
        capacity = data.mentors["capacity"].to_numpy(np.int64)
        low = data.mentors["min_load"].fillna(0).to_numpy(np.int64)
        n = len(ids)
    else:
        c = candidate_pairs(data)
        mentee = np.searchsorted(c.mentees, c.mentee)
        mentor, cost = c.mentor, integer_costs(c.score)
        capacity = data.mentors["capacity"].to_numpy(np.int64)
        low = data.mentors["min_load"].to_numpy(np.int64)
        n = c.n_mentees
    if objective == "stable":
        low = np.zeros_like(low)
    seconds, _ = raw_ortools(mentee, mentor, cost, capacity, low, n)
    return seconds, "raw OR-Tools, one network on the same pairs (total)"


def one(capability: str, size: str) -> dict:
    """Measure one matching row in this process."""
    from bench_report import reference

    import mentormatch as mm

    yard = reference(3)
    data = _data(size)
    is_region = not isinstance(data, mm.District)
    note = ""
    t0 = time.perf_counter()
    if capability.startswith("match "):
        objective = capability.split()[1]
        plan = mm.match(data, objective)
        placed = plan.summary()["placed"] if is_region else plan.figures()["placed"]
        note = f"{int(placed):,} placed, sequential bases"
    elif capability == "joint bases":
        try:
            plan = mm.match(data, bases="joint")
        except mm.DataError as error:  # a nation: the program would not fit
            return _not_offered(capability, size, yard, error.message("en"))
        if is_region:
            note = f"{plan.summary()['solver']}; {plan.bases.pairs:,} (pair, base) options"
        else:
            note = f"{plan.solver}; coverage {plan.coverage['mentor_and_base']:.3f}"
    elif capability == "re-match":
        if is_region:
            return _not_offered(capability, size, yard, "re-matching takes a District")
        plan = mm.match(data)
        gone = data.mentors["mentor_id"].iloc[0]
        after = data.replace(mentors=data.mentors.iloc[1:])
        t0 = time.perf_counter()
        again = mm.rematch(after, plan)
        kept = int((again.changes["change"] == "kept").sum())
        note = f"mentor {gone} leaves: {kept:,} pairs kept"
    else:  # the explanation
        if not is_region:
            return _not_offered(capability, size, yard, "a District's plan table always has them")
        plan = mm.match(data)
        t0 = time.perf_counter()
        frame = plan.to_frame(data, explain=True)
        note = f"{frame['reason_zh'].ne('').sum():,} reasons"
    seconds = time.perf_counter() - t0
    ref_seconds, ref_name = _raw_reference(data, "total")
    goal = MATCHING[capability][size]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    met = (goal is None or seconds / yard <= goal) and (size != "nation" or peak < NATION_MB)
    return {
        "capability": capability,
        "size": size,
        "seconds": seconds,
        "peak_mb": peak,
        "reference": ref_name,
        "reference_seconds": ref_seconds,
        "ratio": seconds / ref_seconds,
        "yardstick_seconds": yard,
        "yardstick_ratio": seconds / yard,
        "goal": (f"<= {goal}x yardstick" if goal else "")
        + (f", < {NATION_MB} MB" if size == "nation" and goal else ""),
        "met": bool(met),
        "note": note,
    }


def _not_offered(capability: str, size: str, yard: float, why: str) -> dict:
    """A row for a capability refused or not offered at a size, saying why."""
    return {
        "capability": capability,
        "size": size,
        "seconds": None,
        "peak_mb": None,
        "reference": "",
        "ratio": None,
        "yardstick_seconds": yard,
        "yardstick_ratio": None,
        "goal": "",
        "met": True,
        "note": f"not run: {why}",
    }


def matching_rows(sizes=SIZES) -> list[dict]:
    """Every matching row, each in its own process."""
    rows = []
    for capability in MATCHING:
        for size in sizes:
            out = subprocess.run(
                [sys.executable, __file__, "--one", capability, size],
                capture_output=True,
                text=True,
                cwd=HERE,
                check=True,
            )
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return rows


#: The other capabilities' scripts, each giving its rows (run in a fresh process).
OTHERS = ("bench_cluster", "bench_groups", "bench_pipeline", "bench_report", "bench_training")
#: Sizes each of them measures (the pipeline and the report are District capabilities).
OTHER_SIZES = {
    "bench_cluster": SIZES,
    "bench_groups": SIZES,
    "bench_pipeline": ("city",),
    "bench_report": ("district", "city"),
    "bench_training": ("district", "city"),
}


def other_rows(script: str, sizes) -> list[dict]:
    """The rows of another script's ``rows()``, in a fresh process, put in this table's
    terms: their ratio is to the yardstick."""
    code = f"import json, {script}; print(json.dumps({script}.rows({tuple(sizes)!r})))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=HERE, check=True
    )
    rows = json.loads(out.stdout.strip().splitlines()[-1])
    for row in rows:
        if "yardstick_ratio" not in row:
            row["yardstick_ratio"], row["ratio"], row["reference"] = row.get("ratio"), None, ""
    return rows


def write_readme(text: str) -> None:
    readme = HERE / "README.md"
    start, end = "<!-- bench_scale: start -->", "<!-- bench_scale: end -->"
    body = readme.read_text(encoding="utf-8")
    block = f"{start}\n{text}\n{end}"
    if start in body:
        before, rest = body.split(start, 1)
        body = before + block + rest.split(end, 1)[1]
    else:
        body = body.rstrip("\n") + "\n\n" + block + "\n"
    readme.write_text(body, encoding="utf-8")


def _cell(x, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "-"
    return f"{x:,.{digits}f}"


def table(rows: list[dict]) -> str:
    lines = [
        "| capability | size | s | peak MB | x yardstick | reference | x reference | goal "
        "| met | note |",
        "|---|---|---:|---:|---:|---|---:|---|---|---|",
    ]
    for r in rows:
        yard = r.get("yardstick_ratio")
        if yard is None and r.get("seconds") is not None and r.get("yardstick_seconds"):
            yard = r["seconds"] / r["yardstick_seconds"]
        lines.append(
            f"| {r['capability']} | {r['size']} | {_cell(r['seconds'])} | "
            f"{_cell(r['peak_mb'], 0)} | {_cell(yard, 1)} | {r.get('reference', '')} | "
            f"{_cell(r.get('ratio'), 1)} | {r.get('goal', '')} | "
            f"{'yes' if r['met'] else '**no**'} | {r.get('note', '')} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--one", nargs=2, metavar=("CAPABILITY", "SIZE"))
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--all", action="store_true", help="the other capabilities too")
    parser.add_argument("--write", action="store_true", help="into benchmarks/README.md")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(*args.one)))
        return
    from bench_match import cpu_name

    rows = matching_rows(tuple(args.sizes))
    if args.all:
        for script in OTHERS:
            sizes = [z for z in OTHER_SIZES[script] if z in args.sizes]
            rows += other_rows(script, sizes) if sizes else []
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    import os

    text = (
        f"Measured {date.today()} on: {cpu_name()}, {os.cpu_count()} cores; "
        f"Python {platform.python_version()}. Command: "
        f"`.venv/bin/python benchmarks/bench_scale.py --all --write`.\n\n{table(rows)}"
    )
    print(text)
    if args.write:
        write_readme(text)


if __name__ == "__main__":
    main()
