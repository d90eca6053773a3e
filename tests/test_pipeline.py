"""The runner: parameters checked before any notebook runs, a declared step table whose
incremental build cannot go stale, all-or-nothing runs, papermill used directly is safe.

Most tests work on a copy of the repository in a temporary folder and run only what the
change requires (the committed ``study-manifest.json`` says what is current); the copy
brought up to date and the forced rebuild are built once per session (tests/conftest.py).
Tests that run the study are marked ``slow``: ``pytest -m "not slow"`` skips them.
"""

import errno
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from repo_copy import committed_tree, copy_repo, run_cli

from socialstudy import paths
from socialstudy.core import runspec
from socialstudy.core.scope import resolve
from socialstudy.engine import dag, imports, staging
from socialstudy.errors import BadParameter, Busy, ParameterError, UpstreamMissing
from socialstudy.publish import pages
from socialstudy.study import runs
from socialstudy.study.context import open_run

ROOT = paths.ROOT


def test_unknown_year_fails_before_execution(reports, facts):
    with pytest.raises(ParameterError, match=r"2010.*2020, 2022, 2023, 2024"):
        resolve(2010, "all", reports, facts)


def test_unknown_municipality_names_the_flag_and_the_papermill_parameter():
    with pytest.raises(ParameterError, match="Stockholm.*Haninge, Huddinge, Strängnäs") as err:
        runspec.canonical("latest", "Stockholm")
    assert "--municipalities (papermill: -p municipalities)" in err.value.fix


def test_cli_error_is_one_line_with_a_fix(tmp_path):
    done = subprocess.run([sys.executable, "-m", "socialstudy", "run", "--year", "2010"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("error: data/raw/reports.yml: no report gives outcomes "
                                  "for 2010; years with data: 2020, 2022, 2023, 2024 — fix: "
                                  "pass --year (papermill: -p year)")
    assert done.stderr.count("\n") == 1


def test_parameters_are_canonical_and_choose_the_output_tree():
    assert runspec.canonical("LATEST", "strängnäs,Haninge,huddinge").default
    spec = runspec.canonical(2023, "huddinge, Haninge")
    assert (spec.year, spec.municipalities) == ("2023", "Haninge,Huddinge")
    assert spec.root() == ROOT / "build" / "year=2023,municipalities=Haninge+Huddinge"
    assert runspec.canonical().root() == ROOT


def test_open_run_resolves_out_dir_like_the_cli(monkeypatch):
    monkeypatch.delenv(staging.STAGE_ENV, raising=False)
    run = open_run("05_summary.ipynb", "latest", "all", "")
    assert run.root == ROOT and run.outputs.processed == ROOT / "data" / "processed"
    assert run.selection == ROOT / "data" / "processed" / "selection"
    assert run.parameters == {"year": "latest", "municipalities": "all", "out_dir": ""}
    assert [s.doc_id for s in run.scope.selections.values()] == [
        "haninge_2024_ar", "huddinge_2024_vb", "strangnas_2023_ar"]


def test_missing_upstream_stops_with_one_line(tmp_path, monkeypatch):
    monkeypatch.delenv(staging.STAGE_ENV, raising=False)
    with pytest.raises(UpstreamMissing) as err:
        open_run("03_staffing", 2023, "all", tmp_path)
    lines = err.value._render_traceback_()
    assert len(lines) == 1 and "\n" not in lines[0]
    assert lines[0].startswith(f"UpstreamMissing: data/processed/facts.csv is missing in "
                               f"{tmp_path}: notebook 01_extract_clean has not run")
    assert "python -m socialstudy run --year 2023" in lines[0]


def test_bad_parameter_in_a_notebook_is_one_line_naming_flag_and_parameter(monkeypatch):
    monkeypatch.delenv(staging.STAGE_ENV, raising=False)
    with pytest.raises(BadParameter) as err:
        open_run("02_cost_structure", "latest", "Stockholm", "")
    assert err.value._render_traceback_() == [
        "BadParameter: data/raw/reports.yml: unknown municipality Stockholm; the registry "
        "has Haninge, Huddinge, Strängnäs — fix: pass --municipalities (papermill: -p "
        "municipalities) with names from that list, or 'all'"]


def test_a_notebooks_code_is_read_from_its_cells_not_declared():
    """steps.yml names no modules: a notebook's import closure is parsed from its cells,
    so a module it imports only indirectly (numbers, via compare) still reruns it."""
    table = dag.load_table()
    assert all(not s.modules for s in table.steps if s.notebook)
    notebook = ROOT / table.step("02_cost_structure").notebook
    code = imports.closure(imports.notebook_modules(notebook))
    for rel in ("socialstudy/__init__.py", "socialstudy/measures/compare.py",
                "socialstudy/measures/__init__.py", "socialstudy/extract/numbers.py"):
        assert rel in code
    assert "socialstudy/tools/review.py" not in code
    assert table.step("publish").modules == ("publish.pages",)


def test_stored_notebooks_are_deterministic_with_one_parameters_cell():
    # a memory address stands after a non-base64 character ("at 0x7f…"): inside an embedded
    # PNG's base64 the same letters are chance
    stamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d|(?<![A-Za-z0-9+/])0x[0-9a-f]{6,}"
                       r"|/tmp/|/home/")
    for step in dag.load_table().steps:
        if not step.notebook:
            continue
        text = (ROOT / step.notebook).read_text(encoding="utf-8")
        nb = json.loads(text)
        assert str(ROOT) not in text and not stamp.search(text), step.name
        assert "papermill" not in json.dumps(nb["metadata"]), step.name
        tags = [c["metadata"].get("tags", []) for c in nb["cells"]]
        assert sum("parameters" in t for t in tags) == 1, step.name
        assert not any("injected-parameters" in t for t in tags), step.name
        assert [c["id"] for c in nb["cells"]] == [f"cell-{i:02d}" for i in
                                                   range(len(nb["cells"]))]
        assert any(c.get("outputs") for c in nb["cells"]), f"{step.name}: no outputs"


def test_committed_outputs_are_current():
    """What the manifest records is what is committed: `make study` on a fresh clone has
    nothing to rerun (only the uncommitted HTML pages to render)."""
    manifest = dag.read_manifest(ROOT)
    table = dag.load_table()
    assert manifest["inputs"] == dag.hashes(ROOT, dag.expand(ROOT, table.inputs))
    for step in table.steps:
        record = manifest["steps"][step.name]
        assert {k: v for k, v in record.items() if k != "outputs"} == \
            dag.step_state(step, ROOT, render=table.render), step.name
        committed = {k: v for k, v in record["outputs"].items()
                     if not k.startswith("reports/")}
        assert dag.output_problem(committed, ROOT) is None, step.name


def test_atomic_write_leaves_the_old_file_on_a_full_disk(tmp_path, monkeypatch):
    target = tmp_path / "cost_by_type.csv"
    target.write_bytes(b"old complete table\n")

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError):
        staging.atomic_write(target, b"new table that does not fit")
    assert target.read_bytes() == b"old complete table\n"
    assert [p.name for p in tmp_path.iterdir()] == ["cost_by_type.csv"]


def test_second_run_in_the_same_checkout_stops_with_a_clear_message(tmp_path):
    with staging.run_lock(tmp_path):
        with pytest.raises(Busy, match="another study run .*pid"):
            runs.run(outputs=paths.Outputs(tmp_path), progress=False, wait=False)


# --- copies of the repository brought up to date once per session (conftest) ---------

@pytest.fixture
def repo(synced_repo, tmp_path):
    return copy_repo(synced_repo, tmp_path / "repo")


@pytest.mark.slow
def test_noop_rerun_hashes_and_exits_without_pandas_or_papermill(repo):
    code = ("import sys; from socialstudy.study.runs import run; "
            "r = run(progress=False); print([x.status for x in r], "
            "'pandas' in sys.modules, 'papermill' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(repo)})
    assert done.stdout.strip() == str(["skipped"] * 6) + " False False", done.stderr
    # the command line too: its last lines about damaged input are read without pandas
    code = ("import sys; from socialstudy.__main__ import main; code = main(['run']); "
            "print(code, 'pandas' in sys.modules, 'papermill' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(repo)})
    assert done.stdout.strip() == "0 False False", done.stderr
    assert "nothing to run" in done.stderr


@pytest.mark.slow
def test_changed_rendering_code_renders_again_without_kernels(repo):
    # (it edited socialstudy/publish.py, a file the package move left nowhere: the edit
    # made a stray module Python never imports, which the hashes took for the code)
    with open(repo / "socialstudy/publish/html.py", "a", encoding="utf-8") as handle:
        handle.write("\n# an edit to how notebooks are rendered\n")
    done = run_cli(repo)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("rendering (changed: socialstudy/publish/html.py)") == 5
    assert "publish: running (changed: socialstudy/publish/html.py)" in done.stderr
    tree = committed_tree(repo)
    assert tree == {**committed_tree(ROOT), "study-manifest.json": tree["study-manifest.json"]}


def _drop_sick_leave(notebook: Path) -> None:
    """Insert, right after `staff = staffing.staffing(...)`, a line dropping sick leave."""
    import ast
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] != "code" or "staffing.staffing(" not in source:
            continue
        node = next(n for n in ast.parse(source).body if isinstance(n, ast.Assign)
                    and "staffing.staffing(" in ast.unparse(n.value))
        name, lines = node.targets[0].id, source.splitlines()
        lines.insert(node.end_lineno, f'{name} = {name}[~{name}.variable.str.startswith'
                                      f'("sick_leave")]')
        cell["source"] = "\n".join(lines)
        notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")
        return
    raise AssertionError("no cell calls staffing.staffing")


def _summary_text(repo: Path) -> str:
    nb = json.loads((repo / "notebooks/05_summary.ipynb").read_text(encoding="utf-8"))
    return json.dumps([c.get("outputs", []) for c in nb["cells"]], ensure_ascii=False)


@pytest.mark.slow
def test_edit_in_notebook_03_reaches_the_summary_and_reverting_restores_it(repo):
    # the reverting run also rebuilds a deleted and a truncated output: each step is judged
    # by its own outputs (notebook 01's tables.csv, which no step reads; notebook 04's
    # goals.csv, of the cheapest step with outputs that others read)
    notebook = repo / "notebooks/03_staffing.ipynb"
    original = notebook.read_bytes()
    _drop_sick_leave(notebook)
    done = run_cli(repo)
    assert done.returncode == 0, done.stderr
    assert re.search(r"05_summary: running \(changed: data/processed/(selection/)?"
                     r"staffing\.csv\)", done.stderr), done.stderr
    staffing = (repo / "data/processed/staffing.csv").read_text(encoding="utf-8")
    assert "sick_leave_total_pct" not in staffing
    assert _summary_text(repo).count("not reported") > _summary_text(ROOT).count(
        "not reported")
    notebook.write_bytes(original)
    (repo / "data/processed/tables.csv").unlink()
    table = repo / "data/processed/goals.csv"
    table.write_bytes(table.read_bytes()[:200])
    done = run_cli(repo)
    assert done.returncode == 0, done.stderr
    assert "01_extract_clean: running (output missing: data/processed/tables.csv)" \
        in done.stderr
    assert "04_goals: running (output altered: data/processed/goals.csv)" in done.stderr
    assert "02_cost_structure: unchanged" in done.stderr
    assert "TCP" not in done.stderr and "KeyboardInterrupt" not in done.stderr
    assert committed_tree(repo) == committed_tree(ROOT)


@pytest.mark.slow
def test_failing_run_leaves_outputs_unchanged_and_says_so_in_one_line(repo):
    notebook = repo / "notebooks/03_staffing.ipynb"
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "code", "execution_count": None, "id": "broken",
                        "metadata": {}, "outputs": [], "source":
                        '(outputs.processed / "staffing.csv").write_text("trunc")\n1 / 0'})
    notebook.write_text(json.dumps(nb), encoding="utf-8")
    before = committed_tree(repo)
    done = run_cli(repo, "--quiet")
    assert done.returncode == 2
    assert done.stderr.startswith("error: build/failed/year=latest/03_staffing.ipynb: "
                                  "notebook 03_staffing.ipynb failed in cell ")
    assert "(ZeroDivisionError: division by zero); outputs unchanged — fix:" in done.stderr
    assert done.stderr.count("\n") == 1
    after = committed_tree(repo)
    after.pop("notebooks/03_staffing.ipynb"), before.pop("notebooks/03_staffing.ipynb")
    assert after == before
    assert (repo / "build/failed/year=latest/03_staffing.ipynb").exists()
    assert not list((repo / "build").glob(".stage-*"))


def _slow_cell(notebook: Path, started: Path) -> None:
    """Insert, right after the parameters cell, a cell that says it started (writes
    ``started``) and then sleeps, so an interrupt surely lands inside the notebook, not
    after the run (when the outputs are already being promoted); the notebook's own work,
    which the interrupt would discard, is not done first."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    after = next(i for i, c in enumerate(nb["cells"])
                 if "parameters" in c["metadata"].get("tags", [])) + 1
    nb["cells"].insert(after, {"cell_type": "code", "execution_count": None, "id": "slow",
                               "metadata": {}, "outputs": [],
                               "source": f"import pathlib, time\npathlib.Path({str(started)!r})"
                                         ".write_text('1')\ntime.sleep(600)"})
    notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")


def _wait_for(condition, process: subprocess.Popen, seconds: float = 600) -> None:
    """Poll ``condition`` until it holds; fail if the process ends first or it never
    does (a condition, not a guessed sleep: a loaded machine only makes this slower)."""
    import time
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, "the run ended before the condition held"
        assert time.monotonic() < deadline, f"not within {seconds} s"
        time.sleep(0.1)


# Ctrl-C during a run: tests/test_signal_probes.py (once, again and again, SIGTERM, SIGHUP)


# papermill's own API, as `papermill NB OUT -p year 2020` calls it (the year an int, as its
# command line reads it), each notebook of argv in turn, in one process; the kernel is
# stopped at once when done (ipykernel 7.4 hangs at exit: papermill waits 2.5 s per kernel)
DIRECT = textwrap.dedent("""
    import sys, papermill
    for number, name in enumerate(sys.argv[1:]):
        try:
            papermill.execute_notebook(f"notebooks/{name}.ipynb", f"{number}.out.ipynb",
                                       parameters={"year": 2020}, progress_bar=False,
                                       shutdown_kernel="immediate")
            print(name, "ran", flush=True)
        except papermill.PapermillExecutionError as exc:
            print(name, "failed", exc, file=sys.stderr, flush=True)
""")


@pytest.mark.slow
def test_papermill_direct_never_writes_the_committed_study(repo):
    env = {**os.environ, "PYTHONPATH": str(repo)}
    env.pop(staging.STAGE_ENV, None)
    before = committed_tree(repo)
    # (notebook 04: of the steps reading facts.csv, the one with the least work)
    done = subprocess.run([sys.executable, "-c", DIRECT, "04_goals", "01_extract_clean",
                           "04_goals"], cwd=repo, env=env, capture_output=True, text=True)
    assert done.stdout.split() == ["01_extract_clean", "ran", "04_goals", "ran"], done.stderr
    assert "04_goals failed" in done.stderr  # papermill reports the stop as a failure
    assert "UpstreamMissing: data/processed/facts.csv is missing in build/year=2020" \
        in done.stderr
    assert "Traceback (most recent call last)" not in (repo / "0.out.ipynb").read_text()
    assert (repo / "build/year=2020/figures/goal_levels.png").exists()
    assert committed_tree(repo) == before


# --- full rebuilds --------------------------------------------------------------------

@pytest.mark.slow
def test_forced_rebuild_reproduces_the_committed_study_byte_for_byte(forced_build,
                                                                     tmp_path):
    # (conftest: killed mid-promotion and completed by the next run, which ran no step)
    study, killed, again = forced_build
    for step in dag.load_table().steps:
        assert f"{step.name}: running (forced)" in killed["stderr"], step.name
    assert again["stderr"].splitlines()[-1].endswith("nothing to run")
    assert "runner imported pandas: False" in killed["stderr"]  # its kernels did
    out = paths.Outputs(study)
    rebuilt = committed_tree(out.root)
    assert rebuilt == committed_tree(ROOT)
    second = runs.run(outputs=out, progress=False)  # writes nothing: a shared tree is safe
    assert [r.status for r in second] == ["skipped"] * 6
    # HTML pages depend only on the stored notebook: papermill's random ids are gone
    again = copy_repo(ROOT, tmp_path / "again")
    for step in dag.load_table().steps[:5]:
        page = pages.render(again, step)
        assert page.read_bytes() == (out.root / "reports/html" / page.name).read_bytes()


def test_benchmark_floor_notebooks_hold_every_import_and_parse(tmp_path):
    """The floor keeps each notebook's parameters cell and all its imports (a multi-line
    import once broke it); the imports must be valid Python."""
    import ast

    from socialstudy.tools.benchmark import _floor_notebook
    for step in (s for s in dag.load_table().steps if s.notebook):
        target = tmp_path / f"{step.name}.ipynb"
        _floor_notebook(ROOT / step.notebook, target)
        params, imports = json.loads(target.read_text(encoding="utf-8"))["cells"]
        assert "parameters" in params["metadata"]["tags"]
        ast.parse(imports["source"])
        assert "open_run" in imports["source"], step.name


def test_bench_tests_line_says_how_fast_the_machine_was():
    """`bench --tests` prints each tier's times beside a fixed loop's, measured before and
    after it: a shared machine's speed drifts, and times compare only at like speeds."""
    from socialstudy.tools.benchmark import fixed_loop_seconds, tests_line
    loop = fixed_loop_seconds()
    assert 0 < loop < 60
    line = tests_line({"target": "test", "what": "everything", "limit_s": 120,
                       "wall_s": 131.8, "cpu_s": 245.6, "load": 0.1, "load_after": 2.1,
                       "returncode": 0, "loop_s": (0.28, 0.31),
                       "counts": "1276 passed, 7 skipped"})
    assert line == ("make test (everything): 132 s wall (target 120 s), 246 s CPU, load "
                    "average 0.1 before, 2.1 after; a fixed loop 0.28 s before, 0.31 s "
                    "after; 1276 passed, 7 skipped")
