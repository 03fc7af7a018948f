"""The HTML report as a reader sees it: charts in every part, the headline summary,
tables for people, one language, wording that follows the data (issue 10)."""

from __future__ import annotations

import re

import pytest
from conftest import DATA, SAMPLE
from openpyxl import load_workbook
from reading import CJK, debug_text, header_cells, headings, images, page, parts, visible

from mentormatch.cli import main
from mentormatch.report import build_report

nbformat = pytest.importorskip("nbformat", reason="needs the notebook extras")
CHART_PARTS = ("01", "02", "03", "04", "05", "07")


@pytest.fixture(scope="module")
def zh(sample_report):
    return page(sample_report)


@pytest.fixture(scope="module")
def en(sample_report_en):
    return page(sample_report_en)


def test_report_is_one_self_contained_page_without_code(zh):
    assert zh.startswith("<!DOCTYPE html>")
    assert "<script" not in zh.lower()  # no script at all, so nothing to load or fail
    assert not re.search(r'(src|href)="(https?:)?//', zh)  # nothing from the web
    assert "load_district(" not in zh and "import " not in visible(zh)  # code hidden


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_part_has_charts(lang, zh, en):
    html = zh if lang == "zh" else en
    found = parts(html)
    assert sorted(found) == ["01", "02", "03", "04", "05", "07", "08"]
    counts = {part: images(found[part]) for part in CHART_PARTS}
    assert all(n >= 1 for n in counts.values()), counts
    assert sum(counts.values()) >= 29, counts  # the sample draws every chart


def test_every_chart_cell_of_every_notebook_has_an_image(sample_report):
    """On the sample every cell that calls a chart function shows its image (inline
    backend), and no cell writes warnings or errors."""
    executed = sorted((sample_report.parent / "notebooks").glob("*.ipynb"))
    assert len(executed) == 7
    blank, noisy = [], []
    for path in executed:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            outputs = cell.get("outputs", [])
            if re.search(r"\bcharts\.\w+\(", cell.source):
                drew = any("image/png" in o.get("data", {}) for o in outputs)
                # A chart left out on purpose comes with the sentence saying why.
                said = any("text/markdown" in o.get("data", {}) for o in outputs)
                if not (drew or said):
                    blank.append(f"{path.name}: {cell.source.splitlines()[-1]}")
            for out in outputs:
                if out.get("output_type") == "stream" and out.get("name") == "stderr":
                    noisy.append(f"{path.name}: {out['text'][:200]}")
    assert blank == []
    assert noisy == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_debug_text_codes_or_raw_values(lang, zh, en):
    assert debug_text(zh if lang == "zh" else en) == {}


def test_headline_summary_opens_the_report_and_links_to_its_sections(zh):
    front, body = zh.split('<div class="mm-body">', 1)
    summary = re.search(r'<section class="mm-summary">(.*?)</section>', front, re.S).group(1)
    items = re.findall(r"<li>(.*?)</li>", summary, re.S)
    assert len(items) >= 5
    text = visible(summary)
    for needed in ("需要带教", "结对", "随机", "沙龙小组", "95%"):
        assert needed in text, needed
    for target in re.findall(r'href="#([^"]+)"', summary):
        assert f'id="{target}"' in body, target
    # The summary comes before every part.
    assert front.index("mm-summary") < front.index("mm-contents")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_in_page_link_resolves(lang, zh, en):
    html = zh if lang == "zh" else en
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    targets = set(re.findall(r'href="#([^"]+)"', html))
    assert targets and targets <= ids, targets - ids


def test_chinese_report_is_chinese(zh):
    assert '<html lang="zh-CN">' in zh
    assert all(CJK.search(h) for h in headings(zh)), [h for h in headings(zh) if not CJK.search(h)]
    headers = header_cells(zh)
    english = [h for h in headers if not CJK.search(h) and re.search(r"[A-Za-z]{3,}", h)]
    assert english == []
    # (Command lines such as `mentormatch cluster ...` are quoted as typed.)
    for word in ("Secretaries", "placed", "Mentor", "synthetic", "Cluster"):
        assert word not in visible(zh), word


def test_english_report_is_english(en):
    assert '<html lang="en">' in en
    # Names of people and communities are data and stay as written; every word the
    # report itself writes is English.
    assert [h for h in headings(en) if CJK.search(h)] == []
    assert [h for h in header_cells(en) if CJK.search(h)] == []
    front = en.split('<div class="mm-body">', 1)[0]
    assert not CJK.search(visible(front))


def test_front_matter_names_the_data_folder_not_its_path(zh):
    assert "sample" in visible(zh)
    assert str(SAMPLE) not in zh and str(SAMPLE.parent) not in zh
    assert "合成数据" in zh  # the sample is synthetic, and the report says so


def test_long_tables_are_shortened_and_whole_in_the_appendix_and_files(sample_report, zh):
    body = zh.split('<section class="mm-appendix">', 1)
    assert len(body) == 2, "no appendix"
    main_part, appendix = body
    # The clusters table: 10 rows in the body, every secretary in the appendix.
    shortened = re.findall(r'href="#appendix-([\w-]+)"', main_part)
    assert "clusters" in shortened
    block = appendix.split('id="appendix-clusters"', 1)[1].split("<h2", 1)[0]
    assert block.count("<tr>") - 1 == 316  # every secretary, in post or departed
    tables = sample_report.parent / "tables"
    for name in shortened:
        assert (tables / f"{name}.csv").exists() and (tables / f"{name}.xlsx").exists()


def test_tables_beside_the_report_hold_numbers_as_numbers(sample_report):
    tables = sample_report.parent / "tables"
    books = sorted(tables.glob("*.xlsx"))
    assert books
    numeric_text = re.compile(r"^-?[\d,]+(\.\d+)?%?$")
    for path in books:
        ws = load_workbook(path).active
        header = [c.value for c in ws[1]]
        assert all(isinstance(h, str) and CJK.search(h) for h in header), (path.name, header)
        assert ws.freeze_panes == "A2" and ws[1][0].font.bold
        as_text = [
            (path.name, c.coordinate, c.value)
            for row in ws.iter_rows(min_row=2)
            for c in row
            if isinstance(c.value, str) and numeric_text.match(c.value)
        ]
        assert as_text == []
    roster = load_workbook(tables / "roster.xlsx").active
    groups = [c.value for c in next(roster.iter_cols(min_row=2, min_col=9, max_col=9))]
    assert any(isinstance(v, int) for v in groups)


def test_report_without_assessments_or_career_says_what_is_missing(tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DATA / "small", data)
    (data / "assessments.csv").unlink()
    (data / "career.csv").unlink()
    notebooks = ["04_salon_groups", "05_evaluate_outcomes"]
    path = build_report(data, tmp_path / "out", notebooks=notebooks, lang="en", progress=False)
    text = visible(page(path))
    assert "This section would show the capacity index" in text
    assert "No career records" in text
    assert "This section would show how long secretaries stay in post" in text
    assert debug_text(page(path)) == {}


def test_bad_data_fails_before_running_anything(tmp_path, capsys):
    (tmp_path / "data").mkdir()
    assert main(["report", str(tmp_path / "data"), "--out", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()
    err = capsys.readouterr().err
    assert "Traceback" not in err


def test_unknown_language_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["report", str(DATA / "small"), "--out", str(tmp_path / "out"), "--lang", "fr"])
    assert exit_.value.code == 2
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_has_an_alternative_text_in_the_reports_language(lang, zh, en):
    html = zh if lang == "zh" else en
    alts = re.findall(r'<img[^>]*\balt="([^"]*)"', html)
    assert len(alts) == images(html)
    prefix = "图表：" if lang == "zh" else "Chart: "
    assert all(a.startswith(prefix) and len(a) > len(prefix) for a in alts), alts[:3]


def test_the_report_builds_inside_a_running_event_loop(tmp_path):
    """From a Jupyter cell (or under playwright's sync API) an event loop is running."""
    import asyncio

    async def inside():
        return build_report(
            DATA / "small",
            tmp_path / "out",
            notebooks=["01_district_overview"],
            progress=False,
        )

    path = asyncio.run(inside())
    assert images(page(path)) >= 1


def test_pdf_without_chromium_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    import mentormatch.report as report

    monkeypatch.setattr(report, "find_chromium", lambda: None)
    out = tmp_path / "out"
    assert main(["report", str(DATA / "small"), "--out", str(out), "--pdf"]) == 2
    err = capsys.readouterr().err
    assert "apt install chromium" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()
