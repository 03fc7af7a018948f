"""The two error types users see: bad data and infeasible problems.

Both carry structure, not just text, so that programs can act on them and the command
line can print one clear message per problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["Problem", "DataError", "InfeasibleError", "MissingDependencyError", "MAX_PROBLEMS"]

#: At most this many problems are collected before validation stops looking.
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """One problem found in the input.

    Attributes
    ----------
    source : str
        The file or sheet, as the user named it (``secretaries.csv``, ``书记``).
    row : int or None
        The row as the user sees it in a spreadsheet (the header is row 1 unless title
        rows sit above it); ``None`` when the problem concerns the whole table.
    column : str or None
        The column header as written in the file, or the canonical name.
    value : object
        The offending value (``None`` when missing).
    expected : str
        What was expected, in words a planner understands.
    """

    source: str
    row: int | None
    column: str | None
    value: object
    expected: str

    def __str__(self) -> str:
        where = [self.source]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        what = self.expected
        if self.value is not None and self.value != "":
            what = f"got {self.value!r}; expected {self.expected}"
        elif self.row is not None and self.column is not None:
            what = f"expected {self.expected}"  # an empty cell
        return f"{', '.join(where)}: {what}"


class DataError(ValueError):
    """Bad input data: one or more :class:`Problem` records.

    Examples
    --------
    >>> err = DataError([Problem("mentors.csv", 3, "capacity", "-1", "a whole number >= 0")])
    >>> print(err)
    mentors.csv, row 3, column 'capacity': got '-1'; expected a whole number >= 0
    >>> err.problems[0].row
    3
    """

    def __init__(self, problems: Problem | str | Iterable[Problem]):
        if isinstance(problems, str):
            problems = [Problem("input", None, None, None, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        lines = [str(p) for p in self.problems]
        if len(lines) == 1:
            return lines[0]
        more = " (stopped looking after this many)" if len(lines) >= MAX_PROBLEMS else ""
        return f"{len(lines)} problems in the input{more}:\n" + "\n".join(
            f"  - {line}" for line in lines
        )


@dataclass(eq=False)
class InfeasibleError(ValueError):
    """The problem has no solution under the given rules, and why.

    Attributes
    ----------
    reasons : list of str
        Sentences a planner can act on (capacity short by N, all mentors forbidden...).
    unplaceable : list
        Mentees that cannot be placed under any plan.
    shortfall : int
        The smallest number of extra places that would make the problem feasible
        (0 when the cause is not capacity).
    details : dict
        Anything else a program may want (the violating mentee group, its mentors...).
    """

    reasons: Sequence[str]
    unplaceable: Sequence[object] = ()
    shortfall: int = 0
    details: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "infeasible: " + "; ".join(self.reasons)


class MissingDependencyError(ImportError):
    """An optional package a command needs is not installed; the message names the
    command that installs it (the command line exits 2, as for bad input)."""
