"""Kernels for papermill: IPC sockets, started one notebook ahead, shut down quietly.

* **IPC transport** (Unix sockets in a private temporary folder) instead of TCP:
  ipykernel ≥ 7.3 warns "Kernel is running over TCP without encryption" on every start
  over TCP; kernel and runner share the machine, so IPC is the native fix (as in
  PrimeIntellect-ai/nano-rlm#120), and there are no ports to race for.
* **One kernel ahead**: the next notebook's kernel boots while the current notebook runs,
  which hides most of the kernel start-up time (what papermill's floor is made of).
* **Quiet shutdown**: jupyter_client interrupts (SIGINT) a kernel before shutting it
  down, and ipykernel then logs "KeyboardInterrupt caught in kernel"; the kernel is asked
  to shut down without that interrupt.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path

ENGINE = "socialstudy"


class KernelPool:
    """Python kernels started with the runner's environment, one kept ready."""

    def __init__(self, cwd: Path, env: dict[str, str]):
        self.cwd, self.env = str(cwd), env
        self.sockets = tempfile.mkdtemp(prefix="ssk-")  # short: socket paths ≤ 107 bytes
        self.ready = None
        self.count = 0
        self.pids: set[int] = set()

    def start(self) -> None:
        """Boot the next kernel now, in the background."""
        if self.ready is None:
            self.ready = self._launch()

    def take(self):
        self.start()
        km, self.ready = self.ready, None
        return km

    def _launch(self):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync
        self.count += 1
        km = AsyncKernelManager(kernel_name="python3", transport="ipc",
                                ip=os.path.join(self.sockets, f"k{self.count}"))
        run_sync(km.start_kernel)(cwd=self.cwd, env=self.env)
        self.pids.add(km.provisioner.process.pid)
        return km

    def close(self) -> None:
        """End the kernel kept ready (unused, possibly still booting: killed, so it has
        nothing to say) and remove the socket folder."""
        if self.ready is not None:
            from jupyter_core.utils import run_sync
            _kill(self.ready.provisioner.process.pid)
            run_sync(self.ready.cleanup_resources)()
            self.ready = None
        shutil.rmtree(self.sockets, ignore_errors=True)

    def kill(self) -> None:
        """On Ctrl-C: end every kernel this pool started, at once."""
        for pid in self.pids:
            _kill(pid)
        shutil.rmtree(self.sockets, ignore_errors=True)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def shutdown(km, client=None) -> None:
    from jupyter_core.utils import run_sync

    async def stop():
        if client is not None and client.kc is not None:
            client.kc.stop_channels()
        if await km.is_alive():
            await km.request_shutdown()
            await km.finish_shutdown()
        await km.cleanup_resources()
    run_sync(stop)()


def register_engine() -> None:
    """A papermill engine that executes on a kernel handed over by the pool."""
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
                return client.execute()
            finally:
                shutdown(km, client)

    papermill_engines.register(ENGINE, PoolEngine)
