"""The report notebook on a tiny made-up project: sections, banner, escaping, offline HTML."""

from __future__ import annotations

import re

import pytest

from ruralplan.io import read_yaml
from ruralplan.pipeline.pages import Page, render_pages
from ruralplan.pipeline.run import NotebookFailed, run_notebook
from ruralplan.report.document import section_titles
from ruralplan.report.io import sha256_file
from tests.report_fixtures import STUDY_ID, build_fake_project

pytestmark = pytest.mark.slow


def _render(project, project_root, lang):
    reports = project / "reports" / STUDY_ID
    executed = reports / "notebooks" / f"05_report.{lang}.ipynb"
    run_notebook(
        project_root / "notebooks" / "05_report.ipynb",
        executed,
        parameters={"lang": lang},
        cwd=project,
    )
    render_pages([Page(executed, reports / f"report.{lang}.html", reader_lang=lang)])
    return (reports / f"report.{lang}.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, project_root):
    project = build_fake_project(tmp_path_factory.mktemp("fake"), project_root)
    survey = project / "data/raw/survey_export.csv"
    (project / "data/raw/SHA256SUMS").write_text(f"{sha256_file(survey)}  survey_export.csv\n")
    return {lang: _render(project, project_root, lang) for lang in ("lv", "en")}


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_report_has_every_section_and_the_banner(rendered, lang, project_root):
    html = rendered[lang]
    for title in section_titles(lang, read_yaml(project_root / "data/report/exhibits.yaml")):
        assert title in html
    assert 'class="synthetic-banner"' in html


def test_latvian_report_writes_numbers_the_latvian_way(rendered):
    text = rendered["lv"].replace("\u00a0", " ")
    # 42 of the 145 valid answers, 28,97 % (hand computed), with the decimal comma.
    assert "“Ir aktuāla” 29,0 % (95 % TI: 22,2–36,7 %)" in text
    assert "Analīzē ir 145 organizācijas." in text
    # 42 + 32 = 74 of 145 (51,03 %): about half, in the dative the sentence needs
    assert "Apmēram pusei dalībnieku (74 no 145; 51,0 %)" in text
    # the date comes from the latest submission in the data, not from the clock
    assert "Datu stāvoklis: 2024. gada 29. aprīlis" in text


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_report_is_offline_and_escapes_free_text(rendered, lang):
    html = rendered[lang]
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "require.js" not in html and "MathJax.js" not in html
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_reader_report_hides_code_and_reviewer_notes(rendered):
    assert "report_io.read_exhibits" not in rendered["en"]
    assert "audit-only" not in rendered["en"]


def test_exhibits_name_the_cell_that_made_them(rendered):
    # the fixture's notebook 02 announced the file from its cell with execution count 2
    assert (
        '<a href="audit/02_tabulate_survey.html#02_tabulate_survey-cell-2">'
        "02_tabulate_survey.ipynb, cell [2]</a>; saved to <code>tables/strategy_status.csv"
    ) in rendered["en"]
    # a file no cell announced is said to be untraced, not guessed
    assert "Made by: not traced; saved to <code>figures/strategy_status.en.svg" in rendered["en"]


def test_missing_required_input_fails_loudly(tmp_path, project_root):
    project = build_fake_project(tmp_path / "p", project_root)
    (project / "reports" / STUDY_ID / "tables/claims.csv").unlink()
    with pytest.raises(
        NotebookFailed, match=rf"ReportInputMissing: reports/{STUDY_ID}/tables/claims.csv"
    ):
        run_notebook(
            project_root / "notebooks" / "05_report.ipynb",
            project / "out.ipynb",
            parameters={"lang": "en"},
            cwd=project,
        )


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_page_title_is_the_report_title(rendered, lang, project_root):
    layout = read_yaml(project_root / "data/report/exhibits.yaml")
    title = layout["text"][f"title_{lang}"]
    assert f"<title>{title}</title>" in rendered[lang]
    assert "05_report" not in re.search(r"<title>(.*?)</title>", rendered[lang]).group(1)
