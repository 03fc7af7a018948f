"""The reproducible report: run the notebooks on a roster, join them as one HTML page.

Each notebook runs with its parameters cell set (``DATA``, ``SEED``, ``PSEUDONYMIZE``,
``LANG`` and, where a notebook has widgets, ``INTERACTIVE=False``), so the same
notebooks serve any roster. The executed notebooks become one self-contained HTML page
in one language (:mod:`mentormatch.report.render`): the headline figures first, code
hidden, charts inline, long tables whole in an appendix and beside the report as CSV
and XLSX (``tables/``), a stylesheet for print, and optionally a PDF printed by
headless Chromium. Same data and seed give the same page, byte for byte: it carries
no date and no path, only the data folder's name.

The notebooks ship inside the package, so ``mentormatch report`` works from any folder
after ``pip install 'mentormatch-suite[notebooks]'``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from mentormatch import __version__
from mentormatch.errors import DataError, MissingDependencyError
from mentormatch.io import atomic_directory, atomic_path, write_csv

__all__ = ["build_report", "notebook_dir", "roster", "find_chromium", "REPORT_NAME", "PDF_NAME"]

REPORT_NAME = "report.html"
PDF_NAME = "report.pdf"
#: How to get Chromium, for ``--pdf``.
CHROMIUM_HINT = "install Chromium (Debian/Ubuntu: sudo apt install chromium) or leave out --pdf"
_NO_CHROMIUM_ZH = (
    "生成 PDF 需要 Chromium：请安装 Chromium（Debian/Ubuntu：sudo apt install chromium），"
    "或去掉 --pdf"
)


def roster(d, *, seed: int = 2018, k: int | str = "auto", lang: str = "en"):
    """Every secretary with their cluster, mentor, base and salon group, or the reason
    they have none: the report's appendix, so that nobody in the roster goes missing.

    Uses the settings of the notebooks: clusters as notebook 02 (``k``, ``seed``), the
    ``total`` plan as notebook 03 (placing as many as possible), groups as notebook 04.
    ``lang`` ("zh" or "en") chooses the language of status, cluster names and notes.

    Returns
    -------
    DataFrame
        One row per row of ``d.secretaries``, in roster order: ``secretary_id``,
        ``name``, ``street_town``, ``community_name``, ``status``, ``cluster``,
        ``mentor``, ``base``, ``group``, ``note``.
    """
    import pandas as pd

    from mentormatch.cluster import cluster_secretaries
    from mentormatch.groups import salon_plan, standard_size
    from mentormatch.plan import STATUS, match

    zh = lang == "zh"
    ids = d.secretaries["secretary_id"]
    clusters = cluster_secretaries(d, k=k, random_state=seed, progress=False).to_frame()
    cluster = clusters.set_index("secretary_id")["cluster_name_zh" if zh else "cluster_name_en"]
    if d.mentees.empty or d.mentors.empty:
        plan = None
    else:
        plan = match(d, "total", partial=True).table.set_index("secretary_id")
    n_groups, with_mentors = standard_size(d)
    if n_groups >= 1:
        # The groups alone (no random baseline): the same groups as part 04, which draws
        # its random partitions from a separate stream.
        salon = salon_plan(d, n_groups, seed=seed, mentors=with_mentors, n_random=0, progress=False)
        group = salon.to_frame().set_index("secretary_id")["group"]
    else:
        group = pd.Series(dtype="Int64")
    departed = d.departed.to_numpy()
    needs = d.secretaries["needs_mentor"].to_numpy()
    if plan is not None:
        status = plan["status"].reindex(ids).to_numpy()
        mentor = plan["mentor_name"].reindex(ids)
        base = plan["base_name"].reindex(ids)
        note = plan["unplaced_reason_zh" if zh else "unplaced_reason"].reindex(ids)
    else:
        status = [
            "departed" if g else ("unplaced" if n else "not_needed")
            for g, n in zip(departed, needs, strict=True)
        ]
        mentor = base = pd.Series([None] * len(ids))
        note = pd.Series(["" for _ in ids])
    return pd.DataFrame(
        {
            "secretary_id": ids.to_numpy(),
            "name": d.secretaries["name"].to_numpy(),
            "street_town": d.secretaries["street_town"].to_numpy(),
            "community_name": d.secretaries["community_name"].to_numpy(),
            "status": [STATUS[s][0 if zh else 1] for s in status],
            "cluster": cluster.reindex(ids).to_numpy(),
            "mentor": pd.Series(mentor).to_numpy(),
            "base": pd.Series(base).to_numpy(),
            "group": group.reindex(ids).astype("Int64").to_numpy(),
            "note": pd.Series(note).fillna("").to_numpy(),
        }
    )


def notebook_dir() -> Path:
    """The notebooks: shipped inside the package, or beside it in a source checkout."""
    here = Path(__file__).resolve().parent.parent
    shipped = here / "notebooks"
    if any(shipped.glob("[0-9][0-9]_*.ipynb")):
        return shipped
    return here.parent / "notebooks"


def _notebooks(folder: Path, names: Sequence[str] | None) -> list[Path]:
    found = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    if names:
        found = [p for p in found if p.stem in names or p.name in names]
    if not found:
        raise DataError(f"no notebooks found in {folder}")
    return found


def find_chromium() -> str | None:
    """The path of a Chromium or Chrome executable, or ``None``."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def build_report(
    data: str | Path,
    out: str | Path,
    *,
    seed: int = 2018,
    lang: str = "zh",
    pseudonymize: bool = False,
    pdf: bool = False,
    notebooks: Sequence[str] | None = None,
    notebook_folder: str | Path | None = None,
    progress: bool = True,
) -> Path:
    """Run the notebooks on ``data`` and write the report into folder ``out``.

    Parameters
    ----------
    data : path
        Data folder or workbook (validated first: bad data fails before any notebook runs).
    out : path
        Output folder: ``report.html``, ``tables/`` (the long tables as CSV and XLSX),
        ``notebooks/`` (the executed notebooks) and, with ``pdf``, ``report.pdf``.
    seed : int
        Passed to every notebook's ``SEED`` parameter.
    lang : {"zh", "en"}
        The language of the whole report.
    pseudonymize : bool
        Secretaries, mentors, communities and bases are named by stable codes only.
    pdf : bool
        Also print the page to ``report.pdf`` with headless Chromium.
    notebooks : sequence of str, optional
        Run only these notebooks (stems like ``01_district_overview``).

    Returns
    -------
    Path
        The report file.
    """
    from mentormatch.io import load_district, save_district
    from mentormatch.lang import check
    from mentormatch.report.run import execute, require_notebook_tools

    check(lang)
    require_notebook_tools()
    chromium = find_chromium() if pdf else None
    if pdf and chromium is None:
        raise MissingDependencyError(f"--pdf needs Chromium: {CHROMIUM_HINT}", zh=_NO_CHROMIUM_ZH)
    data = Path(data).resolve()
    d = load_district(data)  # fail early and clearly on bad input
    folder = Path(notebook_folder) if notebook_folder else notebook_dir()
    paths = _notebooks(folder, notebooks)

    def done(path: Path, seconds: float) -> None:
        if progress:
            print(f"  ran {path.name} in {seconds:.1f} s")

    import nbformat

    from mentormatch.report.render import render

    with tempfile.TemporaryDirectory(prefix="mentormatch-report-") as work:
        # Every notebook reads the roster: a workbook is read once, here, and the
        # notebooks get the same District as CSV files (which load many times faster).
        copy = save_district(d, Path(work) / "roster")
        parameters = {
            "DATA": str(copy),
            "SEED": int(seed),
            "PSEUDONYMIZE": bool(pseudonymize),
            "LANG": lang,
            "INTERACTIVE": False,
        }
        executed = execute(paths, parameters, cwd=Path(work), on_done=done)
    for nb in executed:
        _restore_data_parameter(nb, str(copy), str(data))
    synthetic = d.synthetic
    info = {
        "data_name": data.name,
        "seed": int(seed),
        "pseudonymize": bool(pseudonymize),
        "synthetic": synthetic,
        "version": __version__,
    }
    page = render(executed, info, lang)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with atomic_directory(out / "notebooks") as tmp:
        for path, nb in zip(paths, executed, strict=True):
            nbformat.write(nb, tmp / path.name)
    _write_tables(page.tables, out / "tables")
    report = out / REPORT_NAME
    with atomic_path(report) as tmp:
        tmp.write_text(page.html, encoding="utf-8")
    if pdf:
        print_pdf(report, out / PDF_NAME, chromium=chromium)
    return report


def _restore_data_parameter(nb, used: str, original: str) -> None:
    """The executed notebooks name the roster the user gave, not the working copy."""
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.source = cell.source.replace(repr(used), repr(original))


def _write_tables(tables, folder: Path) -> None:
    """Each long table beside the report, as CSV (UTF-8 with BOM, for Excel) and XLSX."""
    import pandas as pd

    from mentormatch.workbook import write_workbook

    if folder.exists():
        shutil.rmtree(folder)
    if not tables:
        return
    with atomic_directory(folder) as tmp:
        for table in tables:
            frame = pd.DataFrame(table.rows, columns=table.columns)
            write_csv(frame, tmp / f"{table.name}.csv", bom=True)
            kinds = dict(zip(table.columns, table.kinds, strict=True))
            write_workbook({table.title: (frame, kinds)}, tmp / f"{table.name}.xlsx")


def print_pdf(page: Path, target: Path, *, chromium: str | None = None) -> Path:
    """Print ``page`` to ``target`` as PDF (A4, the page's print stylesheet) with
    headless Chromium."""
    chromium = chromium or find_chromium()
    if chromium is None:
        raise MissingDependencyError(
            f"printing a PDF needs Chromium: {CHROMIUM_HINT}", zh=_NO_CHROMIUM_ZH
        )
    with tempfile.TemporaryDirectory(prefix="mentormatch-chromium-") as profile:
        with atomic_path(target) as tmp:
            command = [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={tmp}",
                page.resolve().as_uri(),
            ]
            done = subprocess.run(command, capture_output=True, text=True, timeout=300)
            if done.returncode != 0 or not tmp.exists() or tmp.stat().st_size == 0:
                raise RuntimeError(f"Chromium could not print {page}: {done.stderr.strip()}")
    return target
