"""Kernels for papermill: IPC sockets, started one notebook ahead, shut down quietly.

* **IPC transport** (Unix sockets in a private temporary folder) instead of TCP:
  ipykernel ≥ 7.3 warns "Kernel is running over TCP without encryption" on every start
  over TCP without CurveZMQ keys (ipython/ipykernel#1515); kernel and runner share the
  machine, so IPC is the native fix, and there are no ports to race for.
* **One kernel ahead**: the next notebook's kernel boots, and imports what that notebook
  imports (its top-level ``import`` statements, as ipykernel ``exec_lines``), while the
  current notebook runs. Start-up and imports are what papermill's floor is made of; on
  two cores they now overlap with real work. Imports are idempotent, so the executed
  notebooks are byte-identical to a run without it (tested).
* **No history database**: kernels start with ``--HistoryManager.enabled=False``, so a
  locked ``history.sqlite`` (an open IPython, a backup tool) writes nothing into a
  notebook; the socket folder (``ssk-<runner pid>-…``) also holds the connection files,
  and :func:`clean_stale` removes folders whose runner was killed.
* **Quiet shutdown**: a kernel whose notebook is done (every output received: papermill
  waits for each cell's idle status) is ended with SIGTERM, which ipykernel does not catch.
  Asked to shut down instead, ipykernel 7.4 tears its threads down racing each other: it
  mostly hung 10 s in a flush (jupyter_client waited 2.5 s, then sent SIGTERM anyway), and
  at random printed a traceback or libzmq's abort into the run's log; and jupyter_client
  interrupts (SIGINT) a kernel first, which logs "KeyboardInterrupt caught in kernel".
* **Warm starts**: on Linux kernels are forked from a process that has imported the
  heavy libraries once (:mod:`socialstudy.engine.zygote`,
  :mod:`socialstudy.engine.warm`), else started cold;
  :meth:`KernelPool.started` says which, in one line.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
import uuid
from pathlib import Path

from socialstudy.engine import cells, imports, warm
from socialstudy.engine.cheap_imports import without_iri_grammars
from socialstudy.errors import StudyError

ENGINE = "socialstudy"
SOCKETS = "ssk-"  # prefix of the kernels' socket folders in the temporary directory
NO_HISTORY = "--HistoryManager.enabled=False"  # no history.sqlite: nothing to lock
SHORT = 107 - len("/k9999-9")  # a socket folder's path at most: a kernel's sockets fit
EXIT_WAIT = 1.0  # seconds an ended kernel has to exit: SIGTERM again at half, then SIGKILL


class KernelPool:
    """Python kernels started with the runner's environment, one kept ready."""

    def __init__(self, cwd: Path, env: dict[str, str], preload: str = ""):
        """``preload``: import statements the zygote runs once for all its kernels."""
        self.cwd, self.env, self.preload = str(cwd), env, preload
        # with the runner's pid for clean_stale; short: a socket's path has ≤ 107 bytes
        self.sockets = tempfile.mkdtemp(prefix=f"{SOCKETS}{os.getpid()}-")
        if len(self.sockets) > SHORT:  # (zmq said "File name too long", in a traceback)
            os.rmdir(self.sockets)
            raise StudyError(f"too long a path for the kernels' sockets (at most {SHORT} "
                             "bytes)", file=tempfile.gettempdir(), fix="set TMPDIR shorter")
        # what kernel processes write on their own stderr and stdout (ipykernel's log at
        # shutdown; its echo of a cell's os.system) goes to the run's log, never the console
        self.stderr = os.path.join(self.sockets, "stderr.txt")
        self.ready, self.count = None, 0
        self.processes: list = []  # subprocess.Popen (cold) or warm.Forked (warm)
        self.lock, self.killed = threading.Lock(), False
        self.zygote, self.cold = None, "" if warm.usable() else "not Linux"

    def start(self, notebook: Path | None = None) -> None:
        """Boot the next kernel now, in the background, importing what ``notebook`` imports."""
        if self.ready is None:
            self.ready = self._launch(imports.import_lines(notebook) if notebook else "")

    def take(self, notebook: Path | None = None):
        self.start(notebook)
        km, self.ready = self.ready, None
        process = km.provisioner.process
        if isinstance(process, warm.Forked) and process.poll() is not None:  # none, or dead: cold
            from jupyter_core.utils import run_sync
            run_sync(km.cleanup_resources)()
            self.processes.remove(process)
            km = self._launch(imports.import_lines(notebook) if notebook else "")
        return km

    def _launch(self, preload: str):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync
        self.count += 1
        km = AsyncKernelManager(kernel_name="python3", transport="ipc",
                                ip=os.path.join(self.sockets, f"k{self.count}"),
                                connection_file=os.path.join(self.sockets,
                                                             f"k{self.count}.json"))
        extra = [NO_HISTORY] + ([f"--IPKernelApp.exec_lines={preload}"] if preload else [])
        with self.lock:  # no kernel starts once Ctrl-C ended the run
            if self.killed:
                raise KeyboardInterrupt
            self._warm(km)
            with open(self.stderr, "ab") as log:  # the child keeps its own descriptor
                run_sync(km.start_kernel)(cwd=self.cwd, env=self.env, extra_arguments=extra,
                                          stdout=log, stderr=log)
            self.processes.append(km.provisioner.process)
        return km

    def _warm(self, km) -> None:
        """Have ``km`` fork its kernel from the zygote (started now if need be)."""
        if self.cold:
            return
        if self.zygote is None:
            try:
                self.zygote = warm.Zygote(self.cwd, self.env, self.stderr, self.sockets,
                                         self.preload)
            except OSError as exc:
                self.cold = f"no preloaded process: {exc}"
                return
        elif self.zygote.gone or self.zygote.stuck:
            self.cold = self.zygote.ended
            return
        km.kernel_id = km.kernel_id or str(uuid.uuid4())
        km.provisioner = warm.provisioner()(kernel_id=km.kernel_id,
                                            kernel_spec=km.kernel_spec, parent=km)
        km.provisioner.zygote = self.zygote

    def started(self) -> str:
        """One line for the run's log: how the kernels started."""
        forked = sum(isinstance(p, warm.Forked) for p in self.processes)
        cold = len(self.processes) - forked
        said = [f"{forked} forked from a preloaded process"] if forked else []
        said += [f"{cold} started cold ({self.cold or 'another command or environment'})"
                 ] if cold else []
        return "kernels: " + ", ".join(said)

    def close(self) -> str:
        """End the kernel kept ready (unused, possibly still booting: killed, so it has
        nothing to say) and remove the socket folder; return what the kernel processes
        wrote on their stdout and stderr, for the run's log."""
        if self.ready is not None:
            from jupyter_core.utils import run_sync
            self.ready.provisioner.process.kill()
            self.ready.provisioner.process.wait()
            run_sync(self.ready.cleanup_resources)()
            self.ready = None
        reap()
        if self.zygote is not None:
            self.zygote.close()
        log = Path(self.stderr)
        said = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        shutil.rmtree(self.sockets, ignore_errors=True)
        return said

    def kill(self) -> None:
        """On Ctrl-C: end every kernel this pool started, at once."""
        with self.lock:
            self.killed = True
            if self.zygote is not None:  # and every kernel forked from it
                self.zygote.kill()
            for process in self.processes:
                pid = process.known() if isinstance(process, warm.Forked) else process.pid
                if pid is not None and process.returncode is None:
                    _kill(pid)
        shutil.rmtree(self.sockets, ignore_errors=True)


def clean_stale() -> list[str]:
    """Remove kernel socket folders (sockets, connection files) left by runs that were
    killed: those whose runner process is gone."""
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{SOCKETS}*-*"):
        pid = folder.name[len(SOCKETS):].split("-")[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(str(folder))
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _kill(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)


_closing: list = []  # kernels ended, waited for when the pool closes


def shutdown(km, client=None, *, wait: bool = True) -> None:
    """End the kernel (SIGTERM: see "Quiet shutdown" above); ``wait=False`` leaves the
    waiting for its exit to :meth:`KernelPool.close`, so the next notebook starts now."""
    from jupyter_core.utils import run_sync

    async def stop():
        if client is not None and client.kc is not None:
            client.kc.stop_channels()
        if await km.is_alive():
            await km.provisioner.terminate()
        if wait:
            await _finish(km)
        else:
            _closing.append(km)
    run_sync(stop)()


def reap() -> None:
    from jupyter_core.utils import run_sync

    async def finish():
        import asyncio
        while _closing:
            done, _closing[:] = list(_closing), []
            await asyncio.gather(*map(_finish, done))
    run_sync(finish)()


async def _finish(km) -> None:
    """Wait for an ended kernel to exit (``EXIT_WAIT``), then free its ports and files."""
    await km.finish_shutdown(waittime=EXIT_WAIT)
    await km.cleanup_resources()


def thread(target, *args, name: str) -> threading.Thread:
    """A daemon thread running ``target(*args)`` that closes, when done, the event loop
    jupyter's ``run_sync`` made for it. jupyter_core never closes it: the loop and its
    self-pipe (a Unix socket pair) then wait in a reference cycle for garbage collection,
    which warns of an unclosed event loop and socket in whatever code runs next (five
    ResourceWarnings in ``make test``, surfacing in tests/test_figures.py)."""
    def run():
        try:
            target(*args)
        finally:
            close_loop()
    return threading.Thread(target=run, name=name, daemon=True)


def close_loop() -> None:
    """Close this (worker) thread's event loop, if it has one."""
    import asyncio
    try:
        loop = asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:  # none was made in this thread
        return
    if not loop.is_running() and not loop.is_closed():
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
    asyncio.set_event_loop(None)


def register_engine() -> None:
    """A papermill engine that executes on a kernel handed over by the pool."""
    without_iri_grammars()  # papermill imports nbformat, nbformat jsonschema
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class PoolEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False,
                                     stdout_file=None, stderr_file=None, start_timeout=60,
                                     execution_timeout=None, km=None, **kwargs):
            client = PapermillNotebookClient(
                nb_man, km=km, kernel_name=kernel_name, startup_timeout=start_timeout,
                timeout=execution_timeout, log_output=log_output, stdout_file=stdout_file,
                stderr_file=stderr_file)
            try:
                client.execute()
            except Exception as exc:  # the kernel died: in which cell (papermill knows)
                exc.cell = cells.last_started(nb_man.nb)
                raise
            finally:
                shutdown(km, client, wait=False)
            cells.ran_to_the_end(nb_man.nb)  # (papermill ignores what this returns)

    papermill_engines.register(ENGINE, PoolEngine)
