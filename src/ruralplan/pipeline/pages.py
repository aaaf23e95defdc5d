"""HTML pages of executed notebooks: the reader's reports and the reviewer's audit pages.

All pages of a build are rendered in one process with nbconvert's exporter API and the
package's ``ruralplan`` template, instead of one ``jupyter nbconvert`` process per page:
starting nbconvert costs more than converting a notebook. Each page is written next to its
final name first and renamed, so a failed render never leaves a page that looks current.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

TEMPLATE_NAME = "ruralplan"
TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "report" / "templates"
# Cells a reader does not see: the reviewer's notes and checks.
AUDIT_ONLY_TAG = "audit-only"


@dataclass(frozen=True)
class Page:
    """One page to render.

    Attributes
    ----------
    notebook
        The executed notebook.
    output
        The HTML file to write.
    reader_lang
        For a reader's page, its language (code, reviewer notes and prompts are left out, and
        the page's ``lang`` attribute is set); ``None`` for an audit page with everything.
    """

    notebook: Path
    output: Path
    reader_lang: str | None = None


def exporter_config(page: Page, template_dir: Path = TEMPLATE_DIR) -> dict:
    """Return the nbconvert configuration of one page (what ``jupyter nbconvert`` flags set).

    Examples
    --------
    >>> config = exporter_config(Page(Path("a.ipynb"), Path("a.html"), reader_lang="lv"))
    >>> config["TemplateExporter"]["exclude_input"], config["HTMLExporter"]["language_code"]
    (True, 'lv')
    >>> audit = exporter_config(Page(Path("a.ipynb"), Path("a.html")))
    >>> "exclude_input" in audit["TemplateExporter"]
    False
    """
    template: dict = {"extra_template_basedirs": [str(template_dir)]}
    config: dict = {"TemplateExporter": template, "HTMLExporter": {"template_name": TEMPLATE_NAME}}
    if page.reader_lang is not None:
        # the same as `jupyter nbconvert --no-input` with the audit-only cells removed
        template |= {
            "exclude_input": True,
            "exclude_input_prompt": True,
            "exclude_output_prompt": True,
        }
        config["HTMLExporter"]["language_code"] = page.reader_lang
        config["TagRemovePreprocessor"] = {
            "enabled": True,
            "remove_cell_tags": [AUDIT_ONLY_TAG],
        }
    return config


def render_pages(pages: Iterable[Page], *, template_dir: Path = TEMPLATE_DIR) -> list[Path]:
    """Render each page and write it; return the files written, in order.

    Parameters
    ----------
    pages
        The pages to render.
    template_dir
        The folder holding the ``ruralplan`` nbconvert template.

    Returns
    -------
    list of pathlib.Path
        The HTML files written.

    Raises
    ------
    FileNotFoundError
        If an executed notebook is missing (named in the message).
    """
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    written = []
    for page in pages:
        if not page.notebook.is_file():
            raise FileNotFoundError(f"{page.notebook}: executed notebook not found")
        exporter = HTMLExporter(config=Config(exporter_config(page, template_dir)))
        body, _ = exporter.from_filename(str(page.notebook))
        page.output.parent.mkdir(parents=True, exist_ok=True)
        temporary = page.output.with_name(f".{page.output.name}.tmp")
        temporary.write_text(body, encoding="utf-8")
        temporary.replace(page.output)
        written.append(page.output)
    return written
