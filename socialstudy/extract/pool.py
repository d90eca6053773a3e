"""A large corpus read by several processes: 1 000 reports take about half the wall time
on two cores. Small runs (the default study's four reports) stay in one process and pay
nothing. A worker is a copy of this process (``fork``: the package imported and the
crosswalks read already) where that is safe, on Linux in a process with one thread; else
(a notebook kernel, whose threads a fork would copy in an unknown state; macOS, Windows)
a fresh interpreter (``spawn``) that imports the package and reads the crosswalks before
its first report. The results come back in the reports' order, so the tables are the
same, byte for byte, whatever the number of workers; an error raised in a worker (a
``StudyError`` naming file, line and fix) reaches the caller as raised there."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial

# reports: fewer take a few seconds in one process, and a worker starts (a spawned one
# imports the package and reads the crosswalks) before its first report: little to save
PARALLEL_FROM = 100
CHUNK = 8  # reports per task: the work shares out evenly and Ctrl-C stops soon (the
# workers finish the tasks in hand), while the messages between processes cost nothing
_LOADED: dict[Callable, object] = {}  # in a worker: what ``load`` returned, loaded once


def cores() -> int:
    """CPUs this process may run on (a container's limit where the OS reports one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def pool_size(reports: int, workers: int | None = None) -> int:
    """Processes to read ``reports`` reports with: ``workers`` if given, else one below
    PARALLEL_FROM reports and one per core from there; never more than the reports."""
    if workers is None:
        workers = cores() if reports >= PARALLEL_FROM else 1
    return max(1, min(workers, reports))


def read_all(read_one: Callable, load: Callable[[], object], reports: Sequence,
             workers: int | None = None, loaded: object = None) -> list:
    """``read_one(report, load())`` for every report, in the order of ``reports``.
    ``loaded``: what ``load()`` returned in this process (each worker calls ``load``
    itself: crosswalk rows are not sent between processes)."""
    count = pool_size(len(reports), workers)
    if count == 1:
        loaded = load() if loaded is None else loaded
        return [read_one(report, loaded) for report in reports]
    if loaded is not None:
        _LOADED[load] = loaded  # a forked worker starts with it
    pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context(start_method()),
                               initializer=signal.signal, initargs=(signal.SIGINT,
                                                                    signal.SIG_IGN))
    try:
        return list(pool.map(partial(_in_worker, read_one, load), reports, chunksize=CHUNK))
    finally:  # after an error or Ctrl-C (which only this process handles: the workers
        # ignore it and finish the reports in hand), the reports not yet started are not read
        pool.shutdown(wait=True, cancel_futures=True)
        _LOADED.pop(load, None)


def start_method() -> str:
    """``fork`` on Linux in a process with one thread, else ``spawn`` (see above)."""
    return "fork" if sys.platform == "linux" and threading.active_count() == 1 else "spawn"


def _in_worker(read_one: Callable, load: Callable[[], object], report: object) -> object:
    if load not in _LOADED:
        _LOADED[load] = load()
    return read_one(report, _LOADED[load])
