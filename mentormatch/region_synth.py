"""A synthetic city or nation, calibrated like the synthetic district.

:func:`synthesize_region` is the sibling of :func:`mentormatch.synthesize_district` for
a :class:`~mentormatch.region.Region`: many counties, each split into units (街镇), with
the district's community-type mix, challenge rates, ages, education, mentoring history,
about five mentees per mentor, capacities and practice bases, drawn by the same
generators (:mod:`mentormatch.synth`) as whole arrays, so that a nation of 600,000
secretaries takes seconds. The assumptions that only a region needs (county and unit
sizes, pairs kept and forbidden) are in :mod:`mentormatch.synth.assumptions`.
:func:`calibration_table` checks a region against the district's targets.

Examples
--------
>>> from mentormatch.region_synth import synthesize_region
>>> r = synthesize_region(seed=1, n_secretaries=2_000, n_mentors=100, n_bases=130)
>>> r.n_counties, len(r.secretaries), len(r.mentors), len(r.bases)
(5, 2000, 100, 130)
>>> 4.0 <= len(r.mentees) / len(r.mentors) <= 5.5
True
"""

from mentormatch.synth.assumptions import (
    COUNTY_SIZE_SD,
    FORBID_SHARE,
    KEEP_SHARE,
    SECRETARIES_PER_COUNTY,
    SECRETARIES_PER_UNIT,
    UNIT_SIZE_SD,
)
from mentormatch.synth.calibration import region_calibration as calibration_table
from mentormatch.synth.region import synthesize_region

__all__ = [
    "synthesize_region",
    "calibration_table",
    "SECRETARIES_PER_COUNTY",
    "COUNTY_SIZE_SD",
    "SECRETARIES_PER_UNIT",
    "UNIT_SIZE_SD",
    "KEEP_SHARE",
    "FORBID_SHARE",
]
