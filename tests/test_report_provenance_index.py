"""The exhibit index names each output's notebook and cell as Jupyter shows it."""

from __future__ import annotations

import pandas as pd

from ruralplan.report.provenance import execution_count, index_rows, same_stem_maker, writing_cell

NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "source": "# Title"},
        {"cell_type": "code", "execution_count": 1, "source": "x = 1  # parameters"},
        {"cell_type": "code", "execution_count": 2, "source": 'save(t, "tables/a.csv")'},
    ]
}


def test_position_becomes_the_execution_count_jupyter_shows():
    # the third cell by position is the second code cell run: Jupyter shows [2]
    assert execution_count({"n.ipynb": NOTEBOOK}, ("n.ipynb", 3)) == 2
    assert execution_count({"n.ipynb": NOTEBOOK}, None) is None


def test_index_rows_have_no_missing_marker():
    index = pd.DataFrame(
        {"file": ["tables/a.csv", "tables/b.csv"], "notebook": ["n.ipynb", None], "cell": [3, None]}
    ).astype({"cell": "Int64"})
    rows = index_rows(index, {"n.ipynb": NOTEBOOK}, "en")
    assert rows == [
        {"file": "tables/a.csv", "notebook": "n.ipynb", "count": 2},
        {"file": "tables/b.csv", "notebook": "", "count": None},
    ]


def test_untraced_files_are_found_by_their_name_parts():
    assert writing_cell(NOTEBOOK, "figures/z.svg") is None  # no cell writes to figures
    assert writing_cell(NOTEBOOK, "tables/a.csv") == 3
    assert same_stem_maker("tables/m_s_fit.json", {"tables/m_s.csv": "04.ipynb"}) == "04.ipynb"
    assert same_stem_maker("tables/m_t.json", {"tables/m_s.csv": "04.ipynb"}) == ""
