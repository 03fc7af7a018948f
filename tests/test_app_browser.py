"""The workbench as a planner uses it: the real Voilà page in headless Chromium.

Starts ``python -m mentormatch.app`` on a free port (as ``mentormatch app`` does), then,
on the sample and on a short-capacity office roster: upload, solve, lock a pair, move a
mentee, re-solve, download the plan workbook and read it with openpyxl (Chinese sheet
names, the locked pairs, numbers as numbers). A broken workbook shows its problem table
and nothing else. Screenshots of every step are saved in build/screenshots/app/ to look
at. Skips without Chromium or Playwright (see tests/browser.py), unless
MENTORMATCH_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
import rosters
from browser import ARGS, VIEWPORT, chromium
from conftest import ROOT

pytestmark = pytest.mark.notebooks
SHOTS = ROOT / "build" / "screenshots" / "app"
#: The kernel starts and imports the package before the page shows: allow for a slow CI.
PAGE_TIMEOUT = 120_000
STEP_TIMEOUT = 90_000
RAW = re.compile(r"\b(nan|NaN|None|True|False|<NA>|NaT)\b")
#: Buttons and labels whose words do not fit (cut off with an ellipsis).
CUT_OFF = """() => [...document.querySelectorAll(
    '.mm-app button, .mm-app .widget-label, .mm-app .widget-readout')]
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
  .map(e => (e.textContent || '').trim())"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def executable() -> str:
    return chromium()


@pytest.fixture(scope="module")
def server(executable, tmp_path_factory):
    """The workbench served by ``python -m mentormatch.app`` (Voilà), stopped after."""
    port = _free_port()
    log = tmp_path_factory.mktemp("app") / "voila.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "mentormatch.app", "--port", str(port), "--no-browser"],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=tmp_path_factory.mktemp("cwd"),
        )
    try:
        started = time.monotonic()
        while "mentormatch app: http://127.0.0.1" not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() - started > 120:
                pytest.fail(f"the app did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.send_signal(signal.SIGTERM)  # serve() stops Voilà and its kernels
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == 0, log.read_text(errors="replace")


@pytest.fixture(scope="module")
def browser(executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=executable, headless=True, args=[*ARGS, "--disable-quic"]
        )
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    d = rosters.short_capacity()
    return rosters.write_office_roster(d, tmp_path_factory.mktemp("office") / "名册.xlsx")


@pytest.fixture(scope="module")
def broken(office, tmp_path_factory) -> Path:
    """The office workbook with a birth year in words in 书记, Excel row 7."""
    wb = openpyxl.load_workbook(office)
    ws = wb["书记"]
    column = next(c.column for row in ws.iter_rows(max_row=6) for c in row if c.value == "出生年月")
    ws.cell(row=7, column=column).value = "一九九零"
    path = tmp_path_factory.mktemp("broken") / "名册.xlsx"
    wb.save(path)
    return path


class App:
    """One planner's page: a fresh kernel, with what went wrong recorded."""

    def __init__(self, browser, url: str, name: str):
        self.context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        self.page = self.context.new_page()
        self.name = name
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(url)
        self.page.wait_for_selector(".mm-sample", timeout=PAGE_TIMEOUT)
        self.step = 0
        for old in SHOTS.glob(f"{name}-*.png"):
            old.unlink()

    def shot(self, what: str) -> Path:
        """A screenshot of the whole page (Voilà scrolls inside #rendered_cells: the
        window is made as tall as the page for it)."""
        self.step += 1
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{self.name}-{self.step:02d}-{what}.png"
        page = self.page
        height = page.evaluate(
            "() => (document.querySelector('#rendered_cells') || document.body).scrollHeight"
        )
        page.set_viewport_size({"width": VIEWPORT["width"], "height": max(900, height + 40)})
        try:
            page.wait_for_timeout(200)
            page.screenshot(path=str(path), full_page=True)
        finally:
            page.set_viewport_size(VIEWPORT)
        return path

    def text(self, css: str) -> str:
        return self.page.inner_text(css)

    def wait_text(self, css: str, words: str, timeout: int = STEP_TIMEOUT) -> None:
        self.page.wait_for_function(
            "([css, words]) => [...document.querySelectorAll(css)]"
            ".some(e => (e.textContent || '').includes(words))",
            arg=[css, words],
            timeout=timeout,
        )

    def idle(self) -> None:
        """Wait until no spinner shows (the kernel has finished the step)."""
        self.page.wait_for_function(
            "() => [...document.querySelectorAll('.mm-busy')].every(e => e.offsetParent === null)",
            timeout=STEP_TIMEOUT,
        )

    def upload(self, path: Path) -> None:
        with self.page.expect_file_chooser() as chooser:
            self.page.click(".mm-upload")
        chooser.value.set_files(str(path))

    def options(self, css: str) -> list[str]:
        return self.page.eval_on_selector_all(f"{css} select option", "os => os.map(o => o.text)")

    def choose(self, css: str, label: str) -> None:
        self.page.select_option(f"{css} select", label=label)

    def solved(self) -> None:
        self.page.click(".mm-solve")
        self.page.wait_for_selector(".mm-plan table", timeout=STEP_TIMEOUT)
        self.idle()
        self.page.wait_for_function(
            "() => [...document.querySelectorAll('img.mm-chart-random, img.mm-chart-scores')]"
            ".every(i => i.complete && i.naturalWidth > 0)",
            timeout=STEP_TIMEOUT,
        )

    def check_seen(self) -> None:
        """What a person would notice: raw values, words cut off, errors, requests that
        leave this computer."""
        shown = self.text(".mm-app")
        assert not RAW.search(shown), RAW.search(shown)
        assert not self.page.evaluate(CUT_OFF), self.page.evaluate(CUT_OFF)
        assert not self.errors, self.errors
        outside = [
            u for u in self.requests if not u.startswith(("http://127.0.0.1", "data:", "blob:"))
        ]
        assert not outside, outside

    def close(self) -> None:
        self.context.close()


def _id(label: str, prefix: str) -> str:
    return re.search(rf"[（(]({prefix}\d+)[）)]", label).group(1)


def _adjust(app: App) -> tuple[str, str, str, str]:
    """Lock one mentee's pair and move another to a different mentor; returns
    (locked mentee, its mentor, moved mentee, new mentor)."""
    mentees = app.options(".mm-adjust-mentee")
    placed = [m for m in mentees if not m.endswith("未结对")]
    locked = placed[1]
    app.choose(".mm-adjust-mentee", locked)
    app.page.click(".mm-lock")
    app.wait_text(".mm-locks", "（1 对）")
    locked_mentor = _id(locked.split("—")[1], "M")

    moved = placed[0]
    app.choose(".mm-adjust-mentee", moved)
    now = _id(moved.split("—")[1], "M")
    mentors = [o for o in app.options(".mm-adjust-mentor") if re.search(r"（M\d+）", o)]
    target = next(o for o in mentors if _id(o, "M") not in (now, locked_mentor))
    app.choose(".mm-adjust-mentor", target)
    app.page.click(".mm-move")
    app.wait_text(".mm-locks", "（2 对）")
    app.idle()
    return _id(locked, "S"), locked_mentor, _id(moved, "S"), _id(target, "M")


def _download(app: App, link: str, name: str, folder: Path) -> Path:
    """Wait for the download link, click it, save what the browser downloads."""
    app.page.wait_for_selector(f"{link} a.mm-link", timeout=STEP_TIMEOUT)
    with app.page.expect_download() as download:
        app.page.click(f"{link} a.mm-link")
    assert download.value.suggested_filename == name
    path = folder / f"{app.name}-{name}"
    download.value.save_as(path)
    app.idle()
    return path


def _download_plan(app: App, folder: Path) -> Path:
    app.page.click(".mm-download-plan")
    return _download(app, ".mm-link-plan", "结对方案.xlsx", folder)


def _check_plan_workbook(path: Path, pairs: dict[str, str], unplaced: int) -> None:
    book = openpyxl.load_workbook(path)
    assert {"结对方案", "未结对"} <= set(book.sheetnames)
    rows = list(book["结对方案"].iter_rows(values_only=True))
    header = list(rows[0])
    sid, mid, score = (header.index(h) for h in ("书记编号", "带教老师编号", "匹配分"))
    mentor_of = {r[sid]: r[mid] for r in rows[1:] if r[sid]}
    for s, m in pairs.items():
        assert mentor_of[s] == m, (s, m, mentor_of.get(s))
    numbers = [r[score] for r in rows[1:] if r[mid]]
    assert numbers and all(isinstance(x, int | float) and not isinstance(x, bool) for x in numbers)
    left = [r for r in list(book["未结对"].iter_rows(values_only=True))[1:] if any(r)]
    assert len(left) >= unplaced


def test_the_sample_from_start_to_the_plan_workbook(server, browser, tmp_path):
    app = App(browser, server, "sample")
    try:
        assert app.text(".mm-title").startswith("带教结对工作台")
        assert not app.page.is_visible(".mm-step-solve")  # nothing but loading, first
        app.shot("start")
        app.page.click(".mm-sample")
        app.wait_text(".mm-glance", "需要带教的书记")
        app.idle()
        assert "65" in app.text(".mm-glance")
        app.shot("loaded")
        app.solved()
        assert "已结对 65/65 名" in app.text(".mm-headline")
        assert app.page.locator(".mm-plan table").count() == 13
        app.shot("solved")
        locked, locked_mentor, moved, target = _adjust(app)
        assert "名额超出" in app.text(".mm-broken")  # every mentor was full or near it
        assert "求解方案" in app.text(".mm-cost")
        app.shot("moved")
        app.page.click(".mm-resolve")
        app.wait_text(".mm-broken", "没有违反任何规则")
        app.idle()
        app.shot("resolved")
        assert "手工调整" not in app.text(".mm-plan") and "已锁定" in app.text(".mm-plan")
        path = _download_plan(app, tmp_path)
        _check_plan_workbook(path, {locked: locked_mentor, moved: target}, 0)
        app.check_seen()
        # The English switch rebuilds the page's words.
        app.page.click(".mm-lang button:has-text('English')")
        app.wait_text(".mm-headline", "65 of 65 placed")
        assert app.page.inner_text(".mm-solve") == "Solve"
        app.idle()
        app.shot("english")
        app.check_seen()
    finally:
        app.close()


def test_a_short_office_roster_gives_a_partial_plan(server, browser, office, tmp_path):
    app = App(browser, server, "short")
    try:
        app.upload(office)
        app.wait_text(".mm-glance", "名额缺口")
        app.idle()
        assert app.page.is_checked(".mm-partial input[type=checkbox]")
        app.shot("loaded")
        app.solved()
        assert "已结对 17/20 名" in app.text(".mm-headline")
        unplaced = app.text(".mm-unplaced")
        assert "未能结对的书记（3 名）" in unplaced and "增加 1 个名额即可结对" in unplaced
        app.shot("solved")
        locked, locked_mentor, moved, target = _adjust(app)
        app.shot("moved")
        app.page.click(".mm-resolve")
        app.wait_text(".mm-cost", "当前方案")
        app.idle()
        app.shot("resolved")
        path = _download_plan(app, tmp_path)
        _check_plan_workbook(path, {locked: locked_mentor, moved: target}, 3)
        # The salon groups and the report, each behind its own button.
        app.page.click(".mm-download-groups")
        groups = _download(app, ".mm-link-groups", "沙龙分组.xlsx", tmp_path)
        assert "分组名单" in openpyxl.load_workbook(groups).sheetnames
        app.page.click(".mm-download-report")
        app.page.wait_for_selector(".mm-progress-download", state="visible", timeout=STEP_TIMEOUT)
        assert "正在生成报告" in app.text(".mm-busy-download")
        app.shot("report-running")
        report = _download(app, ".mm-link-report", "带教报告.html", tmp_path)
        assert report.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
        # Without a partial plan: the reason and the fix.
        app.page.click(".mm-partial input[type=checkbox]")
        app.page.click(".mm-solve")
        app.wait_text(".mm-error", "名额短缺 3 个")
        app.idle()
        assert "允许部分方案" in app.text(".mm-error")
        app.shot("infeasible")
        app.check_seen()
    finally:
        app.close()


def test_a_broken_workbook_shows_its_problems_and_nothing_else(server, browser, broken):
    app = App(browser, server, "broken")
    try:
        app.upload(broken)
        app.page.wait_for_selector(".mm-problems table", timeout=STEP_TIMEOUT)
        rows = app.page.eval_on_selector_all(
            ".mm-problems tbody tr", "rs => rs.map(r => [...r.cells].map(c => c.innerText))"
        )
        assert rows[0][:4] == ["名册.xlsx 工作表「书记」", "7", "出生年月", "一九九零"]
        headers = app.page.eval_on_selector_all(".mm-problems th", "hs => hs.map(h => h.innerText)")
        assert headers == ["工作表或文件", "Excel 行号", "列", "填写的值", "应为", "修改建议"]
        for step in ("glance", "rules", "solve", "adjust", "download"):
            assert not app.page.is_visible(f".mm-step-{step}"), step
        app.shot("problems")
        app.check_seen()
    finally:
        app.close()


def test_the_page_opens_in_english(server, browser):
    app = App(browser, server + "?lang=en", "english")
    try:
        assert app.text(".mm-title").startswith("Mentoring planner's workbench")
        assert app.page.inner_text(".mm-sample") == "Use the sample roster"
        app.check_seen()
    finally:
        app.close()


def test_serve_refuses_a_port_in_use(server):
    port = int(server.rstrip("/").rsplit(":", 1)[1])
    done = subprocess.run(
        [sys.executable, "-m", "mentormatch.app", "--port", str(port), "--no-browser"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ},
    )
    assert done.returncode == 2
    assert "already in use" in done.stderr and "Traceback" not in done.stderr
