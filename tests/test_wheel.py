"""The wheel as a user gets it: built from the checkout, installed in a fresh virtual
environment, run from a folder outside the checkout.

Slow (a few minutes on a cold pip cache, about a minute or two on a warm one), and part
of ``make test`` and CI all the same: the notebooks ship inside the wheel only if this
passes. ``pytest -s`` prints how long each step took; ``-m 'not slow'`` leaves it out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, ROOT

pytestmark = pytest.mark.slow

INSTALL_HINT = "pip install 'mentormatch-suite[notebooks]'"
#: What a copy of the checkout leaves out: environments, caches, build output.
JUNK = shutil.ignore_patterns(
    ".venv",
    ".git",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    ".hypothesis",
    ".ruff_cache",
    ".ipynb_checkpoints",
    "reports",
)
NOTEBOOKS = [f"0{i}_" for i in (1, 2, 3, 4, 5, 7, 8)]


def _env() -> dict[str, str]:
    """This process's environment without what ties it to the project's own venv."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "MPLBACKEND", "CONDA_PREFIX"}
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(what: str, command: list, *, cwd: Path, check: bool = True, timeout: int = 1500):
    """Run ``command``, print how long it took, fail with its output if it fails."""
    started = time.perf_counter()
    done = subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    print(f"\n[test_wheel] {what}: {time.perf_counter() - started:.1f} s", flush=True)
    if check and done.returncode != 0:
        pytest.fail(
            f"{what} failed (exit {done.returncode}):\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
        )
    return done


def _venv(path: Path, cwd: Path) -> Path:
    _run(
        f"create the virtual environment {path.name}", [sys.executable, "-m", "venv", path], cwd=cwd
    )
    return path / "bin"


@pytest.fixture(scope="module")
def outside(tmp_path_factory) -> Path:
    """A working folder outside the checkout."""
    folder = tmp_path_factory.mktemp("wheel")
    assert ROOT not in folder.resolve().parents
    return folder


@pytest.fixture(scope="module")
def dist(outside) -> dict[str, Path]:
    """The sdist and the wheel, built from a copy of the checkout: ``python -m build``
    makes the sdist and then the wheel from that sdist, so that both must carry the
    notebooks."""
    src = outside / "src"
    shutil.copytree(ROOT, src, ignore=JUNK)
    tools = _venv(outside / "build-env", outside)
    _run(
        "install the build frontend",
        [tools / "python", "-m", "pip", "install", "-q", "build"],
        cwd=outside,
    )
    out = outside / "dist"
    _run(
        "build the sdist and, from it, the wheel",
        [tools / "python", "-m", "build", "--outdir", out, src],
        cwd=outside,
    )
    [wheel] = out.glob("mentormatch_suite-*.whl")
    [sdist] = out.glob("mentormatch_suite-*.tar.gz")
    return {"wheel": wheel, "sdist": sdist, "src": src}


def _names(names: list[str], prefix: str) -> list[str]:
    return sorted(n[len(prefix) :] for n in names if n.startswith(prefix))


def test_wheel_holds_the_notebooks_and_the_stylesheet(dist):
    names = zipfile.ZipFile(dist["wheel"]).namelist()
    shipped = _names(names, "mentormatch/notebooks/")
    for number in NOTEBOOKS:
        assert any(n.startswith(number) and n.endswith(".ipynb") for n in shipped), (
            number,
            shipped,
        )
    checkout = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert shipped == checkout  # every numbered notebook, nothing else
    assert "mentormatch/report/report.css" in names
    assert "mentormatch/app/app.ipynb" in names  # the page `mentormatch app` serves
    # The copies are the checkout's notebooks, byte for byte.
    with zipfile.ZipFile(dist["wheel"]) as z:
        for name in shipped:
            copy = z.read(f"mentormatch/notebooks/{name}")
            assert copy == (dist["src"] / "notebooks" / name).read_bytes(), name


def test_sdist_holds_the_notebooks_and_the_build_hook(dist):
    with tarfile.open(dist["sdist"]) as tar:
        names = ["/".join(n.split("/")[1:]) for n in tar.getnames()]
    for number in NOTEBOOKS:
        assert any(n.startswith(f"notebooks/{number}") for n in names), (number, names)
    for name in [
        "setup.py",
        "pyproject.toml",
        "mentormatch/report/report.css",
        "mentormatch/app/app.ipynb",
    ]:
        assert name in names, name


def test_installed_wheel_runs_the_report_from_any_folder(dist, outside):
    """Without the extra, ``mentormatch report`` says in one line what to install; with
    it, the report builds from a folder outside the checkout, on data outside it."""
    work = outside / "work"
    work.mkdir()
    data = work / "small"
    shutil.copytree(DATA / "small", data)
    bin_ = _venv(outside / "user-env", outside)
    pip = [bin_ / "python", "-m", "pip", "install", "-q"]
    _run("install the wheel without extras", pip + [dist["wheel"]], cwd=work)

    done = _run(
        "mentormatch report without the notebook tools",
        [bin_ / "mentormatch", "report", data.name, "--out", "out"],
        cwd=work,
        check=False,
    )
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert len(lines) == 1, done.stderr
    assert INSTALL_HINT in lines[0], lines
    assert lines[0].startswith("错误：生成报告需要笔记本工具"), lines  # Chinese by default
    assert "Traceback" not in done.stderr + done.stdout
    assert not (work / "out" / "report.html").exists()

    _run("install the wheel with [notebooks]", pip + [f"{dist['wheel']}[notebooks]"], cwd=work)
    located = _run(
        "locate the notebooks",
        [
            bin_ / "python",
            "-c",
            "from mentormatch.report import notebook_dir; print(notebook_dir())",
        ],
        cwd=work,
    )
    site = Path(located.stdout.strip())
    assert site.parent.name == "mentormatch" and "site-packages" in site.parts, site
    done = _run(
        "mentormatch report on tests/data/small",
        [bin_ / "mentormatch", "report", data.name, "--out", "out"],
        cwd=work,
    )
    report = work / "out" / "report.html"
    assert done.returncode == 0 and report.is_file(), done.stderr
    html = report.read_text(encoding="utf-8")
    assert "data:image/png;base64," in html  # charts drawn and inlined
    assert "Traceback" not in html
    assert "Traceback" not in done.stderr, done.stderr


def test_editable_install_finds_the_checkout_notebooks(dist, outside):
    """``pip install -e`` (the Makefile's) copies nothing: the checkout's notebooks are
    the ones run, so that an edit to them takes effect at once."""
    src = dist["src"]
    bin_ = outside / "user-env" / "bin"
    if not (bin_ / "python").exists():  # run alone: a venv of its own, deps from the wheel
        bin_ = _venv(outside / "user-env", outside)
        _run(
            "install the wheel",
            [bin_ / "python", "-m", "pip", "install", "-q", dist["wheel"]],
            cwd=outside,
        )
    _run(
        "editable install of the checkout copy",
        [bin_ / "python", "-m", "pip", "install", "-q", "--no-deps", "-e", src],
        cwd=outside,
    )
    located = _run(
        "locate the notebooks",
        [
            bin_ / "python",
            "-c",
            "from mentormatch.report import notebook_dir; print(notebook_dir())",
        ],
        cwd=outside,
    )
    assert Path(located.stdout.strip()) == src / "notebooks"
    assert not (src / "mentormatch" / "notebooks").exists()
