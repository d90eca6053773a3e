"""Shared fixtures: the extraction of the real reports, built once per test session; and
nbval collects only the notebooks steps.yml lists (a stray ``Untitled.ipynb`` or
``*.nbconvert.ipynb`` in notebooks/ is neither run nor compared)."""

import shutil
from pathlib import Path

import pytest

from socialstudy import paths
from socialstudy.core.registry import load_registry
from socialstudy.extract.extraction import extract_and_clean


def step_notebooks() -> set[Path]:
    from socialstudy.engine import dag
    return {(paths.ROOT / s.notebook).resolve() for s in dag.load_table().steps if s.notebook}


def pytest_sessionstart(session):
    """Tests are an entry point too: a promotion a killed run left half done is completed
    or rolled back (and said so) before any test reads the committed outputs."""
    from socialstudy.engine import staging
    staging.recover_if_interrupted(paths.ROOT)


def pytest_collection_modifyitems(config, items):
    """Deselect the cells of a notebook that is not a step (a conftest under tests/ is
    not asked whether to collect notebooks/, so they are collected, then dropped here)."""
    steps = step_notebooks()
    stray = [i for i in items if Path(str(i.path)).suffix == ".ipynb"
             and Path(str(i.path)).resolve() not in steps]
    if stray:
        config.hook.pytest_deselected(items=stray)
        items[:] = [i for i in items if i not in stray]


@pytest.fixture(scope="session")
def reports():
    return load_registry()


@pytest.fixture(scope="session")
def extraction(reports):
    return extract_and_clean(reports)


@pytest.fixture(scope="session")
def facts(extraction):
    return extraction.facts


@pytest.fixture(scope="session")
def numbered_facts(facts):
    """The facts as ``tabular.load_facts`` gives them: with the float column ``number``."""
    return facts.assign(number=facts.value.astype(float))


@pytest.fixture
def raw(tmp_path) -> Path:
    """A tmp copy of data/raw: the real reports and the real registry, byte for byte."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for path in paths.RAW.glob("*.txt"):
        shutil.copyfile(path, folder / path.name)
    shutil.copyfile(paths.REGISTRY, folder / "reports.yml")
    return folder


def fact(facts, doc_id, line, column_label=None, col=None):
    """The one fact at a raw line (and column); fails loudly if absent or ambiguous."""
    rows = facts[(facts.doc_id == doc_id) & (facts.source_line == line)]
    if column_label is not None:
        rows = rows[rows.column_label == column_label]
    if col is not None:
        rows = rows[rows.source_col == col]
    assert len(rows) == 1, f"expected one fact at {doc_id}:{line} {column_label!r}, got {len(rows)}"
    return rows.iloc[0]


def one(frame, **where):
    """The one row of ``frame`` matching ``where``; fails loudly if absent or ambiguous."""
    rows = frame
    for key, value in where.items():
        rows = rows[rows[key] == value]
    assert len(rows) == 1, f"expected one row for {where}, got {len(rows)}"
    return rows.iloc[0]
