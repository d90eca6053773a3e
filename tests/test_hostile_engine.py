"""Process faults against the engine (issue 15, items 3 and 5): a fault injected between
moving one output and the next, SIGKILL and SIGTERM, an output that cannot be replaced,
a full disk (a real tmpfs, as root), kernel stderr and IPython's history database."""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from socialstudy import paths
from socialstudy.engine import journal, kernels, runner, staging
from socialstudy.errors import DiskFull, PromotionError, Unwritable
from socialstudy.publish import pages

FILES = ["data/processed/a.csv", "data/processed/b.csv", "figures/c.svg",
         "study-manifest.json"]


def _tree(base: Path) -> dict[str, str]:
    return {rel: (base / rel).read_text() for rel in FILES if (base / rel).exists()}


@pytest.fixture
def staged(tmp_path):
    """An output tree with old files and a stage holding new ones for each."""
    base = tmp_path / "repo"
    for rel in FILES:
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        (base / rel).write_text(f"old {rel}\n")
    stage = staging.Stage(base, base, "t", base)
    for rel in FILES:
        (stage.dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (stage.dir / rel).write_text(f"new {rel}\n")
    return base, stage


OLD = {rel: f"old {rel}\n" for rel in FILES}
NEW = {rel: f"new {rel}\n" for rel in FILES}


class Killed(BaseException):
    """Stands for SIGKILL in-process: nothing after the fault runs."""


def _fault_after(monkeypatch, nth: int, exc: BaseException) -> None:
    def after(number, rel):
        if number == nth:
            raise exc
    monkeypatch.setattr(journal, "after_move", after)


def test_a_failure_between_two_moves_rolls_every_output_back(staged, monkeypatch):
    base, stage = staged
    _fault_after(monkeypatch, 2, OSError(5, "Input/output error", str(base / FILES[1])))
    with pytest.raises(PromotionError) as caught:
        stage.promote(FILES, [])
    assert "rolled back: outputs unchanged" in caught.value.one_line
    assert "\n" not in caught.value.one_line
    assert _tree(base) == OLD
    assert not (base / journal.JOURNAL).exists()


def test_killed_between_two_moves_the_next_run_completes_the_promotion(staged,
                                                                      monkeypatch):
    base, stage = staged
    _fault_after(monkeypatch, 2, Killed())
    with pytest.raises(Killed):
        stage.promote(FILES, [])
    mixed = _tree(base)
    assert mixed != OLD and mixed != NEW  # what a reader would see until the next run
    monkeypatch.undo()
    said = []
    staging.recover(base, say=said.append)
    assert len(said) == 1 and said[0].startswith("completed a promotion of t interrupted")
    assert "2 of 4 files had been moved, the other 2 were moved now" in said[0]
    assert _tree(base) == NEW
    assert not (base / journal.JOURNAL).exists() and not stage.dir.exists()
    assert staging.recover(base, say=said.append) is None  # once only


def test_a_promotion_that_cannot_be_completed_is_rolled_back(staged, monkeypatch):
    base, stage = staged
    (base / "data/processed/gone.csv").write_text("old gone\n")
    _fault_after(monkeypatch, 3, Killed())
    with pytest.raises(Killed):
        stage.promote(FILES, ["data/processed/gone.csv"])
    monkeypatch.undo()
    move = journal._move

    def broken(source, target):
        if BACKUP_PART not in str(source):
            raise OSError(30, "Read-only file system", str(target))
        move(source, target)
    monkeypatch.setattr(journal, "_move", broken)
    said = []
    staging.recover(base, say=said.append)
    assert said[0].startswith("rolled back a promotion of t interrupted")
    assert said[0].endswith("outputs are the previous run's")
    assert _tree(base) == OLD
    assert (base / "data/processed/gone.csv").read_text() == "old gone\n"


BACKUP_PART = f"/{journal.BACKUP}/"

KILL_MID_PROMOTION = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from socialstudy.engine import journal, staging
    base = Path(sys.argv[1]); files = sys.argv[2:]
    def after(number, rel):
        if number == 2:
            os.kill(os.getpid(), signal.SIGKILL)
    journal.after_move = after
    stage = staging.Stage(base, base, "t", base)
    for rel in files:
        (stage.dir / rel).write_text(f"new {rel}\\n")
    stage.promote(files, [])
""")


def test_sigkill_between_two_moves_then_a_notebooks_start_completes_it(tmp_path,
                                                                       monkeypatch,
                                                                       capsys):
    base = tmp_path / "repo"
    for rel in FILES:
        (base / rel).parent.mkdir(parents=True, exist_ok=True)
        (base / rel).write_text(f"old {rel}\n")
    killed = subprocess.run([sys.executable, "-c", KILL_MID_PROMOTION, str(base), *FILES],
                            capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (base / journal.JOURNAL).exists() and _tree(base) not in (OLD, NEW)
    from socialstudy.study.context import open_run
    monkeypatch.setattr(paths, "ROOT", base)
    monkeypatch.delenv(staging.STAGE_ENV, raising=False)
    open_run("01_extract_clean.ipynb")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("completed a promotion of t ")
    assert _tree(base) == NEW and not list((base / "build").glob(".stage-*"))


def _chattr(flag: str, path: Path) -> bool:
    return shutil.which("chattr") is not None and subprocess.run(
        ["chattr", flag, str(path)], capture_output=True).returncode == 0


def test_an_immutable_output_is_refused_before_anything_is_replaced(staged):
    base, stage = staged
    locked = base / FILES[2]
    if os.geteuid() != 0 or not _chattr("+i", locked):
        pytest.skip("needs root and a file system with chattr +i")
    try:
        with pytest.raises(Unwritable) as caught:
            stage.promote(FILES, [])
    finally:
        _chattr("-i", locked)
    assert caught.value.one_line.startswith("figures/c.svg: this output cannot be replaced")
    assert "outputs unchanged — fix: " in caught.value.one_line
    assert _tree(base) == OLD and not (base / journal.JOURNAL).exists()


def test_a_read_only_output_is_refused_before_anything_is_replaced(staged, monkeypatch):
    """As root ``chmod a-w`` stops nothing, so the check's answer is given here."""
    base, stage = staged
    access = os.access
    monkeypatch.setattr(journal.os, "access", lambda path, mode: access(path, mode) and
                        not str(path).endswith("b.csv"))
    with pytest.raises(Unwritable, match="data/processed/b.csv: this output cannot be"):
        stage.promote(FILES, [])
    assert _tree(base) == OLD


@pytest.fixture
def tmpfs(tmp_path):
    """A real 4 MB file system that fills up (root only)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)],
            capture_output=True).returncode != 0:
        pytest.skip("needs root to mount a small tmpfs")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _outputs(base: Path, megabytes: int) -> None:
    for index in range(megabytes):
        path = base / "data" / "processed" / f"t{index}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(os.urandom(1 << 20))


def test_a_full_disk_while_staging_is_one_line_and_leaves_no_stage(tmpfs, monkeypatch):
    _outputs(tmpfs, 3)
    with pytest.raises(DiskFull) as caught:  # the check before copying
        staging.Stage(tmpfs, tmpfs, "t", tmpfs)
    assert "not enough free disk space to stage the run" in caught.value.one_line
    monkeypatch.setattr(staging, "_check_room", lambda root, base: None)
    with pytest.raises(DiskFull) as caught:  # the disk fills while copying
        staging.Stage(tmpfs, tmpfs, "t", tmpfs)
    assert caught.value.one_line.startswith("build/: disk full while staging")
    assert "\n" not in caught.value.one_line
    assert not list((tmpfs / "build").glob(".stage-*"))


def test_a_full_disk_before_promotion_replaces_nothing(tmpfs):
    for rel in FILES:
        (tmpfs / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmpfs / rel).write_text(f"old {rel}\n")
    stage = staging.Stage(tmpfs, tmpfs, "t", tmpfs)
    for rel in FILES:
        (stage.dir / rel).write_text(f"new {rel}\n")
    with open(tmpfs / "filler", "wb") as filler:
        try:
            while True:
                filler.write(b"\0" * (64 << 10))
                filler.flush()
        except OSError:
            pass
    with pytest.raises(DiskFull, match="disk full while preparing"):
        stage.promote(FILES, [])
    assert _tree(tmpfs) == OLD and not (tmpfs / journal.JOURNAL).exists()


SLEEPING_RUN = textwrap.dedent("""
    import sys, time
    from socialstudy import __main__ as cli
    from socialstudy.study import runs
    def run(*args, **kwargs):
        print("running", file=sys.stderr, flush=True)
        time.sleep(60)
    runs.run = run
    sys.exit(cli.main(["run"]))
""")


def test_sigterm_prints_the_same_line_as_ctrl_c():
    process = subprocess.Popen([sys.executable, "-c", SLEEPING_RUN],
                               stderr=subprocess.PIPE, text=True)
    assert process.stderr.readline() == "running\n"
    process.send_signal(signal.SIGTERM)
    _, rest = process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM
    assert rest.strip() == "interrupted; outputs unchanged"


def test_ctrl_c_reaches_a_run_started_with_sigint_ignored():
    """A background job of a shell without job control (``(make test &)``) starts with
    SIGINT ignored, and every process under it inherits that: the CLI still stops."""
    process = subprocess.Popen([sys.executable, "-c", SLEEPING_RUN], stderr=subprocess.PIPE,
                               text=True, preexec_fn=lambda: signal.signal(signal.SIGINT,
                                                                           signal.SIG_IGN))
    assert _ctrl_c(process, "running\n") == "interrupted; outputs unchanged"


def _ctrl_c(process: subprocess.Popen, said: str, then=lambda: None) -> str:
    """Once the run has said ``said``: SIGINT, then ``then()``; what it said after (it
    must have ended with exit code 130)."""
    try:
        assert process.stderr.readline() == said
        process.send_signal(signal.SIGINT)
        then()
        _, rest = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 128 + signal.SIGINT
    return rest.strip()


RECOVERING_RUN = textwrap.dedent("""
    import pathlib, sys, time
    from socialstudy import __main__ as cli, paths
    from socialstudy.engine import journal, runner
    from socialstudy.study import runs
    base, go = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    real = journal.recover
    def recover(*args, **kwargs):  # inside the run's critical section
        print("recovering", file=sys.stderr, flush=True)
        while not go.exists():
            time.sleep(0.05)
        return real(*args, **kwargs)
    class Runner:  # reached only if the interrupt was lost
        def __init__(self, *args):
            pass
        def run(self):
            print("steps started", file=sys.stderr, flush=True)
            time.sleep(60)
    journal.recover, runner.Runner = recover, Runner
    runs.run = lambda *args, **kwargs: runner.run(None, outputs=paths.Outputs(base))
    sys.exit(cli.main(["run"]))
""")


def test_ctrl_c_during_recovery_ends_the_run_right_after_it(staged, tmp_path):
    """SIGINT while the run's start recovers (signals held off) is not lost: it ends the
    run as soon as the critical section is done, before any step."""
    base, _ = staged
    go = tmp_path / "go"
    process = subprocess.Popen([sys.executable, "-c", RECOVERING_RUN, str(base), str(go)],
                               stderr=subprocess.PIPE, text=True)
    # the signal is delivered before the process can see `go`: inside the section
    said = _ctrl_c(process, "recovering\n", then=lambda: go.write_text("1"))
    assert said == "interrupted; outputs unchanged"  # and no "steps started" before it
    assert _tree(base) == OLD


@pytest.fixture
def ctrl_c_raises():
    """SIGINT raising KeyboardInterrupt, as the CLI sets it (``__main__._take_signals``):
    pytest started in the background of a shell without job control inherits it ignored."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_during_promotion_completes_it_then_stops(staged, monkeypatch,
                                                          ctrl_c_raises):
    base, stage = staged
    monkeypatch.setattr(journal, "after_move",
                        lambda number, rel: number == 1 and os.kill(os.getpid(),
                                                                    signal.SIGINT))
    with pytest.raises(KeyboardInterrupt):
        stage.promote(FILES, [])
    assert _tree(base) == NEW and not (base / journal.JOURNAL).exists()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_kernel_stderr_is_kept_out_of_the_stored_notebook_and_logged(tmp_path):
    notebook = tmp_path / "02_x.ipynb"
    stream = {"output_type": "stream", "name": "stderr",
              "text": ["/home/me/figure_style.py:116: UserWarning: Glyph missing\n"]}
    kept = {"output_type": "stream", "name": "stdout", "text": ["42\n"]}
    notebook.write_text(json.dumps({"metadata": {}, "nbformat": 4, "nbformat_minor": 5,
                                    "cells": [{"cell_type": "code", "metadata": {},
                                               "source": "", "outputs": [stream, kept]}]}))
    dropped = pages.store(notebook)
    assert dropped == ["cell 0: /home/me/figure_style.py:116: UserWarning: Glyph missing\n"]
    stored = notebook.read_text()
    assert "Glyph" not in stored and '"42\\n"' in stored
    (tmp_path / "data" / "processed").mkdir(parents=True)
    stage = staging.Stage(tmp_path, tmp_path, "t", tmp_path)
    stage.warn(notebook.name, dropped)
    assert stage.warnings == {"02_x.ipynb": 1}
    assert "UserWarning: Glyph missing" in stage.log.read_text()
    assert stage.log == tmp_path / "build" / "logs" / "t.log"


def test_left_over_stages_and_socket_folders_of_dead_runs_are_removed(tmp_path):
    (tmp_path / "build" / ".stage-year=2020" / "figures").mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    left = Path(tempfile.mkdtemp(prefix=f"{kernels.SOCKETS}{dead}-"))
    alive = Path(tempfile.mkdtemp(prefix=f"{kernels.SOCKETS}{os.getpid()}-"))
    try:
        staging.recover(tmp_path)
        assert str(left) in kernels.clean_stale()
        assert not left.exists() and alive.exists()
        assert not list((tmp_path / "build").glob(".stage-*"))
    finally:
        shutil.rmtree(left, ignore_errors=True), shutil.rmtree(alive, ignore_errors=True)


def test_kernels_run_without_the_history_database(tmp_path):
    """A locked history.sqlite once wrote 'The history saving thread hit an unexpected
    error' into a stored notebook; kernels now keep no history at all."""
    pool = kernels.KernelPool(tmp_path, {**os.environ, "IPYTHONDIR": str(tmp_path / "ip")})
    km = pool.take()
    # the manager's own client: "alive" is the kernel's process, not heartbeats (which a
    # loaded machine can delay past their timeout: "Kernel died before replying")
    client = km.blocking_client()
    client.start_channels()
    seen = []
    try:
        # kernel_info answered and iopub connected first: a subscription made while the
        # kernel publishes can miss the reply's output and idle status (ZMQ slow joiner)
        client.wait_for_ready(timeout=120)
        client.execute_interactive(
            "print(get_ipython().history_manager.enabled)",
            output_hook=lambda m: seen.append(m["content"].get("text", "")), timeout=120)
    finally:
        client.stop_channels()
        kernels.shutdown(km)
        pool.close()
    assert "False" in "".join(seen)
    assert not (tmp_path / "ip" / "profile_default" / "history.sqlite").exists()
    assert km.connection_file.startswith(pool.sockets) and not Path(pool.sockets).exists()



def test_a_kernel_process_writing_on_its_own_stderr_reaches_the_log_not_the_console(tmp_path):
    """ipykernel once logged 'Uncaught exception in ZMQStream callback' on the kernel
    process's own stderr at shutdown (outside any notebook), and it reached the console
    of a run and failed a test expecting a silent run; the pool now collects it for the
    run's log."""
    pool = kernels.KernelPool(tmp_path, {**os.environ, "IPYTHONDIR": str(tmp_path / "ip")})
    km = pool._launch("import os; os.write(2, b'kernel-stderr-probe\\n')")
    try:
        client = km.blocking_client()
        client.start_channels()
        client.wait_for_ready(timeout=120)
        client.stop_channels()
    finally:
        kernels.shutdown(km)
    assert "kernel-stderr-probe" in pool.close()
    assert not Path(pool.sockets).exists()


def test_ipykernels_flush_timeout_at_shutdown_is_logged_but_not_counted(tmp_path):
    """ipykernel's 'IOStream.flush timed out' (its IOPub thread did not answer within
    10 s) came from a kernel at shutdown on a loaded machine, twice in the run logs of
    today's `make test` runs (a cold-kernel forced build, a warm-kernel end-to-end run):
    it failed a test expecting a silent run, though every output had arrived. It is
    logged, labelled, and not counted; anything else still counts."""
    (tmp_path / "data" / "processed").mkdir(parents=True)
    stage = staging.Stage(tmp_path, tmp_path, "t", tmp_path)
    runner.log_kernel_processes(stage, "IOStream.flush timed out\n")
    assert stage.warnings == {}
    assert stage.log.read_text() == ("--- kernel processes (kernel stderr, shutdown noise, "
                                     "not counted)\nIOStream.flush timed out\n")
    # libzmq's abort as a kernel's threads close their sockets (a warm end-to-end run)
    runner.log_kernel_processes(stage, "Assertion failed: pfd.revents & POLLIN "
                                       "(src/signaler.cpp:238)\n")
    assert stage.warnings == {}
    runner.log_kernel_processes(stage, "Uncaught exception in ZMQStream callback\n"
                                       "IOStream.flush timed out\n")
    assert stage.warnings == {runner.KERNEL_PROCESSES: 1}
    assert "(kernel stderr)\nUncaught exception in ZMQStream callback\n" in \
        stage.log.read_text()


@pytest.mark.slow
def test_a_study_killed_mid_promotion_is_completed_by_the_next_run(forced_build):
    out, killed, again = forced_build  # (conftest: also the forced rebuild of test_pipeline)
    assert killed["returncode"] == -signal.SIGKILL, killed["stderr"]
    assert killed["journal"]
    assert len(killed["placed"]) == 3, killed["placed"]
    assert again["returncode"] == 0, again["stderr"]
    first, *rest = again["stderr"].splitlines()
    assert first.startswith("completed a promotion of year=latest interrupted at ")
    assert "3 of " in first and rest == ["study up to date (year=latest): nothing to run"]
    for rel in ("data/processed/facts.csv", "data/processed/cost_by_type.csv",
                "notebooks/05_summary.ipynb"):  # the committed study, byte for byte
        assert (out / rel).read_bytes() == (paths.ROOT / rel).read_bytes(), rel
    assert not list((out / "build").glob(".stage-*"))


def test_a_stray_module_beside_a_package_is_not_taken_for_its_code(tmp_path, monkeypatch):
    """A file ``publish.py`` beside the package ``publish/`` is never imported (Python
    takes the package); the code hashes once took it for the package's ``__init__``
    (tests/test_pipeline.py edited such a stray file and saw every page re-rendered)."""
    from socialstudy.engine import imports
    package = tmp_path / "socialstudy"
    (package / "publish").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "publish" / "__init__.py").write_text("from socialstudy.publish import pages\n")
    (package / "publish" / "pages.py").write_text("")
    (package / "publish.py").write_text("# stray\n")
    monkeypatch.setattr(imports, "PACKAGE", package)
    imports._module_imports.cache_clear()  # (cached by module name: not the real package's)
    try:
        assert imports.closure(["publish"]) == ["socialstudy/__init__.py",
                                                "socialstudy/publish/__init__.py",
                                                "socialstudy/publish/pages.py"]
    finally:
        imports._module_imports.cache_clear()  # nor the fake one's for the next test


def test_the_import_statements_are_found_as_parsing_the_whole_module_finds_them(
        tmp_path, monkeypatch):
    """The code hashes read only the lines that start import statements; every way an
    import is written gives the modules that parsing the whole module gives, and prose
    shaped like one adds a module at most, never loses one."""
    from socialstudy.engine import imports
    package = tmp_path / "socialstudy"
    for name in ("a", "b", "c", "d", "e", "f", "g"):
        (package / name).mkdir(parents=True)
        (package / name / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "m.py").write_text(
        '"""Reads: from the registry, the crosswalks.\n'
        'import socialstudy.g as prose_shaped\n"""\n'
        "from socialstudy.a import (\n    x,\n    y,\n)\n"
        "from socialstudy import \\\n    b\n"
        "def f():\n    import socialstudy.c  # a comment\n"
        "    if True:\n        from socialstudy.d import z\n")
    (package / "n.py").write_text("x = 1; import socialstudy.e\nif x: import socialstudy.f\n")
    monkeypatch.setattr(imports, "PACKAGE", package)
    imports._module_imports.cache_clear()
    try:
        assert imports._module_imports("m") == {"a", "b", "c", "d", "g"}
        assert imports._module_imports("n") == {"e", "f"}  # (parsed whole)
        tree = imports._parse((package / "m.py").read_text())
        assert imports._imported(tree) == imports._module_imports("m") - {"g"}
    finally:
        imports._module_imports.cache_clear()


def test_a_file_written_atomically_gets_the_mode_open_would_give_it(tmp_path):
    """``mkstemp`` makes its file 0600, and every output a run replaced was stored so
    (notebooks/03_staffing.ipynb -rw------- after a run, found by a probe): unreadable
    to a web server serving the pages as another user."""
    previous = os.umask(0o022)
    try:
        written = staging.atomic_write(tmp_path / "page.html", b"<p>x</p>")
        opened = tmp_path / "opened.html"
        opened.write_bytes(b"<p>x</p>")
    finally:
        os.umask(previous)
    assert written.stat().st_mode & 0o777 == opened.stat().st_mode & 0o777 == 0o644
