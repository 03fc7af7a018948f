"""mentormatch: research and planning suite for mentoring programmes of community
Party-organization secretaries.

>>> import mentormatch as mm
>>> d = mm.synthesize_district(seed=2018)
>>> len(d.in_post), len(d.mentors), len(d.bases)
(282, 13, 20)
"""

import importlib
import importlib.util

from mentormatch.errors import DataError, GuessWarning, InfeasibleError, Problem

__version__ = "0.1.0"

# Every name whose module imports numpy, pandas or heavier libraries loads on first use,
# so that `import mentormatch`, `mentormatch --version` and `--help` start fast.
_LAZY = {
    "capacity_index": "mentormatch.assess",
    "District": "mentormatch.district",
    "load_district": "mentormatch.io",
    "save_district": "mentormatch.io",
    "Plan": "mentormatch.matching",
    "match": "mentormatch.matching",
    "rematch": "mentormatch.matching",
    "score_pairs": "mentormatch.scoring",
    "synthesize_district": "mentormatch.synth",
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
    "plan_training": "mentormatch.training",
    "TrainingPlan": "mentormatch.training",
    "visit_schedule": "mentormatch.supervision",
    "casebook": "mentormatch.salon_book",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if not name.startswith("_") and importlib.util.find_spec(f"mentormatch.{name}"):
        return importlib.import_module(f"mentormatch.{name}")
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
    "GuessWarning",
    "load_district",
    "save_district",
    "Plan",
    "match",
    "rematch",
    "score_pairs",
    "evaluate_plan",
    "compare_strategies",
    "synthesize_district",
    "plan_training",
    "TrainingPlan",
    "visit_schedule",
    "casebook",
    "__version__",
]
