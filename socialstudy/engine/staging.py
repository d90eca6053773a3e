"""All or nothing: a run writes into a staging tree and promotes it with atomic renames
only when every step succeeded; one run at a time per checkout (an ``fcntl`` lock).

A failing, interrupted or out-of-disk run therefore leaves the output tree exactly as it
was: notebooks write their tables into ``build/.stage-…/`` (same file system as the
outputs, so ``os.replace`` is atomic per file), and the manifest is promoted last, so even
a crash during promotion makes the next run recheck rather than trust a half-promoted tree.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import signal
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from socialstudy.engine import journal
from socialstudy.errors import Busy, DiskFull, StudyError

# environment variables through which the runner points a notebook at its staging tree
STAGE_ENV, STAGE_FOR_ENV = "SOCIALSTUDY_STAGE", "SOCIALSTUDY_STAGE_FOR"
SEEDED = ("data/processed", "figures", "notebooks", "docs", "reports/html")
HEADROOM = 1.25  # free space a run needs: the staged copy, a quarter more while it is
SPARE = 2 << 20  # rewritten (atomic writes), plus this (the manifest, the log)
WATCHED = ("data/processed", "figures", "docs", "reports/html")  # written by steps


def atomic_write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file and a rename: readers and a full
    disk never see a truncated file. The file gets the mode ``open`` would give it
    (``mkstemp`` makes it 0600: a page or notebook another user serves went unreadable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    """The process's umask, read without changing it where Linux says it (pages are
    written from a second thread meanwhile)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


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
        self.name = name
        self.dir, self.base = base / "build" / f".stage-{name}", base
        self.log = base / "build" / "logs" / f"{name}.log"
        self.warnings: dict[str, int] = {}
        shutil.rmtree(self.dir, ignore_errors=True)  # left by a killed run
        _check_room(root, base)
        try:
            self.dir.mkdir(parents=True)
            for folder in SEEDED:
                if (root / folder).is_dir():
                    shutil.copytree(root / folder, self.dir / folder, dirs_exist_ok=True,
                                    ignore=shutil.ignore_patterns(".*"))
            self.log.unlink(missing_ok=True)  # the last run's: this run's is written if needed
        except BaseException as exc:  # a full disk, Ctrl-C: no half-copied tree stays
            self.discard()
            if disk_full(exc):
                raise full_disk(base) from None
            raise

    def warn(self, notebook: str, texts: list[str], counted: bool = True) -> None:
        """Append what a notebook wrote on its kernel's stderr to the run's log;
        ``counted=False``: logged, labelled so, but not counted as a warning."""
        if not texts:
            return
        if counted:
            self.warnings[notebook] = len(texts)
        label = "kernel stderr" if counted else "kernel stderr, shutdown noise, not counted"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "a", encoding="utf-8") as handle:
            for text in texts:
                handle.write(f"--- {notebook} ({label})\n{text.rstrip()}\n")

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
        """Move the staged files over the outputs and remove outputs no step produces any
        more, journalled (:mod:`socialstudy.engine.journal`): all or nothing even if the
        process is killed meanwhile; Ctrl-C, SIGTERM and SIGHUP are held off."""
        with _no_interrupt():
            journal.promote(self.dir, self.root, self.base, files, delete, atomic_write,
                            self.name)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def _no_interrupt():
    """Hold off SIGINT, SIGTERM and SIGHUP (SIGKILL cannot be: the journal covers it).
    One that arrives meanwhile is recorded, not dropped (``SIG_IGN`` would lose it), and
    delivered again once the section is done, to the handler that was in place: Ctrl-C
    during a promotion ends the run right after it."""
    held: list[int] = []
    try:
        previous = {sig: signal.signal(sig, lambda signum, _frame: held.append(signum))
                    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    except ValueError:  # not the main thread: nothing to hold off
        yield
        return
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if held:  # only after a section that succeeded: an error ends the run anyway
        signal.raise_signal(held[0])


def recover(base: Path, say=print) -> str | None:
    """Complete or roll back a promotion a killed run left half done (saying so in one
    line), then remove staging trees left by killed runs. Call it holding the run lock."""
    with _no_interrupt():
        line = journal.recover(base, say)
    for left in (base / "build").glob(".stage-*"):
        shutil.rmtree(left, ignore_errors=True)
    return line


def recover_if_interrupted(base: Path, say=print) -> str | None:
    """For an entry point that does not hold the lock (a notebook's start): recover only
    if a journal is there and no run is holding the checkout (that run recovers)."""
    if not (base / journal.JOURNAL).is_file():
        return None
    try:
        with run_lock(base, wait=False):
            return recover(base, say)
    except Busy:
        return None


def disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` is (or reports) a full disk: an OSError, shutil.Error's list of
    them, or a notebook's one-line failure quoting one."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    if isinstance(exc, shutil.Error):
        return "No space left on device" in str(exc)
    if isinstance(exc, StudyError):
        return "[Errno 28]" in exc.problem or "No space left on device" in exc.problem
    return False


def full_disk(base: Path) -> DiskFull:
    free = shutil.disk_usage(_existing(base / "build")).free >> 20
    return DiskFull(f"disk full while staging or running the study ({free} MB free in "
                    "build/); the staging tree is removed, outputs unchanged", file="build/",
                    fix="free some space on that disk (or `make clean-build`) and run again")


def _check_room(root: Path, base: Path) -> None:
    """Stop before copying anything if the disk cannot hold the staged run."""
    size = sum(p.stat().st_size for folder in SEEDED if (root / folder).is_dir()
               for p in (root / folder).rglob("*") if p.is_file())
    need, free = int(HEADROOM * size) + SPARE, shutil.disk_usage(_existing(base / "build")).free
    if need > free:
        raise DiskFull(f"not enough free disk space to stage the run: it needs about "
                       f"{need >> 20} MB, {free >> 20} MB are free; outputs unchanged",
                       file="build/",
                       fix="free some space on that disk (or `make clean-build`) and run "
                           "again")


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def stage_root(target: Path) -> Path:
    """Where a notebook must write when the runner staged the tree for ``target``."""
    stage, stage_for = os.environ.get(STAGE_ENV), os.environ.get(STAGE_FOR_ENV)
    if stage and (not stage_for or Path(stage_for).resolve() == Path(target).resolve()):
        return Path(stage)
    return Path(target)


def say(message: str, progress: bool = True) -> None:
    if progress:
        print(message, file=sys.stderr, flush=True)
