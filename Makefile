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

# nbval re-executes exactly the notebooks steps.yml lists (a stray Untitled.ipynb is not
# passed; tests/conftest.py also deselects one if notebooks/ is given) and compares their
# stored outputs, in order in one process; their writes go to a temporary tree
# (SOCIALSTUDY_STAGE), never into the committed outputs. The other tests run on
# TEST_WORKERS pytest-xdist workers.
TEST_WORKERS ?= 2
STEP_NOTEBOOKS = $$($(PY) -c 'from socialstudy.engine import dag; \
	print(*(s.notebook for s in dag.load_table().steps if s.notebook))')
test: $(VENV)/.installed ## every test: unit, real values, rebuilds, nbval on the step notebooks
	@stage=$$(mktemp -d); \
	$(PY) -m pytest -p no:cacheprovider -n $(TEST_WORKERS) tests && \
	SOCIALSTUDY_STAGE=$$stage $(PY) -m pytest -p no:cacheprovider -p no:xdist -q \
	  --nbval $(STEP_NOTEBOOKS); \
	status=$$?; rm -rf $$stage; exit $$status

test-fast: $(VENV)/.installed ## unit and property tests only (no rebuilds, no nbval)
	$(PY) -m pytest -p no:cacheprovider -n $(TEST_WORKERS) tests -m "not slow"

lint: $(VENV)/.installed ## ruff and the import rules of the stages (import-linter)
	$(VENV)/bin/ruff check socialstudy tests
	$(VENV)/bin/lint-imports --no-cache

format: $(VENV)/.installed ## sort imports and apply ruff's safe fixes
	$(VENV)/bin/ruff check --fix socialstudy tests

bench: $(VENV)/.installed ## speed of the study against papermill's floor
	$(PY) -m socialstudy bench

clean-build: ## remove build/ (other parameter sets, staging, failed notebooks)
	rm -rf build
