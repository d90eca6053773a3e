"""Extraction at corpus scale: N synthetic reports (byte copies of the seed reports,
registered under new doc_ids in a temporary folder) go through the same registry load
and ``extract_and_clean`` as the study. Each N runs in its own process so that its peak
memory is its own. Run with ``python -m socialstudy bench --corpus N``."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from socialstudy import paths
from socialstudy.extract.pool import cores

SIZES = (4, 16, 64, 256, 1000)


def write_corpus(n: int, folder: Path, registry: Path = paths.REGISTRY) -> Path:
    """Copy the seed reports round-robin into ``folder`` as ``n`` reports; return the
    registry path. Copies keep municipality and document type, so every crosswalk
    (prose wordings, table overrides) applies to them as to their seed."""
    seeds = yaml.safe_load(registry.read_text(encoding="utf-8"))["reports"]
    texts = {s["file"]: (registry.parent / s["file"]).read_bytes() for s in seeds}
    entries = []
    for i in range(n):
        seed = dict(seeds[i % len(seeds)])
        name = f"c{i:05d}_{seed['file']}"
        data = texts[seed["file"]] + _marker(i)
        (folder / name).write_bytes(data)
        seed.update(doc_id=f"{seed['doc_id']}_c{i:05d}", file=name,
                    sha256=hashlib.sha256(data).hexdigest())
        entries.append(seed)
    path = folder / "reports.yml"
    path.write_text(yaml.safe_dump({"reports": entries}, allow_unicode=True), encoding="utf-8")
    return path


def _marker(i: int) -> bytes:
    """A last prose line naming the copy, in letters only (no number, no tab: it adds no
    fact), so that every copy has its own bytes: the registry refuses the same bytes twice."""
    letters = ""
    while True:
        i, rest = divmod(i, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[rest] + letters
        if not i:
            return f"Kopia {letters}\n".encode()


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the pool's workers)."""
    own, done = (resource.getrusage(w) for w in (resource.RUSAGE_SELF,
                                                  resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + done.ru_utime + done.ru_stime


def measure_one(n: int, workers: int | None = None) -> dict:
    """Seconds (wall and CPU, the workers' included) to extract a corpus of ``n``
    registered reports with ``workers`` processes (None: as the study chooses,
    ``extract.pool``); the registry load with its SHA-256 checks is not timed."""
    from socialstudy.core.registry import load_registry
    from socialstudy.extract.extraction import extract_and_clean
    from socialstudy.extract.pool import pool_size

    extract_and_clean(load_registry())  # warm up: imports, crosswalks, regex caches
    with tempfile.TemporaryDirectory() as tmp:
        reports = load_registry(write_corpus(n, Path(tmp)))  # hashes checked, not timed
        load, start, cpu = os.getloadavg()[0], time.perf_counter(), _cpu()
        extraction = extract_and_clean(reports, workers)
        seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    peak = [resource.getrusage(w).ru_maxrss / 1024 for w in (resource.RUSAGE_SELF,
                                                              resource.RUSAGE_CHILDREN)]
    return {"reports": n, "workers": pool_size(n, workers), "seconds": seconds,
            "ms_per_report": 1000 * seconds / n, "cpu_ms_per_report": 1000 * cpu / n,
            "facts": len(extraction.facts), "peak_mib": peak[0], "worker_peak_mib": peak[1],
            "load": load, "load_after": os.getloadavg()[0]}


def measure(sizes: tuple[int, ...] = SIZES, workers: int | None = None) -> list[dict]:
    """One fresh process per corpus size (so peak memory is per size)."""
    results = []
    for n in sizes:
        out = subprocess.run([sys.executable, "-m", "socialstudy.tools.scale", str(n),
                              str(workers or 0)], check=True, capture_output=True,
                             text=True).stdout
        results.append(json.loads(out))
    return results


TARGET = (1000, 30.0)  # reports, wall seconds on the 2-core machine (issue 16)


def table(results: list[dict]) -> str:
    lines = ["reports  workers  seconds  ms/report  CPU ms/report   facts  peak MiB "
             "(main / worker)  load average (before / after)"]
    lines += [f"{r['reports']:>7}  {r['workers']:>7}  {r['seconds']:>7.2f}  "
              f"{r['ms_per_report']:>9.1f}  {r['cpu_ms_per_report']:>13.1f}  {r['facts']:>6}  "
              f"{r['peak_mib']:>8.0f} / {r['worker_peak_mib']:<6.0f}  "
              f"{r['load']:>17.1f} / {r['load_after']:.1f}" for r in results]
    n, limit = TARGET
    lines += [f"target: {n} reports in at most {limit:.0f} s wall: "
              f"{'met' if r['seconds'] <= limit else 'NOT met'} ({r['seconds']:.1f} s, "
              f"{r['cpu_ms_per_report'] * n / 1000:.1f} s CPU, {cores()} cores)"
              for r in results if r["reports"] == n]
    return "\n".join(lines)


if __name__ == "__main__":
    print(json.dumps(measure_one(int(sys.argv[1]), int(sys.argv[2]) or None)))
