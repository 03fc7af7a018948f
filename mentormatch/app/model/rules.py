"""The rules a planner sets (:class:`Rules`) and the workbench's actions on them: places
per mentor, score weights, distance, pairs to keep or forbid, partial plans."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from mentormatch.app.cost import Grid, person
from mentormatch.app.model._common import OBJECTIVES, _label
from mentormatch.app.words import RULE_WORDS, WEIGHT_WORDS, say
from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.plan import DISTANCE_RULES
from mentormatch.present.format import for_people
from mentormatch.scoring import MENTOR_WEIGHTS, parse_weights

# --- Rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """What the planner has set.

    Attributes
    ----------
    objective : {"total", "fair", "stable"}
    weights : dict
        Score weights as set (any scale; :func:`mentormatch.scoring.parse_weights`
        normalises them).
    distance : {None, "same", "neighbouring"}
    partial : bool or None
        Allow a partial plan; ``None`` follows the places (on when they are short).
    capacity : dict
        mentor_id -> places, where the planner changed the roster's.
    pairs : tuple of (secretary_id, mentor_id, rule)
        Every rule on pairs in force: the roster's constraints table as loaded, then the
        planner's changes.
    """

    objective: str = "total"
    weights: Mapping[str, float] = field(default_factory=lambda: dict(MENTOR_WEIGHTS))
    distance: str | None = None
    partial: bool | None = None
    capacity: Mapping[str, int] = field(default_factory=dict)
    pairs: tuple[tuple[str, str, str], ...] = ()


def merge_pairs(
    pairs: tuple[tuple[str, str, str], ...], added: tuple[tuple[str, str, str], ...]
) -> tuple[tuple[str, str, str], ...]:
    """``pairs`` with the rules ``added``, in order: a rule on a pair replaces an earlier
    one on the same pair, and a keep rule replaces the secretary's other keep rule (the
    constraints table allows one per secretary).

    >>> merge_pairs((("S1", "M1", "keep"), ("S2", "M1", "forbid")), (("S1", "M2", "keep"),))
    (('S2', 'M1', 'forbid'), ('S1', 'M2', 'keep'))
    """
    out = list(pairs)
    for sid, mid, rule in added:
        out = [
            (s, m, r)
            for s, m, r in out
            if not ((s, m) == (sid, mid) or (rule == "keep" and r == "keep" and s == sid))
        ]
        out.append((sid, mid, rule))
    return tuple(out)


class _RuleActions:
    """Part of :class:`~mentormatch.app.model.Workbench`: step 3, the rules, and the
    District they make."""

    # --- 3. rules ------------------------------------------------------------------------

    @property
    def district(self) -> District:
        """The roster with the rules applied (places per mentor and rules on pairs), and
        without the locks."""
        return self._district(self.rules.capacity, self.rules.pairs)

    @property
    def district_with_locks(self) -> District:
        """:attr:`district` with every locked pair as a keep rule."""
        locks = tuple((s, m, "keep") for s, m in self.locks.items())
        return self._district(self.rules.capacity, merge_pairs(self.rules.pairs, locks))

    def _district(self, capacity: Mapping[str, int], pairs: tuple) -> District:
        if self.roster is None:
            raise DataError("no roster is loaded")
        key = (tuple(sorted(capacity.items())), pairs)
        if key not in self._districts:
            d = self.roster
            tables = {}
            if capacity:
                mentors = d.mentors.copy()
                mentors["capacity"] = [
                    int(capacity.get(m, c))
                    for m, c in zip(mentors["mentor_id"], mentors["capacity"], strict=True)
                ]
                tables["mentors"] = mentors
            c = d.constraints
            if pairs != tuple(zip(c["secretary_id"], c["mentor_id"], c["rule"], strict=True)):
                tables["constraints"] = pd.DataFrame(
                    list(pairs), columns=["secretary_id", "mentor_id", "rule"]
                )
            _remember(self._districts, key, d.replace(**tables) if tables else d)
        return self._districts[key]

    def _grid(self, d: District) -> Grid:
        r = self.rules
        key = (id(d), tuple(sorted(r.weights.items())), r.distance)
        if key not in self._grids:
            # The District is kept with its grid, so that its id is not reused.
            _remember(self._grids, key, (d, Grid.build(d, r.weights, r.distance)))
        return self._grids[key][1]

    @property
    def partial(self) -> bool:
        """Whether the plan may leave mentees out: as set, or on when places are short."""
        if self.rules.partial is not None:
            return self.rules.partial
        return self.glance()["shortfall"] > 0 if self.ready else False

    @property
    def weights(self) -> dict[str, float]:
        """The weights as used (normalised to sum to 1)."""
        return parse_weights(dict(self.rules.weights))

    def _set_rules(self, **changes) -> None:
        self.rules = replace(self.rules, **changes)
        self.rule_error = None
        if self.solved:
            self.stale = True

    def set_objective(self, objective: str) -> None:
        if objective not in OBJECTIVES:
            raise DataError(f"objective must be one of {list(OBJECTIVES)}, got {objective!r}")
        self._set_rules(objective=objective)

    def set_weight(self, component: str, value: float) -> None:
        """Set one score weight (any scale, at least one above 0)."""
        weights = {**self.rules.weights, component: float(value)}
        try:
            parse_weights(weights)
        except DataError as error:
            self.rule_error = say("rule_error", self.lang, message=_first_line(error))
            return
        self._set_rules(weights=weights)

    def set_distance(self, distance: str | None) -> None:
        if distance is not None and distance not in DISTANCE_RULES:
            raise DataError(f"distance must be one of {list(DISTANCE_RULES)}, got {distance!r}")
        self._set_rules(distance=distance)

    def set_partial(self, partial: bool | None) -> None:
        self._set_rules(partial=partial)

    def set_capacity(self, mentor_id: str, places: int) -> bool:
        """Give a mentor ``places`` places; refused (with :attr:`rule_error`) below the
        mentor's minimum load or below 0."""
        mentors = self.roster.mentors.set_index("mentor_id")
        places = int(places)
        low = mentors.at[mentor_id, "min_load"]
        low = 0 if pd.isna(low) else int(low)
        if places < max(0, low):
            zh = f"名额不能少于 {max(0, low)} 个（该老师的最少带教人数）"
            en = f"places cannot be fewer than {max(0, low)} (the mentor's minimum load)"
            if places < 0:
                zh, en = "名额不能为负数", "places cannot be negative"
            self.rule_error = say("rule_error", self.lang, message=zh if self.lang == "zh" else en)
            return False
        capacity = dict(self.rules.capacity)
        if places == int(mentors.at[mentor_id, "capacity"]):
            capacity.pop(mentor_id, None)
        else:
            capacity[mentor_id] = places
        self._set_rules(capacity=capacity)
        return True

    def add_pair(self, secretary_id: str, mentor_id: str, rule: str) -> None:
        """Add a rule to keep or forbid a pair (replacing one on the same pair, and the
        secretary's other keep rule)."""
        if rule not in RULE_WORDS:
            raise DataError(f"rule must be keep or forbid, got {rule!r}")
        self._set_rules(pairs=merge_pairs(self.rules.pairs, ((secretary_id, mentor_id, rule),)))

    def remove_pairs(self, pairs) -> None:
        """Remove the rules on these (secretary_id, mentor_id) pairs."""
        gone = {tuple(p[:2]) for p in pairs}
        self._set_rules(pairs=tuple(p for p in self.rules.pairs if (p[0], p[1]) not in gone))

    def pair_lines(self) -> list[tuple[str, tuple[str, str]]]:
        """The rules on pairs as (line, (secretary_id, mentor_id)), for a list."""
        d = self.roster
        s_names = dict(zip(d.secretaries["secretary_id"], d.secretaries["name"], strict=True))
        m_names = dict(zip(d.mentors["mentor_id"], d.mentors["name"], strict=True))
        c = d.constraints
        roster = set(zip(c["secretary_id"], c["mentor_id"], c["rule"], strict=True))
        out = []
        for sid, mid, rule in self.rules.pairs:
            origin = say("from_roster", self.lang) if (sid, mid, rule) in roster else ""
            line = say(
                "pair_line",
                self.lang,
                rule=RULE_WORDS[rule][0 if self.lang == "zh" else 1],
                mentee=person(sid, s_names.get(sid), self.lang),
                mentor=person(mid, m_names.get(mid), self.lang),
                origin=origin,
            )
            out.append((line, (sid, mid)))
        return out

    def mentor_places(self) -> pd.DataFrame:
        """Each mentor's places as set, for people (name, sub-district, places, minimum
        load), with the roster's where the planner changed them."""
        d = self.district
        original = self.roster.mentors.set_index("mentor_id")["capacity"]
        m = d.mentors
        places = [
            f"{c}{say('places_changed', self.lang, old=int(original[i]))}"
            if i in self.rules.capacity
            else str(c)
            for i, c in zip(m["mentor_id"], m["capacity"], strict=True)
        ]
        frame = pd.DataFrame(
            {
                "mentor_id": m["mentor_id"],
                "name": m["name"],
                "street_town": m["street_town"],
                "capacity": places,
                "min_load": m["min_load"],
            }
        )
        return for_people(frame, lang=self.lang, labels={"capacity": _label("capacity", "text")})

    def weight_shares(self) -> str:
        """The weights as used, in words (``难题匹配 45%、小区类型 25%…``)."""
        sep = "、" if self.lang == "zh" else ", "
        i = 0 if self.lang == "zh" else 1
        return sep.join(f"{WEIGHT_WORDS[k][i]} {v:.0%}" for k, v in self.weights.items())


#: Districts and grids kept per session (the current rules, the rules with locks, and a
#: few before them): each holds the roster's tables.
CACHE_SIZE = 4


def _remember(cache: dict, key, value) -> None:
    cache[key] = value
    while len(cache) > CACHE_SIZE:
        cache.pop(next(iter(cache)))


def _first_line(error: DataError) -> str:
    return str(error).splitlines()[0]
