"""A plan as CSV or a plain workbook (the workbook for people is :mod:`mentormatch.export`)."""

from __future__ import annotations

from mentormatch.matching.result import Plan


def write_plan(plan: Plan, path, *, lang: str = "en") -> None:
    """Write a plan: a CSV table (UTF-8 with BOM, for Excel), or a workbook with the plan,
    mentor loads, blocking pairs, figures and (for a re-match) the changes."""
    from pathlib import Path

    from mentormatch.io import write_csv, write_xlsx

    path = Path(path)
    table = plan.to_frame(lang)
    if path.suffix.lower() != ".xlsx":
        write_csv(table, path, bom=True)
        return
    zh = lang == "zh"
    figures = plan.figures().rename("value").rename_axis("figure").reset_index()
    figures["value"] = figures["value"].astype(str)
    sheets = {
        ("结对方案" if zh else "plan"): table,
        ("带教负荷" if zh else "loads"): plan.loads,
        ("阻塞对" if zh else "blocking_pairs"): plan.blocking_pairs,
        ("概要" if zh else "figures"): figures,
    }
    if plan.changes is not None:
        sheets["调整" if zh else "changes"] = plan.changes
    write_xlsx(sheets, path)
