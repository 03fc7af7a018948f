"""mentormatch: research and planning suite for mentoring programmes of community
Party-organization secretaries.

>>> import mentormatch as mm
>>> d = mm.synthesize_district(seed=2018)
>>> len(d.in_post), len(d.mentors), len(d.bases)
(282, 13, 20)
"""

from mentormatch.assess import capacity_index
from mentormatch.district import District
from mentormatch.errors import DataError, InfeasibleError, Problem
from mentormatch.io import load_district, save_district
from mentormatch.plan import Plan, match, rematch
from mentormatch.scoring import score_pairs
from mentormatch.synth import synthesize_district

__version__ = "0.1.0"

__all__ = [
    "District",
    "capacity_index",
    "DataError",
    "InfeasibleError",
    "Problem",
    "load_district",
    "save_district",
    "Plan",
    "match",
    "rematch",
    "score_pairs",
    "synthesize_district",
    "__version__",
]
