"""Print layout: nothing a reader needs is hidden in print, and tables fit an A4 page.

The fast test reads the stylesheet; the slow ones lay the built reports out as print media in
Debian's Chromium (driven by Playwright, as in `test_browser.py`) at the width of an A4 page.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from ruralplan.pipeline.study import load_study
from tests.pipeline_build import built_once

# Tests that use the shared build run in one pytest-xdist worker, so it is built once.
pytestmark = pytest.mark.xdist_group("llf-build")

CSS = Path(__file__).parents[1] / "src/ruralplan/report/templates/ruralplan/static/report.css"
# A4 (210 mm) less the print margins of report.css (13 mm each side), in CSS px (96 per inch).
A4_TEXT_WIDTH_PX = round((210 - 2 * 13) / 25.4 * 96)


def _print_rules(css: str) -> list[tuple[str, str]]:
    """(selector, declarations) of the rules inside ``@media print``."""
    start = css.index("@media print {")
    depth, end = 0, start
    while end < len(css):
        depth += {"{": 1, "}": -1}.get(css[end], 0)
        if css[end] == "}" and depth == 0:
            break
        end += 1
    body = re.sub(r"/\*.*?\*/", "", css[start + len("@media print {") : end], flags=re.S)
    return [(s.strip(), d) for s, d in re.findall(r"([^{}]+)\{([^{}]*)\}", body)]


def test_print_hides_only_the_details_toggle():
    rules = _print_rules(CSS.read_text(encoding="utf-8"))
    hidden = [selector for selector, body in rules if re.search(r"display:\s*none", body)]
    # The "show the numbers" toggle goes; the numbers it opens are printed (::details-content).
    assert hidden == ["details.chart-numbers > summary"]
    assert any("::details-content" in s and "visible" in b for s, b in rules)


def test_print_rules_are_found():
    # A stylesheet without a print block would pass the test above vacuously.
    with pytest.raises(ValueError):
        _print_rules("body { color: black; }")


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def print_page(tmp_path_factory, project_root):
    executable = CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed; `make browser` installs it")
    playwright_api = pytest.importorskip("playwright.sync_api")
    built = built_once(tmp_path_factory, project_root)
    reports = built / load_study(root=built).reports_dir
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(executable), args=["--headless", "--no-sandbox"]
        )
        page = browser.new_page(viewport={"width": A4_TEXT_WIDTH_PX, "height": 1000})
        page.emulate_media(media="print")
        yield page, reports
        browser.close()


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["lv", "en"])
def test_printed_tables_fit_the_page_and_chart_numbers_show(print_page, lang):
    page, reports = print_page
    page.goto((reports / f"report.{lang}.html").as_uri())
    too_wide = page.evaluate(
        """() => [...document.querySelectorAll('figure.table-exhibit table')]
            .filter(t => !t.closest('figure').matches(':has(th:nth-child(10))'))
            .filter(t => t.getBoundingClientRect().right > document.body.clientWidth + 1)
            .map(t => t.closest('figure').querySelector('figcaption')?.textContent)"""
    )
    assert too_wide == []
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('details.chart-numbers table')]
            .map(t => t.getBoundingClientRect().height)"""
    )
    assert sizes and min(sizes) > 0  # printed although the <details> is closed
