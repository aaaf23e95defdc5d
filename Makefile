# ruralplan: `make report` rebuilds everything from data/raw/ to reports/; `make test` tests it.
# Both create the project environment (.venv) from requirements.lock when it is missing.
# Every rule has real file targets, so a second `make report` with nothing changed does nothing.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := report
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ENV_STAMP := $(VENV)/.ruralplan-installed
LOCK := requirements.lock
KERNEL := ruralplan

# Kernels are looked up only inside the project environment, never in the user's folders.
export JUPYTER_PATH := $(CURDIR)/$(VENV)/share/jupyter
export JUPYTER_DATA_DIR := $(CURDIR)/$(VENV)/share/jupyter
export JUPYTER_PLATFORM_DIRS := 1
export MPLBACKEND := Agg
export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

# ---- parameters: defaults come from params.yaml, any can be set on the command line ------------
param = $(shell sed -n 's/^$(1): *//p' params.yaml)
SURVEY ?= $(call param,survey)
TRANSCRIPTS ?= $(call param,transcripts_dir)
ALPHA ?= $(call param,alpha)
MIN_CELL ?= $(call param,min_cell)
SEED ?= $(call param,seed)
SYNTHETIC ?= $(call param,synthetic)
LANGS ?= lv en

PARAM_DIR := reports/.params
PARAM_NAMES := survey transcripts_dir alpha min_cell seed synthetic
value_survey = $(SURVEY)
value_transcripts_dir = $(TRANSCRIPTS)
value_alpha = $(ALPHA)
value_min_cell = $(MIN_CELL)
value_seed = $(SEED)
value_synthetic = $(SYNTHETIC)
OVERRIDES := $(foreach name,$(PARAM_NAMES),-p $(name)='$(value_$(name))')
p = $(PARAM_DIR)/$(1)

# ---- inputs and outputs ---------------------------------------------------------------------------
PACKAGE_SOURCES := $(shell find src/ruralplan -name '*.py' -o -name '*.tpl' -o -name '*.css')
REFERENCE := $(wildcard data/reference/*.csv)
TRANSCRIPT_FILES := $(wildcard $(TRANSCRIPTS)/*.txt $(TRANSCRIPTS)/*.csv)
NB := reports/notebooks
RUN = $(BIN)/ruralplan run --params params.yaml $(OVERRIDES)

CLEAN_NB := $(NB)/01_clean_survey.ipynb
TABULATE_NB := $(NB)/02_tabulate_survey.ipynb
CODE_NB := $(NB)/03_code_interviews.ipynb
CROSSTAB_NB := $(NB)/04_crosstab_tests.ipynb
REPORT_NBS := $(foreach lang,$(LANGS),$(NB)/05_report.$(lang).ipynb)
REPORTS := $(foreach lang,$(LANGS),reports/report.$(lang).html)

.PHONY: report test lint lab bench clean distclean help env lock synthetic FORCE

report: $(REPORTS) $(REPORT_NBS) ## Run every notebook and write reports/report.{lv,en}.html (default)

# ---- environment ----------------------------------------------------------------------------------
env: $(ENV_STAMP) ## Create .venv from the lock file and register the project kernel

$(ENV_STAMP): $(LOCK) pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) \
	    --display-name "Python (ruralplan)" > /dev/null
	@touch $@

lock: $(ENV_STAMP) ## Re-resolve requirements.lock from pyproject.toml (newest allowed versions)
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
	    --no-header --no-annotate --upgrade -o $(LOCK)

# ---- parameter stamps: a file changes only when its value changes ---------------------------------
$(PARAM_DIR)/%: FORCE
	@mkdir -p $(@D)
	@[ "$$(cat $@ 2>/dev/null)" = '$(value_$*)' ] || printf '%s' '$(value_$*)' > $@

# ---- pipeline -------------------------------------------------------------------------------------
$(CLEAN_NB): notebooks/01_clean_survey.ipynb $(SURVEY) $(wildcard data/codebooks/survey.yaml) \
             $(REFERENCE) $(call p,survey) $(PACKAGE_SOURCES) params.yaml | $(ENV_STAMP)
	$(RUN) $< $@

CODEBOOKS := $(wildcard data/codebooks/*.yaml)
PUBLISHED := $(wildcard data/published/*.yaml)

$(TABULATE_NB): notebooks/02_tabulate_survey.ipynb $(CLEAN_NB) $(CODEBOOKS) $(PUBLISHED) \
                $(call p,min_cell) $(call p,synthetic) $(PACKAGE_SOURCES) params.yaml | $(ENV_STAMP)
	$(RUN) $< $@

$(CODE_NB): notebooks/03_code_interviews.ipynb $(TRANSCRIPT_FILES) \
            $(wildcard data/codebooks/interviews.yaml) $(call p,transcripts_dir) \
            $(PACKAGE_SOURCES) params.yaml | $(ENV_STAMP)
	$(RUN) $< $@

$(CROSSTAB_NB): notebooks/04_crosstab_tests.ipynb $(CLEAN_NB) $(CODEBOOKS) $(PUBLISHED) \
                $(call p,alpha) $(call p,seed) \
                $(PACKAGE_SOURCES) params.yaml | $(ENV_STAMP)
	$(RUN) $< $@

$(NB)/05_report.%.ipynb: notebooks/05_report.ipynb $(CLEAN_NB) $(TABULATE_NB) $(CODE_NB) \
                         $(CROSSTAB_NB) $(CODEBOOKS) $(PUBLISHED) $(call p,synthetic) \
                         $(PACKAGE_SOURCES) params.yaml | $(ENV_STAMP)
	$(RUN) -p lang=$* $< $@

reports/report.%.html: $(NB)/05_report.%.ipynb | $(ENV_STAMP)
	$(BIN)/jupyter nbconvert --log-level=WARN --to html --no-input --embed-images \
	    --output-dir reports/.tmp-$* --output report.$* $<
	mv reports/.tmp-$*/report.$*.html $@ && rmdir reports/.tmp-$*

# ---- checks and tools -----------------------------------------------------------------------------
test: $(ENV_STAMP) ## Run the test suite (installs what it needs first)
	$(BIN)/python -m pytest

lint: $(ENV_STAMP) ## Check style with ruff
	$(BIN)/ruff check src tests notebooks
	$(BIN)/ruff format --check src tests

lab: $(ENV_STAMP) ## Open JupyterLab on the project kernel
	$(BIN)/jupyter lab --notebook-dir=. notebooks/

bench: $(ENV_STAMP) ## Print benchmark figures as `name: value` lines
	@for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

synthetic: $(ENV_STAMP) ## Regenerate the synthetic demonstration export in data/raw/
	$(BIN)/ruralplan synthetic --seed $(SEED) --out data/raw

clean: ## Remove generated files (reports/ and data/processed/), keep .venv
	find reports data/processed -mindepth 1 ! -name .gitkeep -delete

distclean: clean ## Also remove the environment
	rm -rf $(VENV)

help: ## List targets and parameters
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12
	@echo
	@echo "Parameters (defaults from params.yaml): SURVEY=$(SURVEY) TRANSCRIPTS=$(TRANSCRIPTS)"
	@echo "  ALPHA=$(ALPHA) MIN_CELL=$(MIN_CELL) SEED=$(SEED) SYNTHETIC=$(SYNTHETIC) LANGS='$(LANGS)'"

FORCE:
