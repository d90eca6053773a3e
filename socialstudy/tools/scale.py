"""Extraction at corpus scale: N synthetic reports (byte copies of the seed reports,
registered under new doc_ids in a temporary folder) go through the same registry load
and ``extract_and_clean`` as the study. Each N runs in its own process so that its peak
memory is its own. Run with ``python -m socialstudy bench --corpus N``."""

from __future__ import annotations

import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from socialstudy import paths

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


def measure_one(n: int) -> dict:
    """Seconds (wall and CPU) to extract a corpus of ``n`` registered reports, in this
    process; the registry load with its SHA-256 checks is not part of the timing."""
    from socialstudy.core.registry import load_registry
    from socialstudy.extract.extraction import extract_and_clean

    extract_and_clean(load_registry())  # warm up: imports, crosswalks, regex caches
    with tempfile.TemporaryDirectory() as tmp:
        reports = load_registry(write_corpus(n, Path(tmp)))  # hashes checked, not timed
        start, cpu = time.perf_counter(), time.process_time()
        extraction = extract_and_clean(reports)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"reports": n, "seconds": seconds, "ms_per_report": 1000 * seconds / n,
            "cpu_ms_per_report": 1000 * cpu / n,
            "facts": len(extraction.facts), "peak_mib": peak_kib / 1024}


def measure(sizes: tuple[int, ...] = SIZES) -> list[dict]:
    """One fresh process per corpus size (so peak memory is per size)."""
    results = []
    for n in sizes:
        out = subprocess.run([sys.executable, "-m", "socialstudy.tools.scale", str(n)],
                             check=True, capture_output=True, text=True).stdout
        results.append(json.loads(out))
    return results


def table(results: list[dict]) -> str:
    lines = ["reports  seconds  ms/report  CPU ms/report   facts  peak memory (MiB)"]
    lines += [f"{r['reports']:>7}  {r['seconds']:>7.2f}  {r['ms_per_report']:>9.1f}  "
              f"{r['cpu_ms_per_report']:>13.1f}  {r['facts']:>6}  {r['peak_mib']:>17.0f}"
              for r in results]
    return "\n".join(lines)


if __name__ == "__main__":
    print(json.dumps(measure_one(int(sys.argv[1]))))
