"""Promotion with a journal: a finished run's staged files are moved over the outputs so
that, even if the process is killed between two moves, every output ends up either the
old one or the new one.

Before any step runs (:func:`check_outputs`, so a read-only mount stops the run at its
start) and again before the first file is replaced, every target is checked (writable,
not immutable: an old output is hard-linked into ``<stage>/.old/`` as its backup, which
an immutable file refuses), then ``build/.promote-journal.json`` is written atomically listing the
moves. The moves follow (the manifest last) and the journal is removed. A run that finds
a journal (any entry point: the runner, a notebook's ``open_run``) first completes the
promotion from the staging tree, or, when that is not possible, rolls it back from the
backups, and says so in one line.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import time
from pathlib import Path

from socialstudy.errors import DiskFull, PromotionError, StudyError, Unwritable
from socialstudy.paths import shown

JOURNAL = Path("build") / ".promote-journal.json"
BACKUP = ".old"


def promote(stage: Path, root: Path, base: Path, files: list[str],
            delete: list[str], write, name: str = "") -> None:
    """Move ``files`` from ``stage`` over ``root`` and remove ``delete``, journalled.
    ``write(path, bytes)`` writes a file atomically (the journal); ``name``: the run's."""
    check_writable(root, files + delete)
    journal = base / JOURNAL
    try:
        _backup(stage, root, files + delete)
        write(journal, json.dumps({
            "name": name or root.name, "root": str(root), "stage": str(stage),
            "files": files, "delete": delete,
            "started": time.strftime("%Y-%m-%d %H:%M:%S")}, indent=1).encode())
    except OSError as exc:  # nothing replaced yet
        shutil.rmtree(stage / BACKUP, ignore_errors=True)
        raise _one_line(exc, "preparing to move the outputs into place") from None
    try:
        _move_all(stage, root, files, delete, after_move)
    except OSError as exc:
        rollback(stage, root, files, delete)
        journal.unlink(missing_ok=True)
        raise _one_line(exc, "moving the outputs into place (rolled back: outputs "
                             "unchanged)") from None
    journal.unlink(missing_ok=True)


def _move_all(stage: Path, root: Path, files: list[str], delete: list[str],
              after=lambda number, rel: None) -> None:
    """Move ``files`` from ``stage`` over ``root`` (``after(number, rel)`` after each),
    then remove ``delete``."""
    for number, rel in enumerate(files, start=1):
        _move(stage / rel, root / rel)
        after(number, rel)
    for rel in delete:
        (root / rel).unlink(missing_ok=True)


def after_move(number: int, rel: str) -> None:
    """Called after each move: the seam where the tests inject a fault between one move
    and the next."""


def check_writable(root: Path, rels: list[str]) -> None:
    """Stop, before anything is replaced, if a target or its folder cannot be written."""
    for rel in rels:
        target = root / rel
        folder = target.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if (target.exists() or target.is_symlink()) and not os.access(target, os.W_OK):
            raise Unwritable("this output cannot be replaced (read-only or immutable); "
                             "outputs unchanged", file=shown(target, root),
                             fix=_fix(target))
        if not os.access(folder, os.W_OK | os.X_OK):
            raise Unwritable("this folder of outputs is not writable; outputs unchanged",
                             file=shown(folder, root), fix=_fix(folder))


def check_outputs(root: Path, patterns: list[str]) -> None:
    """:func:`check_writable` for every output the steps declare (``patterns``: their
    writes, globs allowed), before any step runs: a read-only output or mount stops the
    run in one line at its start, not after every notebook has run."""
    rels = []
    for pattern in patterns:
        found = sorted(p.relative_to(root).as_posix() for p in root.glob(pattern)) \
            if any(c in pattern for c in "*?[") else []
        rels += found or [pattern]  # none yet: its folder is checked
    check_writable(root, rels)


def _fix(path: Path) -> str:
    """How to make ``path`` writable: chmod, unless it lies on a read-only mount."""
    try:
        read_only = bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        read_only = False
    if read_only:
        return ("it lies on a read-only mount, which chmod cannot change: remount it "
                "read-write, or run the study in a writable copy (git clone THIS_CHECKOUT "
                "DIR && make -C DIR study)")
    return "make it writable (chmod u+w, or chattr -i as root) and run again"


def _backup(stage: Path, root: Path, rels: list[str]) -> None:
    """Hard-link every existing target into ``<stage>/.old/`` (an immutable file refuses
    the link: one more check before anything is replaced)."""
    for rel in rels:
        target, kept = root / rel, stage / BACKUP / rel
        if not target.is_file():
            continue
        kept.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(target, kept)
        except OSError as exc:
            if exc.errno in (errno.EPERM, errno.EACCES):
                raise Unwritable("this output cannot be replaced (immutable or "
                                 "append-only); outputs unchanged", file=shown(target, root),
                                 fix="chattr -i it (as root) and run again") from None
            if exc.errno not in (errno.EXDEV, errno.EMLINK, errno.ENOTSUP):
                raise
            shutil.copy2(target, kept)


def _move(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)


def rollback(stage: Path, root: Path, files: list[str], delete: list[str]) -> None:
    """Put every old output back (from the backups); remove new ones that had none."""
    for rel in files + delete:
        kept, target = stage / BACKUP / rel, root / rel
        if kept.is_file():
            _move(kept, target)
        elif rel in files and not (stage / rel).exists():
            target.unlink(missing_ok=True)  # moved in, and there was no old one


def recover(base: Path, say) -> str | None:
    """Complete (or roll back) a promotion a killed run left half done; the line said."""
    path = base / JOURNAL
    if not path.is_file():
        return None
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
        stage, root = Path(journal["stage"]), Path(journal["root"])
        files, delete = list(journal["files"]), list(journal["delete"])
    except (OSError, ValueError, KeyError, TypeError):
        path.unlink(missing_ok=True)
        line = ("found an unreadable promotion journal and removed it; the next run "
                "rechecks every output against the manifest")
        say(line)
        return line
    line = _complete_or_roll_back(stage, root, files, delete,
                                  f"{journal.get('name', root.name)} interrupted at "
                                  f"{journal.get('started', '?')}")
    path.unlink(missing_ok=True)
    shutil.rmtree(stage, ignore_errors=True)
    say(line)
    return line


def _complete_or_roll_back(stage: Path, root: Path, files, delete, what) -> str:
    pending = [rel for rel in files if (stage / rel).is_file()]
    if not stage.is_dir():
        return (f"a promotion of {what} lost its staging tree; "
                "the next run rebuilds what differs from the manifest")
    try:
        _move_all(stage, root, pending, delete)
    except OSError as exc:
        rollback(stage, root, files, delete)
        return (f"rolled back a promotion of {what} (could not "
                f"complete it: {exc.strerror}); outputs are the previous run's")
    return (f"completed a promotion of {what}: "
            f"{len(files) - len(pending)} of {len(files)} files had been moved, "
            f"the other {len(pending)} were moved now")


def _one_line(exc: OSError, doing: str) -> StudyError:
    where = exc.filename or ""
    if exc.errno == errno.ENOSPC:
        return DiskFull(f"disk full while {doing}; outputs unchanged", file=str(where),
                        fix="free some space on that disk and run again")
    return PromotionError(f"{exc.strerror or exc} while {doing}", file=str(where),
                          fix="make the file writable and run again")


