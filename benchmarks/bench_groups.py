"""Salon groups at district, mid, city and national size: time against a yardstick, memory,
rules, chance.

    .venv/bin/python benchmarks/bench_groups.py                 # every size (~3 min)
    .venv/bin/python benchmarks/bench_groups.py --sizes nation  # some sizes
    .venv/bin/python benchmarks/bench_groups.py --readme        # also write benchmarks/README.md

Each size runs in a fresh Python process, so that its peak memory is its own:

* district: the sample district (``synthesize_district()``, 282 in post), 10 groups,
  by the exchange method (what ``method="auto"`` picks below 1,000 in post);
* mid: 1,000 in post, 35 groups, by **both** engines: how far the fast method's
  diversity lies from the exchange method's where both run;
* city: 6,000 in post (``synthesize_district(seed=3, n_secretaries=6000,
  n_mentors=272, n_bases=428)``), 214 groups of 28, by the fast method;
* nation: ``synthesize_region(seed=2018, n_secretaries=600_000, n_mentors=30_000,
  n_bases=40_000)`` (1,600 counties of about 375), 10 groups **within each county**
  (``region_salon(r, 10, within="county")``, the batched engine).

Time: wall-clock seconds of ``salon_plan(d, n_groups, progress=False)`` with its
defaults (the random comparison and the topic plan included; synthesis not), or of
``region_salon`` for the nation, against the yardstick measured in the same process:
scipy's ``linear_sum_assignment`` on a random 2,000 x 2,000 matrix; each the best of 3
runs (one for runs over 10 s). Memory: ``tracemalloc``'s peak over one more run of the
step (Python and numpy allocations), and the process's ``ru_maxrss`` (interpreter,
libraries and the synthetic data included). Balance: ``violation`` and the number of
problems ``check()`` reports (0 and 0: every rule holds; for the nation, summed over
counties, recounted by ``RegionSalon.check(r)`` from the Region's tables).
Percentiles: our diversity (sum of within-group distances on the clustering
distance) among random partitions under the same rules, and with the same sizes only
(their counts in brackets: the exchange method's default 1,000; for the fast method,
whose plan compares with 20 of each by default, an untimed second plan with 100 of
each, the same groups). For the nation, untimed, in :data:`SAMPLED` counties drawn
at random: each county's groups on its own clustering distance against 100 random
partitions of each kind (the lowest percentile of the sampled counties is shown), and
against the exchange method run on that county alone.

:func:`rows` returns the district, city and nation rows for the combined table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

from bench_match import cpu_name
from bench_report import reference  # the same yardstick as the other benchmarks

#: Name -> (synthesize_district arguments, groups, method); the nation's are
#: synthesize_region's arguments, groups per county and ``within``.
SIZES = {
    "district": ({}, 10, "auto"),
    "mid (exchange)": (
        {"seed": 3, "n_secretaries": 1000, "n_mentors": 45, "n_bases": 70},
        35,
        "exchange",
    ),
    "mid (fast)": ({"seed": 3, "n_secretaries": 1000, "n_mentors": 45, "n_bases": 70}, 35, "fast"),
    "city": ({"seed": 3, "n_secretaries": 6000, "n_mentors": 272, "n_bases": 428}, 214, "auto"),
    "nation": (
        {"seed": 2018, "n_secretaries": 600_000, "n_mentors": 30_000, "n_bases": 40_000},
        10,
        "county",
    ),
}
#: Runs of the plan and of the yardstick; the best of each is kept (a shared machine's
#: other jobs only ever slow a run down).
REPEATS = 3
#: Random partitions of each kind the fast method's percentiles are taken against.
COMPARE = 100
#: Counties of the nation whose groups are compared with chance and the exchange method.
SAMPLED = 20
#: Goals of the combined table: size -> (multiple of the yardstick or None, in words).
GOALS = {
    "district": (None, "results unchanged; 100th percentile of chance (same rules)"),
    "city": (10, "<= 10x"),
    "nation": (100, "<= 100x, < 3.5 GB"),
}
YARDSTICK = "scipy linear_sum_assignment, random 2000x2000 (same process)"
README = Path(__file__).with_name("README.md")
START, END = "<!-- bench_groups: start -->", "<!-- bench_groups: end -->"


def measure(size: str) -> dict:
    if SIZES[size][2] == "county":
        return measure_region(size)
    import mentormatch as mm
    from mentormatch.groups import salon_plan

    kwargs, n_groups, method = SIZES[size]
    d = mm.synthesize_district(**kwargs)
    ref = reference(REPEATS)
    seconds = float("inf")
    for _ in range(REPEATS):
        t = time.perf_counter()
        plan = salon_plan(d, n_groups, progress=False, method=method)
        seconds = min(seconds, time.perf_counter() - t)
        if seconds > 10:  # long enough not to need the best of several
            break
    tracemalloc.start()
    salon_plan(d, n_groups, progress=False, method=method)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # The timed run compares with N_RANDOM_FAST random partitions of each kind; the
    # percentiles are taken against COMPARE of each (an untimed run, same groups).
    if plan.method == "fast":
        plan = salon_plan(d, n_groups, progress=False, method=method, n_random=COMPARE)
    rand = plan.random["baseline"].value_counts()
    return {
        "size": size,
        "in_post": len(plan.groups),
        "groups": n_groups,
        "method": plan.method,
        "seconds": seconds,
        "yardstick": ref,
        "python_mb": peak / 2**20,
        "process_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "violation": plan.violation,
        "problems": len(plan.check()),
        "pct_rules": plan.percentiles.get("same_rules", float("nan")),
        "n_rules": str(int(rand.get("same_rules", 0))),
        "pct_sizes": plan.percentiles.get("same_sizes", float("nan")),
        "n_sizes": str(int(rand.get("same_sizes", 0))),
        "diversity": plan.diversity,
        "mean_within": plan.mean_within,
        "mean_all": plan.mean_all,
    }


def measure_region(size: str) -> dict:
    from mentormatch.groups import region_salon
    from mentormatch.region_synth import synthesize_region

    kwargs, n_groups, within = SIZES[size]
    r = synthesize_region(**kwargs)
    ref = reference(REPEATS)
    t = time.perf_counter()
    salon = region_salon(r, n_groups, within=within)
    seconds = time.perf_counter() - t
    process_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    region_salon(r, n_groups, within=within)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    quality = sampled_counties(r, salon, SAMPLED)
    c = salon.counties
    return {
        "size": size,
        "in_post": len(salon.groups),
        "groups": int(c["groups"].sum()),
        "counties": len(c),
        "short": len(salon.short),
        "method": "batch, per county",
        "seconds": seconds,
        "yardstick": ref,
        "python_mb": peak / 2**20,
        "process_mb": process_mb,
        "violation": int(c["violation"].sum() + c["hard"].sum()),
        "problems": len(salon.check(r)),
        "n_rules": f"100 x {SAMPLED} counties",
        "n_sizes": f"100 x {SAMPLED} counties",
        **quality,
    }


def sampled_counties(r, salon, count: int) -> dict:
    """Counties drawn at random: each county's groups on its own clustering distance
    (SecretaryFeatures fitted on the county, as a District's) against 100 random
    partitions of each kind and the exchange method on that county alone."""
    import numpy as np
    import pandas as pd

    from mentormatch.features import SecretaryFeatures
    from mentormatch.groups.draws import random_same_sizes, random_under_rules
    from mentormatch.groups.exchange import anticluster
    from mentormatch.groups.problem import diversities, diversity, encode, percentile
    from mentormatch.groups.region_encode import feature_table
    from mentormatch.groups.salon import default_starts
    from mentormatch.groups.terms import COHORT_YEAR

    s = r.secretaries
    county = s["county"].to_numpy()
    rng = np.random.default_rng(0)
    rules, sizes, within, every, gaps, spent = [], [], [], [], [], []
    for c in np.sort(rng.choice(r.n_counties, count, replace=False)):
        rows = np.flatnonzero(county == c)
        t = s.iloc[rows]
        f = feature_table(t)
        D = SecretaryFeatures().fit(f).distances(f)
        fac = salon.facilitator[rows]
        cats = pd.DataFrame(
            {
                "unit": t["unit"].to_numpy(),
                "community_type": t["community_type"].to_numpy(),
                "cohort": t["birth_year"].to_numpy() >= COHORT_YEAR,
                "facilitator": fac,
            }
        )
        G = int(salon.counties.loc[c, "groups"])
        inst = encode(D, G, categories=cats, required=fac)
        labels = pd.factorize(salon.groups.iloc[rows].astype(str))[0]
        ours = diversity(D, labels)
        rules.append(percentile(ours, diversities(D, random_under_rules(inst, 100, rng), G)))
        sizes.append(percentile(ours, diversities(D, random_same_sizes(inst, 100, rng), G)))
        pairs = int((np.bincount(labels) * (np.bincount(labels) - 1) // 2).sum())
        within.append(ours / pairs)
        every.append(float(D[np.triu_indices(len(rows), 1)].mean()))
        t0 = time.perf_counter()
        best = anticluster(inst, n_starts=default_starts(len(rows)), seed=int(c)).diversity
        spent.append(time.perf_counter() - t0)
        gaps.append(ours / best - 1)
    return {
        "pct_rules": min(rules),
        "pct_sizes": min(sizes),
        "mean_within": float(np.mean(within)),
        "mean_all": float(np.mean(every)),
        "gap_exchange_mean": 100 * float(np.mean(gaps)),
        "gap_exchange_worst": 100 * float(np.min(gaps)),
        "exchange_seconds": float(np.mean(spent)),
    }


def machine() -> str:
    cpu = cpu_name()
    import numpy
    import pandas
    import scipy
    import sklearn

    return (
        f"{cpu}, {os.cpu_count()} cores; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, numpy {numpy.__version__}, pandas "
        f"{pandas.__version__}, scipy {scipy.__version__}, scikit-learn {sklearn.__version__}"
    )


def table(rows: list[dict]) -> str:
    head = (
        "| size | in post | groups | method | time s | yardstick s | x yardstick | "
        "Python peak MB | process peak MB | violation | check() problems | "
        "percentile, same rules | percentile, same sizes | mean within / all pairs |"
    )
    out = [head, "|" + "---|" * 14]
    for r in rows:
        out.append(
            f"| {r['size']} | {r['in_post']:,} | {r['groups']:,} | {r['method']} | "
            f"{r['seconds']:.2f} | {r['yardstick']:.2f} | "
            f"**{r['seconds'] / r['yardstick']:.1f}** | "
            f"{r['python_mb']:.0f} | {r['process_mb']:.0f} | {r['violation']} | {r['problems']} | "
            f"{r['pct_rules']:.1f} ({r['n_rules']}) | {r['pct_sizes']:.1f} ({r['n_sizes']}) | "
            f"{r['mean_within']:.4f} / {r['mean_all']:.4f} |"
        )
    return "\n".join(out)


def gap(rows: list[dict]) -> str:
    by = {r["size"]: r for r in rows}
    ex, fa = by.get("mid (exchange)"), by.get("mid (fast)")
    if not (ex and fa):
        return ""
    rel = (fa["diversity"] - ex["diversity"]) / ex["diversity"] * 100
    return (
        f"Where both run (mid, {ex['in_post']:,} in post): the fast method's diversity is "
        f"{fa['diversity']:,.1f} against the exchange method's {ex['diversity']:,.1f} "
        f"({rel:+.2f}%), in {fa['seconds']:.2f} s instead of {ex['seconds']:.2f} s."
    )


def nation(rows: list[dict]) -> str:
    r = next((x for x in rows if x["size"] == "nation"), None)
    if r is None:
        return ""
    return (
        f"Nation: {r['in_post']:,} secretaries in {r['counties']:,} counties, {r['groups']:,} "
        f"groups ({r['short']} counties with fewer than 10), every rule kept in every county "
        f"({r['problems']} problems found by `RegionSalon.check`). In {SAMPLED} counties drawn "
        f"at random, each county's diversity on its own clustering distance is at the "
        f"{r['pct_rules']:.0f}th percentile or above of 100 random partitions under the same "
        f"rules, and {r['gap_exchange_mean']:+.2f}% on average (worst "
        f"{r['gap_exchange_worst']:+.2f}%) from the exchange method run on that county alone "
        f"(the District's engine at that size: {r['exchange_seconds']:.2f} s a county, about "
        f"{r['exchange_seconds'] * r['counties'] / 60:.0f} minutes for all, without its "
        "comparison with chance)."
    )


def as_row(r: dict) -> dict:
    """One row of the combined table (see common benchmarks' ``rows()``)."""
    ratio = r["seconds"] / r["yardstick"]
    times, goal = GOALS[r["size"]]
    if r["size"] == "district":
        met = r["pct_rules"] == 100 and r["problems"] == 0
    elif r["size"] == "nation":
        met = ratio <= times and r["process_mb"] < 3.5 * 1024 and r["problems"] == 0
    else:
        met = ratio <= times and r["problems"] == 0
    note = (
        f"{r['groups']:,} groups by the {r['method']} method; peak: process ru_maxrss "
        f"(fresh process, data included), step {r['python_mb']:,.0f} MB by tracemalloc; "
        f"violation {r['violation']}, check() {r['problems']}; percentile vs chance (same "
        f"rules) {r['pct_rules']:.1f}"
    )
    if r["size"] == "nation":
        note += (
            f" (lowest of {SAMPLED} sampled counties); {r['gap_exchange_mean']:+.2f}% "
            "diversity vs the exchange method per county"
        )
    return {
        "capability": "salon groups" + (" within each county" if r["size"] == "nation" else ""),
        "size": r["size"],
        "seconds": r["seconds"],
        "peak_mb": r["process_mb"],
        "reference": YARDSTICK,
        "ratio": ratio,
        "goal": goal,
        "met": bool(met),
        "note": note,
    }


def _run(size: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--one", size], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def rows(sizes=("district", "city", "nation")) -> list[dict]:
    """One dict per measured row (``capability``, ``size``, ``seconds``, ``peak_mb``,
    ``reference``, ``ratio``, ``goal``, ``met``, ``note``), each size in a fresh process."""
    return [as_row(_run(size)) for size in sizes]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--readme", action="store_true")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    measured = []
    for size in args.sizes.split(","):
        measured.append(_run(size))
        print(f"{size}: {measured[-1]['seconds']:.2f} s", file=sys.stderr)
    text = "\n\n".join(
        part
        for part in [
            f"Measured {date.today().isoformat()} on: {machine()}.",
            "Command: `.venv/bin/python benchmarks/bench_groups.py`.",
            table(measured),
            gap(measured),
            nation(measured),
        ]
        if part
    )
    print(text)
    if args.readme:
        readme = README.read_text()
        block = f"{START}\n{text}\n{END}"
        if START in readme:
            head, rest = readme.split(START, 1)
            readme = head + block + rest.split(END, 1)[1]
        else:
            readme = readme.rstrip("\n") + "\n\n" + block + "\n"
        README.write_text(readme)


if __name__ == "__main__":
    main()
