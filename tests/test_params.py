"""Parameter loading and overrides."""

from __future__ import annotations

import pytest

from ruralplan.pipeline.params import ParameterError, apply_overrides, load_params


def test_project_params_load_and_are_scalars(project_root):
    params = load_params(project_root / "params.yaml")
    assert params["seed"] == 2024
    assert params["lang"] in {"lv", "en"}


def test_override_parses_yaml_scalars():
    assert apply_overrides({"alpha": 0.05, "lang": "lv"}, ["alpha=0.01", "lang=en"]) == {
        "alpha": 0.01,
        "lang": "en",
    }


def test_override_of_unknown_key_is_refused_with_the_known_keys():
    with pytest.raises(ParameterError, match=r"unknown parameter 'alpah'.*'alpha'"):
        apply_overrides({"alpha": 0.05}, ["alpah=0.01"])


def test_override_without_equals_sign_is_refused():
    with pytest.raises(ParameterError, match="key=value"):
        apply_overrides({"alpha": 0.05}, ["alpha"])


def test_nested_parameter_file_is_refused(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text("alpha:\n  value: 0.05\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"params.yaml: parameters must be scalars"):
        load_params(path)
