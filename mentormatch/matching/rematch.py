"""Re-matching: repair a plan after changes, keeping as many existing pairs as possible."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.matching.bases import _sequential_bases
from mentormatch.matching.encode import _inputs
from mentormatch.matching.explain import _coverage, _loads, _table
from mentormatch.matching.plan import match
from mentormatch.matching.result import ZH_HEADERS, Plan, _text
from mentormatch.matching.rules import constraint_pairs, rule_warnings
from mentormatch.optimize import Instance, blocking_pairs
from mentormatch.optimize.keep import keep_most
from mentormatch.scoring import parse_weights, score_pairs


def rematch(
    d: District,
    previous: Plan | pd.DataFrame | pd.Series,
    *,
    tolerance: float = 0.05,
    weights: str | Mapping[str, float] | None = None,
    distance: str | None = None,
    bases: str = "sequential",
) -> Plan:
    """Repair a plan after changes, keeping as many existing pairs as possible.

    Among plans whose total score is at least ``(1 - tolerance)`` times the best total,
    choose one that keeps the most pairs of ``previous`` (a mixed-integer program,
    exact, solved by HiGHS). Pairs whose mentor left, whose mentee no longer needs a
    mentor, or which a new rule forbids cannot be kept.

    Parameters
    ----------
    d : District
        The district as it is now (a mentor gone, new secretaries, new rules...).
    previous : Plan, DataFrame with ``secretary_id`` and ``mentor_id``, or Series
        The plan in force.
    tolerance : float
        How much total score may be given up to keep pairs (0.05 = 5%).

    Returns
    -------
    Plan
        With ``changes``: one row per secretary in either plan: ``change`` (kept,
        changed, new, ended) and ``why``.
    """
    if not 0 <= tolerance < 1:
        raise DataError(f"tolerance must be in [0, 1), got {tolerance}")
    before = _previous_pairs(previous)
    best = match(d, weights=weights, distance=distance, bases="none")
    w = parse_weights(weights)
    _, total, _, forbidden, required = _inputs(d, w, distance)
    capacity = d.mentors.set_index("mentor_id")["capacity"]
    min_load = d.mentors.set_index("mentor_id")["min_load"].fillna(0).astype(int)
    choice = _keep_most(
        total,
        capacity,
        min_load,
        forbidden,
        required,
        before,
        floor=(1 - tolerance) * best.objective_value,
    )
    plan = match_with(d, total, capacity, choice, w, bases)
    changes = _changes(d, before, plan)
    return replace(plan, changes=changes, objective="rematch", distance=distance)


def match_with(
    d: District, total: pd.DataFrame, capacity: pd.Series, choice: pd.Series, w: dict, bases: str
) -> Plan:
    """A Plan for a given mentor choice (bases added sequentially)."""
    started = time.perf_counter()
    scores = score_pairs(d, w)
    base_choice = (
        _sequential_bases(d, choice.dropna()) if bases != "none" and len(d.bases) else None
    )
    forbidden, required = constraint_pairs(d, total.index)
    table = _table(d, scores, total, capacity, choice, base_choice, forbidden, required)
    view = scores.pivot(index="secretary_id", columns="mentor_id", values="mentor_view")
    view = view.reindex(index=total.index, columns=total.columns).where(total.notna())
    return Plan(
        table=table,
        objective="given",
        objective_value=float(table.loc[table["status"] == "placed", "score"].sum()),
        solver="highs-milp",
        runtime=time.perf_counter() - started,
        blocking_pairs=blocking_pairs(total, capacity, choice, view, forbidden=forbidden),
        loads=_loads(d, table),
        coverage=_coverage(table),
        weights=w,
        bases=bases if base_choice is not None else "none",
        warnings=rule_warnings(d),
    )


def read_previous_plan(path) -> pd.DataFrame:
    """A plan written by ``mentormatch match`` (CSV or xlsx, English or Chinese headers)."""
    from mentormatch.io import read_plain_table
    from mentormatch.present.labels import COLUMNS

    table = read_plain_table(path)
    english = {zh: en for en, zh in ZH_HEADERS.items()}
    # The plan workbook (mentormatch.export) heads its columns as people read them.
    for key in ("secretary_id", "mentor_id"):
        english[COLUMNS[key].zh] = english[COLUMNS[key].en] = key
    table = table.rename(columns=lambda c: english.get(c, c))
    if not {"secretary_id", "mentor_id"} <= set(table.columns):
        raise DataError(
            f"{path}: a previous plan needs the columns secretary_id (书记编号) and "
            f"mentor_id (带教老师编号)"
        )
    table["mentor_id"] = table["mentor_id"].where(table["mentor_id"].str.strip() != "")
    return table


def _previous_pairs(previous: Plan | pd.DataFrame | pd.Series) -> pd.Series:
    if isinstance(previous, Plan):
        return previous.assignment
    if isinstance(previous, pd.Series):
        return previous.dropna().astype("str")
    if isinstance(previous, pd.DataFrame):
        if not {"secretary_id", "mentor_id"} <= set(previous.columns):
            raise DataError("the previous plan needs columns secretary_id and mentor_id")
        rows = previous.dropna(subset=["mentor_id"])
        rows = rows[rows["mentor_id"].astype(str).str.strip() != ""]
        return pd.Series(
            rows["mentor_id"].astype("str").to_numpy(),
            index=rows["secretary_id"].astype("str"),
            name="mentor_id",
        )
    raise DataError("previous must be a Plan, a DataFrame or a Series")


def _keep_most(
    total: pd.DataFrame,
    capacity: pd.Series,
    min_load: pd.Series,
    forbidden: list,
    required: list,
    before: pd.Series,
    floor: float,
) -> pd.Series:
    """Most kept pairs among plans with total >= floor
    (:func:`mentormatch.optimize.keep.keep_most`, rules encoded as for every objective)."""
    instance = Instance.from_frames(
        total, capacity, min_load=min_load, forbidden=forbidden, required=required
    )
    was = before.reindex(instance.mentees).to_numpy(dtype=object)
    previous = (
        was[instance.edge_mentee] == instance.mentors.to_numpy(dtype=object)[instance.edge_mentor]
    )
    return _text(instance.to_series(keep_most(instance, previous, floor=floor)))


def _changes(d: District, before: pd.Series, plan: Plan) -> pd.DataFrame:
    after = plan.assignment
    mentors_now = set(d.mentors["mentor_id"])
    status = plan.table.set_index("secretary_id")["status"]
    forbidden = set(
        map(
            tuple,
            d.constraints.loc[
                d.constraints["rule"] == "forbid", ["secretary_id", "mentor_id"]
            ].to_numpy(),
        )
    )
    rows = []
    for sid in list(dict.fromkeys([*before.index, *after.index])):
        old, new = before.get(sid), after.get(sid)
        if old is not None and old == new:
            change, why = "kept", ""
        elif old is None:
            change, why = "new", "not in the previous plan (new or newly needing a mentor)"
        elif new is None:
            change = "ended"
            why = {
                "departed": "the secretary left the post",
                "not_needed": "the secretary no longer needs a mentor",
            }.get(status.get(sid, ""), "could not be placed")
        else:
            change = "changed"
            if old not in mentors_now:
                why = f"mentor {old} left the programme"
            elif (sid, old) in forbidden:
                why = f"the pair with {old} is now forbidden"
            else:
                why = "moved to keep the plan within the score tolerance or capacities"
        rows.append(
            {
                "secretary_id": sid,
                "previous_mentor": old,
                "mentor": new,
                "change": change,
                "why": why,
            }
        )
    out = pd.DataFrame(rows, columns=["secretary_id", "previous_mentor", "mentor", "change", "why"])
    for col in ("previous_mentor", "mentor"):
        out[col] = _text(out[col])
    return out
