"""What a file's bytes give, kept while the bytes stay the same: the registry, the crosswalks
and the output tables are read hundreds of times by one test session or notebook, and
parsing them again each time was most of what ``make test-fast`` spent.

A file's state (:func:`state`) is never its name or modification time alone: a same-size
edit within one tick of the file system's clock keeps both. A file unchanged for
``SETTLED_NS`` is known by its inode, size, mtime and ctime: the kernel sets ctime to its
own clock on every write or ``utime`` and no program can set it back, so any later edit
gives a later ctime (as git trusts a racily clean index only once it is old enough). A
file changed more recently (a test's fresh copy, an edit a moment ago) is known by its
bytes themselves, so an edit is always seen. Only a clock set back by more than
``SETTLED_NS``, or a network file system whose server clock lags by more, could defeat it.

A cache keyed by a state hands the same object to every caller: it must be immutable
(frozen rows, tuples) or never changed by a caller.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

SETTLED_NS = 2_000_000_000  # a file unchanged this long is known by its stat


def state(path: Path) -> tuple[int, ...] | bytes:
    """What identifies the bytes of ``path`` now: (device, inode, size, mtime, ctime) of a
    settled file, else the bytes. Raises FileNotFoundError."""
    stat = path.stat()
    if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > SETTLED_NS:
        return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns
    return path.read_bytes()


def data(path: Path, known: tuple[int, ...] | bytes) -> bytes:
    """The bytes of ``path`` in the state ``known`` (:func:`state`): the bytes themselves
    when the state is its bytes, so what is parsed is what the cache is keyed by."""
    return known if isinstance(known, bytes) else path.read_bytes()


@functools.lru_cache(maxsize=1024)
def _sha256(path: Path, known: tuple[int, ...] | bytes) -> str:
    return hashlib.sha256(data(path, known)).hexdigest()


def sha256(path: Path) -> str:
    """The SHA-256 of ``path``'s bytes, hashed again only when its state changed."""
    return _sha256(path, state(path))


def per_text(func: Callable[..., T]) -> Callable[..., T]:
    """``func(text, *context)`` computed once per distinct ``text``: ``context`` (the file
    to name in an error) must not change what it returns, and an error is never kept."""
    kept: dict[str, T] = {}

    @functools.wraps(func)
    def once(text: str, *context) -> T:
        if text not in kept:
            if len(kept) >= 64:
                kept.pop(next(iter(kept)))
            kept[text] = func(text, *context)
        return kept[text]
    return once
