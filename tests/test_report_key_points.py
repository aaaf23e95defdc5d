"""Key points at the top of the summary, and the published shares beside the main chart."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from ruralplan.pipeline.study import load_study
from ruralplan.report.inputs import load_report_inputs
from ruralplan.report.keypoints import base_point, check_asked, reliability_point
from ruralplan.report.published_shares import share_rows
from ruralplan.report.sections import section_html
from tests.report_fixtures import build_fake_project

NBSP = "\u00a0"


def test_missing_asked_is_fine():
    assert check_asked({"sections": []}) is None


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ("Whether they plan", r"layout\.yaml: `asked` must be a mapping"),
        ({"lv": "Vai plāno?"}, r"layout\.yaml: `asked\.en` must be a non-empty text"),
        ({"lv": "Vai?", "en": "Of 145 halls?"}, r"`asked\.en` must not contain digits"),
    ],
    ids=["not-a-mapping", "language-missing", "typed-number"],
)
def test_a_bad_asked_names_the_file_and_the_key(asked, message):
    with pytest.raises(ValueError, match=message):
        check_asked({"asked": asked}, source="layout.yaml")


def _reliability(**columns):
    table = pd.DataFrame(
        {
            "set": ["held_out", "held_out", "all"],
            "n_interviews": [6, 6, 16],
            "code": ["why.x", "(all codes)", "(all codes)"],
            "alpha": [0.9, 0.323, 0.4],
            "alpha_verdict": ["reliable", "below threshold", "below threshold"],
        }
    )
    return table.assign(**columns)


def test_reliability_point_names_the_held_out_pooled_alpha_and_its_interviews():
    text = reliability_point(_reliability(), "en").replace(NBSP, " ")
    # the held-out pooled row, not the per-code row nor the set of all interviews
    assert "on 6 held-out interviews" in text
    assert "α = 0.32, below threshold" in text
    assert "0.40" not in text and "16" not in text


def test_without_human_coding_the_point_says_agreement_was_not_measured():
    empty = _reliability().iloc[0:0]
    assert "not measured" in reliability_point(empty, "en")


def test_base_point_counts_the_fitting_bases_and_refers_to_the_section():
    grim = pd.DataFrame(
        {
            "claim_id": ["s1", "s1"],
            "base": [145, 146],
            "stated_base": [True, False],
            "consistent": [False, True],
        }
    )
    bases = pd.DataFrame(
        {
            "base": [120, 145, 146, 160],
            "all_possible": [False, False, True, True],
            "sums_to_base": [False, False, True, True],
        }
    )
    text = base_point(grim, bases, "en", section=8).replace(NBSP, " ")
    assert "stated base of 145; 2 bases from 120 to 160 fit them" in text
    assert text.endswith("(see section 8).")
    # a stated base that fits: nothing to warn about
    assert base_point(grim.assign(consistent=True), bases, "en") == ""


def _frequency():
    return pd.DataFrame(
        {
            "question_id": ["status"] * 3,
            "row_type": ["option", "option", "valid"],
            "code": ["yes", "no", None],
            "label_en": ["Yes", "No", "Valid answers"],
            "n": [42, 103, 145],
        }
    )


def test_published_shares_of_the_main_question_only():
    registered = [
        {"id": "s_yes", "kind": "share", "question": "status", "codes": ["yes"]},
        {
            "id": "s_group",
            "kind": "share",
            "question": "status",
            "codes": ["no"],
            "among": {"question": "x", "codes": ["a"]},
        },
        {"id": "s_words", "kind": "share", "question": "status", "codes": ["no"]},
        {"id": "other", "kind": "share", "question": "focus", "codes": ["yes"]},
        {"id": "count", "kind": "count"},
    ]
    claims = pd.DataFrame(
        {
            "claim_id": ["s_yes", "s_group", "s_words", "other", "count"],
            "published": ["28,8%", "40%", "puse", "10%", "145"],
            "reproduced": ["29,0 % (42/145)", "41 %", "71,0 % (103/145)", "9 %", "145"],
        }
    )
    rows = share_rows(registered, claims, _frequency(), "en")
    # 29.0 - 28.8 = +0.2 points: this analysis minus published
    assert rows == [
        {"answer": "Yes", "published": "28.8%", "found": "29.0% (42 of 145)", "difference": "+0.2"}
    ]


def test_no_published_shares_without_claims():
    empty = pd.DataFrame(columns=["claim_id", "published", "reproduced"])
    assert share_rows([], empty, _frequency(), "en") == []


@pytest.fixture
def fake_project(tmp_path, project_root, monkeypatch):
    project = build_fake_project(tmp_path / "project", project_root)
    monkeypatch.chdir(project)
    return project


def _drop_interviews(project):
    # a study with no interviews: its layout shows no reliability table
    path = project / "data/report/exhibits.yaml"
    layout = yaml.safe_load(path.read_text(encoding="utf-8"))
    layout["exhibits"] = [e for e in layout["exhibits"] if e.get("display") != "reliability"]
    layout.pop("asked", None)
    path.write_text(yaml.safe_dump(layout, allow_unicode=True), encoding="utf-8")


def test_a_study_without_interviews_or_asked_gets_key_points_without_them(fake_project):
    _drop_interviews(fake_project)
    inputs = load_report_inputs(load_study("data", {}, root="."), lang="en")
    summary = section_html(next(iter(inputs.kinds)), inputs)
    box = summary.split('<aside class="key-points"', 1)[1].split("</aside>", 1)[0]
    assert "The analysis includes 145" in box.replace(NBSP, " ")
    assert "Interview coding" not in box and "α" not in box


def test_a_bad_asked_in_the_layout_stops_the_report_naming_file_and_key(fake_project):
    path = fake_project / "data/report/exhibits.yaml"
    layout = yaml.safe_load(path.read_text(encoding="utf-8"))
    layout["asked"] = {"lv": "Vai?"}
    path.write_text(yaml.safe_dump(layout, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match=r"exhibits\.yaml: `asked\.en` must be a non-empty"):
        load_report_inputs(load_study("data", {}, root="."), lang="en")
