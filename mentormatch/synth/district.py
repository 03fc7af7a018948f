"""The synthetic district: Putuo's ten units, laid out and drawn by the shared generators.

The layout is the district's own (communities per unit from ``UNIT_COUNTS``, the
villages in Taopu, names, departed secretaries, mentors per unit, IDs in roster
order); every attribute is drawn by the generators the region uses too
(:mod:`~mentormatch.synth.people`, :mod:`~mentormatch.synth.communities`,
:mod:`~mentormatch.synth.history`, :mod:`~mentormatch.synth.mentors`,
:mod:`~mentormatch.synth.bases`), in the district's order: where a generator has a
row-by-row order, the district takes it (``rowwise=True``), which ``data/sample``
pins byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.region import decode_masks, district_neighbours, mentors_around
from mentormatch.synth.assumptions import (
    ABILITY_SD,
    CURRENT_YEAR,
    DEPARTED_SHARE,
    DEPARTED_YOUNG_SHARE,
    MEAN_TENURE,
    MENTEES_PER_MENTOR,
    MENTOR_YEARS,
    MENTORING_EFFECT,
    PUBLISHED,
    TRAINING_EFFECT,
    UNIT_COUNTS,
    VILLAGE_NAMES,
    VILLAGE_UNIT,
    WAVES,
    YOUNG_SHARE,
)
from mentormatch.synth.bases import base_capacities, base_leads, base_themes, challenge_counts
from mentormatch.synth.communities import (
    PROFILES,
    ages_and_households,
    challenge_masks,
    urban_types,
)
from mentormatch.synth.counts import allocate
from mentormatch.synth.history import (
    cap_mentees,
    continuing,
    eligible,
    entry_years,
    previous_mentors,
    prior_posts,
    this_cycle,
)
from mentormatch.synth.mentors import capacities, mentor_profile, min_loads
from mentormatch.synth.names import TYPE_SUFFIX, NameMaker, ids, place_name
from mentormatch.synth.panel import assessment_panel, career_events
from mentormatch.synth.people import appointed_years, birth_years, education, genders
from mentormatch.synth.training import programme, trained_counts
from mentormatch.vocab import (
    CHALLENGES,
    COMMUNITY_TYPES,
    EDUCATION,
    GENDERS,
    NEIGHBOURS,
    STREET_TOWNS,
)

__all__ = ["synthesize_district", "SynthTruth", "truth"]


@dataclass(frozen=True)
class SynthTruth:
    """The parameters a synthetic district was generated with, for checking estimators."""

    seed: int
    mentoring_effect: float
    waves: tuple[int, int]
    current_year: int
    training_effect: float = TRAINING_EFFECT


def synthesize_district(
    seed: int = 2018,
    *,
    n_secretaries: int = 282,
    n_mentors: int = 13,
    n_bases: int = 20,
    n_university: int | None = None,
    n_villages: int = 3,
    n_promoted: int = 6,
    n_civil_servant: int = 4,
    departed_share: float = DEPARTED_SHARE,
    mentoring_effect: float = MENTORING_EFFECT,
    training_effect: float = TRAINING_EFFECT,
    assessments: bool = True,
) -> District:
    """A synthetic district calibrated to the published figures.

    Parameters
    ----------
    seed : int
        Random seed; the same seed gives the same District, byte for byte once saved.
    n_secretaries : int
        Secretaries in post (one per community). Departed secretaries come on top.
    n_mentors, n_bases : int
        Mentors and practice bases.
    n_university : int, optional
        Secretaries in post with a university degree or higher (bachelor or above).
        Default: the published share, 139 of 282.
    n_villages : int
        Villages (all in Taopu town).
    n_promoted, n_civil_servant : int
        Career events: rank promotions (in post) and recruitment as civil servants
        (who then leave the post).
    departed_share : float
        Secretaries who left since 2018, as a share of ``n_secretaries``.
    mentoring_effect : float
        True effect of mentoring on assessment scores, in points.
    training_effect : float
        True effect of one elective on a dimension on that dimension's scores from the
        next wave on, in points (see :mod:`mentormatch.synth.training`).
    assessments : bool
        Generate the assessment panel (the largest table).

    Returns
    -------
    District

    Examples
    --------
    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=2018)
    >>> len(d.in_post), len(d.mentors), len(d.bases)
    (282, 13, 20)
    >>> int(d.in_post["education"].isin(["bachelor", "postgraduate"]).sum())
    139
    """
    _check_sizes(n_secretaries, n_mentors, n_bases, n_villages, n_promoted, n_civil_servant)
    rng = np.random.default_rng(seed)
    if n_university is None:
        n_university = round(PUBLISHED["university_degree"] / 282 * n_secretaries)
    n_university = min(max(0, n_university), n_secretaries)
    names = NameMaker(rng)
    communities, masks = _communities(rng, n_secretaries, n_villages)
    current = _current_secretaries(rng, communities, n_university, names)
    departed = _departed_secretaries(rng, current, departed_share, names)
    people = pd.concat([current, departed], ignore_index=True)
    _mentoring_history(rng, people, n_mentors)
    mentors = _mentors(rng, n_mentors, communities, people, names)
    _prior_communities(rng, people, communities, mentors)
    bases = _bases(rng, n_bases, communities, masks, people)
    career = career_events(rng, people, n_promoted, n_civil_servant)
    # The programme's records draw from a generator of their own: the other tables stay
    # those of a district without them.
    extra = programme(np.random.default_rng([seed, 13]), people, mentors, bases)
    trained = trained_counts(people, extra["sessions"], extra["training_log"])
    panel = (
        assessment_panel(rng, people, mentoring_effect, trained, training_effect)
        if assessments
        else None
    )
    secretaries = people.drop(columns=["_left_year", "_ability", "_unit_rank"])
    secretaries = secretaries.sort_values("secretary_id", kind="stable").reset_index(drop=True)
    return District(
        secretaries=secretaries,
        mentors=mentors,
        bases=bases,
        assessments=panel,
        constraints=None,
        career=career,
        **extra,
        synthetic=True,
    )


def truth(
    seed: int = 2018,
    mentoring_effect: float = MENTORING_EFFECT,
    training_effect: float = TRAINING_EFFECT,
) -> SynthTruth:
    """The generating parameters of ``synthesize_district(seed, mentoring_effect=...,
    training_effect=...)``."""
    return SynthTruth(seed, mentoring_effect, WAVES, CURRENT_YEAR, training_effect)


def _check_sizes(n_sec: int, n_men: int, n_bases: int, n_vil: int, n_pro: int, n_cs: int) -> None:
    problems = []
    if n_sec < 10:
        problems.append(f"n_secretaries must be at least 10, got {n_sec}")
    if n_men < 1:
        problems.append(f"n_mentors must be at least 1, got {n_men}")
    if n_bases < 0:
        problems.append(f"n_bases must be >= 0, got {n_bases}")
    if not 0 <= n_vil <= n_sec // 10:
        problems.append(f"n_villages must be between 0 and n_secretaries/10, got {n_vil}")
    if n_pro < 0 or n_cs < 0:
        problems.append("career event counts must be >= 0")
    if problems:
        raise DataError("; ".join(problems))


_UNITS = STREET_TOWNS.codes
_TYPES = np.asarray(COMMUNITY_TYPES.codes, dtype=object)


def _communities(
    rng: np.random.Generator, n: int, n_villages: int
) -> tuple[pd.DataFrame, np.ndarray]:
    """The communities, unit by unit (a unit's villages first), and their challenge masks."""
    counts = allocate(n, UNIT_COUNTS)
    if counts[VILLAGE_UNIT] < n_villages:
        raise DataError(f"too few communities in {VILLAGE_UNIT} for {n_villages} villages")
    villages = {code: n_villages if code == VILLAGE_UNIT else 0 for code in _UNITS}
    profile = np.concatenate(
        [np.full(counts[c] - villages[c], PROFILES.index(c), dtype=np.int64) for c in _UNITS]
    )
    drawn = iter(urban_types(rng, profile))
    village = COMMUNITY_TYPES.codes.index("village")
    unit, type_index = [], []
    for code in _UNITS:
        unit += [code] * counts[code]
        type_index += [village] * villages[code]
        type_index += [int(next(drawn)) for _ in range(counts[code] - villages[code])]
    type_index = np.asarray(type_index, dtype=np.int64)
    ctype = _TYPES[type_index]
    share60, households = ages_and_households(rng, type_index)
    names: list[str] = []
    taken: set[str] = set()
    village_names = iter(VILLAGE_NAMES)
    for t in ctype:
        if t == "village":
            name = next(village_names, None)
            if name is None or name in taken:
                name = place_name(rng, TYPE_SUFFIX["village"], taken)
        else:
            name = place_name(rng, TYPE_SUFFIX[t], taken)
        taken.add(name)
        names.append(name)
    masks = challenge_masks(rng, type_index, share60, rowwise=True)
    frame = pd.DataFrame(
        {
            "community_id": ids("C", n),
            "community_name": names,
            "street_town": unit,
            "community_type": list(ctype),
            "households": households,
            "share_aged_60_plus": share60,
            "challenges": decode_masks(masks, CHALLENGES.codes),
        }
    )
    return frame, masks


def _current_secretaries(
    rng: np.random.Generator, communities: pd.DataFrame, n_university: int, names: NameMaker
) -> pd.DataFrame:
    n = len(communities)
    birth = birth_years(rng, n, young_share=YOUNG_SHARE)
    appointed = appointed_years(rng, birth, mean_tenure=MEAN_TENURE)
    df = communities.copy()
    df.insert(0, "secretary_id", "")
    df.insert(1, "name", [names.person() for _ in range(n)])
    df.insert(2, "gender", np.asarray(GENDERS.codes)[genders(rng, n)])
    df.insert(3, "birth_year", birth)
    level = education(rng, birth, n_university)
    df.insert(4, "education", [EDUCATION.codes[e] for e in level])
    df.insert(5, "appointed_year", appointed)
    df["_left_year"] = 0
    return df


def _departed_secretaries(
    rng: np.random.Generator, current: pd.DataFrame, share: float, names: NameMaker
) -> pd.DataFrame:
    """Secretaries who left since 2018: predecessors in communities with a newer secretary."""
    start = PUBLISHED["programme_start"]
    candidates = np.flatnonzero(current["appointed_year"].to_numpy() > start)
    k = min(len(candidates), round(share * len(current)))
    chosen = np.sort(rng.choice(candidates, size=k, replace=False)) if k else np.array([], int)
    rows = current.iloc[chosen].copy()
    left = rows["appointed_year"].to_numpy()
    birth = birth_years(rng, k, young_share=DEPARTED_YOUNG_SHARE)
    earliest = np.maximum(birth + 26, 1995)
    span = np.maximum(left - earliest, 1)
    appointed = left - 1 - np.floor(rng.random(k) * np.minimum(span, 12)).astype(int)
    appointed = np.maximum(appointed, birth + 26)
    appointed = np.minimum(appointed, left - 1)
    rows["name"] = [names.person() for _ in range(k)]
    rows["gender"] = np.asarray(GENDERS.codes)[genders(rng, k)]
    rows["birth_year"] = birth
    rows["appointed_year"] = appointed
    rows["education"] = [
        ("bachelor" if rng.random() < 0.75 else "junior_college")
        if b >= 1980
        else ("bachelor" if rng.random() < 0.35 else "junior_college")
        for b in birth
    ]
    rows["_left_year"] = left
    return rows.reset_index(drop=True)


def _mentoring_history(rng: np.random.Generator, people: pd.DataFrame, n_mentors: int) -> None:
    """Who entered the programme when, who needs a mentor now; secretary IDs."""
    last = WAVES[1]
    n = len(people)
    birth = people["birth_year"].to_numpy()
    appointed = people["appointed_year"].to_numpy()
    left = people["_left_year"].to_numpy()
    can = eligible(birth, appointed)
    end = np.where(left == 0, last, np.minimum(last, left - 1))
    since = entry_years(rng, can, appointed, end, rowwise=True)
    needs = this_cycle(rng, since, can, in_post=left == 0)
    places = np.array([round(MENTEES_PER_MENTOR * n_mentors)])
    needs = cap_mentees(needs, birth, appointed, np.zeros(n, dtype=np.int64), places)
    people["needs_mentor"] = needs
    people["mentored_since"] = pd.array(np.where(since > 0, since, None), dtype="Int64")
    people["_ability"] = rng.normal(0, ABILITY_SD, size=n)
    # Secretary IDs in sub-district order, current before departed, as a roster lists them.
    unit_rank = people["street_town"].map({c: i for i, c in enumerate(_UNITS)})
    people["_unit_rank"] = unit_rank
    order = np.lexsort((np.arange(n), left > 0, unit_rank.to_numpy()))
    id_col = np.empty(n, dtype=object)
    id_col[order] = ids("S", n)
    people["secretary_id"] = id_col


def _mentors(
    rng: np.random.Generator,
    n_mentors: int,
    communities: pd.DataFrame,
    people: pd.DataFrame,
    names: NameMaker,
) -> pd.DataFrame:
    counts = allocate(n_mentors, UNIT_COUNTS)
    rows = []
    demand = int(people["needs_mentor"].sum())
    caps = capacities(rng, n_mentors, demand)
    for unit in _UNITS:
        pool = communities.index[communities["street_town"] == unit].to_numpy()
        pool = pool[communities.loc[pool, "community_type"].to_numpy() != "village"]
        for j in rng.choice(pool, size=counts[unit], replace=counts[unit] > len(pool)):
            own = COMMUNITY_TYPES.codes.index(communities.at[j, "community_type"])
            types, expertise = mentor_profile(rng, own)
            rows.append(
                {
                    "name": names.person(),
                    "street_town": unit,
                    "community_id": communities.at[j, "community_id"],
                    "years_as_secretary": int(rng.integers(MENTOR_YEARS[0], MENTOR_YEARS[1] + 1)),
                    "community_types": tuple(COMMUNITY_TYPES.codes[t] for t in types),
                    "expertise": tuple(CHALLENGES.codes[e] for e in expertise),
                }
            )
    mentors = pd.DataFrame(rows)
    mentors.insert(0, "mentor_id", ids("M", n_mentors))
    mentors["capacity"] = caps
    low = min_loads(rng, caps)
    mentors["min_load"] = pd.array(np.where(low > 0, low, None), dtype="Int64")
    # The mentor of last cycle, for continuing mentees: one nearby, as planners pair.
    since = people["mentored_since"].fillna(0).to_numpy()
    who = continuing(people["needs_mentor"].to_numpy(), since)
    near = mentors_around(district_neighbours(), _unit_positions(mentors))
    zeros = np.zeros(len(people), dtype=np.int64)
    previous = previous_mentors(
        rng, who, _unit_positions(people), zeros, near, np.zeros(n_mentors), rowwise=True
    )
    # Missing as NaN: on pandas 2, pd.array(..., dtype="str") writes None as the text 'None'.
    mentor_ids = mentors["mentor_id"].to_numpy()
    people["previous_mentor_id"] = pd.Series(
        [mentor_ids[p] if p >= 0 else np.nan for p in previous], dtype="str", index=people.index
    )
    return mentors


def _unit_positions(frame: pd.DataFrame) -> np.ndarray:
    return pd.Index(_UNITS).get_indexer(frame["street_town"])


#: Per unit, the unit and its neighbours (by code), in the order the district lists
#: their communities when it draws earlier posts.
_AROUND = [[u, *(_UNITS.index(v) for v in sorted(NEIGHBOURS[c]))] for u, c in enumerate(_UNITS)]


def _prior_communities(
    rng: np.random.Generator, people: pd.DataFrame, communities: pd.DataFrame, mentors: pd.DataFrame
) -> None:
    """Earlier posts (as social worker or deputy) in the same or a neighbouring unit.

    Some mentees earlier served in a mentor's community, as in the seed article's pair.
    """
    position = pd.Index(communities["community_id"])
    lengths = [len(a) for a in _AROUND]
    around = sparse.csr_array(
        (np.ones(sum(lengths), bool), np.concatenate(_AROUND), np.r_[0, np.cumsum(lengths)]),
        shape=(len(_UNITS), len(_UNITS)),
    )
    unit_size = communities["street_town"].value_counts().reindex(_UNITS, fill_value=0)
    prior = prior_posts(
        rng,
        _unit_positions(people),
        position.get_indexer(people["community_id"]),
        people["needs_mentor"].to_numpy(),
        unit_size.to_numpy(),
        around,
        _unit_positions(mentors),
        position.get_indexer(mentors["community_id"]),
        rowwise=True,
    )
    community_ids = communities["community_id"].to_numpy()
    prior.sort_indices()
    people["prior_communities"] = [
        tuple(community_ids[prior.indices[prior.indptr[i] : prior.indptr[i + 1]]])
        for i in range(len(people))
    ]


def _bases(
    rng: np.random.Generator,
    n_bases: int,
    communities: pd.DataFrame,
    masks: np.ndarray,
    people: pd.DataFrame,
) -> pd.DataFrame | None:
    if n_bases == 0:
        return None
    demand = int(people["needs_mentor"].sum())
    counts = challenge_counts(masks, np.zeros(len(masks), dtype=np.int64), 1)
    chosen = np.sort(
        rng.choice(len(communities), size=min(n_bases, len(communities)), replace=False)
    )
    one = np.zeros(len(chosen), dtype=np.int64)
    themes = base_themes(rng, base_leads(counts, one), masks[chosen], rowwise=True)
    bases = pd.DataFrame(
        {
            "name": [
                f"{name}实训基地" for name in communities["community_name"].to_numpy()[chosen]
            ],
            "community_id": communities["community_id"].to_numpy()[chosen],
            "street_town": communities["street_town"].to_numpy()[chosen],
            "themes": decode_masks(themes, CHALLENGES.codes),
        }
    )
    bases.insert(0, "base_id", ids("B", len(bases)))
    bases["capacity"] = base_capacities(rng, np.array([demand]), np.array([len(bases)]), one)
    return bases
