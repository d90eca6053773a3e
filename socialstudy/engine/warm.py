"""The runner's side of warm kernels: start a pool's zygote
(:mod:`socialstudy.engine.zygote`, whose docstring says why), ask it for a fork, and hand
jupyter_client the forked kernel as a process it can poll, wait for and signal.

Linux only (``fork``, ``prctl``); elsewhere, for another kernel command, environment or
cwd, or once the zygote is gone or stopped (SIGSTOP: the kernels it forked go on),
:mod:`socialstudy.engine.kernels` starts kernels cold. A zygote that died takes its
kernels with it: the notebook's one-line error says so (:func:`died`)."""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from functools import cache

from socialstudy.engine import zygote

INLINE = "module://matplotlib_inline.backend_inline"  # ipykernel's MPLBACKEND
LAUNCHER = ["-m", "ipykernel_launcher"]  # after the interpreter, in the kernel command
PARENT = "JPY_PARENT_PID"  # set by jupyter_client's launcher: the runner's pid
WAIT = 120.0  # seconds to wait for the zygote to answer a fork (it may be importing)
STOPPED, ENDED = "T", ("", "Z", "X")  # process states (/proc): stopped; ended
GRACE = 3.0  # seconds a closed zygote has to end its kernels and exit (it takes ~0.1)


def usable() -> bool:
    return sys.platform == "linux" and hasattr(os, "fork")


class Zygote:
    """The runner's handle on its zygote, started at once, importing in the background."""

    def __init__(self, cwd: str, env: dict[str, str], stderr_path: str, tag: str,
                 preload: str = ""):
        self.cwd, self.env = cwd, {**env, PARENT: str(os.getpid())}
        boot = {**self.env, "MPLBACKEND": env.get("MPLBACKEND") or INLINE}
        self.sock, theirs = socket.socketpair()
        try:
            with theirs, open(stderr_path, "ab") as stderr:
                self.process = subprocess.Popen(
                    [sys.executable, "-c", zygote.BOOT, zygote.__file__,
                     str(theirs.fileno()), tag, preload],
                    cwd=cwd, env=boot, stdin=subprocess.DEVNULL, stdout=stderr,
                    stderr=stderr,  # (its kernels' too: as KernelPool starts cold ones)
                    pass_fds=[theirs.fileno()],
                    # as jupyter_client starts a cold kernel: what the terminal sends its
                    # foreground group (a hang-up killed it, and its kernels, before the
                    # runner could stop the run; Ctrl-Z stopped it) is the runner's
                    start_new_session=True)
        except BaseException:
            self.sock.close()
            raise
        self.lock, self.count, self.buffer = threading.Lock(), 0, b""
        self.pids: dict[int, int] = {}  # request → kernel pid
        self.codes: dict[int, int] = {}  # kernel pid → exit code
        self.gone, self.ended = False, "the preloaded process ended"  # why, if gone
        self.by_runner, self.why = False, ""  # this runner ended it (else it died); why
        self.stuck = False  # stopped: forks no more (kernels it forked go on)

    def fits(self, cmd: list[str], env: dict, cwd) -> bool:
        """Whether a fork is the kernel ``cmd`` in ``env`` and ``cwd`` would start."""
        return (not (self.gone or self.stuck) and cmd[0] == sys.executable and cmd[1:3] == LAUNCHER
                and str(cwd) == self.cwd and env == self.env)

    def fork(self, cmd: list[str], env: dict, cwd) -> Forked:
        with self.lock:
            self.count += 1
            request = {"id": self.count, "argv": cmd, "env": env, "cwd": str(cwd)}
            try:
                self.sock.sendall(json.dumps(request).encode() + b"\n")
            except OSError:
                self.gone = True
        return Forked(self, self.count)

    def pid(self, request: int) -> int | None:
        """The pid of the kernel forked for ``request`` (None: the zygote is gone)."""
        deadline = time.monotonic() + WAIT
        with self.lock:
            while request not in self.pids and not self.gone:
                if time.monotonic() > deadline:  # stuck: its kernels go with it
                    self.end(f"did not answer in {WAIT:g} s")
                elif state(self.process.pid) == STOPPED:  # (SIGSTOP): no fork comes;
                    self.stuck = True  # its kernels go on, new ones start cold
                    self.ended = "the preloaded process was stopped (SIGSTOP)"
                    break
                self._read(min(0.2, max(0.0, deadline - time.monotonic())))
        return self.pids.get(request)

    def code(self, pid: int) -> int | None:
        """A forked kernel's exit code (None: running). A stopped zygote reaps and tells
        nothing: its kernel has ended once it is a zombie (-SIGKILL: its code unknown)."""
        with self.lock:
            self._read(0)
        if pid not in self.codes and not self.gone and state(self.process.pid) == STOPPED:
            return -signal.SIGKILL if state(pid) in ENDED else None
        return self.codes.get(pid, -signal.SIGKILL if self.gone else None)

    def _read(self, timeout: float) -> None:
        if self.gone or not select.select([self.sock], [], [], timeout)[0]:
            return
        try:
            data = self.sock.recv(1 << 16)
        except OSError:  # reset: it ended (e.g. a library exited) with a request unread
            data = b""
        if not data:  # the zygote ended: its kernels died with it
            self.gone = True
        self.buffer += data
        *lines, self.buffer = self.buffer.split(b"\n")
        for line in lines:
            what, key, value = line.split()
            (self.pids if what == b"pid" else self.codes)[int(key)] = int(value)

    def kill(self) -> None:
        """At once: the zygote, and with it every kernel forked from it."""
        self.gone, self.by_runner = True, True
        if self.process.poll() is None:
            self.process.kill()

    def end(self, why: str) -> None:
        """Kill it for a reason (``ended``, which the pool's "kernels:" line gives)."""
        self.kill()
        self.why, self.ended = why, f"the preloaded process {why}"

    def close(self) -> None:
        """The zygote kills what kernels remain, and exits; killed if it has not within
        ``GRACE`` seconds, and at once if stopped (it waited 30 s)."""
        self.gone = True
        self.sock.close()
        deadline = time.monotonic() + GRACE
        while self.process.poll() is None:
            if time.monotonic() > deadline or state(self.process.pid) == STOPPED:
                self.process.kill()
                self.process.wait()
            time.sleep(0.01)


def state(pid: int) -> str:
    """A process's state letter in Linux's ``/proc`` ("" once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0].decode()
    except (OSError, IndexError):
        return ""


def died(km) -> str | None:
    """If ``km``'s kernel was forked from a zygote that has ended, other than by this
    runner's Ctrl-C, what happened, in words (its kernels died with it)."""
    process = getattr(km.provisioner, "process", None) if km is not None else None
    if not isinstance(process, Forked) or process.zygote.process.poll() is None:
        return None
    zygote, code = process.zygote, process.zygote.process.returncode
    if zygote.why:
        how = f" {zygote.why}, so the runner ended it"
    elif zygote.by_runner:  # Ctrl-C: the run says "interrupted"
        return None
    else:
        how = f" died ({_signal_name(-code) if code < 0 else f'exit code {code}'})"
    return (f"the kernel launcher (zygote, pid {zygote.process.pid}: the preloaded process "
            f"kernels are forked from){how}, and its kernels with it")


def _signal_name(signum: int) -> str:
    try:
        return f"killed by {signal.Signals(signum).name}"
    except ValueError:
        return f"killed by signal {signum}"


class Forked:
    """A kernel forked by the zygote, as jupyter_client uses a ``subprocess.Popen``."""
    stdin = stdout = stderr = None

    def __init__(self, zygote: Zygote, request: int):
        self.zygote, self.request, self.returncode = zygote, request, None

    @property
    def pid(self) -> int | None:
        return self.zygote.pid(self.request)

    def known(self) -> int | None:
        """The pid if the zygote has said it already (never waits)."""
        return self.zygote.pids.get(self.request)

    def poll(self) -> int | None:
        if self.returncode is None:
            pid = self.pid
            self.returncode = -signal.SIGKILL if pid is None else self.zygote.code(pid)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("kernel", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int, group: bool = False) -> None:
        if self.poll() is None:  # alive: its pid is not yet anyone else's
            try:
                (os.killpg if group else os.kill)(self.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


@cache
def provisioner():
    """jupyter_client's local provisioner, forking the kernel from the pool's zygote
    when it can (the same command, environment and cwd), else starting it cold."""
    from jupyter_client.provisioning import LocalProvisioner

    class WarmProvisioner(LocalProvisioner):
        zygote: Zygote

        async def launch_kernel(self, cmd, **kwargs):
            env = {**kwargs.get("env", os.environ), PARENT: str(os.getpid())}
            if not self.zygote.fits(cmd, env, kwargs.get("cwd")):
                return await super().launch_kernel(cmd, **kwargs)
            self.process, self.cwd = self.zygote.fork(cmd, env, kwargs["cwd"]), kwargs["cwd"]
            return self.connection_info

        async def send_signal(self, signum: int) -> None:
            if isinstance(self.process, Forked):  # its group: a session of its own
                self.process.send_signal(signum, group=True)
            else:
                await super().send_signal(signum)
    return WarmProvisioner
