"""The people: birth years, years of appointment, education and gender of secretaries.

Each generator draws whole arrays, the same for the district and the region.
"""

from __future__ import annotations

import numpy as np

from mentormatch.synth.assumptions import (
    CURRENT_YEAR,
    FEMALE_SHARE,
    JUNIOR_COLLEGE_SHARE,
    POSTGRADUATE_SHARE_OLDER,
    POSTGRADUATE_SHARE_YOUNG,
)
from mentormatch.vocab import EDUCATION, GENDERS

__all__ = ["birth_years", "appointed_years", "education", "genders"]


def birth_years(rng: np.random.Generator, n: int, young_share: float) -> np.ndarray:
    """Birth years: ``young_share`` born 1980-1998 (uniformly), the others around 1970
    (1960-1979).

    >>> years = birth_years(np.random.default_rng(0), 1000, young_share=0.3)
    >>> bool(years.min() >= 1960 and years.max() <= 1998)
    True
    """
    young = rng.random(n) < young_share
    older = np.clip(np.round(rng.normal(1970, 5.5, size=n)), 1960, 1979)
    younger = rng.integers(1980, 1999, size=n)
    return np.where(young, younger, older).astype(int)


def appointed_years(rng: np.random.Generator, birth: np.ndarray, mean_tenure: float) -> np.ndarray:
    """Years of appointment: an exponential tenure back from ``CURRENT_YEAR``, at the
    earliest at 26.

    >>> birth = np.array([1970, 1995])
    >>> years = appointed_years(np.random.default_rng(0), birth, mean_tenure=11.0)
    >>> bool(((years >= birth + 26) & (years <= CURRENT_YEAR)).all())
    True
    """
    tenure = np.round(rng.exponential(mean_tenure, size=len(birth))).astype(int)
    earliest = birth + 26
    return np.clip(CURRENT_YEAR - tenure, np.minimum(earliest, CURRENT_YEAR), CURRENT_YEAR)


#: Positions of the education levels in :data:`~mentormatch.vocab.EDUCATION`.
_SECONDARY, _JUNIOR, _BACHELOR, _POSTGRADUATE = (
    EDUCATION.codes.index(c) for c in ("secondary", "junior_college", "bachelor", "postgraduate")
)


def education(rng: np.random.Generator, birth: np.ndarray, n_university: int) -> np.ndarray:
    """Education levels (positions in :data:`~mentormatch.vocab.EDUCATION`): younger
    secretaries more often hold degrees, and exactly ``n_university`` of them do.

    >>> birth = birth_years(np.random.default_rng(1), 200, young_share=0.3)
    >>> levels = education(np.random.default_rng(2), birth, n_university=90)
    >>> int(np.isin(levels, [EDUCATION.codes.index(c) for c in ("bachelor", "postgraduate")]).sum())
    90
    """
    latent = 0.18 * (birth - 1975) + rng.logistic(size=len(birth))
    order = np.argsort(-latent, kind="stable")
    university = np.zeros(len(birth), dtype=bool)
    university[order[:n_university]] = True
    # One uniform per person, in order: postgraduate or bachelor for the degree holders,
    # junior college or secondary for the others.
    u = rng.random(len(birth))
    postgraduate = u < np.where(birth >= 1985, POSTGRADUATE_SHARE_YOUNG, POSTGRADUATE_SHARE_OLDER)
    level = np.where(
        university,
        np.where(postgraduate, _POSTGRADUATE, _BACHELOR),
        np.where(u < JUNIOR_COLLEGE_SHARE, _JUNIOR, _SECONDARY),
    )
    return level.astype(np.int8)


def genders(rng: np.random.Generator, n: int) -> np.ndarray:
    """Genders (positions in :data:`~mentormatch.vocab.GENDERS`): ``FEMALE_SHARE`` women.

    >>> women = genders(np.random.default_rng(0), 10_000) == GENDERS.codes.index("female")
    >>> bool(abs(women.mean() - FEMALE_SHARE) < 0.02)
    True
    """
    return np.where(rng.random(n) < FEMALE_SHARE, _FEMALE, _MALE)


_FEMALE, _MALE = GENDERS.codes.index("female"), GENDERS.codes.index("male")
