"""The runner stopped by signals, and its kernel launcher (the zygote) ended or stopped
under it, as a user or the system would (issue 15, item 5: all or nothing, also when
killed). Each probe was first run by hand on a repository copy; what it gave then is
beside each test. The signal tests without kernels replace the run by a function that
sleeps (a third of a CPU-second each); the others start one zygote and fork from it."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from repo_copy import committed_tree, copy_repo
from test_pipeline import _slow_cell, _wait_for

from socialstudy import paths
from socialstudy.engine import kernels, staging, warm

INTERRUPTED = "interrupted; outputs unchanged"

# the CLI, its run replaced: it says "running" and sleeps; interrupted, it cleans up
# until the file <argv[1]>.1 exists; while Python exits (after its own signal handlers
# were given back to the system), a finalizer waits for <argv[1]>.2
STOPPED_RUN = textwrap.dedent("""
    import os, sys, time
    from socialstudy import __main__ as cli
    from socialstudy.study import runs
    go = sys.argv[1]
    def run(*args, **kwargs):
        try:
            print("running", file=sys.stderr, flush=True)
            time.sleep(60)
        except KeyboardInterrupt:  # as the runner kills kernels and removes the stage
            print("cleaning up", file=sys.stderr, flush=True)
            while not os.path.exists(go + ".1"):
                time.sleep(0.01)
            print("cleaned up", file=sys.stderr, flush=True)
            raise
    runs.run = run
    class Late:
        def __del__(self, write=os.write, exists=os.path.exists, sleep=time.sleep):
            write(2, b"exiting\\n")
            while not exists(go + ".2"):
                sleep(0.01)
    late = Late()
    sys.exit(cli.main(["run"]))
""")


@pytest.fixture
def stopped_run(tmp_path):
    """Start ``STOPPED_RUN`` (keywords: ``Popen``'s) once it says "running"; killed at the
    test's end whatever happened."""
    started = []

    def start(**kwargs) -> subprocess.Popen:
        started.append(subprocess.Popen(
            [sys.executable, "-c", STOPPED_RUN, str(tmp_path / "go")],
            stderr=subprocess.PIPE, text=True, cwd=tmp_path, **kwargs))
        assert started[-1].stderr.readline() == "running\n"
        return started[-1]
    yield start
    for process in started:
        process.kill()
        process.communicate()


def _ended(process: subprocess.Popen, tmp_path: Path) -> str:
    """Once it cleans up: let it end; what it said after "cleaning up"."""
    assert process.stderr.readline() == "cleaning up\n"
    (tmp_path / "go.1").touch(), (tmp_path / "go.2").touch()
    return process.communicate(timeout=30)[1]


def _signal(process: subprocess.Popen, signum: int) -> None:
    """Send ``signum`` and wait until it has been delivered (or discarded, if ignored):
    then the process has acted on it before it sees the next file."""
    process.send_signal(signum)
    bit = 1 << (signum - 1)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = Path(f"/proc/{process.pid}/status").read_text()
        pending = {line.split(":")[0]: int(line.split()[1], 16)
                   for line in status.splitlines() if line.startswith(("SigPnd", "ShdPnd"))}
        if not any(mask & bit for mask in pending.values()):
            return
        time.sleep(0.01)


def test_ctrl_c_again_during_the_clean_up_or_the_exit_changes_nothing(stopped_run,
                                                                      tmp_path):
    # probe: three Ctrl-C 0.02-0.1 s apart while notebook 02 ran gave exit code -2 (a
    # second one while Python exited: its handlers are SIG_DFL by then) or broke into the
    # clean-up, leaving build/.stage-… or /tmp/ssk-… behind (exit 130)
    process = stopped_run()
    _signal(process, signal.SIGINT)
    assert process.stderr.readline() == "cleaning up\n"
    _signal(process, signal.SIGINT)
    _signal(process, signal.SIGINT)
    (tmp_path / "go.1").touch()
    assert process.stderr.readline() == "cleaned up\n"
    assert process.stderr.read(len(INTERRUPTED) + 10) == f"\n{INTERRUPTED}\nexiting\n"
    _signal(process, signal.SIGINT)
    _signal(process, signal.SIGTERM)
    (tmp_path / "go.2").touch()
    assert process.communicate(timeout=30)[1] == ""
    assert process.returncode == 128 + signal.SIGINT


def test_a_hang_up_ends_a_run_as_ctrl_c_does(stopped_run, tmp_path):
    # probe: SIGHUP (the terminal closed) ended the run at once, exit code -1, saying
    # nothing, the staging folder and the kernels' socket folder left behind
    process = stopped_run()
    _signal(process, signal.SIGHUP)
    assert _ended(process, tmp_path) == f"cleaned up\n\n{INTERRUPTED}\nexiting\n"
    assert process.returncode == 128 + signal.SIGHUP


def test_a_run_under_nohup_outlives_its_terminal(stopped_run, tmp_path):
    """``nohup`` starts the run with SIGHUP ignored: it stays ignored."""
    process = stopped_run(preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    _signal(process, signal.SIGHUP)
    _signal(process, signal.SIGTERM)  # it was still running: this stops it
    assert _ended(process, tmp_path) == f"cleaned up\n\n{INTERRUPTED}\nexiting\n"
    assert process.returncode == 128 + signal.SIGTERM


def test_main_called_in_a_process_gives_its_signal_handlers_back(capsys):
    """A test or tool calling ``main()`` keeps its own Ctrl-C (the CLI's ignores a second
    one: a process it ran in ignored every later one)."""
    from socialstudy import __main__ as cli
    before = {signum: signal.getsignal(signum) for signum in cli.STOPPING}
    with pytest.raises(SystemExit) as ended:
        cli.main(["--no-such-option"])
    assert ended.value.code == 2 and "usage: python -m socialstudy" in capsys.readouterr().err
    assert {signum: signal.getsignal(signum) for signum in cli.STOPPING} == before


def _left_by(runner: int, repo: Path) -> list[str]:
    """Processes still alive of a run of ``repo`` by the process ``runner``: its zygote
    and the kernels forked from it (the zygote's command line), cold kernels (their
    connection file in the run's socket folder)."""
    marks = (str(repo / "socialstudy" / "engine" / "zygote.py"), f"ssk-{runner}-")
    found = []
    for entry in Path("/proc").iterdir():
        try:
            line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            alive = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except (OSError, IndexError):
            continue
        if alive and any(mark in line for mark in marks):
            found.append(f"{entry.name}: {line}")
    return found


@pytest.mark.slow
def test_ctrl_c_again_and_again_while_a_notebook_runs_leaves_nothing_behind(tmp_path):
    # (once is the first of these: the same one line, exit 130, nothing changed)
    repo = copy_repo(paths.ROOT, tmp_path / "repo")
    started = tmp_path / "02-sleeping"  # outside the repository: not part of its tree
    _slow_cell(repo / "notebooks/02_cost_structure.ipynb", started)
    before = committed_tree(repo)
    env = {**os.environ, "PYTHONPATH": str(repo)}
    env.pop(staging.STAGE_ENV, None)
    log = tmp_path / "stderr.txt"
    with log.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "socialstudy", "run", "--force"],
                                   cwd=repo, env=env, stderr=stderr)
    try:
        _wait_for(started.exists, process)  # forced: 02 sleeps beside 03 and 04
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            process.send_signal(signal.SIGINT)  # again and again: into its clean-up and
            time.sleep(0.01)  # its exit, wherever they are slow or fast
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    said = log.read_text(encoding="utf-8")
    assert process.returncode == 128 + signal.SIGINT, said
    assert said.splitlines()[-1] == INTERRUPTED
    assert "02_cost_structure: running" in said
    assert "Traceback" not in said and "KeyboardInterrupt" not in said
    assert committed_tree(repo) == before
    assert list((repo / "build").glob(".stage-*")) == []
    assert list(Path(kernels.tempfile.gettempdir()).glob(f"ssk-{process.pid}-*")) == []
    if not Path("/proc").is_dir():
        return  # (no process table to read: not Linux)
    deadline = time.monotonic() + 30  # a forked kernel dies with its zygote: soon after
    while _left_by(process.pid, repo) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _left_by(process.pid, repo) == []


def _notebook(tmp_path: Path, name: str, code: str) -> SimpleNamespace:
    """A one-cell notebook as a step of the study (``execute`` takes its name and path)."""
    import nbformat
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)]), path)
    return SimpleNamespace(name=name, notebook=str(path))


def _one_line(step, tmp_path: Path, km) -> str:
    """What the run says when ``step`` fails on the kernel ``km``."""
    from socialstudy.engine.execute import execute
    from socialstudy.errors import StudyError
    stage = SimpleNamespace(dir=tmp_path / "stage")
    spec = SimpleNamespace(default=True, parameters={}, name="probe")
    with pytest.raises(StudyError) as raised:
        execute(step, stage, km, spec, tmp_path, progress=False)
    return raised.value.one_line


@pytest.mark.heavy
@pytest.mark.skipif(not warm.usable(), reason="warm kernels are Linux only")
def test_a_notebook_ending_itself_or_its_kernel_launcher_fails_in_one_line(tmp_path):
    kernels.register_engine()
    pool = kernels.KernelPool(paths.ROOT / "notebooks",
                              {**os.environ, "IPYTHONDIR": str(tmp_path / "ip")})
    try:
        # probe: sys.exit(3) put into cell 4 of notebook 04 (handled already: re-run)
        exits = _one_line(_notebook(tmp_path, "exits", "import sys; sys.exit(3)"),
                          tmp_path, pool.take())
        # probe: the zygote SIGKILLed while notebook 02 ran said "could not run
        # (DeadKernelError: Kernel died)", naming nothing; here a cell kills it (a
        # forked kernel's parent), as the out-of-memory killer could
        zygote, km = pool.zygote.process.pid, pool.take()
        pool.start()  # the next notebook's kernel, forked ahead: it dies with the zygote
        dies = _one_line(_notebook(tmp_path, "kills", "import os, signal, time\n"
                                   "os.kill(os.getppid(), signal.SIGKILL)\n"
                                   "time.sleep(60)  # (ended by its death, at once)"),
                         tmp_path, km)
        instead = type(pool.take().provisioner.process).__name__  # (it was handed out)
    finally:
        pool.kill()  # (the cold kernel, still starting)
        pool.close()
    assert instead == "Popen"
    assert exits == (f"{tmp_path}/build/failed/probe/exits.ipynb: notebook exits.ipynb "
                     "failed in cell 1 (SystemExit: 3: the notebook ended here); outputs "
                     "unchanged — fix: open the executed notebook kept at this path to see "
                     "the failing cell")
    assert dies == (f"{tmp_path}/kills.ipynb: notebook kills.ipynb could not run in cell "
                    "1: the "
                    f"kernel launcher (zygote, pid {zygote}: the preloaded process kernels "
                    "are forked from) died (killed by SIGKILL), and its kernels with it; outputs "
                    "unchanged — fix: run it again (a new launcher starts); if it repeats, "
                    "look for what stops or ends it (out of memory: `dmesg`)")


@pytest.mark.heavy
@pytest.mark.skipif(not warm.usable(), reason="warm kernels are Linux only")
def test_a_stopped_zygote_neither_stops_its_kernels_nor_holds_the_run(tmp_path):
    # probe: the zygote SIGSTOPped while notebook 05 ran: the run, done, waited 42 s (10 s
    # for exit codes the zygote could not report, 30 s for the zygote to exit)
    from test_warm_kernels import _ask
    pool = kernels.KernelPool(tmp_path, {**os.environ, "IPYTHONDIR": str(tmp_path / "ip")})
    try:
        first = pool.take()
        assert _ask(first, "print(6 * 7)").strip() == "42"
        os.kill(pool.zygote.process.pid, signal.SIGSTOP)
        second = pool.take()  # no fork comes: a cold kernel, at once
        assert type(second.provisioner.process).__name__ == "Popen"
        assert _ask(first, "print(6 * 7)").strip() == "42"  # the forked one goes on
        kernels.shutdown(second)
        kernels.shutdown(first, wait=False)
        start = time.monotonic()
        pool.close()
        closed = time.monotonic() - start
    finally:
        pool.zygote.kill()  # (stopped or not: SIGKILL ends it)
    assert closed < 5, closed  # (about 0.1 s; it was 40 s)
    assert pool.zygote.process.returncode == -signal.SIGKILL
    assert pool.started() == ("kernels: 1 forked from a preloaded process, 1 started cold "
                              "(the preloaded process was stopped (SIGSTOP))")


@pytest.mark.skipif(not warm.usable(), reason="warm kernels are Linux only")
def test_the_zygote_has_a_session_of_its_own(tmp_path):
    """As jupyter_client starts a cold kernel: a hang-up (or Ctrl-Z) the terminal sends
    its foreground group reaches the runner only, which stops the run itself (the zygote
    was in that group: a hang-up killed it, and so the kernels under it)."""
    from test_warm_probes import _zygote
    zygote, _ = _zygote(tmp_path, "import select, sys; select.select([int(sys.argv[2])], "
                                  "[], []); sys.exit(0)")  # (at once, when it is closed)
    try:
        assert os.getsid(zygote.process.pid) == zygote.process.pid != os.getsid(0)
    finally:
        zygote.close()
