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
# A fixed date for every file format that records one (matplotlib SVG/PDF), so reruns give the
# same bytes; override it to date a release.
export SOURCE_DATE_EPOCH ?= 1704067200

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
AUDIT := reports/report-audit.html
PDFS := $(foreach lang,$(LANGS),reports/report.$(lang).pdf)
TEMPLATE_DIR := src/ruralplan/report/templates
TEMPLATE_FILES := $(shell find $(TEMPLATE_DIR) -type f)
REPORT_DATA := $(wildcard data/report/*.yaml data/raw/SHA256SUMS)
CHROMIUM ?= chromium
NBCONVERT = $(BIN)/jupyter nbconvert --log-level=WARN --to html --template ruralplan \
    --TemplateExporter.extra_template_basedirs=$(TEMPLATE_DIR)

.PHONY: report test lint lab bench clean distclean help env lock synthetic pdf browser FORCE

report: $(REPORTS) $(AUDIT) $(REPORT_NBS) ## Run every notebook and write reports/report.{lv,en}.html (default)

# ---- environment ----------------------------------------------------------------------------------
env: $(ENV_STAMP) ## Create .venv from the lock file and register the project kernel

# The stamp holds a hash of the lock and pyproject.toml: a copy of the project with newer file
# times but the same contents (sharing .venv) does not reinstall, which would otherwise point
# the editable install at the copy. A copy whose .venv is a link to another checkout's never
# installs into it: that would point the shared environment at the copy.
ENV_HASH = $$(cat $(LOCK) pyproject.toml | sha256sum | cut -c1-64)

$(ENV_STAMP): $(LOCK) pyproject.toml
	@if [ "$$(cat $@ 2>/dev/null)" = "$(ENV_HASH)" ]; then touch $@; exit 0; fi; \
	if [ -L $(VENV) ]; then \
	    echo "$(VENV) links to $$(readlink $(VENV)), whose environment is out of date for this" \
	        "lock file and pyproject.toml: run 'make env' in the checkout it belongs to" >&2; \
	    exit 1; \
	fi; \
	set -x; \
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); \
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(LOCK); \
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .; \
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) \
	    --display-name "Python (ruralplan)" > /dev/null; \
	echo "$(ENV_HASH)" > $@

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
                $(call p,alpha) $(call p,seed) $(call p,synthetic) $(wildcard data/analysis/*.yaml) \
                $(PACKAGE_SOURCES) params.yaml | $(ENV_STAMP)
	$(RUN) $< $@

$(NB)/05_report.%.ipynb: notebooks/05_report.ipynb $(CLEAN_NB) $(TABULATE_NB) $(CODE_NB) \
                         $(CROSSTAB_NB) $(CODEBOOKS) $(PUBLISHED) $(call p,synthetic) \
                         $(REPORT_DATA) $(wildcard data/analysis/*.yaml) $(PACKAGE_SOURCES) \
                         params.yaml | $(ENV_STAMP)
	$(RUN) -p lang=$* $< $@

# The reader's report: no code, no reviewer notes (cells tagged audit-only), nothing fetched.
reports/report.%.html: $(NB)/05_report.%.ipynb $(TEMPLATE_FILES) | $(ENV_STAMP)
	$(NBCONVERT) --no-input --HTMLExporter.language_code=$* --TagRemovePreprocessor.enabled=True \
	    --TagRemovePreprocessor.remove_cell_tags=audit-only \
	    --output-dir reports/.tmp-$* --output report.$* $<
	mv reports/.tmp-$*/report.$*.html $@ && rmdir reports/.tmp-$*

# The reviewer's version: the same report with its code and notes.
$(AUDIT): $(NB)/05_report.en.ipynb $(TEMPLATE_FILES) | $(ENV_STAMP)
	$(NBCONVERT) --output-dir reports/.tmp-audit --output report-audit $<
	mv reports/.tmp-audit/report-audit.html $@ && rmdir reports/.tmp-audit

pdf: $(PDFS) ## Print each report to PDF with headless Chromium (installs it when missing)

reports/report.%.pdf: reports/report.%.html | browser
	$(CHROMIUM) --headless --no-sandbox --disable-gpu --disable-background-networking \
	    --disable-component-update --disable-sync --no-pdf-header-footer \
	    --print-to-pdf=$@.tmp file://$(CURDIR)/$< 2> /dev/null
	mv $@.tmp $@

browser: ## Install Debian's chromium for `make pdf` and the browser test, if it is missing
	@if command -v $(CHROMIUM) > /dev/null; then exit 0; fi; \
	echo "chromium is missing: installing Debian's chromium package (apt-get install chromium)"; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo > /dev/null; then SUDO=sudo; \
	else echo "run as root: apt-get update && apt-get install -y chromium" >&2; exit 1; fi; \
	$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium

# ---- checks and tools -----------------------------------------------------------------------------
test: $(ENV_STAMP) browser ## Run the test suite (installs what it needs first)
	$(BIN)/python -m pytest

lint: $(ENV_STAMP) ## Check style with ruff
	$(BIN)/ruff check src tests notebooks benchmarks
	$(BIN)/ruff format --check src tests benchmarks

lab: $(ENV_STAMP) ## Open JupyterLab on the project kernel
	$(BIN)/jupyter lab --notebook-dir=. notebooks/

bench: $(ENV_STAMP) $(CLEAN_NB) ## Print benchmark figures as `name: value` lines
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
