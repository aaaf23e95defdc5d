"""Open each built report in headless Chromium, as a reader would.

Uses Debian's `chromium` (installed by `make test` through `make browser`) driven by
Playwright's Python package; no browser is ever downloaded. Nothing may be fetched from the
network, the console must stay free of errors, every image must decode, every table of
contents link must land on a heading, the page must fit a phone screen, and a screenshot
must not be blank. axe-core (fetched from the npm registry with `npm pack` into a cache
folder, the only network use) checks accessibility at 1280 and 390 px in both languages.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from ruralplan.pipeline.study import load_study
from tests.pipeline_build import built_once

# Tests that use the shared build run in one pytest-xdist worker, so it is built once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("llf-build")]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    executable = CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")
    if executable is None:
        pytest.skip(
            "Debian's chromium is not installed; `make test` (or `make browser`) installs it"
        )
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(executable), args=ARGS)
        yield launched
        launched.close()


AXE_VERSION = "4"  # the npm dist-tag range: the newest axe-core 4.x
AXE_CACHE = (
    Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ruralplan" / "axe-core"
)
# Impacts that fail the test; moderate and minor findings are left to review.
AXE_FAILING = ("serious", "critical")


@pytest.fixture(scope="module")
def axe_source():
    """axe-core's axe.min.js, from the cache or fetched once with `npm pack`."""
    script = AXE_CACHE / "package" / "axe.min.js"
    if not script.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed, so axe-core cannot be fetched")
        AXE_CACHE.mkdir(parents=True, exist_ok=True)
        try:
            subprocess.run(
                [npm, "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", str(AXE_CACHE)],
                check=True,
                capture_output=True,
                timeout=180,
            )
        except (subprocess.SubprocessError, OSError) as error:
            pytest.skip(f"axe-core could not be fetched from the npm registry: {error}")
        packed = sorted(AXE_CACHE.glob("axe-core-*.tgz"))
        if not packed:
            pytest.skip("npm pack axe-core wrote no archive")
        with tarfile.open(packed[-1]) as archive:
            archive.extract("package/axe.min.js", AXE_CACHE, filter="data")
    return script.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reports(tmp_path_factory, project_root):
    built = built_once(tmp_path_factory, project_root)
    return built / load_study(root=built).reports_dir


def _open(browser, path: Path, width: int):
    page = browser.new_page(viewport={"width": width, "height": 800})
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "request",
        lambda r: (
            problems.append(f"request: {r.url[:100]}")
            if not r.url.startswith(("file://", "data:"))
            else None
        ),
    )
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, problems


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_report_reads_cleanly_in_a_browser(browser, reports, lang):
    page, problems = _open(browser, reports / f"report.{lang}.html", 1200)
    broken = page.evaluate(
        "Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0)"
        ".map(i => i.alt || i.src.slice(0, 60))"
    )
    links = page.evaluate(
        "Array.from(document.querySelectorAll('nav.toc a')).map(a => a.getAttribute('href'))"
    )
    dangling = page.evaluate(
        "hrefs => hrefs.filter(h => !document.getElementById(decodeURIComponent(h.slice(1))))",
        links,
    )
    images = page.evaluate("document.images.length")
    page.close()
    assert problems == []
    assert images > 0 and broken == []
    assert len(links) == 10 and dangling == []


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_report_fits_a_phone_and_is_not_blank(browser, reports, lang):
    from PIL import Image, ImageStat

    page, problems = _open(browser, reports / f"report.{lang}.html", 375)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    shot = page.screenshot(full_page=False)
    page.close()
    assert problems == []
    assert overflow <= 1, f"the page is {overflow}px wider than a 375px phone screen"
    image = Image.open(io.BytesIO(shot)).convert("L")
    assert ImageStat.Stat(image).stddev[0] > 5, "the screenshot is blank"


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", ["lv", "en"])
def test_axe_finds_no_serious_or_critical_violation(browser, reports, axe_source, lang, width):
    page, _ = _open(browser, reports / f"report.{lang}.html", width)
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                        first: v.nodes[0].target.join(" ")}))"""
    )
    page.close()
    failing = [v for v in violations if v["impact"] in AXE_FAILING]
    assert failing == [], f"axe-core at {width} px ({lang}): {failing}"
