"""Step 6 of the workbench: the files to download (:class:`Download`): the plan
workbook, the salon groups workbook and the report."""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mentormatch.app.model._common import SEED
from mentormatch.app.words import say

# --- Results for people --------------------------------------------------------------------


@dataclass(frozen=True)
class Download:
    """A file to download: its name, its bytes and its MIME type."""

    name: str
    content: bytes
    mime: str

    @property
    def size_text(self) -> str:
        """The size as a person reads it (``48 KB``, ``2.3 MB``)."""
        n = len(self.content)
        if n < 1024 * 1024:
            return f"{max(1, round(n / 1024))} KB"
        return f"{n / 1024 / 1024:.1f} MB"


class _DownloadActions:
    """Part of :class:`~mentormatch.app.model.Workbench`: step 6, downloads."""

    # --- 6. downloads --------------------------------------------------------------------

    def plan_workbook(self) -> Download:
        """The plan workbook (:func:`mentormatch.export.write_plan`) of the current plan."""
        from mentormatch.export import write_plan

        name = say("plan_file", self.lang)
        with tempfile.TemporaryDirectory(prefix="mentormatch-app-") as tmp:
            path = write_plan(self.current_district, self.current, Path(tmp) / name, lang=self.lang)
            return Download(name, Path(path).read_bytes(), _XLSX)

    def groups_size(self) -> int:
        """The report's number of salon groups for this roster
        (:func:`mentormatch.groups.standard_size`)."""
        from mentormatch.groups import standard_size

        return standard_size(self.district)[0]

    def groups_workbook(self, n_groups: int | None = None) -> Download:
        """The salon groups workbook (:func:`mentormatch.export.write_groups`), with
        ``n_groups`` groups (default: as the report); mentors join as leads when the
        secretaries who can lead are too few, as in the report."""
        from mentormatch.export import write_groups
        from mentormatch.groups import max_groups, salon_plan, standard_size

        d = self.district
        wanted, with_mentors = standard_size(d)
        n = int(n_groups) if n_groups else wanted
        if n != wanted:
            with_mentors = max_groups(d) < n
        plan = salon_plan(d, n, seed=SEED, mentors=with_mentors, progress=False)
        name = say("groups_file", self.lang)
        with tempfile.TemporaryDirectory(prefix="mentormatch-app-") as tmp:
            path = write_groups(d, plan, Path(tmp) / name, lang=self.lang)
            return Download(name, Path(path).read_bytes(), _XLSX)

    def report(self, on_progress: Callable[[int, int], None] | None = None) -> Download:
        """The whole report (:func:`mentormatch.report.build_report`) on the roster with
        the rules applied, as one self-contained HTML page. ``on_progress(done, n)`` is
        called as each notebook finishes."""
        from mentormatch.io import save_district
        from mentormatch.report import build_report, notebook_dir

        n = len(list(notebook_dir().glob("[0-9][0-9]_*.ipynb")))
        stem = Path(self.source).stem if self.source else "sample"
        stem = re.sub(r"[^\w\-]+", "_", stem).strip("_") or "roster"
        with tempfile.TemporaryDirectory(prefix="mentormatch-app-") as tmp:
            data = save_district(self.district, Path(tmp) / stem)
            counter = _NotebookCounter(n, on_progress)
            with contextlib.redirect_stdout(counter):
                page = build_report(data, Path(tmp) / "report", seed=SEED, lang=self.lang)
            return Download(say("report_file", self.lang), page.read_bytes(), "text/html")


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _NotebookCounter(io.TextIOBase):
    """Stands in for stdout while the report runs: counts the notebooks it says are done
    (``ran NN_name.ipynb in S s``) and passes the count on."""

    def __init__(self, n: int, on_progress: Callable[[int, int], None] | None):
        self.n, self.done, self.on_progress = n, 0, on_progress

    def write(self, text: str) -> int:
        ran = len(re.findall(r"\bran \S+\.ipynb", text))
        if ran:
            self.done += ran
            if self.on_progress is not None:
                self.on_progress(self.done, self.n)
        return len(text)
