"""A tiny made-up project tree with every file the report reads, for report tests.

The numbers are invented for the tests (42/32/31/40 of 145 follow the published shares); the
free text includes HTML and a script tag to check that the report escapes it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402

HOSTILE = "<script>alert('x')</script><b>bold</b>"


def _notebook(path: Path, source: str, parameters: dict) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["papermill"] = {"parameters": parameters}
    notebook.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell(source)]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def build_fake_project(root: Path, project_root: Path) -> Path:
    """Write a minimal project under ``root`` whose files the report notebook can read."""
    shutil.copytree(project_root / "data" / "report", root / "data" / "report")
    _write(root / "params.yaml", (project_root / "params.yaml").read_text(encoding="utf-8"))
    survey = "respondent_id,answer\nR001,a\n"
    _write(root / "data/raw/survey_export.csv", survey)
    _write(root / "data/processed/cleaning_summary.json", json.dumps(
        {"rows_in": 146, "rows_out": 145, "exclusions": {"duplicate_submission": 1}}))
    tables = root / "reports" / "tables"
    _write(tables / "strategy_status.csv",
           "question_id,row_type,code,label_lv,label_en,n,percent,ci_low,ci_high,status\n"
           "s,option,current,Ir aktuāla,Current,42,29.0,22.2,36.7,shown\n"
           "s,option,outdated,Novecojusi,Outdated,32,22.1,16.1,29.5,shown\n"
           "s,option,not_needed,Nav vajadzīga,Not needed,31,21.4,15.5,28.8,shown\n"
           "s,option,needed_no_resources,Trūkst resursu,No resources,40,27.6,20.8,35.5,shown\n"
           "s,valid,,Derīgās atbildes,Valid answers,145,100.0,,,shown\n")
    for name in ("motivation", "strategy_method", "strategy_review", "focus"):
        _write(tables / f"{name}.csv", "code,label_lv,label_en,n\na,A,A,3\nb,B,B,1\n")
    _write(tables / "interview_exemplar_quotes.csv",
           f'code,label_lv,label_en,interview_id,quote\nleader,Līderis,Leader,int01,"{HOSTILE}"\n')
    _write(tables / "interview_swot.csv",
           "quadrant,item,n_interviews,exemplar_quote\n"
           f'strengths,Participation,3,"{HOSTILE}"\nweaknesses,Funding,4,q\n'
           "opportunities,Self-sufficiency,2,q\nthreats,Unstable funding,3,q\n")
    _write(tables / "crosstab_tests.csv",
           "outcome,predictor,test,p_value,p_adjusted,effect_measure,effect_size,n\n"
           "has_strategy,org_type,chi2,0.001,0.004,Cramér's V,0.35,145\n"
           "has_strategy,smart_village,fisher,0.2,0.4,phi,0.08,145\n")
    _write(tables / "claims.csv",
           "claim_id,quote,published,reproduced,verdict,note\n"
           f's1,"28,8%",28.8,28.8,consistent,"{HOSTILE}"\n')
    _write(tables / "interview_reliability.csv", "code,alpha\nleader,0.81\n")
    figures = root / "reports" / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    figure, axes = plt.subplots(figsize=(3, 2))
    axes.bar(["a", "b"], [42, 32])
    figure.savefig(figures / "strategy_status.svg", metadata={"Date": None})
    figure.savefig(figures / "crosstab_org_type.png")
    plt.close(figure)
    executed = root / "reports" / "notebooks"
    _notebook(executed / "01_clean_survey.ipynb",
              'io.write_json(summary, Path(processed_dir) / "cleaning_summary.json")',
              {"survey": "data/raw/survey_export.csv"})
    _notebook(executed / "02_tabulate_survey.ipynb",
              'save("strategy_status")\nsave_table(claims, "claims.csv")', {"min_cell": 5})
    return root
