"""mentormatch: research and planning suite for mentoring programmes of community
Party-organization secretaries.

>>> import mentormatch as mm
>>> d = mm.synthesize_district(seed=2018)
>>> len(d.in_post), len(d.mentors), len(d.bases)
(282, 13, 20)
"""

import importlib

from mentormatch.assess import capacity_index
from mentormatch.district import District
from mentormatch.errors import DataError, InfeasibleError, Problem
from mentormatch.io import load_district, save_district
from mentormatch.plan import Plan, match, rematch
from mentormatch.scoring import score_pairs
from mentormatch.synth import synthesize_district

__version__ = "0.1.0"

# Names whose modules import heavy libraries (scikit-learn, statsmodels) load on first
# use, so that `import mentormatch` and every command start fast.
_LAZY = {
    "cluster_secretaries": "mentormatch.cluster",
    "ClusterResult": "mentormatch.cluster",
    "SecretaryClusterer": "mentormatch.cluster",
    "evaluate_plan": "mentormatch.evaluate",
    "compare_strategies": "mentormatch.evaluate",
    "form_salon_groups": "mentormatch.groups",
    "salon_plan": "mentormatch.groups",
    "SalonPlan": "mentormatch.groups",
    "Region": "mentormatch.region",
    "synthesize_region": "mentormatch.region_synth",
    "candidate_pairs": "mentormatch.candidates",
    "match_region": "mentormatch.region_plan",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'mentormatch' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "District",
    "capacity_index",
    "cluster_secretaries",
    "ClusterResult",
    "SecretaryClusterer",
    "DataError",
    "InfeasibleError",
    "Problem",
    "load_district",
    "save_district",
    "Plan",
    "match",
    "rematch",
    "score_pairs",
    "evaluate_plan",
    "compare_strategies",
    "synthesize_district",
    "__version__",
]
