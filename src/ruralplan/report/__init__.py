"""Report stage: reading the pipeline's outputs and laying them out as the report.

The report notebook (``notebooks/05_report.ipynb``) reads a study's inputs with
:func:`ruralplan.report.inputs.load_report_inputs` and calls the functions below as
``report.<name>``; they live in the modules named in the imports.
"""

from ruralplan.report.blocks import (
    as_of_html,
    banner_html,
    heading_html,
    list_html,
    paragraph_html,
    section_text,
    title_html,
    title_text,
    toc_html,
)
from ruralplan.report.exhibits import exhibit_html
from ruralplan.report.provenance import cleaning_html, provenance_html
from ruralplan.report.sections import audit_html, section_html
from ruralplan.report.sentences import (
    claims_sentence,
    directional_sentence,
    interpret_tests,
    summary_list_html,
)

__all__ = [
    "as_of_html",
    "audit_html",
    "banner_html",
    "claims_sentence",
    "cleaning_html",
    "directional_sentence",
    "exhibit_html",
    "heading_html",
    "interpret_tests",
    "list_html",
    "paragraph_html",
    "provenance_html",
    "section_html",
    "section_text",
    "summary_list_html",
    "title_html",
    "title_text",
    "toc_html",
]
