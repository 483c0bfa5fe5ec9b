# ropa: audit personal-data exports against the privacy policy.
# `make audit` and `make test` bootstrap .venv from pyproject.toml on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLES := data/samples
AS_OF := 2026-09-30
OUT := out
export GX_ANALYTICS_ENABLED := false
export MPLBACKEND := Agg

.DEFAULT_GOAL := help
.PHONY: help venv audit test bench lint notebooks suites samples datadocs-static clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "} {printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,notebooks,spark]'
	touch $(STAMP)

venv: $(STAMP) ## create .venv and install ropa with test and notebook extras

$(SAMPLES)/manifest.json: | $(STAMP)
	$(BIN)/ropa samples $(SAMPLES) --seed 7 --as-of $(AS_OF)

samples: $(SAMPLES)/manifest.json ## generate data/samples if missing

audit: $(STAMP) $(SAMPLES)/manifest.json ## run the audit on the bundled samples (writes out/)
	$(BIN)/ropa audit $(SAMPLES) --as-of $(AS_OF) --out $(OUT)

test: $(STAMP) ## run the tests (unit, rule cases, notebooks via nbval)
	$(BIN)/python -m pytest

suites: $(STAMP) ## regenerate the suites (src/ropa/expectations, linked as expectations/) from the policy
	$(BIN)/ropa suites --out src/ropa/expectations

notebooks: $(STAMP) $(SAMPLES)/manifest.json ## execute the notebooks with papermill against data/samples
	mkdir -p $(OUT)/notebooks
	for nb in notebooks/0*.ipynb; do \
		$(BIN)/papermill --cwd notebooks "$$nb" "$(OUT)/notebooks/$$(basename $$nb)" -p as_of $(AS_OF) || exit 1; \
	done

datadocs-static: ## refresh the Data Docs CSS/JS/fonts from npm (pinned; committed, never fetched by an audit)
	sh scripts/vendor-datadocs.sh

bench: $(STAMP) ## benchmark at millions of rows; writes bench/results.md
	$(BIN)/python bench/run.py

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check src tests
	$(BIN)/mypy

clean: ## remove the venv, outputs and caches
	rm -rf $(VENV) $(OUT) bench/data .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
