"""The programme around the pairs, drawn for the synthetic district: training sessions
and who attended them, inspection findings and what the salon produced.

* **Sessions** from :data:`~mentormatch.synth.assumptions.TRAINING_FIRST_YEAR` to the
  year being planned (:data:`~mentormatch.synth.assumptions.CURRENT_YEAR`): each year a
  launch class (启航班, March) for the newly appointed, a centralized rotation (集中轮训,
  July) for everyone, and six bimonthly electives (双月选训) whose topics are the four
  capacity-index dimensions and two of the six commonest challenges, each with seats for
  about a third of the secretaries.
* **The training log** covers the past years (up to the last assessment wave): the
  newly appointed sit the launch class, most secretaries the rotation, and each
  elective fills :data:`~mentormatch.synth.assumptions.ELECTIVE_FILL` of its seats with
  those who need it most by a noisy reading (weaker secretaries for a dimension, those
  who name the challenge for a challenge, new secretaries a little more), at most two
  electives a year and one per topic.
* **Trained dimensions** (:func:`trained_counts`): an elective on a dimension raises that
  dimension's scores by :data:`~mentormatch.synth.assumptions.TRAINING_EFFECT` from the
  next wave on, the truth the evaluation recovers.
* **Findings** of the last wave's on-site supervision (实地督训): one to three per mentee
  of that cycle, by its mentor, mostly on a challenge the secretary names.
* **Salon records** of that year (一午一时): a topic a month (the most found first), ten
  groups, ideas, cases and questions with answers, written by the groups' members. The
  texts name communities and mentors, as real minutes do: the casebook must scrub them
  when it pseudonymises.

Draws come from a generator of their own, so the other tables are those of a district
without them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mentormatch.synth.assumptions import (
    ABILITY_SD,
    CURRENT_YEAR,
    ELECTIVE_CHALLENGES,
    ELECTIVE_FILL,
    ELECTIVE_MONTHS,
    ELECTIVE_SEAT_SHARE,
    TRAINING_FIRST_YEAR,
    WAVES,
)
from mentormatch.synth.names import ids
from mentormatch.vocab import DIMENSIONS, TOPICS

__all__ = ["programme", "trained_counts", "SALON_GROUPS"]

#: The salon sits in this many groups (seed).
SALON_GROUPS = 10
_LAUNCH_MONTH, _CENTRAL_MONTH = 3, 7
_DIMS = DIMENSIONS.codes
#: Foundational dimensions, on which new secretaries need training most.
_FOUNDATIONAL = ("members_managed", "leads_with_method")


def programme(
    rng: np.random.Generator,
    people: pd.DataFrame,
    mentors: pd.DataFrame,
    bases: pd.DataFrame | None,
) -> dict[str, pd.DataFrame]:
    """The four programme tables: ``sessions``, ``training_log``, ``findings`` and
    ``salon_records``, for ``people`` (with the synthesizer's private columns
    ``_left_year`` and ``_ability``).

    >>> import mentormatch as mm
    >>> d = mm.synthesize_district(seed=1)
    >>> d.sessions.groupby("format").size().to_dict()["elective"]
    48
    """
    sessions = _sessions(rng, people, mentors, bases)
    log = _training_log(rng, people, sessions)
    findings = _findings(rng, people, mentors)
    records = _salon_records(rng, people, mentors, findings)
    return {
        "sessions": sessions,
        "training_log": log,
        "findings": findings,
        "salon_records": records,
    }


def trained_counts(people: pd.DataFrame, sessions: pd.DataFrame, log: pd.DataFrame) -> np.ndarray:
    """Electives on each dimension attended before each wave: an integer array
    (person, dimension, wave - first wave), the dose the panel's training effect
    multiplies."""
    first, last = WAVES
    out = np.zeros((len(people), len(_DIMS), last - first + 1), dtype=np.int64)
    on_dim = sessions[(sessions["format"] == "elective") & sessions["topic"].isin(_DIMS)]
    rows = log.merge(on_dim[["session_id", "topic", "month"]], on="session_id")
    if rows.empty:
        return out
    person = pd.Index(people["secretary_id"]).get_indexer(rows["secretary_id"])
    dim = pd.Index(_DIMS).get_indexer(rows["topic"])
    year = rows["month"].str[:4].astype(int).to_numpy()
    for w in range(first, last + 1):
        before = year < w
        np.add.at(out[:, :, w - first], (person[before], dim[before]), 1)
    return out


def _in_post(people: pd.DataFrame, year: int) -> np.ndarray:
    left = people["_left_year"].to_numpy()
    return (people["appointed_year"].to_numpy() <= year) & ((left == 0) | (year < left))


def _commonest(people: pd.DataFrame) -> list[str]:
    """Challenges named by secretaries in post, commonest first (ties by code order)."""
    now = people[people["_left_year"].to_numpy() == 0]
    counts = pd.Series([c for cs in now["challenges"] for c in cs]).value_counts()
    order = {c: i for i, c in enumerate(TOPICS.codes)}
    return sorted(counts.index, key=lambda c: (-counts[c], order[c]))


def _sessions(
    rng: np.random.Generator,
    people: pd.DataFrame,
    mentors: pd.DataFrame,
    bases: pd.DataFrame | None,
) -> pd.DataFrame:
    common = _commonest(people)[:6]
    rows = []
    for year in range(TRAINING_FIRST_YEAR, CURRENT_YEAR + 1):
        post = _in_post(people, year)
        appointed = people["appointed_year"].to_numpy()
        new = int((post & (appointed >= year - 1)).sum())
        rows.append((year, _LAUNCH_MONTH, "launch_class", None, _round_up(max(new, 1), 10)))
        rows.append((year, _CENTRAL_MONTH, "centralized", None, _round_up(int(post.sum()), 50)))
        picked = rng.choice(len(common), size=min(ELECTIVE_CHALLENGES, len(common)), replace=False)
        topics = list(_DIMS) + [common[i] for i in sorted(picked)]
        topics = [topics[i] for i in rng.permutation(len(topics))]
        seats = max(1, round(ELECTIVE_SEAT_SHARE * int(post.sum())))
        for month, topic in zip(ELECTIVE_MONTHS, topics, strict=False):
            rows.append((year, month, "elective", topic, seats))
    rows.sort(key=lambda r: (r[0], r[1]))
    frame = pd.DataFrame(rows, columns=["year", "m", "format", "topic", "capacity"])
    serial = frame.groupby("year").cumcount() + 1
    frame.insert(
        0, "session_id", [f"T{y}{k:02d}" for y, k in zip(frame["year"], serial, strict=True)]
    )
    frame.insert(
        2, "month", [f"{y}-{m:02d}" for y, m in zip(frame["year"], frame["m"], strict=True)]
    )
    frame["base_id"] = [_host(rng, t, bases, "themes", "base_id") for t in frame["topic"]]
    frame["mentor_id"] = [_host(rng, t, mentors, "expertise", "mentor_id") for t in frame["topic"]]
    # Missing as NaN: on pandas 2, astype("str") writes None as the text 'None'.
    frame["topic"] = pd.Series(
        [np.nan if t is None else t for t in frame["topic"]], dtype="str", index=frame.index
    )
    return frame.drop(columns=["year", "m"])


def _round_up(x: int, step: int) -> int:
    return -(-x // step) * step


def _host(rng: np.random.Generator, topic, table: pd.DataFrame | None, col: str, key: str):
    """A base (or mentor) whose themes (or expertise) include a challenge topic."""
    if table is None or not isinstance(topic, str) or topic in _DIMS:
        return np.nan
    able = [k for k, v in zip(table[key], table[col], strict=True) if topic in v]
    return able[int(rng.integers(len(able)))] if able else np.nan


def _training_log(
    rng: np.random.Generator, people: pd.DataFrame, sessions: pd.DataFrame
) -> pd.DataFrame:
    ids_ = people["secretary_id"].to_numpy()
    appointed = people["appointed_year"].to_numpy()
    ability = people["_ability"].to_numpy() / ABILITY_SD
    names = [set(c) for c in people["challenges"]]
    launched = np.zeros(len(people), dtype=bool)
    rows: list[tuple[str, str]] = []
    year_of = sessions["month"].str[:4].astype(int).to_numpy()
    for year in range(TRAINING_FIRST_YEAR, WAVES[1] + 1):
        post = _in_post(people, year)
        taken = np.zeros(len(people), dtype=np.int64)
        for s in np.flatnonzero(year_of == year):
            sid, fmt, topic = sessions.iloc[s][["session_id", "format", "topic"]]
            if fmt == "launch_class":
                who = post & (appointed >= year - 1) & ~launched & (rng.random(len(people)) < 0.95)
                launched |= who
            elif fmt == "centralized":
                who = post & (rng.random(len(people)) < 0.9)
            else:
                able = post & (taken < 2)
                seats = round(int(sessions.iloc[s]["capacity"]) * ELECTIVE_FILL)
                need = _propensity(rng, topic, ability, names, appointed, year)
                order = np.argsort(-np.where(able, need, -np.inf), kind="stable")
                who = np.zeros(len(people), dtype=bool)
                who[order[: min(seats, int(able.sum()))]] = True
                taken += who
            rows += [(i, sid) for i in ids_[who]]
    log = pd.DataFrame(rows, columns=["secretary_id", "session_id"])
    return log.sort_values(["secretary_id", "session_id"], kind="stable").reset_index(drop=True)


def _propensity(rng, topic, ability, names, appointed, year) -> np.ndarray:
    """A noisy reading of need: weaker secretaries for a dimension (new ones more on the
    foundations), those who name it for a challenge."""
    noise = rng.gumbel(size=len(ability))
    if topic in _DIMS:
        new = (year - appointed) <= 1
        return -ability + 0.7 * (new & (topic in _FOUNDATIONAL)) + noise
    return 2.0 * np.array([topic in n for n in names]) + noise


_FINDING_NOTES = (
    "走访{place}时发现：{label}方面台账记录不全。",
    "在{place}个别访谈中反映：{label}工作推进较慢。",
    "查阅{place}台账：{label}相关议事记录缺失。",
)


def _findings(
    rng: np.random.Generator, people: pd.DataFrame, mentors: pd.DataFrame
) -> pd.DataFrame:
    """Findings of the last wave's visits to the mentees of that cycle (mentored since
    the wave before it), by their mentor of record or one of their unit."""
    last = WAVES[1]
    since = people["mentored_since"].fillna(0).to_numpy(dtype=int)
    who = np.flatnonzero((since >= last - 1) & (people["_left_year"].to_numpy() == 0))
    prev = people["previous_mentor_id"]
    rows = []
    for i in who:
        mentor = prev.iat[i]
        if pd.isna(mentor):
            near = mentors.loc[mentors["street_town"] == people.at[i, "street_town"], "mentor_id"]
            pool = near.to_numpy() if len(near) else mentors["mentor_id"].to_numpy()
            mentor = pool[int(rng.integers(len(pool)))]
        named = list(people.at[i, "challenges"])
        for _ in range(int(rng.integers(1, 4))):
            if named and rng.random() < 0.7:
                issue = named[int(rng.integers(len(named)))]
            else:
                issue = _DIMS[int(rng.integers(len(_DIMS)))]
            note = _FINDING_NOTES[int(rng.integers(len(_FINDING_NOTES)))].format(
                place=people.at[i, "community_name"], label=TOPICS[issue].zh
            )
            month = f"{last}-{int(rng.integers(1, 13)):02d}"
            rows.append((people.at[i, "secretary_id"], mentor, month, issue, note))
    frame = pd.DataFrame(rows, columns=["secretary_id", "mentor_id", "month", "issue", "note"])
    frame = frame.sort_values(["month", "secretary_id"], kind="stable").reset_index(drop=True)
    frame.insert(0, "finding_id", ids("F", len(frame)))
    return frame


_TEXTS = {
    "idea": (
        "{place}的做法：围绕{label}建立“楼组议事会”，每月听取居民意见。",
        "{place}把{label}列入书记走访清单，做到问题不过夜。",
        "借鉴{place}：{label}难题先找党员骨干商量，再开居民会议。",
    ),
    "case": (
        "{place}化解{label}难题的经过：先走百家门摸清诉求，再请三方协商。",
        "{place}在{label}上的经验：书记带头、党员包楼、居民参与。",
    ),
    "question": (
        "{label}工作中居民意见不一，怎样找到大家都能接受的方案？",
        "{label}涉及多个部门，居民区书记如何协调推进？",
        "新任书记面对{label}问题，第一步该做什么？",
    ),
    "answer": (
        "带教老师{mentor}答复：先走访摸底，把情况写进台账，再召开听证会。",
        "{mentor}老师建议：抓住党员骨干，先做通楼组长的工作。",
        "答复：可参考{place}的做法，分步推进，定期向居民公开进展。",
    ),
}


def _salon_records(
    rng: np.random.Generator, people: pd.DataFrame, mentors: pd.DataFrame, findings: pd.DataFrame
) -> pd.DataFrame:
    year = WAVES[1]
    post = np.flatnonzero(people["_left_year"].to_numpy() == 0)
    group = np.empty(len(post), dtype=np.int64)
    group[rng.permutation(len(post))] = np.arange(len(post)) % SALON_GROUPS + 1
    found = findings["issue"].value_counts()
    order = {c: i for i, c in enumerate(_commonest(people) + list(_DIMS))}
    topics = sorted(order, key=lambda c: (-found.get(c, 0), order[c]))[:12]
    mentor_names = mentors["name"].to_numpy()
    places = people["community_name"].to_numpy()
    sids = people["secretary_id"].to_numpy()
    rows = []
    for m, topic in enumerate(topics, start=1):
        label = TOPICS[topic].zh
        for g in range(1, SALON_GROUPS + 1):
            members = post[group == g]
            for kind, p in (("idea", 0.7), ("case", 0.5), ("question", 0.8)):
                if rng.random() >= p or not len(members):
                    continue
                i = members[int(rng.integers(len(members)))]
                text = _pick(rng, kind).format(place=places[i], label=label)
                rows.append([f"{year}-{m:02d}", g, topic, sids[i], kind, text, None])
                if kind == "question" and rng.random() < 0.85:
                    j = members[int(rng.integers(len(members)))]
                    mentor = mentor_names[int(rng.integers(len(mentor_names)))]
                    form = _pick(rng, "answer")
                    text = form.format(place=places[j], mentor=mentor)
                    # A mentor's answer is no secretary's contribution.
                    by = None if "{mentor}" in form else sids[j]
                    question = len(rows) - 1
                    rows.append([f"{year}-{m:02d}", g, topic, by, "answer", text, question])
    frame = pd.DataFrame(
        rows, columns=["month", "group", "topic", "secretary_id", "kind", "text", "reply_to"]
    )
    record_ids = ids("R", len(frame))
    frame.insert(0, "record_id", record_ids)
    frame["secretary_id"] = pd.Series(
        [np.nan if i is None else i for i in frame["secretary_id"]], dtype="str", index=frame.index
    )
    frame["reply_to"] = pd.Series(
        [np.nan if pd.isna(r) else record_ids[int(r)] for r in frame["reply_to"]],
        dtype="str",
    )
    return frame


def _pick(rng: np.random.Generator, kind: str) -> str:
    options = _TEXTS[kind]
    return options[int(rng.integers(len(options)))]
