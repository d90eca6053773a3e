"""Hostile parameters and stray files (issue 15 item 6): direct notebook runs are as safe
as the CLI. Each case ends in one line before anything is written, or changes nothing."""

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from repo_copy import repo_env, seed_bytecode

from socialstudy import paths
from socialstudy.__main__ import _parser
from socialstudy.core import runspec
from socialstudy.core.scope import parse_municipalities
from socialstudy.engine import dag, staging
from socialstudy.errors import BadParameter, ParameterError, StudyError
from socialstudy.study import runs
from socialstudy.study.context import open_run

ROOT = paths.ROOT
LONG_YEAR = "2" * 300


@pytest.mark.parametrize("value", ["", " ", " , ", ",", []])
def test_an_empty_municipalities_is_an_error_not_all(value, reports):
    with pytest.raises(ParameterError, match="municipalities is empty") as err:
        runspec.canonical("latest", value)
    assert "--municipalities (papermill: -p municipalities)" in err.value.one_line
    with pytest.raises(ParameterError, match="municipalities is empty"):
        parse_municipalities(value, reports)


def test_all_and_a_missing_parameter_still_mean_every_municipality(reports):
    assert runspec.canonical("latest", "all").default
    assert runspec.canonical("latest", None).default
    assert parse_municipalities(" ALL ", reports) == ["Haninge", "Huddinge", "Strängnäs"]


@pytest.mark.parametrize("year", [LONG_YEAR, "20233", "202", "２０２３", "2023²", "-2023",
                                  "1e3", "latest2023"])
def test_a_year_that_is_not_four_ascii_digits_is_one_short_line(year):
    with pytest.raises(ParameterError) as err:
        runspec.canonical(year, "all")
    line = err.value.one_line
    assert "\n" not in line and len(line) < 250, line
    assert line.startswith("year must be 'latest' or a four-digit fiscal year")


def test_a_year_of_300_digits_through_the_cli_is_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "socialstudy", "run", "--year", LONG_YEAR],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "(300 characters)" in done.stderr


def test_make_study_with_a_space_after_the_comma_reaches_the_cli_as_one_argument():
    shown = subprocess.run(["make", "-n", "study", "MUNICIPALITIES=Haninge, Huddinge"],
                           capture_output=True, text=True, cwd=ROOT, check=True).stdout
    line = next(ln for ln in shown.splitlines() if "socialstudy run" in ln)
    argv = shlex.split(line)
    args = _parser().parse_args(argv[argv.index("socialstudy") + 1:])
    assert args.municipalities == "Haninge, Huddinge"
    spec = runspec.canonical(args.year, args.municipalities)
    assert spec.name == "year=latest,municipalities=Haninge+Huddinge"
    assert runspec.canonical("2023", "Haninge,Huddinge").command() == (
        "python -m socialstudy run --year 2023 --municipalities Haninge,Huddinge")


def test_a_notebook_by_hand_with_a_year_without_data_stops_before_writing(tmp_path,
                                                                          monkeypatch):
    """Notebook 01 writes the extraction: the year is checked in open_run, first; every
    notebook stops with the same line."""
    monkeypatch.delenv(staging.STAGE_ENV, raising=False)
    monkeypatch.delenv(staging.STAGE_FOR_ENV, raising=False)
    lines = set()
    for notebook in ("01_extract_clean", "02_cost_structure", "05_summary"):
        with pytest.raises(BadParameter) as err:
            open_run(notebook, 1999, "all", tmp_path / "out")
        lines.add(tuple(err.value._render_traceback_()))
    assert len(lines) == 1, lines
    (line,) = lines.pop()
    assert line.startswith("BadParameter: data/raw/reports.yml: no report gives outcomes "
                           "for 1999; years with data: 2020, 2022, 2023, 2024")
    assert not (tmp_path / "out").exists()


@pytest.fixture
def copy(tmp_path):
    """The step table of a copy whose notebooks can be damaged."""
    table = dag.load_table()
    repo = tmp_path / "repo"
    for step in table.steps:
        if step.notebook:
            (repo / step.notebook).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / step.notebook, repo / step.notebook)
    return repo, table


@pytest.mark.parametrize("damage", ["deleted", "emptied", "not json", "no cells"])
def test_a_deleted_or_emptied_notebook_is_one_line(copy, monkeypatch, damage):
    repo, table = copy
    notebook = repo / "notebooks" / "03_staffing.ipynb"
    if damage == "deleted":
        notebook.unlink()
    else:
        notebook.write_text({"emptied": "", "not json": "{\"cells\": [",
                             "no cells": json.dumps({"metadata": {}})}[damage])
    runs.check_notebooks(table)  # the real notebooks pass
    monkeypatch.setattr(paths, "ROOT", repo)
    monkeypatch.setattr(runs.paths, "ROOT", repo)
    with pytest.raises(StudyError) as err:
        runs.check_notebooks(table)
    line = err.value.one_line
    assert line.startswith("notebooks/03_staffing.ipynb: the notebook of step 03_staffing ")
    assert "git checkout -- notebooks/03_staffing.ipynb" in line and "\n" not in line


def test_a_deleted_notebook_through_the_cli_is_one_line_and_changes_nothing(tmp_path):
    repo = tmp_path / "repo"
    for name in ("socialstudy", "data", "notebooks"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    seed_bytecode(ROOT, repo, ("socialstudy",))  # compiled once, not per copy
    (repo / "notebooks" / "03_staffing.ipynb").unlink()
    done = subprocess.run([sys.executable, "-m", "socialstudy", "run", "--quiet"], cwd=repo,
                          capture_output=True, text=True, env=repo_env(repo))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("error: notebooks/03_staffing.ipynb: the notebook of step "
                                  "03_staffing is missing")
    assert not (repo / "build").exists() or not any((repo / "build").rglob("*.csv"))


@pytest.mark.slow
def test_stray_notebooks_are_not_collected_by_nbval(tmp_path):
    """What `make test` runs (tests and --nbval notebooks/), in a copy with two strays."""
    repo = tmp_path / "repo"
    for name in ("socialstudy", "notebooks"):
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    seed_bytecode(ROOT, repo, ("socialstudy",))  # compiled once, not per copy
    (repo / "tests").mkdir()
    shutil.copyfile(ROOT / "tests" / "conftest.py", repo / "tests" / "conftest.py")
    shutil.copyfile(ROOT / "pyproject.toml", repo / "pyproject.toml")
    shutil.copyfile(repo / "notebooks" / "01_extract_clean.ipynb",
                    repo / "notebooks" / "01_extract_clean.nbconvert.ipynb")
    (repo / "notebooks" / "Untitled.ipynb").write_text(json.dumps(
        {"cells": [{"cell_type": "code", "source": "open('STRAY', 'w'); 1/0", "metadata": {},
                    "outputs": [], "execution_count": None}],
         "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                           "-p", "no:xdist", "--collect-only", "-q", "tests", "--nbval",
                           "notebooks/"], cwd=repo, capture_output=True, text=True,
                          env=repo_env(repo))
    collected = [ln for ln in done.stdout.splitlines() if "::" in ln]
    assert collected, done.stdout[-800:] + done.stderr[-800:]
    assert not [ln for ln in collected if "Untitled" in ln or "nbconvert" in ln]
    assert "deselected" in done.stdout, done.stdout[-500:]
    steps = {Path(s.notebook).name for s in dag.load_table().steps if s.notebook}
    assert {ln.split("::")[0].split("/")[-1] for ln in collected} == steps
