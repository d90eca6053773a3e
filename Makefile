# Front door of the study. `make study` runs everything, `make test` checks everything,
# `make help` lists the rest. Every target creates the virtual environment .venv with pip
# (the pinned requirements.txt, then this package as an editable install) when it is
# missing or out of date.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
YEAR ?= latest
MUNICIPALITIES ?= all

.PHONY: help study test test-fast lint format bench clean-build

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

study: $(VENV)/.installed ## run the study (YEAR=…, MUNICIPALITIES=…); reruns only what changed
	$(PY) -m socialstudy run --year $(YEAR) --municipalities "$(MUNICIPALITIES)"

# One pytest session on TEST_WORKERS pytest-xdist workers. nbval re-executes the summary
# notebook, the last step notebook steps.yml lists, and compares its stored outputs: on
# the committed outputs of notebooks 01-04, copied into a temporary tree with its writes
# (SOCIALSTUDY_STAGE, set by tests/conftest.py), never into the committed outputs. (The
# forced rebuild re-executes every notebook and compares each stored notebook byte for
# byte; `pytest --nbval notebooks/` runs all five in order, a stray Untitled.ipynb
# deselected.) The conftest keeps the notebooks' cells on one worker, and the tests sharing a
# module-scoped fixture; it hands out the notebooks and slow tests first (no reordering).
# Compiled bytecode goes to build/pycache, never beside the sources: with
# PYTHONDONTWRITEBYTECODE set (as on the shared machine) every pytest worker would compile
# the package and rewrite every test module again, and every run a test starts would too.
TEST_WORKERS ?= 2
PYTEST = env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$(CURDIR)/build/pycache \
	$(PY) -m pytest -p no:cacheprovider -n $(TEST_WORKERS) --no-loadscope-reorder
SUMMARY_NOTEBOOK = $$($(PY) -c 'from socialstudy.engine import dag; \
	print([s.notebook for s in dag.load_table().steps if s.notebook][-1])')
test: $(VENV)/.installed ## every test: unit, real values, rebuilds, nbval on the summary notebook
	$(PYTEST) tests --nbval $(SUMMARY_NOTEBOOK)

# (nbval's plugin is not loaded: its import of nbformat, and so of jsonschema, costs each
# pytest process a second and a half)
test-fast: $(VENV)/.installed ## unit and property tests only (no rebuilds, no nbval)
	$(PYTEST) -p no:nbval tests -m "not slow and not heavy"

lint: $(VENV)/.installed ## ruff and the import rules of the stages (import-linter)
	$(VENV)/bin/ruff check socialstudy tests
	$(VENV)/bin/lint-imports --no-cache

format: $(VENV)/.installed ## sort imports and apply ruff's safe fixes
	$(VENV)/bin/ruff check --fix socialstudy tests

bench: $(VENV)/.installed ## speed of the study against papermill's floor
	$(PY) -m socialstudy bench

clean-build: ## remove build/ (other parameter sets, staging, failed notebooks)
	rm -rf build
