"""Warm kernels probed as a careless user would break them (issue 15: never a bare
traceback, nothing on the console but the run's lines): a zygote whose libraries misbehave
while it imports. Each test puts a fake ``IPython`` (the zygote's first import) on the
zygote's ``PYTHONPATH``, so the zygote stops within its first import: no real library is
imported and no kernel starts (a tenth of a CPU-second each)."""

import os
import sys
import textwrap
from pathlib import Path

import pytest

from socialstudy.engine import warm

pytestmark = pytest.mark.skipif(not warm.usable(), reason="warm kernels are Linux only")


def _zygote(tmp_path: Path, ipython: str) -> tuple[warm.Zygote, Path]:
    (tmp_path / "IPython").mkdir()
    (tmp_path / "IPython" / "__init__.py").write_text(textwrap.dedent(ipython))
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    log = tmp_path / "stderr.txt"
    return warm.Zygote(str(tmp_path), env, str(log), "probe"), log


def test_a_zygote_that_exits_with_a_fork_request_unread_means_cold_not_a_traceback(
        tmp_path):
    # a library that ends the process at import (sys.exit, as a broken install can), once
    # the runner has asked for a fork: the socket is reset, not closed. This was a bare
    # ConnectionResetError out of `python -m socialstudy run` (exit code 1); now the pool
    # hears "gone" and starts the kernel cold, saying so in its "kernels:" line
    zygote, _ = _zygote(tmp_path, """
        import select, sys
        select.select([int(sys.argv[2])], [], [])  # the runner's fork request arrived
        sys.exit(3)
    """)
    try:
        cmd = [sys.executable, *warm.LAUNCHER, "-f", str(tmp_path / "k1.json")]
        forked = zygote.fork(cmd, zygote.env, tmp_path)
        assert forked.pid is None
        assert zygote.gone and forked.poll() == -9
    finally:
        zygote.close()
    assert zygote.process.returncode == 3


def test_what_a_library_prints_while_the_zygote_imports_goes_to_the_log(tmp_path, capfd):
    # the zygote shares the runner's stdout (its kernels need it, as cold ones have it):
    # "hello from seaborn" printed at import appeared between the run's progress lines
    zygote, log = _zygote(tmp_path, """
        print("printed by a library at import")
        raise SystemExit(0)
    """)
    zygote.close()
    said = capfd.readouterr()
    assert "printed by a library" not in said.out + said.err
    assert log.read_text() == "printed by a library at import\n"


def test_what_a_cell_writes_on_the_kernels_own_stdout_goes_to_the_log(tmp_path, capfd):
    # ipykernel echoes what a cell writes on file descriptor 1 (os.system, a C library)
    # to the kernel process's own stdout, which was the runner's console: "from-shell"
    # appeared between the run's progress lines (cold and warm kernels alike; a warm
    # kernel has the zygote's stdout, the log: the test above)
    from test_warm_kernels import _ask

    from socialstudy.engine import kernels
    pool = kernels.KernelPool(tmp_path, dict(os.environ))
    pool.cold = "one kernel is cheaper cold"
    km = pool.take()
    try:
        said = _ask(km, "import os; os.system('echo from-shell'); "
                     "import time; time.sleep(0.2); print('printed')")
    finally:
        kernels.shutdown(km)
        log = pool.close()
    assert "printed" in said  # (what ipykernel forwards from descriptor 1 may come late)
    assert "from-shell" in log and "from-shell" not in capfd.readouterr().out


def test_a_notebook_that_calls_sys_exit_0_fails_in_one_line_not_cut_short(tmp_path):
    # papermill takes sys.exit(0) in a cell for success: the run said "study complete"
    # (exit code 0) and published a summary notebook whose last three cells never ran (a
    # probe: sys.exit(0) put into cell 15 of notebooks/05_summary.ipynb)
    import nbformat
    import papermill as pm

    from socialstudy.engine import kernels
    kernels.register_engine()
    source, executed = tmp_path / "cut.ipynb", tmp_path / "out.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import sys; sys.exit(0)"),
        nbformat.v4.new_code_cell("print('never')")]), source)
    pool = kernels.KernelPool(tmp_path, dict(os.environ))
    pool.cold = "one kernel is cheaper cold"
    try:
        with pytest.raises(pm.PapermillExecutionError, match="SystemExit") as raised:
            pm.execute_notebook(str(source), str(executed), engine_name=kernels.ENGINE,
                                km=pool.take(), kernel_name="python3", progress_bar=False,
                                cwd=str(tmp_path))
    finally:
        pool.close()
    assert raised.value.exec_count == 1
    assert "0: the notebook ended here" in str(raised.value.evalue)
    after = nbformat.read(executed, as_version=4).cells[1]
    assert after.execution_count is None and after.outputs == []


def test_a_hung_zygote_is_killed_in_bounded_time_and_the_pool_says_why(tmp_path,
                                                                       monkeypatch):
    # a zygote that never answers (SIGSTOPped, or a library hanging at import): the fork
    # waits WAIT seconds, then the zygote is killed and the kernels start cold; the run's
    # "kernels:" line said "the preloaded process ended", as if it had crashed
    monkeypatch.setattr(warm, "WAIT", 0.3)
    zygote, _ = _zygote(tmp_path, """
        import time
        time.sleep(60)
    """)
    try:
        cmd = [sys.executable, *warm.LAUNCHER, "-f", str(tmp_path / "k1.json")]
        assert zygote.fork(cmd, zygote.env, tmp_path).pid is None
    finally:
        zygote.close()
    assert zygote.process.returncode == -9
    from socialstudy.engine import kernels
    pool = kernels.KernelPool(tmp_path, dict(os.environ))
    pool.zygote = zygote
    pool._warm(None)  # the pool's next kernel: cold, and why
    pool.close()
    assert pool.cold == "the preloaded process did not answer in 0.3 s"


def test_a_temporary_folder_too_long_for_sockets_is_one_line_before_any_kernel(
        tmp_path, monkeypatch):
    # TMPDIR at a 100-byte path: zmq failed with "File name too long" in a bare traceback
    # out of `python -m socialstudy run` (exit code 1); now one line, nothing left behind
    from socialstudy.engine import kernels
    from socialstudy.errors import StudyError
    long = tmp_path / ("d" * (kernels.SHORT - len(str(tmp_path))))
    long.mkdir()
    monkeypatch.setattr(kernels.tempfile, "tempdir", str(long))
    with pytest.raises(StudyError) as raised:
        kernels.KernelPool(tmp_path, dict(os.environ))
    assert raised.value.one_line == (
        f"{long}: too long a path for the kernels' sockets (at most 99 bytes) — fix: set "
        "TMPDIR shorter")
    assert list(long.iterdir()) == []
