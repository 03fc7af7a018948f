"""The report end to end: `mentormatch report` on the sample district and on a city.

    .venv/bin/python benchmarks/bench_report.py [--sizes district,city] [--lang zh]

For each size it builds the whole report (every notebook, charts, tables beside it)
from an office workbook, as a planner would: the sample district (282 secretaries in
post) and a city (6,000 in post, 272 mentors, 428 bases, three assessment waves)
written by ``tests/rosters.py`` with title rows and merged headers. As the reference
run in the same process it times scipy's ``linear_sum_assignment`` on a random
2,000 x 2,000 matrix (the yardstick of the performance goals) and prints each build's
time as a multiple of it, with the peak memory of the kernels that ran the notebooks,
the page's size and its charts.
"""

from __future__ import annotations

import argparse
import platform
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from rosters import city, write_office_roster  # noqa: E402

import mentormatch as mm  # noqa: E402
from mentormatch.report import build_report  # noqa: E402


def reference(repeat: int = 3) -> float:
    rng = np.random.default_rng(0)
    cost = rng.random((2000, 2000))
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        linear_sum_assignment(cost)
        times.append(time.perf_counter() - start)
    return min(times)


def roster(size: str, folder: Path) -> tuple[Path, float]:
    start = time.perf_counter()
    d = mm.load_district(ROOT / "data" / "sample") if size == "district" else city()
    path = write_office_roster(d, folder / f"{size}.xlsx")
    return path, time.perf_counter() - start


def measure(size: str, folder: Path, lang: str = "zh", progress: bool = True) -> dict:
    """Build the report of one size's office roster in ``folder``: its figures."""
    path, write_s = roster(size, folder)
    start = time.perf_counter()
    report = build_report(path, folder / size, lang=lang, progress=progress)
    seconds = time.perf_counter() - start
    page = report.read_text(encoding="utf-8")
    d = mm.load_district(path)
    return {
        "size": size,
        "in post": len(d.in_post),
        "mentees": len(d.mentees),
        "mentors": len(d.mentors),
        "write roster s": round(write_s, 1),
        "report s": round(seconds, 1),
        "kernel peak MB": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
        "page MB": round(len(page.encode()) / 1e6, 1),
        "charts": len(re.findall(r'<img[^>]+src="data:image/png', page)),
    }


def rows(sizes=("district", "city")) -> list[dict]:
    """The report rows of the combined table (benchmarks/bench_scale.py): time, the
    kernels' peak memory, the ratio to the yardstick run in this process."""
    ref = reference()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            r = measure(size, Path(tmp), progress=False)
            out.append(
                {
                    "capability": "mentormatch report",
                    "size": size,
                    "seconds": r["report s"],
                    "peak_mb": r["kernel peak MB"],
                    "reference": "",
                    "ratio": None,
                    "yardstick_seconds": ref,
                    "yardstick_ratio": r["report s"] / ref,
                    "goal": "",
                    "met": True,
                    "note": f"{r['charts']} charts, {r['page MB']} MB page; peak of the "
                    "notebook kernels (ru_maxrss of the children)",
                }
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="district,city")
    parser.add_argument("--lang", default="zh", choices=["zh", "en"])
    args = parser.parse_args()
    ref = reference()
    print(
        f"machine: {platform.machine()}, {platform.python_version()}, reference "
        f"linear_sum_assignment 2000x2000: {ref:.2f} s"
    )
    table = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes.split(","):
            row = measure(size, Path(tmp), args.lang)
            row["x reference"] = round(row["report s"] / ref, 0)
            table.append(row)
    print(pd.DataFrame(table).to_string(index=False))


if __name__ == "__main__":
    main()
