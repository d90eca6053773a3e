"""All or nothing: a run writes into a staging tree and promotes it with atomic renames
only when every step succeeded; one run at a time per checkout (an ``fcntl`` lock).

A failing, interrupted or out-of-disk run therefore leaves the output tree exactly as it
was: notebooks write their tables into ``build/.stage-…/`` (same file system as the
outputs, so ``os.replace`` is atomic per file), and the manifest is promoted last, so even
a crash during promotion makes the next run recheck rather than trust a half-promoted tree.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from socialstudy.errors import Busy

# environment variables through which the runner points a notebook at its staging tree
STAGE_ENV, STAGE_FOR_ENV = "SOCIALSTUDY_STAGE", "SOCIALSTUDY_STAGE_FOR"
SEEDED = ("data/processed", "figures", "notebooks", "docs", "reports/html")
WATCHED = ("data/processed", "figures", "docs", "reports/html")  # written by steps


def atomic_write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file and a rename: readers and a full
    disk never see a truncated file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@contextmanager
def run_lock(base: Path, *, wait: bool = True, say=print):
    """Hold ``<base>/build/.run.lock`` for the duration of a run; a second run waits
    (saying so once) or, with ``wait=False``, stops with a clear message."""
    path = base / "build" / ".run.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            if not wait:
                raise Busy(f"another study run ({holder}) is using this checkout",
                           file=str(path), fix="wait for it to finish, then run again") \
                    from None
            say(f"waiting for another study run ({holder}) to finish …")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {time.strftime('%H:%M:%S')}")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Stage:
    """A copy of the output tree that a run writes into, promoted on success."""

    def __init__(self, root: Path, base: Path, name: str, resolved: Path):
        self.root, self.resolved = root, resolved  # resolved: the root open_run computes
        self.dir = base / "build" / f".stage-{name}"
        shutil.rmtree(self.dir, ignore_errors=True)  # left by a killed run
        self.dir.mkdir(parents=True)
        for folder in SEEDED:
            if (root / folder).is_dir():
                shutil.copytree(root / folder, self.dir / folder, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns(".*"))

    def env(self) -> dict[str, str]:
        return {STAGE_ENV: str(self.dir), STAGE_FOR_ENV: str(self.resolved)}

    def snapshot(self) -> dict[str, tuple[int, int]]:
        """(mtime, size) of every file, to see what a step wrote."""
        found = {}
        for folder in WATCHED:
            for path in (self.dir / folder).rglob("*"):
                try:  # pages render meanwhile: atomic_write's ".name.…" files come and go
                    if path.is_file() and not path.name.startswith("."):
                        stat = path.stat()
                        found[path.relative_to(self.dir).as_posix()] = (
                            stat.st_mtime_ns, stat.st_size)
                except FileNotFoundError:
                    continue
        return found

    def promote(self, files: list[str], delete: list[str]) -> None:
        """Move the staged files over the outputs (each rename atomic) and remove
        outputs no step produces any more; Ctrl-C is held off meanwhile."""
        with _no_interrupt():
            for rel in files:
                target = self.root / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.dir / rel, target)
            for rel in delete:
                (self.root / rel).unlink(missing_ok=True)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def _no_interrupt():
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: nothing to hold off
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def stage_root(target: Path) -> Path:
    """Where a notebook must write when the runner staged the tree for ``target``."""
    stage, stage_for = os.environ.get(STAGE_ENV), os.environ.get(STAGE_FOR_ENV)
    if stage and (not stage_for or Path(stage_for).resolve() == Path(target).resolve()):
        return Path(stage)
    return Path(target)


def say(message: str, progress: bool = True) -> None:
    if progress:
        print(message, file=sys.stderr, flush=True)
