# Front door of the study. `make study` runs everything, `make test` checks everything.
# Both create the virtual environment .venv with pip when it is missing or out of date.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
YEAR ?= latest

.PHONY: study test clean-build

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -c "import pathlib, site; pathlib.Path(site.getsitepackages()[0], 'socialstudy.pth').write_text(str(pathlib.Path.cwd()) + '\n')"
	touch $@

study: $(VENV)/.installed
	$(PY) -m socialstudy run --year $(YEAR)

test: $(VENV)/.installed
	$(PY) -m pytest -p no:cacheprovider tests --nbval notebooks/05_summary.ipynb

clean-build:
	rm -rf build
