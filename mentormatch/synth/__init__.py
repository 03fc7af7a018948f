"""Synthetic data: a district calibrated to the published figures of Putuo's programme,
and a city or nation calibrated like it.

No real roster is public, so the project ships synthetic data. The default district
matches every figure the seed article publishes (282 secretaries in post, over 1/4
born in 1980 or later, exactly 139 with a university degree, 13 mentors, 20 practice
bases, 10 sub-districts/towns with 3 villages in Taopu, 6 rank promotions, 4 recruited
as civil servants) and the domain brief's community types and challenges. Everything
else is an assumption, stated as a constant in :mod:`~mentormatch.synth.assumptions`
so that a reader can see it and a researcher can change it.

The assessment panel (waves 2018-2024) is generated from a model with a known
mentoring effect, :data:`MENTORING_EFFECT`, so that the evaluation notebooks can show
an estimator recovering it (:mod:`~mentormatch.synth.panel`).

One set of generators draws both the district (:func:`synthesize_district`) and the
region (:func:`mentormatch.region_synth.synthesize_region`), one module per job:

* :mod:`~mentormatch.synth.people`: birth years, appointment, education, gender;
* :mod:`~mentormatch.synth.communities`: community types, sizes, ages, challenges;
* :mod:`~mentormatch.synth.history`: entry into the programme, this cycle's mentees,
  last cycle's mentors, earlier posts;
* :mod:`~mentormatch.synth.mentors`: known types, expertise, capacities, min loads;
* :mod:`~mentormatch.synth.bases`: themes and places of practice bases;
* :mod:`~mentormatch.synth.counts` and :mod:`~mentormatch.synth.names`: how many
  where, names and IDs;
* :mod:`~mentormatch.synth.district` and :mod:`~mentormatch.synth.region` lay the
  two out (Putuo's ten units; counties of units on a grid) and call the generators;
* :mod:`~mentormatch.synth.calibration` checks both against the published figures.

Where the district's draws go one row at a time (the order ``data/sample`` pins byte
for byte), a generator offers that order (``rowwise=True``) beside its whole-array one.
Names are synthetic: common surnames and given-name characters drawn at random, never
the names of people in the article.
"""

# Every figure and assumption stays importable from here, as before the split.
from mentormatch.synth.assumptions import *  # noqa: F403
from mentormatch.synth.assumptions import __all__ as _ASSUMPTIONS
from mentormatch.synth.calibration import district_calibration as calibration_table
from mentormatch.synth.communities import (
    CHALLENGE_RATE_TABLE,
    challenge_probabilities,
    challenge_rates,
)
from mentormatch.synth.district import SynthTruth, synthesize_district, truth

__all__ = [
    "synthesize_district",
    "SynthTruth",
    "truth",
    "calibration_table",
    "challenge_rates",
    "challenge_probabilities",
    "CHALLENGE_RATE_TABLE",
    *_ASSUMPTIONS,
]
