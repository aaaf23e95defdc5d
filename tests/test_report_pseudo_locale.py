"""A pseudo-locale: every catalog message wrapped in markers, so text that escaped it shows.

The English catalog is replaced, for these tests only, by one whose every translation is
wrapped in ⟦ ⟧. The report of the made-up project and the figures are then rendered in it:
every visible text must be either inside markers (a catalog message), a number, or data and
study wording (values of the study's files, the tables' cells, file and package names).
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pandas as pd
import pytest
import yaml
from babel.messages.pofile import read_po, write_po

from ruralplan import figures, i18n
from ruralplan.analysis import crosstab
from ruralplan.analysis.contingency import prepare_table
from ruralplan.pipeline.study import load_study
from ruralplan.report import as_of_html, banner_html, section_html, title_html, toc_html
from ruralplan.report.inputs import load_report_inputs
from ruralplan.survey.codebook import Option, Question
from ruralplan.survey.tabulate import frequency_table, suppression_status
from tests.conftest import PROJECT_ROOT
from tests.report_fixtures import build_fake_project

OPEN, CLOSE = "\u27e6", "\u27e7"
# Patterns, not words: left as they are so numbers and dates still format.
NOT_WRAPPED = ("number format", "date format")
MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
# What may be left of a text once messages and data are taken out: numbers and punctuation.
NO_WORDS = re.compile(r"^[\W\d_]*$")
BLOCKS = ("h1", "h2", "h3", "p", "li", "th", "td", "figcaption", "footer", "blockquote", "div")


def _wrap(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}" if text else text


def write_pseudo_catalog(folder: Path) -> Path:
    """Write an English catalog whose every translation is wrapped in markers."""
    source = PROJECT_ROOT / "src/ruralplan/locale/en/LC_MESSAGES/ruralplan.po"
    with source.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if not message.id or message.context in NOT_WRAPPED:
            continue
        if isinstance(message.string, tuple):
            message.string = tuple(_wrap(s) for s in message.string)
        else:
            message.string = _wrap(message.string)
    target = folder / "en" / "LC_MESSAGES" / "ruralplan.po"
    target.parent.mkdir(parents=True)
    with target.open("wb") as handle:
        write_po(handle, catalog)
    return folder


def _strings(value) -> list[str]:
    """Every string in a parsed YAML document, and the literal parts of format templates."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k), *_strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if value is None:
        return []
    text = str(value)
    return [text, *(part for part in re.split(r"\{[^}]*\}", text) if part.strip())]


def data_values(project: Path, extra: list[str]) -> list[str]:
    """Values a report may show as they are: the study's files, the tables, file names."""
    values = list(extra)
    for path in sorted(project.rglob("*")):
        if not path.is_file():
            continue
        values += [path.name, path.relative_to(project).as_posix()]
        if path.suffix in (".yaml", ".yml"):
            values += _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
        elif path.suffix == ".csv":
            table = pd.read_csv(path, dtype=str, keep_default_na=False)
            values += [*map(str, table.columns), *table.to_numpy().ravel().tolist()]
    for parts in (p.relative_to(project / "reports").parts for p in project.rglob("reports/*/*")):
        values.append("/".join(parts[1:]))
    texts = {str(v).strip() for v in values if isinstance(v, str)}
    return sorted((v for v in texts if v), key=len, reverse=True)


def unmarked(text: str, values: list[str]) -> str:
    """What is left of ``text`` after marked messages and known values are taken out."""
    while MARKED.search(text):
        text = MARKED.sub(" ", text)
    for value in values:
        if value.lower() in text.lower():
            # a value is taken out as a whole word, not from inside another word
            before = r"(?<!\w)" if re.match(r"\w", value) else ""
            after = r"(?!\w)" if re.search(r"\w$", value) else ""
            # (a label may start a sentence in capitals)
            text = re.sub(f"{before}{re.escape(value)}{after}", " ", text, flags=re.IGNORECASE)
    return text.strip()


def visible_texts(html: str) -> list[str]:
    """Every block's text and every alt and aria-label of an HTML fragment."""
    root = lxml.html.fromstring(f"<div>{html}</div>")
    for element in root.iter(*BLOCKS):
        element.tail = "\n" + (element.tail or "")
        if element.text is not None:
            element.text = "\n" + element.text
    texts = [line for line in root.text_content().split("\n") if line.strip()]
    for attribute in ("alt", "aria-label"):
        texts += [element.get(attribute) for element in root.iter() if element.get(attribute)]
    return texts


@pytest.fixture(scope="module")
def pseudo(tmp_path_factory):
    folder = write_pseudo_catalog(tmp_path_factory.mktemp("pseudo"))
    with i18n.catalogs_from(folder):
        yield folder


@pytest.fixture(scope="module")
def report_html(pseudo, tmp_path_factory, project_root):
    project = build_fake_project(tmp_path_factory.mktemp("fake") / "project", project_root)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        inputs = load_report_inputs(load_study("data", {}, root="."), lang="en")
        parts = [
            title_html(inputs.document, "en"),
            as_of_html(inputs.as_of, "en"),
            banner_html(True, "en", inputs.document),
            toc_html("en", inputs.document),
            *(section_html(key, inputs) for key in inputs.kinds),
        ]
    provenance = inputs.provenance
    extra = [
        *provenance["packages"].astype(str).to_numpy().ravel().tolist(),
        *provenance["parameters"].astype(str).to_numpy().ravel().tolist(),
        *provenance["exhibit_index"].astype(str).to_numpy().ravel().tolist(),
        *provenance["hashes"].astype(str).to_numpy().ravel().tolist(),
        *provenance["notebooks"],
    ]
    return "".join(parts), data_values(project, extra)


def test_the_pseudo_catalog_is_in_use(pseudo):
    assert i18n.translator("en").gettext("Contents") == f"{OPEN}Contents{CLOSE}"


def test_every_visible_text_of_the_report_is_a_message_or_data(report_html):
    html, values = report_html
    left = [
        (text, rest)
        for text in visible_texts(html)
        if not NO_WORDS.match(rest := unmarked(text, values))
    ]
    assert left == []


def test_the_check_finds_a_string_that_escaped_the_catalog(report_html):
    # The test above must be able to fail: an English word written in code is found.
    _, values = report_html
    html = f"<p>{OPEN}Contents{CLOSE}</p><p>Made by 02_tabulate_survey.ipynb</p>"
    left = [text for text in visible_texts(html) if not NO_WORDS.match(unmarked(text, values))]
    assert left == ["Made by 02_tabulate_survey.ipynb"]


def _figure_texts(figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()]


QUESTION = Question(
    id="status",
    text_lv="Vai ir stratēģija?",
    text_en="Is there a strategy?",
    type="single",
    options=(Option("yes", "Jā", "Yes"), Option("no", "Nē", "No"), Option("few", "Reti", "Rarely")),
)


def test_every_text_of_a_figure_is_a_message_or_data(pseudo):
    survey = pd.DataFrame({"status": ["yes"] * 42 + ["no"] * 101 + ["few"] * 2})
    table = frequency_table(survey, QUESTION)
    chart = figures.bar_chart(
        table,
        title=QUESTION.text("en"),
        lang="en",
        source="Source: survey",
        synthetic=True,
        status=suppression_status(table, min_cell=5),
    )
    prepared = prepare_table(
        pd.DataFrame(
            {
                "has": [True, False] * 20,
                "group": pd.Categorical(["a"] * 25 + ["b"] * 15, categories=["a", "b"]),
            }
        ),
        outcome="has",
        predictor="group",
    )
    row_figure = crosstab.plot_row_percentages(
        prepared,
        title=crosstab.figure_title("having one", "group", "en"),
        footer=f"Source: survey. {figures.synthetic_note('en')}",
        colours={"False": "#E69F00", "True": "#56B4E9"},
        lang="en",
    )
    values = ["Is there a strategy?", "Yes", "No", "Rarely", "Source: survey", "having one"]
    # "x" marks a withheld count, as in the tables
    values += ["group", "a", "b", "True", "False", "Source: survey.", "x"]
    texts = _figure_texts(chart) + _figure_texts(row_figure)
    texts.append(figures.cooccurrence_title("en"))
    left = [text for text in texts if not NO_WORDS.match(unmarked(text, values))]
    assert left == []
    assert f"{OPEN}Synthetic demonstration data, not study results.{CLOSE}" in "\n".join(texts)
