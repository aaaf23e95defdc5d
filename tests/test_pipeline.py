"""End to end: `make report` in a temporary copy of the project produces both reports."""

from __future__ import annotations

import re
import subprocess

import nbformat
import pytest
from bs4 import BeautifulSoup

from ruralplan.io import read_yaml
from ruralplan.pipeline.inputs import crosstab_plan
from ruralplan.pipeline.study import load_study
from ruralplan.report.document import section_titles
from tests.pipeline_build import built_once

# Tests that use the shared build run in one pytest-xdist worker, so it is built once.
pytestmark = pytest.mark.xdist_group("llf-build")


@pytest.fixture(scope="module")
def built_project(tmp_path_factory, project_root):
    """A copy of the project (sharing its environment) where `make -j2 report` ran once."""
    return built_once(tmp_path_factory, project_root)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["lv", "en"])
def test_report_exists_with_its_section_headings(built_project, lang):
    study = load_study(root=built_project)
    reports = built_project / study.reports_dir
    html = (reports / f"report.{lang}.html").read_text(encoding="utf-8")
    assert len(html) > 1000
    layout = read_yaml(built_project / study.require("report_layout"))
    for title in section_titles(lang, layout):
        assert title in html, f"heading {title!r} missing from report.{lang}.html"
    audit = reports / "report-audit.html"
    assert audit.stat().st_size > len(html) / 2  # the reviewer version exists, with code


@pytest.mark.slow
def test_second_make_report_does_nothing_and_make_says_so(built_project):
    # `make -q` answers "is everything up to date?" without running anything; the noop time
    # itself is a benchmark figure (benchmarks/bench_pipeline.py), not a test.
    question = subprocess.run(["make", "-q", "report"], cwd=built_project, capture_output=True)
    assert question.returncode == 0
    dry = subprocess.run(
        ["make", "-n", "report"], cwd=built_project, capture_output=True, text=True
    )
    assert "ruralplan run" not in dry.stdout
    result = subprocess.run(["make", "report"], cwd=built_project, capture_output=True, text=True)
    assert result.returncode == 0
    assert "ruralplan run" not in result.stdout


@pytest.mark.slow
def test_a_changed_setting_reruns_only_the_steps_that_use_it(built_project):
    dry = subprocess.run(
        ["make", "-n", "report", "ALPHA=0.01"], cwd=built_project, capture_output=True, text=True
    )
    runs = [line for line in dry.stdout.splitlines() if "ruralplan run" in line]
    rerun = {
        name
        for name in ("01_clean", "02_tabulate", "03_code", "04_crosstab", "05_report")
        if any(f"notebooks/{name}" in line for line in runs)
    }
    assert rerun == {"04_crosstab", "05_report"}
    assert "ruralplan pages" in dry.stdout  # and the pages made from them


@pytest.mark.slow
def test_pipeline_never_writes_into_raw_data(built_project, project_root):
    shipped = sorted(p.relative_to(project_root) for p in (project_root / "data/raw").rglob("*"))
    after = sorted(p.relative_to(built_project) for p in (built_project / "data/raw").rglob("*"))
    assert after == shipped


def _index_links(html: str) -> dict[str, str]:
    """File to the link of the cell that saved it, from a report's index of tables and figures."""
    table = html[html.index('class="data-table exhibit-index"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr><td><code>([^<]+)</code></td><td>(.*?)</td></tr>", table, re.S)
    return {file: (re.findall(r'href="([^"]+)"', cell) or [""])[0] for file, cell in rows}


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["lv", "en"])
def test_every_index_row_links_to_an_anchored_cell_of_an_audit_page(built_project, lang):
    study = load_study(root=built_project)
    reports = built_project / study.reports_dir
    links = _index_links((reports / f"report.{lang}.html").read_text(encoding="utf-8"))
    written = [p.relative_to(reports).as_posix() for p in reports.glob("[tf][ai]*/*")]
    assert set(written) <= set(links), "an output is missing from the index"
    pages = {}
    for file, link in sorted(links.items()):
        assert link, f"{file} is not traced"
        page, _, anchor = link.partition("#")
        if page not in pages:
            pages[page] = (reports / page).read_text(encoding="utf-8")
        # the anchor exists once, and is the cell's execution count as Jupyter shows it
        count = anchor.rsplit("-cell-", 1)[-1]
        found = re.findall(
            rf'<a class="cell-anchor"[^>]*\bid="{re.escape(anchor)}"[^>]*>([^<]*)</a>', pages[page]
        )
        assert found == [f"[{count}]"], f"{file}: {link} has no anchor in {page}"


@pytest.mark.slow
def test_regression_tables_point_at_the_cell_that_fits_the_model(built_project, monkeypatch):
    monkeypatch.chdir(built_project)
    study = load_study(root=built_project)
    model_name = crosstab_plan(study).model_name
    executed = nbformat.read(
        built_project / study.reports_dir / "notebooks/04_crosstab_tests.ipynb", as_version=4
    )
    fitting = [c.execution_count for c in executed.cells if "fit_logit(" in c.get("source", "")]
    assert len(fitting) == 1
    for lang in ("lv", "en"):
        html = (built_project / study.reports_dir / f"report.{lang}.html").read_text("utf-8")
        links = _index_links(html)
        model_files = sorted(f for f in links if f.startswith(f"tables/{model_name}"))
        assert len(model_files) >= 3  # coefficients, warnings, fit statistics
        expected = f"audit/04_crosstab_tests.html#04_crosstab_tests-cell-{fitting[0]}"
        assert {links[f] for f in model_files} == {expected}, model_files


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["lv", "en"])
def test_no_readers_table_is_headed_by_a_column_id(built_project, lang):
    study = load_study(root=built_project)
    html = (built_project / study.reports_dir / f"report.{lang}.html").read_text(encoding="utf-8")
    headers = re.findall(r"<th[^>]*>([^<]*)</th>", html)
    assert len(headers) > 50
    ids = sorted({text for text in headers if re.search(r"[a-z]_[a-z]", text)})
    assert ids == [], f"report.{lang}.html heads columns with CSV column ids: {ids}"


@pytest.mark.slow
def test_the_english_report_shows_latvian_only_in_marked_quotes(built_project):
    study = load_study(root=built_project)
    page = (built_project / study.reports_dir / "report.en.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    marked = soup.find_all(attrs={"lang": "lv"})
    assert len(marked) > 5  # the quotes are there, marked
    for element in [*marked, *soup(["script", "style", "code"])]:
        element.decompose()
    latvian = sorted(set(re.findall(r"\w*[āčēģīķļņšūž]\w*", soup.get_text(" "), re.IGNORECASE)))
    assert latvian == [], f"Latvian words outside marked quotes: {latvian}"


@pytest.mark.slow
def test_the_latvian_report_has_no_english_sentence_words(built_project):
    study = load_study(root=built_project)
    page = (built_project / study.reports_dir / "report.lv.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    for element in soup(["script", "style", "code"]):  # file names and code stay as they are
        element.decompose()
    english = {"the", "and", "of", "with", "not", "is", "are", "by", "coder", "coding"}
    # whole tokens: a Latvian word is not cut at its letters, a file name or code id is one token
    tokens = re.findall(r"[\w./-]+", soup.get_text(" "))
    found = sorted({token for token in tokens if token.lower() in english})
    assert found == [], f"English words in report.lv.html: {found}"
