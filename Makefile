# ruralplan: `make report` rebuilds a study from its inputs to reports/<study id>/; `make test` tests it.
# Both create the project environment (.venv) from requirements.lock when it is missing.
# Every rule has real file targets, so a second `make report` with nothing changed does nothing.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := report
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules
# Independent steps run side by side (interview coding beside survey cleaning, one report per
# language), as many at once as there are cores; `make -j1` runs one at a time. Never with
# `clean`, which must not run beside a build.
ifeq ($(filter -j%,$(MAKEFLAGS))$(filter clean distclean,$(MAKECMDGOALS)),)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 1) --output-sync=line
endif

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

# ---- the study: every input and setting comes from its study.yaml ------------------------------
# STUDY is a folder holding study.yaml (default: [tool.ruralplan] default-study in pyproject.toml).
# Its keys become make variables in upper case: `make report SURVEY=my.csv ALPHA=0.01`.
STUDY ?= $(shell sed -n 's/^default-study *= *"\(.*\)"/\1/p' pyproject.toml)
override STUDY := $(patsubst %/,%,$(STUDY))
STUDY_MK := reports/.studies/$(subst /,__,$(STUDY)).mk
ifdef LANGS
LANGUAGES ?= $(LANGS)
endif
PIPELINE_GOALS := report pdf bench study
ifneq ($(filter $(PIPELINE_GOALS),$(or $(MAKECMDGOALS),report)),)
include $(STUDY_MK)
endif

OUT := $(STUDY_OUT)
NB := $(OUT)/notebooks
PARAM_DIR := $(OUT)/.params
OVERRIDES := $(strip $(foreach k,$(STUDY_KEYS),$(if $($(var_$(k))),-p $(k)='$($(var_$(k)))')))
RUN = $(BIN)/ruralplan run --study $(STUDY) $(OVERRIDES)
# Each step prints one line saying what it makes; `make V=1` prints the commands instead.
ifeq ($(V),1)
Q :=
say = :
else
Q := @
say = echo "  $(1)"
endif
LANGUAGE_LIST = $(value_languages)

# A value's stamp file changes only when the value does. Stamps are brought up to date while
# make reads this file, so a step's rule needs no FORCE and `make -q` tells the truth; a dry
# run (`make -n`, `make -q`) writes nothing and marks the changed values out of date instead.
stamp_changed = $(or $(if $(wildcard $(PARAM_DIR)/$(1)),,new),\
    $(filter-out x$(value_$(1))x,x$(file <$(PARAM_DIR)/$(1))x))
CHANGED_KEYS := $(foreach k,$(STUDY_KEYS),$(if $(call stamp_changed,$(k)),$(k)))
# MAKEFLAGS starts with the single-letter flags (e.g. "nj"), unless there are none.
SHORT_FLAGS := $(filter-out -%,$(firstword $(MAKEFLAGS)))
ifneq ($(findstring n,$(SHORT_FLAGS))$(findstring q,$(SHORT_FLAGS)),)
$(foreach k,$(CHANGED_KEYS),$(eval $(PARAM_DIR)/$(k): FORCE ; printf '%s\n' '$(value_$(k))' > $$@))
else ifneq ($(CHANGED_KEYS),)
$(shell mkdir -p $(PARAM_DIR))
$(foreach k,$(CHANGED_KEYS),$(file >$(PARAM_DIR)/$(k),$(value_$(k))))
endif
stamps = $(foreach k,$(filter $(STUDY_KEYS),$(1)),$(PARAM_DIR)/$(k))
files = $(foreach k,$(1),$(if $(filter transcripts,$(k)),$(wildcard $(value_$(k))/*),$(wildcard $(value_$(k)))))
inputs = $(call files,$(1)) $(call stamps,$(1))

CLEAN_KEYS := survey survey_sheet survey_codebook municipalities municipality_aliases
TABULATE_KEYS := survey survey_codebook claims synthetic_checksums min_cell synthetic languages
CODE_KEYS := transcripts interview_codebook pii_register gold_coding qdpx redaction_reviewed survey \
    synthetic_checksums synthetic languages
CROSSTAB_KEYS := survey survey_codebook claims crosstab_pairs variable_labels synthetic_checksums \
    alpha seed synthetic languages
REPORT_KEYS := $(STUDY_KEYS)

# ---- inputs and outputs ---------------------------------------------------------------------------
# Code, templates, catalogs and the package's own word lists: editing any reruns the steps.
# The new-study template is not used by a run.
PACKAGE_SOURCES := $(shell find src/ruralplan -path '*/new_study_template' -prune -o -type f \
    \( -name '*.py' -o -name '*.css' -o -name '*.po' -o -name '*.j2' -o -name '*.txt' \) -print)
CLEAN_NB := $(NB)/01_clean_survey.ipynb
TABULATE_NB := $(NB)/02_tabulate_survey.ipynb
# A study without transcripts has no interview step.
CODE_NB := $(if $(value_transcripts),$(NB)/03_code_interviews.ipynb)
CROSSTAB_NB := $(NB)/04_crosstab_tests.ipynb
REPORT_NBS = $(foreach lang,$(LANGUAGE_LIST),$(NB)/05_report.$(lang).ipynb)
REPORTS = $(foreach lang,$(LANGUAGE_LIST),$(OUT)/report.$(lang).html)
AUDIT_LANG = $(firstword $(filter en,$(LANGUAGE_LIST)) $(LANGUAGE_LIST))
AUDIT := $(OUT)/report-audit.html
# The audit pages: each executed notebook 01-04 as a page with its code and outputs, every code
# cell anchored by its execution count (`02_tabulate_survey-cell-7`); the reports link each
# table and figure to the cell that saved it (src/ruralplan/report/anchors.py).
AUDIT_DIR := $(OUT)/audit
AUDIT_PAGES = $(patsubst $(NB)/%.ipynb,$(AUDIT_DIR)/%.html,$(CLEAN_NB) $(TABULATE_NB) $(CODE_NB) \
    $(CROSSTAB_NB))
PDFS = $(foreach lang,$(LANGUAGE_LIST),$(OUT)/report.$(lang).pdf)
TEMPLATE_DIR := src/ruralplan/report/templates
TEMPLATE_FILES := $(shell find $(TEMPLATE_DIR) -type f)
CHROMIUM ?= chromium
# Every report of the study, in any language: removed whenever a step reruns, so that a failed
# run never leaves a report that looks current (each step also removes its own audit page).
STALE_REPORTS = rm -f $(OUT)/report.*.html $(OUT)/report-audit.html $(OUT)/report.*.pdf

.PHONY: report test lint lab bench clean distclean help env lock synthetic pdf browser study FORCE

report: $(REPORTS) $(AUDIT) $(AUDIT_PAGES) $(REPORT_NBS) ## Run every notebook of the study and write its reports (default)

study: ## Print the study's inputs and settings as make sees them
	@echo "study $(STUDY_ID) ($(STUDY_FILE)); outputs in $(OUT)/ and $(STUDY_PROCESSED)/"
	@$(foreach k,$(STUDY_KEYS),echo "  $(var_$(k))=$(value_$(k))";)

$(STUDY_MK): $(STUDY)/study.yaml src/ruralplan/pipeline/study.py | $(ENV_STAMP)
	@$(BIN)/ruralplan study-vars $(STUDY) --out $@

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
	packages=$$(grep -c '^[A-Za-z]' $(LOCK)); \
	echo "Installing the project environment into $(VENV): up to $$packages packages from" \
	    "$(LOCK) (usually 3-10 minutes the first time, most of it downloading)"; \
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); \
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar off -r $(LOCK) \
	    | awk -v total=$$packages '/^(Collecting|Processing) /{ sub(/.*\//, "", $$2); \
	        printf "  [%d/%d] %s\n", ++n, total, $$2; fflush() }'; \
	echo "Installing ruralplan itself (editable) and its Jupyter kernel"; \
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .; \
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) \
	    --display-name "Python (ruralplan)" > /dev/null; \
	echo "$(ENV_HASH)" > $@

lock: $(ENV_STAMP) ## Re-resolve requirements.lock from pyproject.toml (newest allowed versions)
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
	    --no-header --no-annotate --upgrade -o $(LOCK)

# ---- pipeline -------------------------------------------------------------------------------------
$(CLEAN_NB): notebooks/01_clean_survey.ipynb $(call inputs,$(CLEAN_KEYS)) $(PACKAGE_SOURCES) \
             | $(ENV_STAMP)
	@$(STALE_REPORTS) $(AUDIT_DIR)/$(basename $(@F)).html
	@$(call say,run    $@)
	$(Q)$(RUN) $< $@

$(TABULATE_NB): notebooks/02_tabulate_survey.ipynb $(CLEAN_NB) $(call inputs,$(TABULATE_KEYS)) \
                $(PACKAGE_SOURCES) | $(ENV_STAMP)
	@$(STALE_REPORTS) $(AUDIT_DIR)/$(basename $(@F)).html
	@$(call say,run    $@)
	$(Q)$(RUN) $< $@

$(NB)/03_code_interviews.ipynb: notebooks/03_code_interviews.ipynb $(call inputs,$(CODE_KEYS)) $(PACKAGE_SOURCES) \
            | $(ENV_STAMP)
	@$(STALE_REPORTS) $(AUDIT_DIR)/$(basename $(@F)).html
	@$(call say,run    $@)
	$(Q)$(RUN) $< $@

$(CROSSTAB_NB): notebooks/04_crosstab_tests.ipynb $(CLEAN_NB) $(call inputs,$(CROSSTAB_KEYS)) \
                $(PACKAGE_SOURCES) | $(ENV_STAMP)
	@$(STALE_REPORTS) $(AUDIT_DIR)/$(basename $(@F)).html
	@$(call say,run    $@)
	$(Q)$(RUN) $< $@

$(NB)/05_report.%.ipynb: notebooks/05_report.ipynb $(CLEAN_NB) $(TABULATE_NB) $(CODE_NB) \
                         $(CROSSTAB_NB) $(call inputs,$(REPORT_KEYS)) $(STUDY_FILE) \
                         $(PACKAGE_SOURCES) | $(ENV_STAMP)
	@rm -f $(OUT)/report.$*.html $(OUT)/report.$*.pdf
	@$(call say,run    $@)
	$(Q)$(RUN) --lang $* $< $@

# The pages, rendered together in one process (`ruralplan pages`; starting nbconvert costs more
# than converting a notebook): the reader's report in each language (no code, no reviewer
# notes: cells tagged audit-only; nothing fetched), the reviewer's version of the report with
# its code and notes (English when it is built), and the audit pages of notebooks 01-04. A rerun
# of one notebook renders every page again (under a second each), which still costs less than
# one nbconvert start per page.
PAGES = $(REPORTS) $(AUDIT) $(AUDIT_PAGES)
$(PAGES) &: $(REPORT_NBS) $(CLEAN_NB) $(TABULATE_NB) $(CODE_NB) $(CROSSTAB_NB) $(TEMPLATE_FILES) \
            | $(ENV_STAMP)
	@$(call say,pages  $(subst $(OUT)/,,$(PAGES)))
	$(Q)$(BIN)/ruralplan pages \
	    $(foreach lang,$(LANGUAGE_LIST),--reader $(NB)/05_report.$(lang).ipynb $(OUT)/report.$(lang).html $(lang)) \
	    --audit $(NB)/05_report.$(AUDIT_LANG).ipynb $(AUDIT) \
	    $(foreach page,$(AUDIT_PAGES),--audit $(NB)/$(basename $(notdir $(page))).ipynb $(page))

pdf: $(PDFS) ## Print each report to PDF with headless Chromium (installs it when missing)

$(OUT)/report.%.pdf: $(OUT)/report.%.html | browser
	@$(call say,print  $@)
	$(Q)$(CHROMIUM) --headless --no-sandbox --disable-gpu --disable-background-networking \
	    --disable-component-update --disable-sync --no-pdf-header-footer \
	    --print-to-pdf=$@.tmp file://$(CURDIR)/$< 2> /dev/null
	$(Q)mv $@.tmp $@

browser: ## Install Debian's chromium for `make pdf` and the browser test, if it is missing
	@if command -v $(CHROMIUM) > /dev/null; then exit 0; fi; \
	echo "chromium is missing: installing Debian's chromium package (apt-get install chromium)"; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo > /dev/null; then SUDO=sudo; \
	else echo "run as root: apt-get update && apt-get install -y chromium" >&2; exit 1; fi; \
	$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium

# ---- checks and tools -----------------------------------------------------------------------------
# Two workers (pytest-xdist); tests that share one build of the study are kept on one worker
# (`xdist_group`), so it is built once. TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= auto
test: $(ENV_STAMP) browser ## Run the test suite (installs what it needs first)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

lint: $(ENV_STAMP) ## Check style with ruff
	$(BIN)/ruff check src tests notebooks benchmarks
	$(BIN)/ruff format --check src tests benchmarks

lab: $(ENV_STAMP) ## Open JupyterLab on the project kernel (prints the address to open)
	$(BIN)/jupyter lab --no-browser --ServerApp.root_dir=$(CURDIR) \
	    --LabApp.default_url=/lab/tree/notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

bench: $(ENV_STAMP) $(CLEAN_NB) ## Print benchmark figures as `name: value` lines
	@for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

synthetic: $(ENV_STAMP) ## Regenerate the study's synthetic export from its spec (synthetic_spec)
	$(BIN)/ruralplan synthetic $(STUDY)

messages: $(ENV_STAMP) ## Re-extract the report's wording and update the catalogs (src/ruralplan/locale)
	$(BIN)/pybabel -q extract -F src/ruralplan/locale/babel.cfg -c Translators: --add-location=file \
	    --project=ruralplan --copyright-holder="ruralplan contributors" \
	    -o src/ruralplan/locale/ruralplan.pot src/ruralplan
	$(BIN)/pybabel -q update -i src/ruralplan/locale/ruralplan.pot -d src/ruralplan/locale \
	    -D ruralplan --ignore-obsolete --ignore-pot-creation-date

clean: ## Remove generated files of every study (reports/ and data/processed/), keep .venv
	find reports data/processed -mindepth 1 ! -name .gitkeep -delete

distclean: clean ## Also remove the environment
	rm -rf $(VENV)

help: ## List targets and the study's settings
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12
	@echo
	@echo "STUDY=$(STUDY) (a folder with study.yaml). Every key of its study.yaml can be set in"
	@echo "upper case, e.g. SURVEY=path/to/export.csv ALPHA=0.01 LANGUAGES=en; \`make study\` lists them."

FORCE:
