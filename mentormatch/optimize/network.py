"""The flow network: source -> mentees -> mentors -> sink, as arrays and as a DiGraph.

Nodes are numbered ``0`` (source), ``1..n`` (mentees), ``n+1..n+m`` (mentors) and
``n+m+1`` (sink). Arcs come in blocks: source -> each mentee (capacity 1), one arc per
allowed pair (capacity 1, integer cost), mentor -> sink, and optionally a *bypass*
source -> sink that lets mentees stay unplaced at a price.

Mentor min loads are lower bounds on the mentor -> sink arcs. Neither networkx nor
OR-Tools takes lower bounds, so they are moved into the node balances, the standard
transformation: the arc keeps ``capacity - min_load``, the mentor node demands
``min_load`` and the sink demands ``min_load`` less. A feasible flow of the transformed
network plus the lower bounds is a feasible flow of the original one, at the same cost.
A mentee with a required pair is treated the same way: its source arc has the lower
bound 1, so it supplies its own unit and is placed even when others may stay unplaced.

Scores become integer costs ``PRECISION - round(score * PRECISION)`` (the score a pair
loses against a perfect 1), because both solvers are exact on integers only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from mentormatch.optimize.instance import Instance

__all__ = ["PRECISION", "FlowArrays", "build_network", "integer_costs", "flow_network"]

#: Scores are rounded to multiples of ``1 / PRECISION`` before solving. A plan optimal
#: for the rounded scores is within ``n_mentees / PRECISION`` of the true optimum (each
#: mentee's score moves by at most half a unit in either plan).
PRECISION = 10**6


def integer_costs(score: np.ndarray) -> np.ndarray:
    """Integer cost of each pair: the rounded score it loses against a perfect 1."""
    return PRECISION - np.rint(np.asarray(score) * PRECISION).astype(np.int64)


@dataclass(frozen=True, eq=False)
class FlowArrays:
    """A min-cost flow problem as plain arrays, ready for any backend.

    ``supply[v] > 0`` is what node ``v`` sends, ``< 0`` what it must receive (networkx
    calls the negated value ``demand``). ``edges`` maps the pair arcs, in order, back to
    instance edge positions.
    """

    tail: np.ndarray
    head: np.ndarray
    capacity: np.ndarray
    cost: np.ndarray
    supply: np.ndarray
    n_mentees: int
    n_mentors: int
    edges: np.ndarray

    @property
    def n_nodes(self) -> int:
        return len(self.supply)

    @property
    def n_arcs(self) -> int:
        return len(self.tail)

    def chosen_edges(self, flow: np.ndarray) -> np.ndarray:
        """Instance edge positions that carry flow, i.e. the pairs of the plan."""
        start = self.n_mentees
        return self.edges[flow[start : start + len(self.edges)] > 0]


def build_network(
    instance: Instance,
    edges: np.ndarray,
    cost: np.ndarray,
    *,
    placed: int,
    bypass_cost: int | None = None,
    min_load: bool = True,
) -> FlowArrays:
    """Arrays of the network over the instance edges ``edges`` with integer ``cost``.

    ``placed`` mentees are placed, required ones among them (without a bypass).
    With ``bypass_cost``, any of them may go straight to the sink at that unit cost.
    ``min_load=False`` drops the mentor lower bounds (used to diagnose capacity alone).
    """
    n, m = instance.n_mentees, instance.n_mentors
    source, sink = 0, n + m + 1
    mentee_nodes = np.arange(1, n + 1, dtype=np.int64)
    mentor_nodes = np.arange(n + 1, n + m + 1, dtype=np.int64)
    low = instance.min_load if min_load else np.zeros(m, dtype=np.int64)
    # Lower bound 1 on a required mentee's source arc, moved into the balances.
    fixed = np.zeros(n, dtype=np.int64)
    fixed[instance.edge_mentee[instance.required]] = 1
    blocks = [
        (np.full(n, source), mentee_nodes, 1 - fixed, np.zeros(n)),
        (
            1 + instance.edge_mentee[edges],
            n + 1 + instance.edge_mentor[edges],
            np.ones(len(edges)),
            cost,
        ),
        (mentor_nodes, np.full(m, sink), instance.capacity - low, np.zeros(m)),
    ]
    if bypass_cost is not None:
        blocks.append(([source], [sink], [placed - fixed.sum()], [bypass_cost]))
    tail, head, capacity, unit_cost = (
        np.concatenate([np.asarray(b[k], dtype=np.int64) for b in blocks]) for k in range(4)
    )
    supply = np.zeros(n + m + 2, dtype=np.int64)
    supply[source] = placed - fixed.sum()
    supply[mentee_nodes] = fixed
    supply[mentor_nodes] = -low
    supply[sink] = -(placed - low.sum())
    return FlowArrays(tail, head, capacity, unit_cost, supply, n, m, np.asarray(edges))


def node_names(instance: Instance) -> list:
    """Readable node names: ``"source"``, ``("mentee", label)``, ``("mentor", label)``,
    ``"sink"`` (tuples, so a mentee and a mentor may share a label)."""
    return (
        ["source"]
        + [("mentee", x) for x in instance.mentees]
        + [("mentor", x) for x in instance.mentors]
        + ["sink"]
    )


def to_digraph(net: FlowArrays, names: list | None = None) -> nx.DiGraph:
    """The arrays as a DiGraph with networkx's attribute names ``demand``, ``capacity``
    and ``weight``; nodes are integers unless ``names`` are given."""
    names = list(range(net.n_nodes)) if names is None else names
    graph = nx.DiGraph()
    graph.add_nodes_from((names[v], {"demand": int(-s)}) for v, s in enumerate(net.supply.tolist()))
    graph.add_edges_from(
        (names[u], names[v], {"capacity": c, "weight": w})
        for u, v, c, w in zip(
            net.tail.tolist(),
            net.head.tolist(),
            net.capacity.tolist(),
            net.cost.tolist(),
            strict=True,
        )
    )
    return graph


def flow_network(
    scores: pd.DataFrame,
    capacity: pd.Series | Mapping | int,
    *,
    min_load: pd.Series | Mapping | int | None = None,
    forbidden: Iterable = (),
    required: Iterable = (),
) -> nx.DiGraph:
    """The min-cost flow network of the ``total`` objective, to inspect or draw.

    Nodes are ``"source"``, ``("mentee", label)``, ``("mentor", label)`` and ``"sink"``,
    each with a ``kind`` attribute and networkx's ``demand`` (negative = supply): the
    source supplies one unit per mentee to place. Arcs carry ``capacity`` and ``weight``:

    - source -> mentee: capacity 1, weight 0; a mentee with a required pair supplies its
      own unit instead (``demand`` -1, source arc capacity 0), so it is always placed;
    - mentee -> mentor, one per allowed pair: capacity 1, weight
      ``PRECISION - round(score * PRECISION)`` (the score lost), plus ``score``;
      forbidden and NaN pairs have no arc, a required mentee only its required arc;
    - mentor -> sink: capacity ``capacity - min_load``; the min load is moved into the
      mentor's ``demand`` (networkx has no lower bounds). Mentor nodes also keep
      ``min_load`` and ``max_load`` for reading.

    ``networkx.min_cost_flow(G)`` on this graph gives a plan of the ``total`` objective.

    Parameters
    ----------
    scores, capacity, min_load, forbidden, required
        As for :func:`mentormatch.optimize.assign`.

    Returns
    -------
    networkx.DiGraph

    Examples
    --------
    >>> import networkx as nx, pandas as pd
    >>> from mentormatch.optimize import flow_network
    >>> scores = pd.DataFrame({"Wang": [0.9, 0.4], "Li": [0.6, 0.8]}, index=["a", "b"])
    >>> G = flow_network(scores, capacity=1)
    >>> G.nodes["source"]["demand"], G.nodes["sink"]["demand"]
    (-2, 2)
    >>> G.edges[("mentee", "a"), ("mentor", "Wang")]
    {'capacity': 1, 'weight': 100000, 'score': 0.9}
    >>> flow = nx.min_cost_flow(G)
    >>> flow[("mentee", "b")][("mentor", "Li")]
    1
    """
    instance = Instance.from_frames(
        scores, capacity, min_load=min_load, forbidden=forbidden, required=required
    )
    edges = np.arange(instance.n_edges)
    net = build_network(instance, edges, integer_costs(instance.score), placed=instance.n_mentees)
    names = node_names(instance)
    graph = to_digraph(net, names)
    n = instance.n_mentees
    graph.nodes["source"]["kind"] = "source"
    graph.nodes["sink"]["kind"] = "sink"
    for i in range(n):
        graph.nodes[names[1 + i]]["kind"] = "mentee"
    for j in range(instance.n_mentors):
        node = graph.nodes[names[1 + n + j]]
        node.update(
            kind="mentor", min_load=int(instance.min_load[j]), max_load=int(instance.capacity[j])
        )
    for e, i, j in zip(edges, instance.edge_mentee, instance.edge_mentor, strict=True):
        graph.edges[names[1 + i], names[1 + n + j]]["score"] = float(instance.score[e])
    return graph
