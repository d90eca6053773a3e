"""The zygote: one process per kernel pool that imports the third-party libraries the
notebooks use once, then forks every notebook kernel from itself.

Why: each cold kernel spent about 1.3 CPU-s booting IPython and importing pandas,
matplotlib and seaborn before its notebook's first line, five times a run
and a dozen runs a ``make test``; a fork shares those imports. The runner's side (start
it, ask for a fork, poll a forked kernel) is :mod:`socialstudy.engine.warm`.

* **What it imports**: what ``python -m ipykernel_launcher`` imports first (``LAUNCHER``),
  then third-party libraries (``LIBRARIES``) with ``MPLBACKEND`` set as ipykernel sets it
  and jsonschema's IRI grammars left out as ``engine.cheap_imports`` does; then the
  package's modules the run's notebooks import (the runner's ``preload`` lines), in the
  kernels' environment, cwd and path (which ``KernelPool`` checks before it forks), so
  from the package its ``PYTHONPATH`` names, as the kernel would (0.2 CPU-s a kernel).
  This file runs by path (``BOOT``), stdlib only, not imported as
  ``socialstudy.engine.zygote``.
* **A fork becomes the kernel jupyter_client asked for**: its argv, environment, cwd and
  ``sys.path`` as ``python -m`` sets them, a session of its own, stdin a pipe nobody
  writes. What a library decided at import because no kernel was running yet (pandas's
  console encoding and column limit; where numpy's warning filters stand) is decided
  again where a cold kernel would import it: just before its ``exec_lines``. A warm
  kernel's ``sys.path``, cwd, environment, argv, matplotlib and pandas settings and
  warning filters equal a cold one's (tests/test_warm_kernels.py).
* **Processes**: kernels are the zygote's children: it reaps them and reports their exit
  codes on its socket; they die with it (``PR_SET_PDEATHSIG``); it kills them and exits
  when its socket closes (the pool closed, or the runner was killed). It runs in a session
  of its own, as its kernels do: the terminal's signals (Ctrl-C, a hang-up) are the
  runner's, which ends it. Its stdout and
  stderr, and so its kernels', are the pool's log (what a library prints at import, what
  a kernel writes outside any notebook): never the runner's console.
"""

import json
import os
import select
import signal
import socket
import sys
import threading

LAUNCHER = ("IPython", "ipykernel.kernelapp", "zmq")
# (not frictionless: a table that passes core/quick_check.py, as every valid one does,
# never imports it; a kernel that needs it to name a table's problems imports it then)
LIBRARIES = ("numpy", "pandas", "matplotlib", "matplotlib.pyplot", "seaborn", "yaml")
BOOT = ("import sys\n"
        "with open(sys.argv[1], 'rb') as f: code = compile(f.read(), sys.argv[1], 'exec')\n"
        "del f\n"
        "exec(code, {'__name__': '__socialstudy_zygote__', '__file__': sys.argv[1]})\n")


def _main() -> None:
    """Preload, then fork a kernel per request until the socket closes; in a fork,
    become that kernel (and exit as Python does at the end of ``python -m``)."""
    if not sys.flags.safe_path:  # python -c put '' first: the launcher takes it out
        del sys.path[0]
    path, sock = list(sys.path), socket.socket(fileno=int(sys.argv[2]))
    sigint = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the runner's
    added = _preload(sys.argv[4] if len(sys.argv) > 4 else "")
    if threading.active_count() > 1:  # a library started a thread: forking is unsafe
        return  # (the socket closes: the pool starts its kernels cold)
    request = _serve(sock)
    if request is None:
        return
    signal.signal(signal.SIGINT, sigint)
    _become(request, path, added)


def _preload(package: str) -> list:
    """Import; return the warning filters the libraries and the package added."""
    import gc
    import warnings
    sys.modules.setdefault("rfc3987_syntax", None)  # as engine.cheap_imports
    shown = warnings.showwarning  # a cold kernel shows its import warnings to no one
    warnings.showwarning = lambda *args, **kwargs: None
    try:
        _imports(LAUNCHER)
        before = list(warnings.filters)
        _imports(LIBRARIES)
        _package(package)
    finally:
        warnings.showwarning = shown
    gc.freeze()  # kept out of the kernels' collections: their pages stay shared
    return [f for f in warnings.filters if f not in before]


def _imports(names: tuple[str, ...]) -> None:
    import importlib
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # the kernel imports it itself, and says why not
            pass


def _package(lines: str) -> None:
    """Run each import statement of ``lines`` with the kernels' cwd first on the path, as
    theirs will be (``_become``); what fails, a kernel imports itself and says why."""
    if not lines:
        return
    first = [] if sys.flags.safe_path else [os.getcwd()]
    sys.path[:0] = first
    try:
        for line in lines.split("; "):
            try:
                exec(line, {})
            except Exception:
                pass
    finally:
        del sys.path[:len(first)]


def _serve(sock: socket.socket) -> dict | None:
    wake, woken = os.pipe()
    os.set_blocking(woken, False)
    signal.set_wakeup_fd(woken)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    children, buffer = set(), b""
    while True:
        ready = select.select([sock, wake], [], [])[0]
        if wake in ready:
            os.read(wake, 1 << 10)
            _reap(children, sock)
        if sock not in ready:
            continue
        data = sock.recv(1 << 16)
        if not data:  # the pool closed, or the runner was killed
            break
        *lines, buffer = (buffer + data).split(b"\n")
        for line in lines:
            request = json.loads(line)
            pid = _fork(sock, (wake, woken))
            if pid == 0:
                return request
            children.add(pid)
            if not _say(sock, f"pid {request['id']} {pid}"):
                break
    for pid in children:
        _signal(pid, signal.SIGKILL)
    for pid in children:
        os.waitpid(pid, 0)
    return None


def _fork(sock: socket.socket, pipe: tuple[int, int]) -> int:
    """Fork; the child is in a new session, dies with the zygote, before this returns."""
    started, says = os.pipe()
    zygote = os.getpid()
    sys.stdout.flush(), sys.stderr.flush()
    pid = os.fork()
    if pid:
        os.close(says)
        os.read(started, 1)  # the child's session exists: its pid is its process group
        os.close(started)
        return pid
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    sock.close()
    for fd in (*pipe, started):
        os.close(fd)
    os.setsid()
    import ctypes
    ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != zygote:
        os._exit(1)
    os.write(says, b"1")
    os.close(says)
    return 0


def _reap(children: set, sock: socket.socket) -> None:
    while children:
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            return
        children.discard(pid)
        _say(sock, f"exit {pid} {os.waitstatus_to_exitcode(status)}")


def _say(sock: socket.socket, line: str) -> bool:
    try:
        sock.sendall(line.encode() + b"\n")
    except OSError:  # the runner is gone: the loop ends at the socket's end
        return False
    return True


def _signal(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)
    except OSError:
        pass


def _become(request: dict, path: list[str], added: list) -> None:
    """This fork as ``python -m ipykernel_launcher …`` started by jupyter_client."""
    import importlib
    import runpy
    reading, writing = os.pipe()  # stdin: the launcher's pipe, closed at once
    os.close(writing)
    os.dup2(reading, 0)
    os.close(reading)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.path[:] = ([] if sys.flags.safe_path else [os.getcwd()]) + path
    argv = request["argv"]
    sys.orig_argv[:] = argv
    sys.argv[:] = argv[1:2] + argv[3:]
    importlib.invalidate_caches()
    if "numpy.random" in sys.modules:  # a cold kernel seeds numpy's generator afresh
        sys.modules["numpy.random"].seed()
    _before_exec_lines(lambda app: _as_if_imported_now(app, added))
    vars(sys.modules["__main__"]).pop("code", None)  # BOOT's: the launcher's globals
    runpy._run_module_as_main(argv[2])


def _before_exec_lines(then) -> None:
    """Run ``then(app)`` once the kernel's shell exists, just before its ``exec_lines``."""
    app = getattr(sys.modules.get("ipykernel.kernelapp"), "IPKernelApp", None)
    if app is None:
        return
    original = app.init_code

    def init_code(self):
        app.init_code = original
        then(self)
        return original(self)
    app.init_code = init_code


def _as_if_imported_now(app, added: list) -> None:
    """What the libraries decide at import, decided as in a cold kernel, whose
    ``exec_lines`` import them: their warning filters first; pandas's console encoding
    (ipykernel's stdout's) and column limit (``config_init.is_terminal``: 20 in a kernel)."""
    import warnings
    warnings.filters[:] = added + [f for f in warnings.filters if f not in added]
    warnings._filters_mutated()
    # by name, as LIBRARIES: the engine itself never imports pandas (import-linter)
    config, display, config_init = (sys.modules.get(f"pandas.{name}") for name in (
        "_config.config", "_config.display", "core.config_init"))
    if config is None or display is None or config_init is None:
        return
    with app.shell.builtin_trap:  # get_ipython, as while exec_lines run
        terminal = config_init.is_terminal()
    for key, value in (("display.encoding", display.detect_console_encoding()),
                       ("display.max_columns", 0 if terminal else 20)):
        config._registered_options[key] = config._registered_options[key]._replace(
            defval=value)
        config.set_option(key, value)


if __name__ == "__socialstudy_zygote__":
    _main()
