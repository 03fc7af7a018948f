"""Checks of a salon's arguments: the number of groups, balance variables, pairs.

Shared by the District's salon (:mod:`mentormatch.groups.salon`) and a Region's
(:mod:`mentormatch.groups.regional`); each raises a :class:`~mentormatch.DataError`
with one sentence in English and Chinese.
"""

from __future__ import annotations

import difflib
import numbers
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from mentormatch.district import District
from mentormatch.errors import DataError
from mentormatch.groups.terms import BALANCE_VARIABLES

__all__ = ["whole_groups", "at_least_one", "check_groups", "check_balance", "check_pairs"]

_WHAT_ZH = {"must-link": "同组要求", "cannot-link": "分组回避要求"}


def whole_groups(n_groups: object) -> int:
    """The number of groups as an int (digits in text accepted), else a DataError."""
    if isinstance(n_groups, str) and n_groups.strip().isdigit():
        n_groups = int(n_groups)
    if isinstance(n_groups, bool) or not isinstance(n_groups, numbers.Integral):
        raise DataError.say(
            f"The number of salon groups must be a whole number, got {n_groups!r}.",
            f"沙龙小组数应为整数，而不是 {n_groups!r}。",
        )
    return int(n_groups)


def at_least_one(n_groups: int) -> int:
    """``n_groups`` if it is at least 1, else a DataError."""
    if n_groups < 1:
        raise DataError.say(
            f"The number of salon groups must be at least 1, got {n_groups}.",
            f"沙龙小组数至少为 1，而不是 {n_groups}。",
        )
    return n_groups


def check_groups(n_groups: object, n: int) -> int:
    """The number of groups for ``n`` secretaries in post, checked.

    >>> check_groups("10", 282)
    10
    """
    n_groups = whole_groups(n_groups)
    if n == 0:
        raise DataError.say(
            "No secretary is in post (all have left): there is nobody to group.",
            "名册中没有在任书记（均已离任），无人可分组。",
        )
    at_least_one(n_groups)
    if n_groups > n:
        raise DataError.say(
            f"{n_groups} salon groups were asked for, but only {n} secretaries are in post: "
            f"ask for at most {n}.",
            f"要求分 {n_groups} 个沙龙小组，但在任书记只有 {n} 名：请最多分 {n} 组。",
        )
    return n_groups


def check_balance(balance: Sequence[str]) -> tuple[str, ...]:
    """The balance variables, checked and without repeats."""
    if isinstance(balance, str):
        balance = [balance]
    out = []
    for v in balance:
        if v not in BALANCE_VARIABLES or v == "facilitator":
            choices = [k for k in BALANCE_VARIABLES if k != "facilitator"]
            raise DataError(f"cannot balance on {v!r}; choose from {choices}")
        if v not in out:
            out.append(v)
    return tuple(out)


def check_pairs(
    pairs: Iterable[tuple[str, str]], what: str, index: dict[str, int], d: District
) -> list[tuple[int, int]]:
    """Must-link or cannot-link pairs of IDs as pairs of positions among those in post."""
    if isinstance(pairs, pd.DataFrame):
        pairs = pairs.iloc[:, :2].itertuples(index=False, name=None)
    every = set(d.secretaries["secretary_id"].astype(str))
    out = []
    for pair in pairs:
        if isinstance(pair, str) or not isinstance(pair, Sequence | np.ndarray) or len(pair) != 2:
            raise DataError(f"a {what} rule must be a pair of secretary IDs, got {pair!r}")
        a, b = (str(x).strip() for x in pair)
        for s in (a, b):
            if s in index:
                continue
            if s in every:
                raise DataError.say(
                    f"{s} in a {what} pair has left the post: drop the pair.",
                    f"{_WHAT_ZH.get(what, what)}中的 {s} 已离任：请删去这一对。",
                )
            close = difflib.get_close_matches(s, list(index), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            hint_zh = f"（是否应为 {close[0]}？）" if close else ""
            raise DataError.say(
                f"{s} in a {what} pair is not a secretary on the roster{hint}.",
                f"{_WHAT_ZH.get(what, what)}中的 {s} 不是名册中的书记{hint_zh}。",
            )
        if a == b:
            raise DataError(f"a {what} pair names {a} twice")
        out.append((index[a], index[b]))
    return out
