# Front door of the study. `make study` runs everything, `make test` checks everything.
# Both create the virtual environment .venv with pip when it is missing or out of date.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
YEAR ?= latest
MUNICIPALITIES ?= all

.PHONY: study test test-fast bench clean-build

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -c "import pathlib, site; pathlib.Path(site.getsitepackages()[0], 'socialstudy.pth').write_text(str(pathlib.Path.cwd()) + '\n')"
	touch $@

# what reruns is decided by socialstudy/steps.yml and study-manifest.json (content hashes)
study: $(VENV)/.installed
	$(PY) -m socialstudy run --year $(YEAR) --municipalities $(MUNICIPALITIES)

# nbval re-executes all five notebooks and compares their stored outputs; their writes go
# to a temporary tree (SOCIALSTUDY_STAGE), never into the committed outputs
test: $(VENV)/.installed
	@stage=$$(mktemp -d); \
	SOCIALSTUDY_STAGE=$$stage $(PY) -m pytest -p no:cacheprovider tests --nbval notebooks/; \
	status=$$?; rm -rf $$stage; exit $$status

# the unit and incremental-build tests without the two full rebuilds and without nbval
test-fast: $(VENV)/.installed
	$(PY) -m pytest -p no:cacheprovider tests -m "not slow"

bench: $(VENV)/.installed
	$(PY) -m socialstudy bench

clean-build:
	rm -rf build
