"""The command line as a planner meets it: Chinese by default, ``--lang en`` on every
command, guesses printed as warnings, infeasible input naming the fix, outputs it cannot
write refused before any work, groups without assessments, a fast ``--version``."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest
import rosters
from conftest import DATA, SAMPLE
from openpyxl import load_workbook

import mentormatch as mm
from mentormatch.cli import _build_parser, main

COMMANDS = [
    "synth",
    "validate",
    "template",
    "cluster",
    "match",
    "groups",
    "report",
    "app",
    "training",
    "visits",
    "casebook",
]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """Office workbooks: short capacity, no assessments (with a rule the plan cannot use)."""
    folder = tmp_path_factory.mktemp("office")
    short = rosters.short_capacity()
    plain = rosters.no_assessments()
    # A keep rule on a secretary who needs no mentor: the plan cannot use it.
    idle = plain.secretaries.loc[~plain.secretaries["needs_mentor"], "secretary_id"].iloc[0]
    rule = plain.constraints.iloc[:0].copy()
    rule.loc[0, ["secretary_id", "mentor_id", "rule"]] = [
        idle,
        plain.mentors["mentor_id"].iloc[0],
        "keep",
    ]
    plain = plain.replace(constraints=rule)
    return {
        "short": (short, rosters.write_office_roster(short, folder / "短缺名册.xlsx")),
        "plain": (plain, rosters.write_office_roster(plain, folder / "无测评名册.xlsx")),
        "idle": idle,
    }


def test_every_command_takes_lang_and_the_zh_alias():
    parser = _build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sorted(sub.choices) == sorted(COMMANDS)
    for name, p in sub.choices.items():
        flags = {f for a in p._actions for f in a.option_strings}
        assert {"--lang", "--zh"} <= flags, name
        lang = next(a for a in p._actions if "--lang" in a.option_strings)
        assert lang.default == "zh" and list(lang.choices) == ["zh", "en"], name


def test_version_and_help_import_nothing_heavy():
    # In a fresh interpreter: the command line's entry point, then --version and --help,
    # must not load numpy, pandas, scipy, matplotlib or the solvers.
    code = textwrap.dedent(
        """
        import contextlib, io, sys
        from mentormatch.cli import main
        for argv in (["--version"], ["--help"], ["match", "--help"]):
            with contextlib.redirect_stdout(io.StringIO()):
                try:
                    main(argv)
                except SystemExit:
                    pass
        heavy = sorted({m.split(".")[0] for m in sys.modules} & {
            "numpy", "pandas", "scipy", "matplotlib", "networkx", "sklearn", "openpyxl"})
        print(",".join(heavy))
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_short_capacity_names_the_mentors_to_give_places_and_partial(office, capsys, tmp_path):
    d, path = office["short"]
    out = tmp_path / "plan.xlsx"
    assert main(["match", str(path), "--out", str(out)]) == 3
    err = capsys.readouterr().err
    need, places = len(d.mentees), int(d.mentors["capacity"].sum())
    assert f"名额短缺 {need - places} 个" in err and "--partial" in err
    assert "Traceback" not in err and not out.exists()
    # The mentors named are real mentors of the roster, by name and ID, with a count.
    named = re.findall(r"(\S+?)（(M\d+)）(\d+) 个", err.splitlines()[-1])
    assert named
    names = dict(zip(d.mentors["mentor_id"], d.mentors["name"], strict=True))
    for name, mid, n in named:
        assert names[mid].endswith(name[-len(names[mid]) :]) and int(n) >= 1
    assert sum(int(n) for _, _, n in named) == need - places
    # Giving those places makes the plan feasible: the advice is right.
    extra = {mid: int(n) for _, mid, n in named}
    m = d.mentors.assign(
        capacity=[
            c + extra.get(i, 0)
            for i, c in zip(d.mentors["mentor_id"], d.mentors["capacity"], strict=True)
        ]
    )
    assert mm.match(d.replace(mentors=m)).figures()["placed"] == need

    assert main(["match", str(path), "--out", str(out), "--lang", "en"]) == 3
    err = capsys.readouterr().err
    assert f"Capacity short by {need - places}" in err and "--partial" in err
    assert not CJK.search(err.splitlines()[-1].split("these mentors:")[0])


def test_partial_plan_lists_the_unplaced_with_their_reason(office, capsys, tmp_path):
    d, path = office["short"]
    out = tmp_path / "plan.xlsx"
    assert main(["match", str(path), "--out", str(out), "--partial"]) == 0
    said = capsys.readouterr().out
    short = len(d.mentees) - int(d.mentors["capacity"].sum())
    assert said.count("未结对：") == short and "增加 1 个名额" in said
    assert out.exists() and "结对方案" in load_workbook(out, read_only=True).sheetnames


def test_guesses_are_warnings_in_the_chosen_language(tmp_path, capsys):
    import shutil

    folder = tmp_path / "d"
    shutil.copytree(DATA / "small", folder)
    shutil.copy(DATA / "messy" / "guessed_towns.secretaries.csv", folder / "secretaries.csv")
    assert main(["validate", str(folder)]) == 0
    captured = capsys.readouterr()
    warnings = [line for line in captured.err.splitlines() if line.startswith("提示：")]
    assert any("长征" in w for w in warnings) and any("万里" in w for w in warnings)
    assert "按推测读取" in captured.out
    assert main(["validate", str(folder), "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert any(line.startswith("warning: ") and "长征" in line for line in err.splitlines())


def test_a_rule_the_plan_cannot_use_is_a_warning(office, capsys, tmp_path):
    _, path = office["plain"]
    assert main(["match", str(path), "--out", str(tmp_path / "p.xlsx")]) == 0
    err = capsys.readouterr().err
    rule = [line for line in err.splitlines() if office["idle"] in line]
    assert rule and rule[0].startswith("提示：") and "未被采用" in rule[0] and "无需带教" in rule[0]


@pytest.mark.parametrize(
    ("command", "name"),
    [
        ("match", "plan.xls"),
        ("match", "plan"),
        ("cluster", "clusters.xls"),
        ("groups", "groups.ods"),
        ("template", "名册模板.csv"),
    ],
)
def test_an_output_the_command_cannot_write_is_refused_first(command, name, tmp_path, capsys):
    out = tmp_path / name
    argv = [command] + ([] if command == "template" else [str(SAMPLE)]) + ["--out", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：无法写入") and err.count("\n") == 1 and ".xlsx" in err
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert main([*argv, "--lang", "en"]) == 2
    assert capsys.readouterr().err.startswith("error: Cannot write")


def test_groups_without_assessments_say_how_facilitators_were_chosen(office, capsys, tmp_path):
    d, path = office["plain"]
    out = tmp_path / "groups.xlsx"
    assert main(["groups", str(path), "--out", str(out), "--n-groups", "6"]) == 0
    said = capsys.readouterr().out
    assert "任职年限" in said and said.count("组：") == 6
    # The facilitators are the quarter longest in post.
    plan = mm.salon_plan(d, 6, seed=2018, n_random=0, progress=False)
    assert plan.facilitator_rule == "tenure"
    post = d.in_post.set_index("secretary_id")
    years = post["appointed_year"].max() - post["appointed_year"]
    chosen = set(plan.facilitators.loc[plan.facilitators["kind"] == "secretary", "id"])
    cut = years.quantile(0.75)
    assert chosen == set(years[years >= cut].index)


def test_groups_with_mentors_say_which_mentor_leads_which_group(office, capsys, tmp_path):
    d, path = office["plain"]
    n = len(d.mentors)
    assert (
        main(
            [
                "groups",
                str(path),
                "--out",
                str(tmp_path / "g.xlsx"),
                "--n-groups",
                str(n),
                "--mentors",
            ]
        )
        == 0
    )
    said = capsys.readouterr().out
    leads = re.findall(r"第 (\d+) 组：(\S+)（(M\d+)，带教老师）", said)
    assert sorted(int(g) for g, _, _ in leads) == list(range(1, n + 1))
    names = dict(zip(d.mentors["mentor_id"], d.mentors["name"], strict=True))
    assert {m for _, _, m in leads} == set(names)
    assert all(names[m] == name for _, name, m in leads)


def test_too_many_groups_names_the_flag_not_a_python_argument(office, capsys, tmp_path):
    _, path = office["plain"]
    assert main(["groups", str(path), "--out", str(tmp_path / "g.xlsx"), "--n-groups", "30"]) == 3
    err = capsys.readouterr().err
    assert "--n-groups" in err and "--mentors" in err and "mentors=True" not in err
    assert not (tmp_path / "g.xlsx").exists()


def test_template_then_validate(tmp_path, capsys):
    out = tmp_path / "名册模板.xlsx"
    assert main(["template", "--out", str(out)]) == 0
    assert out.exists() and "名册模板" in capsys.readouterr().out
    assert main(["validate", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "「书记」" in err and "没有数据行" in err


def test_piped_output_cut_short_is_not_an_error():
    # `mentormatch validate sample | head -1`: the reader stops; no traceback, no message.
    result = subprocess.run(
        f"{sys.executable} -m mentormatch.cli validate {SAMPLE} | head -1",
        shell=True,
        capture_output=True,
        text=True,
    )
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr and "Broken pipe" not in result.stderr


@pytest.mark.parametrize("flag", [["--objective", "fair"], ["--partial"]])
def test_a_rematch_refuses_options_it_would_ignore(flag, tmp_path, capsys):
    plan = tmp_path / "plan.xlsx"
    assert main(["match", str(SAMPLE), "--out", str(plan)]) == 0
    capsys.readouterr()
    again = tmp_path / "again.xlsx"
    assert main(["match", str(SAMPLE), "--out", str(again), "--previous", str(plan), *flag]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：调整方案") and flag[0] in err and err.count("\n") == 1
    assert not again.exists()


def test_app_command_serves_on_the_given_port_and_language(monkeypatch):
    import mentormatch.app as app

    seen = {}
    monkeypatch.setattr(app, "serve", lambda **kw: seen.update(kw))
    assert main(["app", "--port", "9123", "--no-browser", "--lang", "en"]) == 0
    assert seen == {"port": 9123, "open_browser": False, "lang": "en"}
    assert main(["app"]) == 0
    assert seen == {"port": 8866, "open_browser": True, "lang": "zh"}


@pytest.mark.notebooks
def test_app_on_a_port_in_use_is_one_sentence_exit_2(capsys):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert main(["app", "--port", str(port), "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and str(port) in err and "Traceback" not in err
