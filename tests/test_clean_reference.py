"""The shipped reference lists of municipalities and aliases are complete and consistent."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture(scope="module")
def municipalities(project_root):
    return pd.read_csv(project_root / "data/reference/municipalities.csv", dtype=str)


@pytest.fixture(scope="module")
def aliases(project_root):
    return pd.read_csv(
        project_root / "data/reference/municipality_aliases.csv", dtype=str, keep_default_na=False
    )


def test_43_units_in_5_planning_regions(municipalities):
    # Law of 2020: 7 valstspilsētas + 36 novadi; regulation 418: 8/9/9/11/6 per region.
    assert len(municipalities) == 43
    assert municipalities["code"].is_unique and municipalities["name"].is_unique
    counts = municipalities["region"].value_counts().sort_index().to_dict()
    assert counts == {"Kurzemes": 8, "Latgales": 9, "Rīgas": 9, "Vidzemes": 11, "Zemgales": 6}
    assert municipalities["type"].value_counts().to_dict() == {"novads": 36, "valstspilsēta": 7}
    assert municipalities["code"].str.fullmatch(r"\d{7}").all()


def test_every_alias_maps_to_a_known_unit_or_is_marked_ambiguous(aliases, municipalities):
    assert aliases["alias"].is_unique
    mapped = aliases[aliases["kind"] != "ambiguous"]
    assert set(mapped["name"]) <= set(municipalities["name"])
    ambiguous = aliases[aliases["kind"] == "ambiguous"]
    assert sorted(ambiguous["alias"]) == ["Aglonas novads", "Inčukalna novads"]
    assert (ambiguous["name"] == "").all()
    assert not set(aliases["alias"]) & set(municipalities["name"])


def test_a_known_old_name(aliases):
    brocenu = aliases.set_index("alias").loc["Brocēnu novads"]
    assert brocenu["name"] == "Saldus novads"
