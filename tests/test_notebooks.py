"""Notebooks are committed clean and parametrised (nbval runs them; see pyproject)."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert any(p.name.startswith("01_") for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs", []) == [], f"{path.name} has outputs"
            assert cell.get("execution_count") is None, f"{path.name} has execution counts"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_a_parameters_cell(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    first = code[0]
    assert "parameters" in first.get("metadata", {}).get("tags", [])
    source = "".join(first["source"])
    for name in ("DATA", "SEED", "PSEUDONYMIZE"):
        assert f"{name} =" in source, f"{path.name} lacks {name}"


def test_importing_the_charts_keeps_jupyters_backend():
    """`import mentormatch.plot` once forced Agg, which blanked every chart in Jupyter."""
    import subprocess
    import sys

    code = (
        "import matplotlib\n"
        "matplotlib.use('module://matplotlib_inline.backend_inline')\n"
        "import mentormatch.plot, mentormatch.plot.district, mentormatch.plot.cluster\n"
        "import mentormatch.plot.match, mentormatch.plot.groups, mentormatch.plot.evaluate\n"
        "print(matplotlib.get_backend())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "module://matplotlib_inline.backend_inline"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_markdown_cell_has_one_language(path):
    """The report keeps the cells of its language: every markdown cell is tagged zh or
    en, and the two languages tell the same story (as many cells of each)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    tags = [
        set(c.get("metadata", {}).get("tags", [])) & {"zh", "en"}
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
    ]
    assert all(len(t) == 1 for t in tags)
    assert sum("zh" in t for t in tags) == sum("en" in t for t in tags)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_a_language_parameter(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    first = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert 'LANG = "zh"' in "".join(first["source"])
