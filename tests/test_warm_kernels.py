"""Warm kernels (socialstudy/engine/zygote.py, warm.py): a kernel forked from the pool's
preloaded process is started as a cold one would be (path, cwd, environment, argv,
matplotlib and pandas settings, warning filters, the package its PYTHONPATH names); it
dies with the zygote, the zygote dies with the runner, and a pool whose zygote is gone
starts its kernels cold. That a warm run's outputs equal the committed study byte for
byte is tests/test_pipeline.py's forced rebuild, which runs on warm kernels (checked here)."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from socialstudy.engine import kernels, warm

# each starts kernels (a CPU-second or more): `make test` runs them, `make test-fast` not
pytestmark = [pytest.mark.skipif(not warm.usable(), reason="warm kernels are Linux only"),
              pytest.mark.heavy]

PROBE = textwrap.dedent("""
    import json, os, sys, warnings
    preloaded = "socialstudy" in sys.modules
    import matplotlib, pandas, socialstudy
    print(json.dumps({"preloaded": preloaded,
        "path": sys.path, "cwd": os.getcwd(), "environ": dict(os.environ),
        "backend": matplotlib.get_backend(), "argv": sys.argv, "orig_argv": sys.orig_argv,
        "rcParams": repr(sorted(matplotlib.rcParams.items())),
        "pandas": repr(pandas._config.config._global_config),
        "filters": repr(warnings.filters), "stdin": os.fstat(0).st_mode,
        "package": socialstudy.__file__, "flags": repr(sys.flags)}))
""")


def _ask(km, code: str) -> str:
    client = km.blocking_client()
    client.start_channels()
    said = []
    try:
        client.wait_for_ready(timeout=120)
        client.execute_interactive(code, timeout=120, output_hook=lambda m: said.append(
            m["content"].get("text", "") if m["msg_type"] == "stream" else ""))
    finally:
        client.stop_channels()
    return "".join(said)


def _probe(cwd: Path, env: dict, cold: bool, preload: str = "") -> tuple[dict, str, str]:
    pool = kernels.KernelPool(cwd, env, preload)
    if cold:
        pool.cold = "asked for"
    km = pool.take()
    try:
        seen = json.loads(_ask(km, PROBE).replace(pool.sockets, "<sockets>"))
        kind = type(km.provisioner.process).__name__
    finally:
        kernels.shutdown(km)
        pool.close()
    return seen, kind, pool.started()


def test_a_warm_kernel_is_started_as_a_cold_one(tmp_path):
    """In a repository copy's stead: a package of the same name on PYTHONPATH, which the
    zygote imports for the warm kernel (``preload``) from there, as the cold one does."""
    copy = tmp_path / "copy"
    (copy / "socialstudy").mkdir(parents=True)
    (copy / "socialstudy" / "__init__.py").write_text('"""A copy."""\n')
    (tmp_path / "notebooks").mkdir()
    env = {**os.environ, "PYTHONPATH": str(copy), "IPYTHONDIR": str(tmp_path / "ip")}
    env.pop("MPLBACKEND", None)
    cold, cold_kind, cold_said = _probe(tmp_path / "notebooks", env, cold=True)
    hot, hot_kind, hot_said = _probe(tmp_path / "notebooks", env, cold=False,
                                     preload="import socialstudy")
    assert (cold_kind, hot_kind) == ("Popen", "Forked")
    assert cold_said == "kernels: 1 started cold (asked for)"
    assert hot_said == "kernels: 1 forked from a preloaded process"
    assert (cold.pop("preloaded"), hot.pop("preloaded")) == (False, True)
    assert hot["package"] == str(copy / "socialstudy" / "__init__.py")
    assert hot["cwd"] == str(tmp_path / "notebooks")
    assert hot["backend"] == "module://matplotlib_inline.backend_inline"
    assert hot["path"][:1] == [str(copy)] and "" in hot["path"]
    assert "--HistoryManager.enabled=False" in hot["argv"]
    for key in cold:
        assert hot[key] == cold[key], key


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")  # a zombie has ended: its new parent reaps it


def _wait_gone(pids: list[int], seconds: float = 30) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not all(_gone(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if not _gone(p)]


def test_a_kernel_dies_with_its_zygote_and_the_pool_then_starts_kernels_cold(tmp_path):
    pool = kernels.KernelPool(tmp_path, {**os.environ, "IPYTHONDIR": str(tmp_path / "ip")})
    first = pool.take()
    try:
        assert _ask(first, "print(6 * 7)").strip() == "42"
        forked = first.provisioner.process.pid
        pool.zygote.kill()  # as if killed from outside: its kernels go with it
        assert _wait_gone([forked]) == []
        second = pool.take()
        assert type(second.provisioner.process).__name__ == "Popen"
        assert _ask(second, "print(6 * 7)").strip() == "42"
        kernels.shutdown(second)
    finally:
        kernels.shutdown(first)
        pool.close()
    assert pool.started() == ("kernels: 1 forked from a preloaded process, 1 started cold "
                              "(the preloaded process ended)")


def test_a_kernel_the_zygote_never_forked_is_started_cold(tmp_path):
    """The zygote killed while it imports (a fork asked, none made): the notebook still
    gets a kernel, a cold one, and the run goes on."""
    pool = kernels.KernelPool(tmp_path, {**os.environ, "IPYTHONDIR": str(tmp_path / "ip")})
    pool.start()
    pool.zygote.kill()
    km = pool.take()
    try:
        assert type(km.provisioner.process).__name__ == "Popen"
        assert _ask(km, "print(6 * 7)").strip() == "42"
    finally:
        kernels.shutdown(km)
        pool.close()
    assert pool.started() == "kernels: 1 started cold (the preloaded process ended)"


RUNNER = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from socialstudy.engine import kernels
    pool = kernels.KernelPool(Path(sys.argv[1]), {**os.environ, "IPYTHONDIR": sys.argv[2]})
    km = pool.take()
    client = km.blocking_client()
    client.start_channels()
    client.wait_for_ready(timeout=120)
    print(pool.zygote.process.pid, km.provisioner.process.pid, flush=True)
    sys.stdin.read()  # until killed
""")


def test_killing_the_runner_leaves_no_kernel_or_zygote(tmp_path):
    runner = subprocess.Popen([sys.executable, "-c", RUNNER, str(tmp_path),
                               str(tmp_path / "ip")], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        zygote, kernel = map(int, runner.stdout.readline().split())
        assert not _gone(zygote) and not _gone(kernel)
    finally:
        runner.send_signal(signal.SIGKILL)
        runner.wait()
        runner.stdin.close(), runner.stdout.close()
    assert _wait_gone([zygote, kernel]) == []


@pytest.mark.slow
def test_the_forced_rebuild_ran_on_warm_kernels(forced_build):
    """The byte-for-byte comparison with the committed study (tests/test_pipeline.py)
    is then the comparison of warm kernels' outputs with cold ones'."""
    _, killed, _ = forced_build
    assert "kernels: 5 forked from a preloaded process\n" in killed["stderr"]
