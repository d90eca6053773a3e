"""Shared fixtures, each built once per test session: the extraction of the real reports,
a copy of the repository brought up to date, and a forced rebuild of the study (with
pytest-xdist the workers share the last two: the first builds, the others wait on a file
lock). nbval collects only the notebooks steps.yml lists (a stray ``Untitled.ipynb`` or
``*.nbconvert.ipynb`` in notebooks/ is neither run nor compared) and their writes go to a
temporary tree (``SOCIALSTUDY_STAGE``), never into the committed outputs.

How the xdist workers share the work (``pytest_xdist_make_scheduler``): the notebooks'
cells run in order on one worker, the tests of a module with a module-scoped fixture on
one worker (it is built once), every other test wherever a worker is free; the notebooks
and the slow tests are handed out first, so the longest chains start at once, then the
modules that run whole, and the single tests last."""

import contextlib
import fcntl
import functools
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from socialstudy import paths
from socialstudy.engine.cheap_imports import without_iri_grammars

# as the package's own processes do (engine/cheap_imports.py): a test module importing
# nbformat (or frictionless) first would pay jsonschema's 1.5 s of unused IRI grammars
without_iri_grammars()


def step_notebooks() -> set[Path]:
    from socialstudy.engine import dag
    return {(paths.ROOT / s.notebook).resolve() for s in dag.load_table().steps if s.notebook}


def pytest_sessionstart(session):
    """Tests are an entry point too: a promotion a killed run left half done is completed
    or rolled back (and said so) before any test reads the committed outputs. The
    session's controller also drops the bytecode of test copies pytest has removed."""
    from socialstudy.engine import staging
    staging.recover_if_interrupted(paths.ROOT)
    if not hasattr(session.config, "workerinput"):
        _prune_bytecode_of_removed_copies()


def _prune_bytecode_of_removed_copies() -> None:
    """The compiled bytecode kept (under ``PYTHONPYCACHEPREFIX``) for repository copies in
    temporary folders pytest has since removed (it keeps the last three sessions'): each
    copy seeds about 20 MB there (tests/repo_copy.py), and build/pycache had grown to
    1.8 GB over 91 sessions."""
    if not sys.pycache_prefix:
        return
    temp = Path(tempfile.gettempdir()).resolve()
    cached = Path(sys.pycache_prefix) / temp.relative_to(temp.anchor)
    for folder in sorted(cached.glob("pytest-of-*/pytest-*")):
        if not (temp / folder.relative_to(cached)).exists():
            shutil.rmtree(folder, ignore_errors=True)


def pytest_collection_finish(session):
    """What the imports and the collection made lives to the end of the session: frozen
    out of the garbage collector's way, and the tests' short-lived objects collected less
    often (20 000 allocations, not 700). The collector took 1.5 CPU-s of each xdist worker
    of ``make test-fast``, now about 0.6; a test that needs a collection calls it."""
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)


def _notebook(item) -> bool:
    return Path(str(item.path)).suffix == ".ipynb"


# end to end through the CLI in a copy of the repository, though no test in it runs the
# study: slow, like the rebuilds (tests/test_real_reports_end_to_end.py could say so itself)
END_TO_END = {"test_real_reports_end_to_end.py"}
# heavy, though no rebuild: each draws and saves every figure, renders the HTML pages,
# reviews whole reports, validates every finance table or starts the CLI (about a CPU-second
# or more each, measured with --durations). `make test` runs them, `make test-fast` does
# not; marked ``heavy``, not ``slow``, so the grown-corpus run of tests/test_end_to_end.py
# (``-m "not slow"``) keeps them. A module named with no test: all of its tests.
HEAVY = {
    "test_figures.py": {"test_figures_draw_only_the_selection"},
    "test_outputs.py": {"test_pages_in_reading_order_with_previous_and_next_links",
                        "test_pages_work_offline_and_every_image_has_alt_text",
                        "test_the_dictionary_is_a_page",  # the three share the pages
                        "test_html_is_byte_identical_whatever_the_cell_ids"},
    "test_hostile_pages.py": {
        "test_a_page_of_a_non_default_run_names_its_selection_and_reads_as_a_report"},
    "test_real_review.py": set(),
    "test_new_reports.py": {"test_review_proposes_the_renamed_line",
                            "test_fourth_municipality_with_the_reviews_proposals",
                            "test_a_reworded_goal_is_proposed_not_mapped",
                            "test_a_goal_without_its_assessment_takes_no_other_goals_status",
                            "test_a_new_committees_total_row_is_proposed_as_total_never_copied",
                            "test_review_never_calls_a_figure_of_last_year_absent"},
    "test_pipeline.py": {"test_cli_error_is_one_line_with_a_fix"},
    "test_interim_periods.py": {"test_the_interim_reports_pass_every_schema"},
    "test_warm_probes.py": {  # each starts a kernel
        "test_a_notebook_that_calls_sys_exit_0_fails_in_one_line_not_cut_short",
        "test_what_a_cell_writes_on_the_kernels_own_stdout_goes_to_the_log"},
}


WAITING = {"test_warm_probes.py", "test_warm_kernels.py", "test_signal_probes.py"}


def _heavy(item) -> bool:
    names = HEAVY.get(Path(str(item.path)).name)
    return names is not None and (not names or getattr(item, "originalname", "") in names)


@pytest.hookimpl(tryfirst=True)  # before ``-m "not slow and not heavy"`` deselects
def pytest_collection_modifyitems(config, items):
    """Deselect the cells of a notebook that is not a step (a conftest under tests/ is
    not asked whether to collect notebooks/, so they are collected, then dropped here);
    then mark and order the rest for the xdist workers."""
    steps = step_notebooks()
    stray = [i for i in items if _notebook(i) and Path(str(i.path)).resolve() not in steps]
    if stray:
        config.hook.pytest_deselected(items=stray)
        items[:] = [i for i in items if i not in stray]
    for item in items:
        if Path(str(item.path)).name in END_TO_END:
            item.add_marker(pytest.mark.slow)
        elif _heavy(item):
            item.add_marker(pytest.mark.heavy)
    first = {item.path: 0 if _notebook(item) else 1 for item in items
             if _notebook(item) or item.get_closest_marker("slow")}
    # a test that waits seconds for a kernel to start, using little CPU, early too: beside
    # the other worker's work, not alone at the end
    first.update({item.path: 1 for item in items if Path(str(item.path)).name in WAITING})
    # then the modules that run whole on one worker, so that the single tests come last
    # and fill in while the other worker ends its last unit (no worker idles at the end)
    items.sort(key=lambda item: first.get(item.path, 3 if _work_unit(
        config.rootpath, item.nodeid) == item.nodeid else 2))  # stable: modules stay whole


@pytest.hookimpl(optionalhook=True)  # also loads without xdist (-p no:xdist)
def pytest_xdist_make_scheduler(config, log):
    """Work units for the xdist workers: the step notebooks' cells, in order, on one
    worker (each notebook reads what the one before wrote); a module with a
    module-scoped fixture on one worker (the fixture is built once); every other test
    alone. (xdist's ``--dist loadgroup`` marks do not reach pytest 9's node ids.)"""
    from xdist.scheduler import LoadScopeScheduling

    class Units(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _work_unit(config.rootpath, nodeid)
    return Units(config, log)


@functools.cache
def _work_unit(root: Path, nodeid: str) -> str:
    module = nodeid.split("::")[0]
    if module.endswith(".ipynb"):
        return "step-notebooks"
    if Path(module).name in DRAWING:
        return "drawing"
    text = (root / module).read_text(encoding="utf-8") if module.endswith(".py") else ""
    return module if 'scope="module"' in text else nodeid


# the modules whose tests draw figures, or import socialstudy.figures (the ``figures``
# fixture): one unit, so that one worker alone imports matplotlib (a second of CPU)
DRAWING = {"test_figures.py", "test_figure_caveats.py", "test_outputs.py"}


@pytest.fixture
def figures():
    """``socialstudy.figures``, imported by the tests that use it (tests/ imports it
    nowhere else, so a worker without them never loads matplotlib); the figures a test
    drew are closed after it."""
    from socialstudy import figures
    yield figures
    import matplotlib.pyplot as plt
    plt.close("all")


def pytest_configure(config):
    # a plugin, not a conftest hook: a conftest's item hooks reach only the items under
    # its folder, and the notebooks are not under tests/
    config.pluginmanager.register(NotebookStage(), "socialstudy-notebook-stage")


class NotebookStage:
    """A notebook's kernel starts in its first cell's setup and inherits the environment:
    ``SOCIALSTUDY_STAGE`` (a temporary tree for the session, unless one is set already)
    is set just then, so no other test sees it. The tree starts with the committed
    outputs of the steps before the first notebook collected (`make test` collects the
    summary alone: it reads what notebooks 01-04 wrote)."""

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_setup(self, item):
        from socialstudy.engine.staging import STAGE_ENV
        if not _notebook(item) or os.environ.get(STAGE_ENV):
            yield
            return
        if not hasattr(item.config, "_notebook_stage"):
            item.config._notebook_stage = _upstream_stage(item.session.items)
        os.environ[STAGE_ENV] = item.config._notebook_stage
        try:
            yield
        finally:
            os.environ.pop(STAGE_ENV, None)


def _upstream_stage(items) -> str:
    """A temporary tree holding the committed outputs of every step before the first
    notebook among ``items``."""
    from socialstudy.engine import dag
    stage = Path(tempfile.mkdtemp(prefix="socialstudy-nbval-"))
    collected = {Path(str(i.path)).resolve() for i in items if _notebook(i)}
    for step in dag.load_table().steps:
        if step.notebook and (paths.ROOT / step.notebook).resolve() in collected:
            break
        for rel in dag.expand(paths.ROOT, step.writes):
            (stage / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(paths.ROOT / rel, stage / rel)
    return str(stage)


def pytest_unconfigure(config):
    if hasattr(config, "_notebook_stage"):
        shutil.rmtree(config._notebook_stage, ignore_errors=True)


@pytest.fixture(scope="session")
def reports():
    from socialstudy.core.registry import load_registry  # here: the xdist controller needs
    return load_registry()                               # neither the registry nor pandas


@pytest.fixture(scope="session")
def extraction(reports):
    """``extract_and_clean(reports)``: read once per process (tests/reading.py, which also
    reads a damaged copy of the real reports by reading only the damaged one)."""
    from reading import real_extraction
    return real_extraction()


@pytest.fixture(scope="session")
def facts(extraction):
    return extraction.facts


@pytest.fixture(scope="session")
def numbered_facts(facts):
    """The facts as ``tabular.load_facts`` gives them: with the float column ``number``."""
    return facts.assign(number=facts.value.astype(float))


# --- a repository copy and a rebuild, shared by the workers of one session ------------

def _shared(tmp_path_factory) -> Path:
    """A folder every xdist worker of this session sees (alone: the session's own)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextlib.contextmanager
def _once(tmp_path_factory, name: str):
    """The shared folder ``name`` and its record (None until built), under a lock: the
    first worker builds and writes the record, the others wait, then read it."""
    folder = _shared(tmp_path_factory) / name
    folder.mkdir(exist_ok=True)
    record = folder / "record.json"
    with open(folder.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield folder, json.loads(record.read_text()) if record.exists() else None


def _record(folder: Path, data: dict) -> dict:
    (folder / "record.json").write_text(json.dumps(data))
    return data


@pytest.fixture(scope="session")
def synced_repo(tmp_path_factory) -> Path:
    """A copy of the repository like a fresh clone (no HTML pages), brought up to date:
    the run only renders the pages and publishes, it runs no notebook. Copy it
    (``copy_repo``) before changing anything."""
    from repo_copy import COPIED, copy_repo, run_cli  # (a conftest copied alone still loads)
    with _once(tmp_path_factory, "synced") as (folder, record):
        if record is None:
            repo = copy_repo(paths.ROOT, folder / "repo", COPIED[:-1])
            done = run_cli(repo)
            record = _record(folder, {"returncode": done.returncode, "stderr": done.stderr})
    assert record["returncode"] == 0, record["stderr"]
    assert "running" not in record["stderr"].replace("[6/6] publish: running", "")
    return folder / "repo"


# the CLI with its outputs in OUT; with "kill", forced and SIGKILLed right after the third
# file of its promotion is moved into place
KILLED_CLI = textwrap.dedent("""
    import functools, os, signal, sys
    from pathlib import Path
    from socialstudy import __main__ as cli, paths
    from socialstudy.engine import journal
    from socialstudy.study import runs
    kill = sys.argv[2] == "kill"
    def after(number, rel):
        if kill and number == 3:  # (the runner checks the crosswalks without pandas)
            print("runner imported pandas:", "pandas" in sys.modules, file=sys.stderr,
                  flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
    journal.after_move = after
    runs.run = functools.partial(runs.run, outputs=paths.Outputs(Path(sys.argv[1])))
    sys.exit(cli.main(["run", *(["--force"] if kill else [])]))
""")


@pytest.fixture(scope="session")
def forced_build(tmp_path_factory) -> tuple[Path, dict, dict]:
    """The study rebuilt from nothing into a temporary tree, every step forced (notebooks
    02-04 side by side), the run SIGKILLed after the third file of its promotion (with the
    files then in place), and the next run that completes it: (tree, killed, completing),
    each run as its return code and stderr; once per session. One build serves the
    byte-for-byte rebuild (tests/test_pipeline.py), the steps side by side
    (tests/test_parallel.py) and the killed promotion (tests/test_hostile_engine.py)."""
    from socialstudy.engine import journal, staging
    env = {k: v for k, v in os.environ.items() if k != staging.STAGE_ENV}

    def cli(out: Path, mode: str) -> dict:
        done = subprocess.run([sys.executable, "-c", KILLED_CLI, str(out), mode],
                              capture_output=True, text=True, env=env)
        return {"returncode": done.returncode, "stderr": done.stderr}
    with _once(tmp_path_factory, "forced") as (folder, record):
        if record is None:
            out = folder / "out"
            killed = cli(out, "kill")
            placed = sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                            if p.is_file() and "build" not in p.relative_to(out).parts)
            killed.update(journal=(out / journal.JOURNAL).exists(), placed=placed)
            record = _record(folder, {"killed": killed, "again": cli(out, "again")})
    return folder / "out", record["killed"], record["again"]


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
