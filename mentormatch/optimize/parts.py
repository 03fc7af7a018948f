"""Independent parts of a candidate graph, and the sub-problems they make.

Counties that share no mentor are independent problems: the candidate graph falls into
connected components (``scipy.sparse.csgraph.connected_components``), and the optimum of
the whole is the optimum of each part put together, for every objective (see
:func:`mentormatch.optimize.sparse.solve_edges`). Tiny parts are grouped into chunks (at
least :data:`MIN_PART_ARCS` arcs per chunk) so that Python's overhead per solve does not
dominate; the grouping depends on the data only.

Examples
--------
>>> import numpy as np
>>> from mentormatch.optimize import Instance
>>> inst = Instance.from_edges(range(3), range(3), [0, 1, 2], [0, 0, 2], [0.9, 0.8, 0.3], 2)
>>> parts = split_parts(inst, split=True)
>>> parts.n_parts, [sub_instance(inst, parts, c).n_edges for c in range(parts.n_chunks)]
(3, [3])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from mentormatch.errors import InfeasibleError
from mentormatch.optimize.instance import Instance, shown

__all__ = ["independent_parts", "Parts", "split_parts", "sub_instance", "MIN_PART_ARCS"]

#: Parts with fewer arcs are solved together with their neighbours in the list, so that
#: a region of many tiny parts does not pay Python's overhead once per part.
MIN_PART_ARCS = 2_000


def independent_parts(
    mentee_idx: Sequence[int] | np.ndarray,
    mentor_idx: Sequence[int] | np.ndarray,
    n_mentees: int,
    n_mentors: int,
) -> tuple[int, np.ndarray, np.ndarray]:
    """Connected components of the bipartite candidate graph.

    Returns the number of parts and the part of each mentee and of each mentor. A mentee
    or mentor without any pair is a part of its own. Parts are numbered in order of
    their first mentee (then their first mentor).

    >>> n, mentee_part, mentor_part = independent_parts([0, 1, 2], [0, 0, 2], 3, 3)
    >>> n, mentee_part.tolist(), mentor_part.tolist()
    (3, [0, 0, 1], [0, 2, 1])
    """
    mentee_idx = np.asarray(mentee_idx, dtype=np.int64)
    mentor_idx = np.asarray(mentor_idx, dtype=np.int64)
    size = n_mentees + n_mentors
    graph = sparse.coo_array(
        (np.ones(len(mentee_idx), dtype=np.int8), (mentee_idx, n_mentees + mentor_idx)),
        shape=(size, size),
    ).tocsr()
    n_parts, part = connected_components(graph, directed=False)
    return int(n_parts), part[:n_mentees].astype(np.int64), part[n_mentees:].astype(np.int64)


@dataclass(frozen=True, eq=False)
class Parts:
    """Parts grouped into chunks, with every node and edge listed chunk by chunk."""

    n_parts: int
    n_chunks: int
    mentee_order: np.ndarray
    mentee_start: np.ndarray
    mentor_order: np.ndarray
    mentor_start: np.ndarray
    edge_order: np.ndarray
    edge_start: np.ndarray
    local_mentee: np.ndarray
    local_mentor: np.ndarray


def split_parts(instance: Instance, split: bool) -> Parts:
    """The parts of ``instance`` grouped into chunks (one chunk when not ``split``)."""
    n, m = instance.n_mentees, instance.n_mentors
    if split:
        n_parts, mentee_part, mentor_part = independent_parts(
            instance.edge_mentee, instance.edge_mentor, n, m
        )
        # Arcs of each part (its pairs, source and sink arcs); consecutive small parts
        # share a chunk, cut where the running count passes a multiple of MIN_PART_ARCS.
        arcs = (
            np.bincount(mentee_part[instance.edge_mentee], minlength=n_parts)
            + np.bincount(mentee_part, minlength=n_parts)
            + np.bincount(mentor_part, minlength=n_parts)
        )
        window = (np.cumsum(arcs) - arcs) // MIN_PART_ARCS
        _, chunk_of_part = np.unique(window, return_inverse=True)
        n_chunks = int(chunk_of_part.max()) + 1 if n_parts else 0
        mentee_chunk, mentor_chunk = chunk_of_part[mentee_part], chunk_of_part[mentor_part]
    else:
        n_parts, n_chunks = 1, 1
        mentee_chunk, mentor_chunk = np.zeros(n, np.int64), np.zeros(m, np.int64)
    edge_chunk = mentee_chunk[instance.edge_mentee]

    def listed(chunk: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        # Stable: within a chunk, nodes and edges keep their order, so local positions
        # rise with global ones and the chunk's edges stay sorted.
        order = np.argsort(chunk, kind="stable")
        start = np.searchsorted(chunk[order], np.arange(n_chunks + 1))
        local = np.empty(len(chunk), dtype=np.int64)
        local[order] = np.arange(len(chunk)) - start[chunk[order]] if len(chunk) else 0
        return order, start, local

    mentee_order, mentee_start, local_mentee = listed(mentee_chunk)
    mentor_order, mentor_start, local_mentor = listed(mentor_chunk)
    edge_order, edge_start, _ = listed(edge_chunk)
    return Parts(
        n_parts,
        n_chunks,
        mentee_order,
        mentee_start,
        mentor_order,
        mentor_start,
        edge_order,
        edge_start,
        local_mentee,
        local_mentor,
    )


def sub_instance(instance: Instance, parts: Parts, c: int) -> Instance:
    """Chunk ``c`` as an Instance of its own (already validated as part of the whole)."""
    who = parts.mentee_order[parts.mentee_start[c] : parts.mentee_start[c + 1]]
    whom = parts.mentor_order[parts.mentor_start[c] : parts.mentor_start[c + 1]]
    edges = parts.edge_order[parts.edge_start[c] : parts.edge_start[c + 1]]
    return Instance(
        mentees=instance.mentees[who],
        mentors=instance.mentors[whom],
        edge_mentee=parts.local_mentee[instance.edge_mentee[edges]],
        edge_mentor=parts.local_mentor[instance.edge_mentor[edges]],
        score=instance.score[edges],
        mentor_score=instance.mentor_score[edges],
        required=instance.required[edges],
        capacity=instance.capacity[whom],
        min_load=instance.min_load[whom],
    )


def _in_part(error: InfeasibleError, sub: Instance) -> InfeasibleError:
    """The error of one part, saying which part: in a nation, "capacity short by 1"
    means nothing without the mentees and mentors it concerns."""
    who = [f"mentees {shown(sub.mentees)}"] if sub.n_mentees else []
    where = "among " + " and ".join([*who, f"mentors {shown(sub.mentors)}"]) + ": "
    return InfeasibleError(
        [where + reason for reason in error.reasons],
        unplaceable=error.unplaceable,
        shortfall=error.shortfall,
        details=error.details,
    )


def _merged(errors: list[InfeasibleError]) -> InfeasibleError:
    """One error for all infeasible parts."""
    if len(errors) == 1:
        return errors[0]
    details: dict = {"parts": len(errors)}
    for e in errors:
        for key, value in e.details.items():
            if isinstance(value, int) and isinstance(details.get(key, 0), int):
                details[key] = details.get(key, 0) + value  # counts add up
            else:
                listed = value if isinstance(value, list) else [value]
                details[key] = [*details.get(key, []), *listed]
    return InfeasibleError(
        [f"{len(errors)} independent parts have no plan"] + [r for e in errors for r in e.reasons],
        unplaceable=[x for e in errors for x in e.unplaceable],
        shortfall=sum(e.shortfall for e in errors),
        details=details,
    )
