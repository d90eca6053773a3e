"""Wall time of the default study against the toolchain's floor: papermill executing the
same number of notebooks that hold only the parameters cell and the imports; of
``add-report`` plus ``review`` of a generated PDF report (``measure_pdf``); and of the two
test tiers (``measure_tests``), so the README types in no test counts or times.

Measured in one process: the floor, then the forced study into a temporary output tree,
then an unchanged rerun of it. The whole-process no-op (``time python -m socialstudy run``,
Python start-up included) is measured separately in a subprocess.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from socialstudy import paths
from socialstudy.core.registry import load_registry
from socialstudy.engine import dag
from socialstudy.study import runs


def _floor_notebook(source: Path, target: Path) -> None:
    """Keep the parameters cell and one cell with every import statement of the notebook
    (as the kernels pre-load them, ``imports.import_lines``)."""
    from socialstudy.engine.imports import import_lines
    notebook = json.loads(source.read_text(encoding="utf-8"))
    params = next(c for c in notebook["cells"]
                  if "parameters" in c.get("metadata", {}).get("tags", []))
    params["outputs"], params["execution_count"] = [], None
    notebook["cells"] = [params, {"cell_type": "code", "execution_count": None, "id": "imports",
                                  "metadata": {}, "outputs": [], "source": import_lines(source)}]
    target.write_text(json.dumps(notebook), encoding="utf-8")


def measure() -> dict[str, float]:
    """Seconds for the floor, the forced default study, its unchanged rerun (in this
    process) and the unchanged rerun of the committed study as a whole process."""
    import papermill as pm

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        start = time.perf_counter()
        for step in (s for s in dag.load_table().steps if s.notebook):
            name = f"{step.name}.ipynb"
            _floor_notebook(paths.ROOT / step.notebook, tmp / name)
            pm.execute_notebook(str(tmp / name), str(tmp / f"out_{name}"), progress_bar=False,
                                kernel_name="python3", cwd=str(paths.NOTEBOOKS),
                                request_save_on_cell_execute=False)
        floor = time.perf_counter() - start
        start = time.perf_counter()
        runs.run(outputs=paths.Outputs(tmp / "study"), force=True, progress=False)
        study = time.perf_counter() - start
        start = time.perf_counter()
        runs.run(outputs=paths.Outputs(tmp / "study"), progress=False)
        rerun = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "socialstudy", "run", "--quiet"], cwd=paths.ROOT,
                   check=True)
    process = time.perf_counter() - start
    return {"floor_s": floor, "study_s": study, "ratio": study / floor, "rerun_s": rerun,
            "noop_process_s": process}


def measure_pdf(pages: int = 100) -> dict[str, float]:
    """Seconds for ``add-report`` (extraction, checks, copies, registry) and ``review`` of
    a generated ``pages``-page report PDF (``tools.sample_pdf``), registered in a temporary
    copy of data/raw/, in this process after a warm-up; and the extraction alone."""
    from socialstudy.extract.pdftext import extract_text
    from socialstudy.tools import add_report, sample_pdf
    from socialstudy.tools.review import review_text

    review_text("haninge_2024_ar")  # warm up: imports, crosswalks
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        for path in [paths.REGISTRY, *(r.path for r in load_registry())]:
            shutil.copyfile(path, raw / path.name)
        pdf = Path(tmp) / "report.pdf"
        pdf.write_bytes(sample_pdf.build(pages))
        start, cpu = time.perf_counter(), time.process_time()
        report, _ = add_report.add_report(pdf, municipality="Exempelby", kommun_code="9999",
                                          fiscal_year=2025, period="full_year",
                                          money_unit="tkr", registry=raw / "reports.yml")
        added = time.perf_counter() - start
        start = time.perf_counter()
        review_text(report.doc_id, registry=raw / "reports.yml")
        reviewed, cpu = time.perf_counter() - start, time.process_time() - cpu
        start = time.perf_counter()
        lines = extract_text(pdf).text.count("\n")
        extraction = time.perf_counter() - start
    return {"pages": pages, "lines": lines, "add_report_s": added, "review_s": reviewed,
            "total_s": added + reviewed, "cpu_s": cpu, "extraction_s": extraction}


def pdf_line(result: dict) -> str:
    return (f"add-report + review of a generated {result['pages']}-page PDF "
            f"({result['lines']} text lines): {result['total_s']:.1f} s wall, "
            f"{result['cpu_s']:.1f} s CPU (target 10 s): "
            f"add-report {result['add_report_s']:.1f} s, of which text extraction "
            f"{result['extraction_s']:.1f} s; review {result['review_s']:.1f} s")


TIERS = (("test-fast", "unit and property tests", 30),
         ("test", "every test: rebuilds, end to end, nbval on the summary notebook", 120))


def measure_tests() -> list[dict]:
    """``make test-fast`` then ``make test``: wall seconds, CPU seconds of everything they
    started (pytest, its workers, kernels, runs), pytest's count line, and the load
    average before and after each (other work on the machine stretches the wall time; the
    CPU time is what the tests cost)."""
    import resource
    found = []
    for target, what, limit in TIERS:
        loop = fixed_loop_seconds()
        load, before = os.getloadavg()[0], resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(["make", "--no-print-directory", target], cwd=paths.ROOT,
                              capture_output=True, text=True)
        wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
        counts = re.findall(r"(\d+ (?:passed|failed|error).*?) in [\d.]+s", done.stdout)
        found.append({"target": target, "what": what, "limit_s": limit, "wall_s": wall,
                      "cpu_s": after.ru_utime - before.ru_utime + after.ru_stime
                      - before.ru_stime, "load": load, "load_after": os.getloadavg()[0],
                      "returncode": done.returncode, "loop_s": (loop, fixed_loop_seconds()),
                      "counts": counts[-1] if counts else "no pytest summary"})
    return found


def fixed_loop_seconds() -> float:
    """CPU seconds of one fixed loop: how fast the machine is just now. A shared virtual
    machine's speed drifts (the same loop took 1.10-1.74 s within an hour, and
    `make test` 122-158 s on the same code), so times are compared at like speeds."""
    start = time.process_time()
    sum(i * i for i in range(5_000_000))
    return time.process_time() - start


def tests_line(result: dict) -> str:
    failed = f"; FAILED (exit {result['returncode']})" if result["returncode"] else ""
    return (f"make {result['target']} ({result['what']}): {result['wall_s']:.0f} s wall "
            f"(target {result['limit_s']} s), {result['cpu_s']:.0f} s CPU, load average "
            f"{result['load']:.1f} before, {result['load_after']:.1f} after; a fixed loop "
            f"{result['loop_s'][0]:.2f} s before, {result['loop_s'][1]:.2f} s after; "
            f"{result['counts']}{failed}")
