"""The reproducible report: run the notebooks on a data folder, join them as one HTML page.

Each notebook runs through papermill with its parameters cell set (``DATA``, ``SEED``,
``PSEUDONYMIZE``), so the same notebooks serve any data folder. The executed notebooks
are joined into one self-contained HTML file: code hidden, figures inline, a table of
contents, and the data folder, seed and package version on the first screen. Same data
and seed give the same report: it carries no date, and the version only in its header.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Sequence
from pathlib import Path

from mentormatch import __version__
from mentormatch.errors import DataError, InfeasibleError
from mentormatch.io import atomic_path

__all__ = ["build_report", "notebook_dir", "roster", "REPORT_NAME"]

REPORT_NAME = "report.html"


def roster(d, *, seed: int = 2018, k: int | str = "auto", lang: str = "en"):
    """Every secretary with their cluster, mentor, base and salon group, or the reason
    they have none: the report's appendix, so that nobody in the roster goes missing.

    Uses the settings of the notebooks: clusters as notebook 02 (``k``, ``seed``), the
    ``total`` plan as notebook 03 (placing as many as possible), groups as notebook 04.
    ``lang`` ("zh" or "en") chooses the language of status and cluster names.

    Returns
    -------
    DataFrame
        One row per row of ``d.secretaries``, in roster order.
    """
    import pandas as pd

    from mentormatch.cluster import cluster_secretaries
    from mentormatch.groups import salon_plan, standard_size
    from mentormatch.plan import STATUS, match

    clusters = cluster_secretaries(d, k=k, random_state=seed, progress=False).to_frame()
    plan = match(d, "total", partial=True).table.set_index("secretary_id")
    n_groups, with_mentors = standard_size(d)
    groups = (
        salon_plan(d, n_groups, seed=seed, mentors=with_mentors, progress=False)
        .to_frame()
        .set_index("secretary_id")
    )
    ids = d.secretaries["secretary_id"]
    status = plan["status"].reindex(ids)
    out = pd.DataFrame(
        {
            "secretary_id": ids.to_numpy(),
            "name": d.secretaries["name"].to_numpy(),
            "status": status.map(lambda s: STATUS[s][1]).to_numpy(),
            "cluster": clusters.set_index("secretary_id")["cluster_name_en"]
            .reindex(ids)
            .to_numpy(),
            "mentor": plan["mentor_name"].reindex(ids).to_numpy(),
            "base": plan["base_name"].reindex(ids).to_numpy(),
            "group": groups["group"].reindex(ids).astype("Int64").to_numpy(),
            "note": plan["unplaced_reason"].reindex(ids).to_numpy(),
        }
    )
    return out


def notebook_dir() -> Path:
    """The project's notebooks folder (beside the package in a source checkout)."""
    return Path(__file__).resolve().parents[1] / "notebooks"


def _notebooks(folder: Path, names: Sequence[str] | None) -> list[Path]:
    found = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    if names:
        found = [p for p in found if p.stem in names or p.name in names]
    if not found:
        raise DataError(f"no notebooks found in {folder}")
    return found


def build_report(
    data: str | Path,
    out: str | Path,
    *,
    seed: int = 2018,
    pseudonymize: bool = False,
    notebooks: Sequence[str] | None = None,
    notebook_folder: str | Path | None = None,
    progress: bool = True,
) -> Path:
    """Run the notebooks on ``data`` and write one HTML report into folder ``out``.

    Parameters
    ----------
    data : path
        Data folder or workbook (validated first: bad data fails before any notebook runs).
    out : path
        Output folder; the report is ``out/report.html`` and the executed notebooks go
        to ``out/notebooks/``.
    seed : int
        Passed to every notebook's ``SEED`` parameter.
    pseudonymize : bool
        Passed as ``PSEUDONYMIZE``: names are replaced by stable codes.
    notebooks : sequence of str, optional
        Run only these notebooks (stems like ``01_district_overview``).

    Returns
    -------
    Path
        The report file.
    """
    import nbformat
    import papermill

    from mentormatch.io import load_district

    data = Path(data).resolve()
    synthetic = load_district(data).synthetic  # fail early and clearly on bad input
    out = Path(out)
    folder = Path(notebook_folder) if notebook_folder else notebook_dir()
    executed_dir = out / "notebooks"
    executed_dir.mkdir(parents=True, exist_ok=True)
    parameters = {"DATA": str(data), "SEED": int(seed), "PSEUDONYMIZE": bool(pseudonymize)}
    executed = []
    for path in _notebooks(folder, notebooks):
        start = time.perf_counter()
        target = executed_dir / path.name
        with atomic_path(target) as tmp:
            try:
                papermill.execute_notebook(
                    str(path),
                    str(tmp),
                    parameters=parameters,
                    cwd=str(folder),
                    kernel_name="python3",
                    progress_bar=False,
                    request_save_on_cell_execute=False,
                    log_output=False,
                )
            except papermill.PapermillExecutionError as err:
                # The data's fault (bad or infeasible input) is the user's to fix and
                # gets one line; anything else is a bug and keeps its traceback.
                if err.ename == "InfeasibleError":
                    raise InfeasibleError([f"{path.name}: {err.evalue}"]) from None
                if err.ename == "DataError":
                    raise DataError(f"{path.name}: {err.evalue}") from None
                raise
        if progress:
            print(f"  ran {path.name} in {time.perf_counter() - start:.1f} s")
        executed.append(nbformat.read(target, as_version=4))
    report = out / REPORT_NAME
    with atomic_path(report) as tmp:
        tmp.write_text(_render(executed, data, seed, pseudonymize, synthetic), encoding="utf-8")
    return report


def _render(notebooks: list, data: Path, seed: int, pseudonymize: bool, synthetic: bool) -> str:
    """One HTML page from executed notebooks: code hidden, a table of contents on top."""
    import nbformat
    from nbconvert import HTMLExporter

    merged = nbformat.v4.new_notebook()
    merged.metadata = {
        "kernelspec": notebooks[0].metadata.get("kernelspec", {}),
        "language_info": {"name": "python"},
    }
    for nb in notebooks:
        for cell in nb.cells:
            tags = cell.metadata.get("tags", [])
            if "parameters" in tags or "injected-parameters" in tags:
                continue
            cell.metadata.pop("papermill", None)
            cell.metadata.pop("execution", None)
            merged.cells.append(cell)
    toc = _table_of_contents(merged)
    front = _front_matter(data, seed, pseudonymize, synthetic, toc)
    merged.cells.insert(0, nbformat.v4.new_markdown_cell(front))
    for i, cell in enumerate(merged.cells):
        cell["id"] = f"cell-{i:04d}"  # unique and stable (nbconvert would draw random ones)
    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(merged)
    body = body.replace("<title>Notebook</title>", "<title>mentormatch report</title>", 1)
    # Self-contained: the page needs none of the template's scripts from the web
    # (require.js, MathJax); figures are inline images already.
    return re.sub(r'<script[^>]*\ssrc="https?://[^"]*"[^>]*>\s*</script>\s*', "", body)


def _anchor(title: str) -> str:
    """The id nbconvert gives a heading (spaces become hyphens)."""
    return re.sub(r"\s", "-", title.strip())


def _table_of_contents(nb) -> str:
    lines = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            m = re.match(r"^(#{1,2})\s+(.*\S)\s*$", line)
            if m:
                indent = "  " * (len(m.group(1)) - 1)
                lines.append(f"{indent}- [{m.group(2)}](#{_anchor(m.group(2))})")
    return "\n".join(lines)


def _front_matter(data: Path, seed: int, pseudonymize: bool, synthetic: bool, toc: str) -> str:
    names = "pseudonymised codes" if pseudonymize else "as in the data"
    note = (
        "**Synthetic data · 合成数据**: no real person is in these tables.\n\n" if synthetic else ""
    )
    return (
        "# mentormatch report · 带教结对分析报告\n\n" + note + "| | |\n|---|---|\n"
        f"| data folder | `{html.escape(str(data))}` |\n"
        f"| seed | {seed} |\n"
        f"| names | {names} |\n"
        f"| mentormatch version | {__version__} |\n\n"
        "Same data folder, seed and version give the same report.\n\n"
        "## Contents · 目录\n\n" + toc + "\n"
    )
