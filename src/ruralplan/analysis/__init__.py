"""Analysis stage: cross-tab tests, regression, published claims and their consistency."""
