"""A study run: the parameters resolved against the registry, the study's checks before
any step runs (a damaged crosswalk, a year without data), then the engine.

The engine (:mod:`socialstudy.engine`) knows nothing of the study; this module is where
the two meet, for the CLI, the benchmark and the tests."""

from __future__ import annotations

import json
from pathlib import Path

from socialstudy import paths
from socialstudy.core import runspec
from socialstudy.engine import dag, imports, runner, staging
from socialstudy.errors import ParameterError, StudyError


def run(year: str = "latest", municipalities: str = "all", **options) -> list[runner.RunResult]:
    """Bring the output tree of these parameters up to date; ``options`` as
    :func:`socialstudy.engine.runner.run` (``force``, ``outputs``, ``progress``, ``wait``,
    ``table``)."""
    spec = runspec.canonical(year, municipalities)
    table = options.pop("table", None) or dag.load_table()
    check_notebooks(table)
    return runner.run(spec, preflight=preflight, table=table, **options)


def check_notebooks(table: dag.Table) -> None:
    """Every step's notebook exists and is notebook JSON: one line, not a traceback from
    the hashing of a deleted or emptied notebook."""
    for step in table.steps:
        if not step.notebook:
            continue
        try:
            cells = json.loads((paths.ROOT / step.notebook).read_text(encoding="utf-8"))["cells"]
            problem = None if isinstance(cells, list) else "has no list of cells"
        except FileNotFoundError:
            problem = "is missing"
        except (OSError, ValueError, KeyError, TypeError) as exc:
            problem = f"is not a notebook ({type(exc).__name__})"
        if problem:
            raise StudyError(f"the notebook of step {step.name} {problem}",
                             file=step.notebook, fix=f"restore it (git checkout -- "
                                                     f"{step.notebook}) or remove the step "
                                                     "from socialstudy/steps.yml")


def preflight(spec: runspec.RunSpec, base: Path, inputs: dict) -> None:
    """What must hold before any step runs: every crosswalk is sound, and the year has
    outcome data."""
    from socialstudy.crosswalks.loader import check_all
    check_all()
    check_year(spec, base, inputs)


def check_year(spec: runspec.RunSpec, base: Path, inputs: dict) -> None:
    """Fail before any notebook runs if the year has no outcome data. The years with
    data are cached, keyed by the hashes of the raw data and the extraction code."""
    if spec.year == "latest":
        return
    key = dag.hashes(paths.ROOT, imports.closure(["extract.extraction", "core.scope"]))
    cache = base / "build" / ".cache" / "years.json"
    try:
        saved = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = {}
    if saved.get("key") == [inputs, key]:
        years = saved["years"]
    else:
        from socialstudy.core.scope import available_years
        from socialstudy.extract.extraction import extract_and_clean
        years = available_years(extract_and_clean().facts)
        staging.atomic_write(cache, json.dumps({"key": [inputs, key], "years": years})
                             .encode())
    if int(spec.year) not in years:
        raise ParameterError(
            f"no report gives outcomes for {spec.year}; years with data: "
            f"{', '.join(map(str, years))}", file="data/raw/reports.yml",
            fix=f"pass {runspec.FLAGS['year']} latest or one of those years, or register "
                f"a report for {spec.year}")
