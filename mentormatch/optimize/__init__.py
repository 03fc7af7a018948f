"""Generic assignment of mentees to mentors: graph optimisation on a score table.

The problem is a min-cost flow, source -> mentees -> mentors -> sink, solved exactly by
networkx (small networks) or OR-Tools (large ones); ``fair`` and ``stable`` objectives
sit on the same encoding. Solving (:func:`solve`, :func:`assign`) is separate from
proving (:func:`check_validity`, :func:`blocking_pairs`), and :func:`flow_network` shows
the network itself.

One concern per module: ``instance`` (encoding and validation into edge arrays),
``network`` (the flow network), ``backends`` (networkx and OR-Tools), ``pricing``
(candidate pairs with an optimality proof), ``total``, ``fair`` and ``stable`` (one
objective each), ``diagnose`` (why an instance is infeasible), ``checks`` (validity and
blocking pairs) and ``assignment`` (the front door).

Examples
--------
>>> import pandas as pd
>>> from mentormatch.optimize import assign
>>> scores = pd.DataFrame({"Wang": [0.9, 0.4], "Li": [0.6, 0.8]}, index=["a", "b"])
>>> assign(scores, capacity=1).to_dict()
{'a': 'Wang', 'b': 'Li'}
"""

from mentormatch.optimize.assignment import Assignment, assign, solve
from mentormatch.optimize.backends import NETWORKX_MAX_ARCS
from mentormatch.optimize.checks import blocking_pairs, check_validity
from mentormatch.optimize.instance import Instance
from mentormatch.optimize.network import PRECISION, flow_network
from mentormatch.optimize.sparse import SparseSolution, solve_edges, sparse_flow_network

__all__ = [
    "assign",
    "solve",
    "Assignment",
    "flow_network",
    "blocking_pairs",
    "check_validity",
    "Instance",
    "PRECISION",
    "NETWORKX_MAX_ARCS",
    "solve_edges",
    "sparse_flow_network",
    "SparseSolution",
]
