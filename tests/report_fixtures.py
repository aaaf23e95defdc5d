"""A tiny made-up project, holding the shipped study's files, with every file the report reads.

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
import pandas as pd  # noqa: E402
import yaml  # noqa: E402

from ruralplan.io.saved import saved_output  # noqa: E402

HOSTILE = "<script>alert('x')</script><b>bold</b>"


def _notebook(path: Path, source: str, parameters: dict, saved: tuple[str, ...] = ()) -> None:
    """An executed notebook whose second cell announced ``saved`` as ruralplan.io does."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["papermill"] = {"parameters": parameters}
    writer = nbformat.v4.new_code_cell(source, execution_count=2)
    if saved:
        data, metadata = saved_output(list(saved))
        writer.outputs = [nbformat.v4.new_output("display_data", data=data, metadata=metadata)]
    notebook.cells = [nbformat.v4.new_code_cell("x = 1", execution_count=1), writer]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


def _parent(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


STUDY_ID = "llf-2024"


def build_fake_project(root: Path, project_root: Path) -> Path:
    """Write a minimal project under ``root`` whose files the report notebook can read.

    The project's study is the shipped one (``data/study.yaml``, its codebooks, labels and
    layout); its outputs (``reports/<id>/``, ``data/processed/<id>/``) are made up.
    """
    shutil.copytree(project_root / "data" / "report", root / "data" / "report")
    shutil.copyfile(project_root / "data" / "study.yaml", root / "data" / "study.yaml")
    _write(root / "pyproject.toml", '[tool.ruralplan]\ndefault-study = "data"\n')
    survey = "respondent_id,answer\nR001,a\n"
    _write(root / "data/raw/survey_export.csv", survey)
    processed = root / "data" / "processed" / STUDY_ID
    _write(
        processed / "cleaning_summary.json",
        json.dumps({"rows_in": 146, "rows_out": 145, "exclusions": {"duplicate_submission": 1}}),
    )
    reports = root / "reports" / STUDY_ID
    tables = reports / "tables"
    _write(
        tables / "strategy_status.csv",
        "question_id,row_type,code,label_lv,label_en,n,percent,ci_low,ci_high,status\n"
        "s,option,current,Ir aktuāla,Current,42,29.0,22.2,36.7,shown\n"
        "s,option,outdated,Novecojusi,Outdated,32,22.1,16.1,29.5,shown\n"
        "s,option,not_needed,Nav vajadzīga,Not needed,31,21.4,15.5,28.8,shown\n"
        "s,option,needed_no_resources,Trūkst resursu,No resources,40,27.6,20.8,35.5,shown\n"
        "s,valid,,Derīgās atbildes,Valid answers,145,100.0,,,shown\n",
    )
    _write(
        tables / "interview_exemplar_quotes.csv",
        "code,name,interview_id,segment_id,quote\n"
        f'why.leader_role,Līderis,int01,s1,"{HOSTILE}"\n'
        "focus.heritage,Mantojums,int02,s2,Focus quote\n"
        "swot.strength.solidarity,Solidaritāte,int03,s3,Swot quote\n",
    )
    _write(
        tables / "logit_strategy.csv",
        "term,estimate,std_error,z,p_value,odds_ratio,ci_low,ci_high\n"
        "Intercept,0.6,1.1,0.5,0.57,1.89,0.21,17.05\n"
        "org_type[vrg],2.0,0.8,2.6,0.01,7.53,1.61,35.23\n"
        "org_age_years,0.15,0.03,4.7,0.00001,1.17,1.09,1.24\n",
    )
    _write(
        tables / "logit_strategy_warnings.csv",
        "code,message_en,message_lv\nfew_events,Too few events.,Par maz notikumu.\n",
    )
    _write(
        tables / "interview_matrix.csv",
        "item,code,cell,quadrant,quadrant_name,n_interviews,quote\n"
        f'Participation,s.p,s,strengths,S,3,"{HOSTILE}"\nFunding,w.f,w,weaknesses,W,4,q\n'
        "Self-sufficiency,o.s,o,opportunities,O,2,q\nUnstable funding,t.u,t,threats,T,3,q\n",
    )
    _write(
        tables / "crosstab_tests.csv",
        "outcome,predictor,test,test_reason,statistic,df,p_value,p_adjusted,effect_measure,"
        "effect_size,ci_low,ci_high,n,n_missing,min_expected\n"
        "has_strategy,org_type,pearson_chi2,r,13.8,4,0.001,0.004,cramers_v_corrected,0.35,"
        "0.1,0.4,145,0,5.9\n"
        "has_strategy,smart_village,fisher_exact,r,,,0.2,0.4,odds_ratio_conditional,1.2,0.5,"
        "2.5,145,0,3.1\n",
    )
    _write(
        tables / "claims.csv",
        "claim_id,quote,published,reproduced,verdict,note\n"
        f's1,"28,8%",28.8,28.8,consistent,"{HOSTILE}"\n',
    )
    _write(
        tables / "claims_grim.csv",
        "claim_id,printed,base,stated_base,consistent,counts\n"
        's1,"28,8%",145,True,False,\ns1,"28,8%",146,False,True,42\n',
    )
    _write(
        tables / "claims_share_set_bases.csv",
        "claim_id,base,n_shares_possible,all_possible,sums_to_base,counts\n"
        "s1,145,0,False,False,\ns1,146,1,True,True,42\n",
    )
    _write(
        tables / "claims_directional.csv",
        "claim_id,quote,expectation,verdict,note\nd1,q,increasing,supported,n\n",
    )
    _write(
        tables / "interview_reliability.csv",
        "code,n_segments,n_rule,n_gold,n_both,percent_agreement,kappa,kappa_verdict,alpha,"
        "alpha_verdict\nwhy.x,10,3,4,2,90.0,0.7,tentative,0.7,tentative\n"
        "(all codes),10,3,4,2,90.0,0.7,tentative,0.7,tentative\n",
    )
    for name in (
        "codebooks/interviews.yaml",
        "codebooks/survey.yaml",
        "analysis/variable_labels.yaml",
        "published/claims.yaml",
    ):
        shutil.copyfile(project_root / "data" / name, _parent(root / "data" / name))
    pd.DataFrame(
        {"submitted_at": pd.to_datetime(["2024-03-01 10:00", "2024-04-29 18:30"])}
    ).to_parquet(processed / "survey.parquet")
    figures = reports / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    figure, axes = plt.subplots(figsize=(3, 2))
    axes.bar(["a", "b"], [42, 32])
    entries = yaml.safe_load((root / "data/report/exhibits.yaml").read_text(encoding="utf-8"))
    for entry in entries["exhibits"]:
        for lang in ("lv", "en"):
            path = reports / entry["file"].replace("{lang}", lang).replace("*", "org_type")
            if path.exists():
                continue
            if path.suffix in (".png", ".svg"):
                figure.savefig(path, metadata={"Date": None} if path.suffix == ".svg" else None)
            else:
                _write(path, "code,label_lv,label_en,n\na,A,A,3\nb,B,B,1\n")
    plt.close(figure)
    executed = reports / "notebooks"
    _notebook(
        executed / "01_clean_survey.ipynb",
        'io.write_json(summary, Path(processed_dir) / "cleaning_summary.json")',
        {"survey": "data/raw/survey_export.csv"},
    )
    _notebook(
        executed / "02_tabulate_survey.ipynb",
        'save("strategy_status")\nsave_table(claims, "claims.csv")',
        {"min_cell": 5},
        saved=(f"reports/{STUDY_ID}/tables/strategy_status.csv",),
    )
    return root
