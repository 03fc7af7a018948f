"""Min-cost flow backends: networkx for small networks, OR-Tools for large ones.

Both take the same :class:`~mentormatch.optimize.network.FlowArrays` and return the
flow on every arc (or ``None`` when no feasible flow exists), so they are
interchangeable and reach the same optimum cost; only the plan among equally good ones
may differ. Each backend is deterministic.

``solver="auto"`` uses networkx up to :data:`NETWORKX_MAX_ARCS` arcs and OR-Tools above.
networkx's network simplex is pure Python: about 0.1 s for the 282 x 13 district
(4,000 arcs), 0.3 s at the threshold, 6 minutes for the full network of a dense
6,000 x 300 city (1.8 million arcs), where OR-Tools' C++ cost-scaling solver takes half
a second. So the small case keeps the inspectable reference implementation and the large
case gets speed. Measured by ``benchmarks/bench_assign.py`` on a 2-core machine.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from ortools.graph.python import min_cost_flow

from mentormatch.optimize.instance import Instance
from mentormatch.optimize.network import FlowArrays, build_network, to_digraph

__all__ = ["NETWORKX_MAX_ARCS", "choose_solver", "solve_flow", "min_cost_edges", "max_placement"]

#: Networks with at most this many arcs are solved by networkx under ``solver="auto"``.
NETWORKX_MAX_ARCS = 10_000


def choose_solver(solver: str, n_arcs: int) -> str:
    """The backend name for ``solver`` ("auto", "networkx" or "ortools") at this size."""
    if solver == "auto":
        return "networkx" if n_arcs <= NETWORKX_MAX_ARCS else "ortools"
    return solver


def solve_flow(net: FlowArrays, solver: str) -> np.ndarray | None:
    """Flow on each arc of a min-cost flow meeting all supplies, or None if infeasible."""
    if choose_solver(solver, net.n_arcs) == "networkx":
        return _solve_networkx(net)
    return _solve_ortools(net)


def _solve_networkx(net: FlowArrays) -> np.ndarray | None:
    graph = to_digraph(net)
    try:
        _, flow = nx.network_simplex(graph)
    except nx.NetworkXUnfeasible:
        return None
    return np.fromiter(
        (flow[u][v] for u, v in zip(net.tail.tolist(), net.head.tolist(), strict=True)),
        dtype=np.int64,
        count=net.n_arcs,
    )


def _solve_ortools(net: FlowArrays) -> np.ndarray | None:
    # Whole arrays in, whole arrays out: no Python loop per arc.
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(net.tail, net.head, net.capacity, net.cost)
    flow.set_nodes_supplies(np.arange(net.n_nodes), net.supply)
    status = flow.solve()
    if status == flow.OPTIMAL:
        return flow.flows(arcs)
    if status == flow.INFEASIBLE:
        return None
    raise RuntimeError(f"OR-Tools min-cost flow failed with status {status!r}")


def min_cost_edges(
    instance: Instance, edges: np.ndarray, cost: np.ndarray, *, placed: int, solver: str
) -> np.ndarray | None:
    """Instance edges of a cheapest plan placing exactly ``placed`` mentees over
    ``edges`` (within capacities and min loads), or None if there is none."""
    net = build_network(instance, edges, cost, placed=placed)
    flow = solve_flow(net, solver)
    return None if flow is None else net.chosen_edges(flow)


def max_placement(
    instance: Instance, edges: np.ndarray, *, solver: str, min_load: bool = True
) -> np.ndarray | None:
    """Instance edges of a plan placing as many mentees as possible over ``edges``.

    This is a maximum flow, solved as a min-cost flow in which leaving a mentee unplaced
    costs 1 and everything else is free. None when the min loads cannot be met at all.
    """
    net = build_network(
        instance,
        edges,
        np.zeros(len(edges), dtype=np.int64),
        placed=instance.n_mentees,
        bypass_cost=1,
        min_load=min_load,
    )
    flow = solve_flow(net, solver)
    return None if flow is None else net.chosen_edges(flow)
