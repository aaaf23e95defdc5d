"""Bar charts: content and byte-for-byte reproducibility."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from ruralplan.figures import bar_chart, wrap_label
from ruralplan.io.figures import save_figure
from ruralplan.survey.codebook import Option, Question
from ruralplan.survey.tabulate import frequency_table, suppression_status

QUESTION = Question(
    id="status",
    text_lv="Vai ir stratēģija?",
    text_en="Is there a strategy?",
    type="single",
    options=(
        Option("yes", "Jā, ir izstrādāta darbības stratēģija", "Yes"),
        Option("no", "Nē", "No"),
        Option("few", "Reti", "Rarely"),
    ),
)


@pytest.fixture()
def table() -> pd.DataFrame:
    survey = pd.DataFrame({"status": ["yes"] * 42 + ["no"] * 101 + ["few"] * 2})
    return frequency_table(survey, QUESTION)


def _texts(figure):
    return [text.get_text() for text in figure.findobj(lambda a: hasattr(a, "get_text"))]


def test_title_counts_valid_answers_and_footer_says_synthetic(table):
    figure = bar_chart(
        table,
        title="Vai ir stratēģija?",
        lang="lv",
        source="Avots: LLF",
        synthetic=True,
        status=suppression_status(table, min_cell=5),
    )
    texts = _texts(figure)
    assert "Vai ir stratēģija? (n=145)" in texts
    assert "Avots: LLF\nSintētiski demonstrācijas dati, nevis pētījuma rezultāti." in texts
    assert "69,7\u00a0%" in texts  # 101/145, Latvian style
    # 2 is withheld as "<5"; 42, the smallest other count, as "x" so 2 cannot be worked out.
    assert "<5" in texts and "x" in texts
    assert not any(text.startswith(("1,4", "29,0")) for text in texts)


def test_real_data_has_no_synthetic_note(table):
    figure = bar_chart(table, title="Q", lang="en", source="Source: LLF", synthetic=False)
    assert "Source: LLF" in _texts(figure)


@pytest.mark.parametrize("epoch", [None, "1704067200"], ids=["no-epoch", "make-epoch"])
def test_saved_files_are_byte_identical_with_or_without_make(table, tmp_path, monkeypatch, epoch):
    # make exports SOURCE_DATE_EPOCH, JupyterLab does not: both must save the same bytes.
    digests = []
    for run in ("a", "b"):
        if epoch and run == "b":
            monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        else:
            monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
        figure = bar_chart(table, title="Q", lang="lv", source="Avots", synthetic=True)
        paths = save_figure(figure, tmp_path / run / "status.lv")
        digests.append([hashlib.sha256(path.read_bytes()).hexdigest() for path in paths])
        assert [path.suffix for path in paths] == [".svg", ".png"]
    assert digests[0] == digests[1]
    svg = (tmp_path / "a" / "status.lv.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg


def test_unknown_format_is_refused(table, tmp_path):
    figure = bar_chart(table, title="Q", lang="lv", source="Avots", synthetic=False)
    with pytest.raises(ValueError, match=r"\['pdf'\]"):
        save_figure(figure, tmp_path / "x", formats=("pdf",))


def test_wrap_label_keeps_words_whole():
    wrapped = wrap_label("Nē, saskatām nepieciešamību, bet trūkst resursu", width=20)
    assert all(len(line) <= 20 for line in wrapped.splitlines())
    assert wrapped.replace("\n", " ") == "Nē, saskatām nepieciešamību, bet trūkst resursu"
