"""Build hook: ship the notebooks inside the wheel.

The package metadata lives in pyproject.toml; this file only adds one step to
``build_py``. The notebooks stay at the top-level ``notebooks/`` of the repository (that
layout is fixed); a wheel carries copies of the numbered ones as package data at
``mentormatch/notebooks/``, where :func:`mentormatch.report.notebook_dir` finds them
after ``pip install``. An editable install copies nothing: the checkout's notebooks are
found beside the package instead, so that edits to them take effect at once.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
#: The report's notebooks, numbered in reading order.
NOTEBOOKS = "[0-9][0-9]_*.ipynb"


class BuildPyWithNotebooks(build_py):
    """``build_py`` that also copies ``notebooks/NN_*.ipynb`` into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        sources = sorted((HERE / "notebooks").glob(NOTEBOOKS))
        if not sources:
            raise SystemExit(f"no notebooks matching {NOTEBOOKS} in {HERE / 'notebooks'}")
        target = Path(self.build_lib) / "mentormatch" / "notebooks"
        self.mkpath(str(target))
        for source in sources:
            self.copy_file(str(source), str(target / source.name))


setup(cmdclass={"build_py": BuildPyWithNotebooks})
