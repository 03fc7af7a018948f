"""Electives to secretaries by need: a min-cost flow, its check and a greedy baseline.

The problem (exact definition). Given a table of needs (secretaries x sessions; a
value >= 0, NaN where a secretary may not attend), each session's seats and topic, and
``per_secretary``, an *attendance* is a set of (secretary, session) pairs such that

* every pair has a need > 0 (a seat given where there is no need helps no one, and a
  NaN pair is never used);
* no secretary attends more than ``per_secretary`` sessions;
* no secretary attends two sessions of the same topic;
* no session holds more secretaries than its seats.

:func:`assign_sessions` finds an attendance of maximal total need. It is a min-cost
flow (:func:`session_network`): source -> secretary (capacity ``per_secretary``) ->
(secretary, topic) (capacity 1) -> session (capacity 1, cost minus the need) -> sink
(capacity the seats), with an arc source -> sink at no cost for the seats nobody
needs. A flow of integers is an attendance and back, so the cheapest flow is the best
attendance. Costs are integers: needs are counted in units of :data:`RESOLUTION`
(a millionth of a point), so the plan is optimal to within that unit per seat, and a
need below half a unit counts as none. :func:`check_attendance` proves a result valid;
:func:`greedy_attendance` is the obvious baseline (highest need first).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
from ortools.graph.python import min_cost_flow

from mentormatch.errors import DataError

__all__ = [
    "RESOLUTION",
    "assign_sessions",
    "session_network",
    "check_attendance",
    "greedy_attendance",
    "attendance_total",
]

#: Needs are counted in units of this size (points) in the flow's integer costs.
RESOLUTION = 1e-6
_COLUMNS = ["secretary_id", "session_id", "need"]


@dataclass(frozen=True)
class _Edges:
    """The usable pairs of a needs table, with each session's seats and topic code."""

    rows: np.ndarray  # secretary position of each pair
    cols: np.ndarray  # session position of each pair
    need: np.ndarray  # the need of each pair (float)
    cost: np.ndarray  # the need in units of RESOLUTION (int64, > 0)
    topic: np.ndarray  # topic number of each session (sessions without a topic alone)
    seats: np.ndarray  # seats of each session (int64)


def _encode(needs: pd.DataFrame, capacity: pd.Series, topic: pd.Series, per_secretary) -> _Edges:
    if not isinstance(needs, pd.DataFrame):
        raise DataError.say(
            "The needs must be a table (a pandas DataFrame) of secretaries by sessions.",
            "需求应为书记 × 课程的表格（pandas DataFrame）。",
        )
    if isinstance(per_secretary, bool) or not isinstance(per_secretary, (int, np.integer)):
        raise DataError.say(
            f"per_secretary must be a whole number >= 0, not {per_secretary!r}.",
            f"每人选训门数（per_secretary）应为不小于 0 的整数，而不是 {per_secretary!r}。",
        )
    if per_secretary < 0:
        raise DataError.say(
            f"per_secretary must be a whole number >= 0, not {per_secretary}.",
            f"每人选训门数（per_secretary）应为不小于 0 的整数，而不是 {per_secretary}。",
        )
    for what, labels in (("secretaries", needs.index), ("sessions", needs.columns)):
        if labels.has_duplicates:
            twice = sorted({str(v) for v in labels[labels.duplicated()]})[:5]
            raise DataError.say(
                f"The needs table lists {what} twice ({', '.join(twice)}); give each once.",
                f"需求表中有重复的{'书记' if what == 'secretaries' else '课程'}"
                f"（{'、'.join(twice)}），每个只能出现一次。",
            )
    sessions = needs.columns
    for name, series in (("capacity", capacity), ("topic", topic)):
        missing = [str(s) for s in sessions if s not in series.index]
        if missing:
            raise DataError.say(
                f"The {name} of sessions {', '.join(missing[:5])} is not given; give a "
                f"{name} for every session of the needs table.",
                f"课程 {'、'.join(missing[:5])} 缺少{'名额' if name == 'capacity' else '主题'}；"
                "需求表中的每门课程都应给出。",
            )
    seats = pd.to_numeric(capacity.reindex(sessions), errors="coerce").to_numpy(dtype=float)
    if not (np.isfinite(seats).all() and (seats >= 0).all() and (seats == np.round(seats)).all()):
        raise DataError.say(
            "Every session's capacity must be a whole number >= 0.",
            "每门课程的名额应为不小于 0 的整数。",
        )
    bad_need = DataError.say(
        "Every need must be a number >= 0 (or empty where a secretary may not attend).",
        "每项需求应为不小于 0 的数（书记不能参加的课程留空）。",
    )
    try:
        values = needs.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise bad_need from None
    if np.isinf(values).any() or (values < 0).any():
        raise bad_need
    cost = np.where(np.isnan(values), 0, np.rint(np.nan_to_num(values) / RESOLUTION))
    rows, cols = np.nonzero(cost > 0)
    # One number per topic; a session without a topic is a topic of its own.
    codes = topic.reindex(sessions).to_numpy(dtype=object)
    keys = [c if isinstance(c, str) and c else ("", i) for i, c in enumerate(codes)]
    numbers: dict = {}
    topic_no = np.array([numbers.setdefault(k, len(numbers)) for k in keys], dtype=np.int64)
    return _Edges(
        rows=rows.astype(np.int64),
        cols=cols.astype(np.int64),
        need=values[rows, cols],
        cost=cost[rows, cols].astype(np.int64),
        topic=topic_no,
        seats=seats.astype(np.int64),
    )


@dataclass(frozen=True)
class _Arrays:
    tail: np.ndarray
    head: np.ndarray
    capacity: np.ndarray
    cost: np.ndarray
    supply: np.ndarray
    pair_arcs: np.ndarray  # arc number of each pair's (secretary, topic) -> session arc
    pick_row: np.ndarray  # secretary position of each (secretary, topic) pick node
    pick_col: np.ndarray  # a session of that topic (to name the pick)


def _arrays(e: _Edges, n_secretaries: int, n_sessions: int, per_secretary: int) -> _Arrays:
    # Node numbers: 0 source, 1 sink, then secretaries, (secretary, topic) picks, sessions.
    pick_key = e.rows * (int(e.topic.max(initial=0)) + 1) + e.topic[e.cols]
    picks, first, pick_of_pair = np.unique(pick_key, return_index=True, return_inverse=True)
    pick_row, pick_col = e.rows[first], e.cols[first]
    sec0, pick0 = 2, 2 + n_secretaries
    ses0 = pick0 + len(picks)
    active = np.unique(e.rows)
    used_sessions = np.unique(e.cols)
    supply_total = per_secretary * len(active)
    tail = np.concatenate(
        [
            np.zeros(len(active), dtype=np.int64),
            sec0 + pick_row,
            pick0 + pick_of_pair,
            ses0 + used_sessions,
            [0],
        ]
    )
    head = np.concatenate(
        [
            sec0 + active,
            pick0 + np.arange(len(picks)),
            ses0 + e.cols,
            np.ones(len(used_sessions), dtype=np.int64),
            [1],
        ]
    )
    capacity = np.concatenate(
        [
            np.full(len(active), per_secretary),
            np.ones(len(picks)),
            np.ones(len(e.rows)),
            e.seats[used_sessions],
            [supply_total],
        ]
    ).astype(np.int64)
    cost = np.concatenate(
        [np.zeros(len(active) + len(picks)), -e.cost, np.zeros(len(used_sessions) + 1)]
    ).astype(np.int64)
    supply = np.zeros(ses0 + n_sessions, dtype=np.int64)
    supply[0], supply[1] = supply_total, -supply_total
    first_pair = len(active) + len(picks)
    return _Arrays(
        tail=tail,
        head=head,
        capacity=capacity,
        cost=cost,
        supply=supply,
        pair_arcs=first_pair + np.arange(len(e.rows)),
        pick_row=pick_row,
        pick_col=pick_col,
    )


def session_network(
    needs: pd.DataFrame, capacity: pd.Series, topic: pd.Series, per_secretary: int = 2
) -> nx.DiGraph:
    """The flow network of :func:`assign_sessions` as a ``networkx.DiGraph``.

    Nodes: ``"source"``, ``"sink"``, ``("secretary", id)``, ``("pick", id, topic)`` (a
    secretary taking one session of a topic; a session without a topic is its own
    topic, named by its session ID) and ``("session", id)``. Attributes follow networkx:
    node ``demand`` (the source supplies ``per_secretary`` seats for every secretary
    with some need, the sink takes them), edge ``capacity`` and integer ``weight``
    (minus the need in units of :data:`RESOLUTION` on pick -> session edges; 0
    elsewhere, including the source -> sink edge for seats nobody needs). Only pairs
    with a need > 0 have an edge.

    Examples
    --------
    >>> import pandas as pd
    >>> needs = pd.DataFrame({"E1": [3.0, 0.0], "E2": [1.0, 2.0]}, index=["S1", "S2"])
    >>> g = session_network(needs, pd.Series({"E1": 1, "E2": 1}), pd.Series({"E1": "a", "E2": "b"}))
    >>> import networkx as nx
    >>> -nx.min_cost_flow_cost(g) * 1e-6
    5.0
    """
    e = _encode(needs, capacity, topic, per_secretary)
    a = _arrays(e, len(needs.index), len(needs.columns), int(per_secretary))
    topics = topic.reindex(needs.columns).to_numpy(dtype=object)
    secretaries, sessions = needs.index.tolist(), needs.columns.tolist()
    names: list = ["source", "sink", *(("secretary", s) for s in secretaries)]
    for r, c in zip(a.pick_row.tolist(), a.pick_col.tolist(), strict=True):
        code = topics[c]
        names.append(
            ("pick", secretaries[r], code if isinstance(code, str) and code else sessions[c])
        )
    names += [("session", j) for j in sessions]
    g = nx.DiGraph()
    used = np.unique(np.concatenate([a.tail, a.head]))
    for node in used.tolist():
        g.add_node(names[node], demand=-int(a.supply[node]))
    for t, h, c, w in zip(a.tail, a.head, a.capacity, a.cost, strict=True):
        g.add_edge(names[t], names[h], capacity=int(c), weight=int(w))
    return g


def assign_sessions(
    needs: pd.DataFrame, capacity: pd.Series, topic: pd.Series, per_secretary: int = 2
) -> pd.DataFrame:
    """The attendance of maximal total need (see the module's definition).

    Parameters
    ----------
    needs : DataFrame
        Index the secretaries, one column per session: need >= 0, NaN where the
        secretary may not attend.
    capacity : Series
        Seats of each session (whole numbers >= 0), indexed by session.
    topic : Series
        Topic of each session, indexed by session (NaN: a topic of its own).
    per_secretary : int
        The most sessions one secretary attends.

    Returns
    -------
    DataFrame
        Columns ``secretary_id``, ``session_id``, ``need``, one row per seat given, in
        the order of the needs table's rows, then its columns. Solved by OR-Tools'
        min-cost flow; optimal to within :data:`RESOLUTION` per seat.

    Examples
    --------
    >>> import pandas as pd
    >>> needs = pd.DataFrame({"E1": [3.0, 2.5], "E2": [1.0, 2.0]}, index=["S1", "S2"])
    >>> seats, topics = pd.Series({"E1": 1, "E2": 1}), pd.Series({"E1": "a", "E2": "b"})
    >>> assign_sessions(needs, seats, topics, per_secretary=1).values.tolist()
    [['S1', 'E1', 3.0], ['S2', 'E2', 2.0]]
    """
    e = _encode(needs, capacity, topic, per_secretary)
    if len(e.rows) == 0 or per_secretary == 0:
        return _frame(needs, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    a = _arrays(e, len(needs.index), len(needs.columns), int(per_secretary))
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(a.tail, a.head, a.capacity, a.cost)
    flow.set_nodes_supplies(np.arange(len(a.supply)), a.supply)
    status = flow.solve()
    if status != flow.OPTIMAL:  # the source -> sink arc makes every instance feasible
        raise RuntimeError(f"OR-Tools min-cost flow failed with status {status!r}")
    chosen = flow.flows(arcs)[a.pair_arcs] > 0
    order = np.lexsort((e.cols[chosen], e.rows[chosen]))
    return _frame(needs, e.rows[chosen][order], e.cols[chosen][order])


def greedy_attendance(
    needs: pd.DataFrame, capacity: pd.Series, topic: pd.Series, per_secretary: int = 2
) -> pd.DataFrame:
    """The obvious baseline: seats by the highest need first.

    Pairs with a need > 0 are taken from the highest need down (ties in the order of the
    needs table's rows, then columns), each kept if the secretary, the topic and the
    session still have room. Valid, but not optimal in general: a high need can take
    the last seat of a session another secretary needed nearly as much, with no other
    choice. Same arguments and result as :func:`assign_sessions`.

    Examples
    --------
    >>> import pandas as pd
    >>> needs = pd.DataFrame({"E1": [3.0, 2.5], "E2": [1.0, 0.0]}, index=["S1", "S2"])
    >>> seats, topics = pd.Series({"E1": 1, "E2": 1}), pd.Series({"E1": "a", "E2": "b"})
    >>> float(greedy_attendance(needs, seats, topics, per_secretary=1)["need"].sum())
    3.0
    """
    e = _encode(needs, capacity, topic, per_secretary)
    order = np.lexsort((e.cols, e.rows, -e.cost))
    left_person = np.full(len(needs.index), int(per_secretary), dtype=np.int64)
    left_seats = e.seats.copy()
    taken: set[tuple[int, int]] = set()
    keep = []
    for k in order.tolist():
        r, c = int(e.rows[k]), int(e.cols[k])
        t = int(e.topic[c])
        if left_person[r] > 0 and left_seats[c] > 0 and (r, t) not in taken:
            left_person[r] -= 1
            left_seats[c] -= 1
            taken.add((r, t))
            keep.append(k)
    keep = np.array(keep, dtype=np.int64)
    order = np.lexsort((e.cols[keep], e.rows[keep]))
    return _frame(needs, e.rows[keep][order], e.cols[keep][order])


def _frame(needs: pd.DataFrame, rows: np.ndarray, cols: np.ndarray) -> pd.DataFrame:
    values = needs.to_numpy(dtype=float, na_value=np.nan) if len(rows) else np.zeros((0, 0))
    return pd.DataFrame(
        {
            "secretary_id": pd.Series(needs.index.to_numpy()[rows], dtype="str"),
            "session_id": pd.Series(needs.columns.to_numpy()[cols], dtype="str"),
            "need": pd.Series(values[rows, cols] if len(rows) else [], dtype="float64"),
        },
        columns=_COLUMNS,
    )


def attendance_total(attendance: pd.DataFrame) -> float:
    """Total need met by an attendance (0 when empty)."""
    return float(attendance["need"].sum()) if len(attendance) else 0.0


def check_attendance(
    attendance: pd.DataFrame,
    needs: pd.DataFrame,
    capacity: pd.Series,
    topic: pd.Series,
    per_secretary: int = 2,
) -> tuple[str, ...]:
    """Every way the attendance breaks the module's definition (empty when valid).

    Checks, independently of any solver: known secretaries and sessions, no pair twice,
    each pair's need as in the needs table and > 0 (never NaN), at most
    ``per_secretary`` sessions per secretary, one per topic, no session over capacity.

    Examples
    --------
    >>> import pandas as pd
    >>> needs = pd.DataFrame({"E1": [3.0, float("nan")]}, index=["S1", "S2"])
    >>> seats, topics = pd.Series({"E1": 1}), pd.Series({"E1": "a"})
    >>> bad = pd.DataFrame({"secretary_id": ["S1", "S2"], "session_id": ["E1", "E1"],
    ...                     "need": [3.0, float("nan")]})
    >>> for line in check_attendance(bad, needs, seats, topics, 1):
    ...     print(line)
    S2 attends E1 where it may not (need NaN)
    E1 holds 2 over its 1 seats
    """
    out: list[str] = []
    sec, ses = attendance["secretary_id"].tolist(), attendance["session_id"].tolist()
    pairs = Counter(zip(sec, ses, strict=True))
    for p in sorted(p for p, n in pairs.items() if n > 1):
        out.append(f"{p[0]} attends {p[1]} twice")
    rows, cols = set(needs.index), set(needs.columns)
    for s, j, given in zip(sec, ses, attendance["need"].tolist(), strict=True):
        if s not in rows or j not in cols:
            out.append(f"{s} attends {j}: not in the needs table")
            continue
        value = needs.at[s, j]
        if pd.isna(value):
            out.append(f"{s} attends {j} where it may not (need NaN)")
        elif float(value) <= 0:
            out.append(f"{s} attends {j} with no need")
        elif not np.isclose(float(given), float(value)):
            out.append(f"{s} attends {j} with need {given} but the table says {value}")
    per = pd.Series(sec, dtype=object).value_counts()
    for s, n in per[per > per_secretary].sort_index().items():
        out.append(f"{s} attends {n} sessions, over {per_secretary}")
    codes = [topic.get(j) if j in topic.index else None for j in ses]
    keys = Counter(
        (s, t if isinstance(t, str) and t else j) for s, j, t in zip(sec, ses, codes, strict=True)
    )
    for k in sorted(k for k, n in keys.items() if n > 1):
        out.append(f"{k[0]} attends topic {k[1]} more than once")
    held = pd.Series(ses, dtype=object).value_counts()
    for j, n in held.sort_index().items():
        seats = capacity.get(j)
        if seats is not None and n > seats:
            out.append(f"{j} holds {n} over its {int(seats)} seats")
    return tuple(out)
