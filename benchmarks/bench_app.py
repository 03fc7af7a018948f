"""The workbench (`mentormatch app`) through the browser: start, load, solve.

    .venv/bin/python benchmarks/bench_app.py [--sizes district,city] [--shots]

Starts the app as ``mentormatch app`` does (``python -m mentormatch.app``: Voilà on
127.0.0.1) and drives it in headless Chromium (Debian's ``/usr/bin/chromium`` through
Playwright), timing what a planner waits for:

* *serve to page*: from starting the server to the first page rendered in the browser
  (Voilà listening, a kernel started, the package imported, the widgets drawn);
* per roster, in a fresh page (a kernel of its own): *page*, the page opened again;
  *load*, from choosing the roster (the sample button, or uploading a zip of CSV files)
  to the district at a glance with every section drawn; *solve to plan*, from clicking
  Solve to the plan by mentor shown; *solve to charts*, until the charts against random
  plans are drawn too and the spinner is gone.

Rosters: the sample (``data/sample``, 282 secretaries in post, 65 mentees) and a city
(``mm.synthesize_district(seed=3, n_secretaries=6000, n_mentors=272, n_bases=428)``,
6,000 in post, saved with ``mm.save_district`` as CSV files and zipped, as a planner
would upload it). As the reference run in the same process it times scipy's
``linear_sum_assignment`` on a random 2,000 x 2,000 matrix and prints each time as a
multiple of it. ``--shots`` saves a screenshot of each solved page in
``build/screenshots/app/``.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from bench_report import reference  # noqa: E402  (the same yardstick)
from browser import ARGS, VIEWPORT, chromium  # noqa: E402

import mentormatch as mm  # noqa: E402

TIMEOUT = 600_000  # ms: a city's upload and solve, with room to spare
CITY = {"seed": 3, "n_secretaries": 6000, "n_mentors": 272, "n_bases": 428}
IDLE = "() => [...document.querySelectorAll('.mm-busy')].every(e => e.offsetParent === null)"
CHARTS = (
    "() => [...document.querySelectorAll('img.mm-chart-random, img.mm-chart-scores')]"
    ".every(i => i.complete && i.naturalWidth > 0)"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def city_zip(folder: Path) -> tuple[Path, mm.District]:
    d = mm.synthesize_district(**CITY)
    tables = mm.save_district(d, folder / "city")
    archive = shutil.make_archive(str(folder / "city"), "zip", tables)
    return Path(archive), d


def _wait_text(page, css: str, words: str) -> None:
    page.wait_for_function(
        "([css, words]) => [...document.querySelectorAll(css)]"
        ".some(e => (e.textContent || '').includes(words))",
        arg=[css, words],
        timeout=TIMEOUT,
    )


def run_roster(browser, url: str, size: str, upload: Path | None, shots: bool) -> dict:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(".mm-sample", timeout=TIMEOUT)
        opened = time.perf_counter() - start
        start = time.perf_counter()
        if upload is None:
            page.click(".mm-sample")
        else:
            with page.expect_file_chooser() as chooser:
                page.click(".mm-upload")
            chooser.value.set_files(str(upload))
        _wait_text(page, ".mm-glance", "需要带教的书记")
        page.wait_for_function(IDLE, timeout=TIMEOUT)
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        page.click(".mm-solve")
        page.wait_for_selector(".mm-plan table", timeout=TIMEOUT)
        plan = time.perf_counter() - start
        page.wait_for_function(IDLE, timeout=TIMEOUT)
        page.wait_for_function(CHARTS, timeout=TIMEOUT)
        charts = time.perf_counter() - start
        headline = page.inner_text(".mm-headline")
        if shots:
            folder = ROOT / "build" / "screenshots" / "app"
            folder.mkdir(parents=True, exist_ok=True)
            height = page.evaluate("() => document.querySelector('#rendered_cells').scrollHeight")
            page.set_viewport_size({"width": VIEWPORT["width"], "height": min(height + 40, 16000)})
            page.wait_for_timeout(300)
            page.screenshot(path=str(folder / f"bench-{size}.png"), full_page=True)
        return {
            "page s": opened,
            "load s": loaded,
            "solve to plan s": plan,
            "solve to charts s": charts,
            "headline": headline,
        }
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="district,city")
    parser.add_argument("--shots", action="store_true", help="save screenshots")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    executable = chromium()
    ref = reference()
    print(
        f"machine: {platform.machine()}, {platform.python_version()}, reference "
        f"linear_sum_assignment 2000x2000: {ref:.2f} s"
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        rosters = {}
        for size in args.sizes.split(","):
            if size == "district":
                d = mm.load_district(ROOT / "data" / "sample")
                rosters[size] = (None, d)
            elif size == "city":
                rosters[size] = city_zip(Path(tmp))
            else:
                raise SystemExit(f"unknown size {size!r}: district or city")
        port = _free_port()
        log = Path(tmp) / "voila.log"
        browser = p.chromium.launch(
            executable_path=executable, headless=True, args=[*ARGS, "--disable-quic"]
        )
        started = time.perf_counter()
        with open(log, "wb") as out:
            server = subprocess.Popen(
                [sys.executable, "-m", "mentormatch.app", "--port", str(port), "--no-browser"],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        try:
            while "mentormatch app: http" not in log.read_text(errors="replace"):
                if server.poll() is not None:
                    raise SystemExit(log.read_text(errors="replace"))
                time.sleep(0.05)
            listening = time.perf_counter() - started
            url = f"http://127.0.0.1:{port}/"
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            page.goto(url)
            page.wait_for_selector(".mm-sample", timeout=TIMEOUT)
            first = time.perf_counter() - started
            context.close()
            rows.append(
                {
                    "size": "serve to page",
                    "in post": None,
                    "mentees": None,
                    "mentors": None,
                    "roster MB": None,
                    "page s": first,
                    "load s": None,
                    "solve to plan s": None,
                    "solve to charts s": None,
                }
            )
            print(f"serve: listening after {listening:.1f} s, first page after {first:.1f} s")
            for size, (upload, d) in rosters.items():
                row = run_roster(browser, url, size, upload, args.shots)
                print(f"{size}: {row.pop('headline')}")
                rows.append(
                    {
                        "size": size,
                        "in post": len(d.in_post),
                        "mentees": len(d.mentees),
                        "mentors": len(d.mentors),
                        "roster MB": upload.stat().st_size / 1e6 if upload else None,
                        **row,
                    }
                )
        finally:
            browser.close()
            server.terminate()
            server.wait(timeout=60)
    table = pd.DataFrame(rows)
    for col in ("page s", "load s", "solve to plan s", "solve to charts s"):
        table[col.replace(" s", " x ref")] = table[col] / ref
    columns = [
        "size",
        "in post",
        "mentees",
        "mentors",
        "roster MB",
        "page s",
        "load s",
        "solve to plan s",
        "solve to plan x ref",
        "solve to charts s",
        "solve to charts x ref",
        "page x ref",
    ]
    print(
        table[columns].to_string(
            index=False,
            na_rep="",
            float_format=lambda v: f"{v:.1f}",
            formatters={
                "in post": lambda v: "" if pd.isna(v) else f"{int(v)}",
                "mentees": lambda v: "" if pd.isna(v) else f"{int(v)}",
                "mentors": lambda v: "" if pd.isna(v) else f"{int(v)}",
            },
        )
    )


if __name__ == "__main__":
    main()
