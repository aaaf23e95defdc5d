"""Addresses of notebook cells in the audit pages, so the report can link to the cell itself.

``make report`` turns each executed notebook 01-04 into ``audit/<notebook>.html`` in the
study's report folder (beside the reports), and the report notebook into
``report-audit.html``. The page template (``templates/ruralplan/index.html.j2``) gives every
executed code cell the anchor ``<notebook>-cell-<execution count>``; the functions here build
the same names, so a link made here lands on that cell.
"""

from __future__ import annotations

from pathlib import PurePosixPath

AUDIT_FOLDER = "audit"
REVIEW_PAGE = "report-audit.html"
"""The reviewer's version of the report (with its code), beside the readers' reports."""
"""Folder of the audit pages of notebooks 01-04, inside the study's report folder."""


def cell_anchor(notebook: str, count: int) -> str:
    """Return the anchor of a code cell in its notebook's audit page.

    Parameters
    ----------
    notebook
        The executed notebook's file name, e.g. ``02_tabulate_survey.ipynb``.
    count
        The cell's execution count, as Jupyter shows it (``[7]``).

    Returns
    -------
    str
        ``<notebook stem>-cell-<count>``.

    Examples
    --------
    >>> cell_anchor("02_tabulate_survey.ipynb", 7)
    '02_tabulate_survey-cell-7'
    """
    return f"{PurePosixPath(notebook).stem}-cell-{int(count)}"


def audit_page(notebook: str) -> str:
    """Return the audit page of an executed notebook, relative to the study's report folder.

    Parameters
    ----------
    notebook
        The executed notebook's file name.

    Returns
    -------
    str
        ``audit/<notebook stem>.html``.

    Examples
    --------
    >>> audit_page("04_crosstab_tests.ipynb")
    'audit/04_crosstab_tests.html'
    """
    return f"{AUDIT_FOLDER}/{PurePosixPath(notebook).stem}.html"


def audit_href(notebook: str, count: int) -> str:
    """Return the link from a report to one code cell of an executed notebook's audit page.

    Parameters
    ----------
    notebook
        The executed notebook's file name.
    count
        The cell's execution count.

    Returns
    -------
    str
        ``audit/<stem>.html#<stem>-cell-<count>``.

    Examples
    --------
    >>> audit_href("04_crosstab_tests.ipynb", 8)
    'audit/04_crosstab_tests.html#04_crosstab_tests-cell-8'
    """
    return f"{audit_page(notebook)}#{cell_anchor(notebook, count)}"
