"""Hostile input: whatever the cells hold, loading succeeds or raises DataError, and every
command either succeeds or exits 2 (or 3 when the roster is valid but infeasible)."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mentormatch as mm
from mentormatch.cli import main
from mentormatch.schema import TABLES

SMALL = DATA / "small"

cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "nan",
            "NaN",
            "None",
            "-",
            "1e400",
            "-1e400",
            "9" * 40,
            "0x1F",
            "inf",
            "  ",
            "=1+1",
            "\u3000",
            "2021年13月",
            "１２３",
            "是",
            "abc;def",
            "S001",
            "M001",
            "commercial",
            "村",
            "\x00",
            "\ufeff",
        ]
    ),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


def _read(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


@st.composite
def mutated_table(draw, table: str):
    rows = _read(SMALL / f"{table}.csv")
    n_changes = draw(st.integers(1, 6))
    for _ in range(n_changes):
        i = draw(st.integers(0, len(rows) - 1))
        j = draw(st.integers(0, len(rows[0]) - 1))
        if i < len(rows) and j < len(rows[i]):
            rows[i][j] = draw(cell)
    if draw(st.booleans()):
        rows = rows[: draw(st.integers(0, len(rows)))]
    if draw(st.booleans()) and rows:
        k = draw(st.integers(0, len(rows[0]) - 1))
        rows = [r[:k] + r[k + 1 :] for r in rows]
    return rows


def _write(rows, path, encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    try:
        path.write_bytes(buffer.getvalue().encode(encoding, errors="strict"))
    except UnicodeEncodeError:
        path.write_bytes(buffer.getvalue().encode("utf-8", errors="surrogatepass"))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    data=st.data(),
    table=st.sampled_from(
        ["secretaries", "mentors", "bases", "assessments", "constraints", "career"]
    ),
)
def test_load_succeeds_or_raises_data_error(tmp_path_factory, data, table):
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(SMALL, folder, dirs_exist_ok=True)
    rows = data.draw(mutated_table(table))
    _write(rows, folder / f"{table}.csv", data.draw(st.sampled_from(["utf-8", "gbk"])))
    try:
        d = mm.load_district(folder)
    except mm.DataError as err:
        assert err.problems and all(p.expected for p in err.problems)
        assert len(err.problems) <= 50
        return
    assert isinstance(d, mm.District)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_load_workbook_with_random_cells(tmp_path_factory, data):
    from openpyxl import Workbook

    folder = tmp_path_factory.mktemp("fuzzx")
    wb = Workbook()
    wb.remove(wb.active)
    for table in ("secretaries", "mentors"):
        ws = wb.create_sheet(TABLES[table].zh)
        rows = data.draw(mutated_table(table))
        for row in rows:
            values = []
            for v in row:
                choice = data.draw(st.sampled_from(["text", "number", "bool", "none"]))
                if choice == "number":
                    try:
                        values.append(float(v))
                        continue
                    except ValueError:
                        pass
                if choice == "bool":
                    values.append(bool(v))
                elif choice == "none":
                    values.append(None)
                else:
                    values.append("".join(c for c in v if c.isprintable()))
            ws.append(values)
    path = folder / "roster.xlsx"
    wb.save(path)
    try:
        mm.load_district(path)
    except mm.DataError:
        pass


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), table=st.sampled_from(["secretaries", "mentors", "constraints"]))
@pytest.mark.parametrize("command", ["validate", "match", "cluster", "groups"])
def test_commands_exit_cleanly(tmp_path_factory, capsys, data, table, command):
    folder = tmp_path_factory.mktemp("fuzzcli")
    shutil.copytree(SMALL, folder, dirs_exist_ok=True)
    _write(data.draw(mutated_table(table)), folder / f"{table}.csv")
    argv = [command, str(folder)]
    if command != "validate":
        argv += ["--out", str(folder / f"{command}.csv")]
    if command == "cluster":
        argv += ["--k", str(data.draw(st.integers(2, 4)))]
    if command == "groups":
        argv += ["--n-groups", str(data.draw(st.integers(1, 5)))]
    code = main(argv)
    err = capsys.readouterr().err
    assert code in (0, 2, 3)
    assert "Traceback" not in err
    # What is said starts as a warning (提示) or the error (错误, Chinese by default); a
    # quoted cell may hold line breaks of its own.
    assert not err or err.startswith(("提示：", "错误：")), err
    if code != 0:
        assert "\n错误：" in "\n" + err
