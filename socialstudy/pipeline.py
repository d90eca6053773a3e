"""Run the study: the numbered notebooks in order with papermill, the same parameters for
each, executed copies under ``build/year=<year>[,municipalities=…]/``.

A notebook is skipped when its content hash key (notebook, package code, crosswalks, raw
registry, parameters) matches the stamp of its last successful run and its executed copy
exists; ``force=True`` runs everything. Notebooks run one after another: parallel kernels
race for ports.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .errors import StudyError

NOTEBOOKS = ("01_extract_clean.ipynb", "02_cost_structure.ipynb", "03_staffing.ipynb",
             "04_goals.ipynb", "05_summary.ipynb")
SUMMARY = "05_summary.ipynb"
DEFAULTS = {"year": "latest", "municipalities": "all"}


@dataclass
class RunResult:
    notebook: str
    status: str  # ran | skipped
    seconds: float
    output: Path


def run_name(parameters: dict) -> str:
    parts = [f"year={parameters['year']}"]
    if parameters.get("municipalities", "all") != "all":
        parts.append("municipalities=" + parameters["municipalities"].replace(",", "+"))
    return ",".join(parts)


def is_default(parameters: dict) -> bool:
    return all(str(parameters[k]) == v for k, v in DEFAULTS.items())


def code_hash(notebook: Path) -> str:
    """Content hash of everything a notebook's results depend on, parameters excluded."""
    digest = hashlib.sha256()
    files = [notebook, paths.REGISTRY, *sorted(paths.RAW.glob("*.txt")),
             *sorted(Path(__file__).parent.glob("*.py")),
             *sorted(paths.CROSSWALKS.glob("*.csv"))]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def check_parameters(parameters: dict) -> None:
    """Fail before any notebook runs if the year or a municipality has no data."""
    from .build import extract_and_clean
    from .registry import load_registry
    from .scope import resolve
    reports = load_registry()
    resolve(parameters["year"], parameters["municipalities"], reports,
            extract_and_clean(reports).facts)


def run(year: str = "latest", municipalities: str = "all", *, force: bool = False,
        outputs: paths.Outputs | None = None, progress: bool = True,
        notebooks: tuple[str, ...] = NOTEBOOKS) -> list[RunResult]:
    parameters = {"year": str(year), "municipalities": municipalities}
    check_parameters(parameters)
    base = outputs or paths.Outputs()
    folder = base.build / run_name(parameters)
    if outputs is None and not is_default(parameters):
        # another year or selection: a self-contained output tree, the committed
        # data/processed and figures (the default study) stay as they are
        base = paths.Outputs(folder)
    outputs = base.ensure()
    parameters["out_dir"] = "" if outputs.root == paths.ROOT else str(outputs.root)
    folder.mkdir(parents=True, exist_ok=True)
    default = is_default(parameters) and outputs.root == paths.ROOT
    html_dir = paths.ROOT / "reports" / "html" if default else folder / "html"
    html_dir.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=1) as pool:  # HTML renders while the next kernel runs
        pages = {}

        def render_later(name: str, executed: Path) -> None:
            pages[name] = pool.submit(_render, name, executed, html_dir, default)

        results = _execute(notebooks, folder, parameters, outputs, force, progress,
                           render_later)
        rendered = {Path(name).stem: future.result() for name, future in pages.items()}
    publish(outputs, rendered, html_dir, progress)
    return results


def _render(name: str, executed: Path, html_dir: Path, default: bool) -> tuple[Path, str]:
    from .report import render_notebook
    if name == SUMMARY and default:
        store_summary(executed, paths.NOTEBOOKS / SUMMARY)
    return render_notebook(executed, html_dir)


def _execute(notebooks, folder, parameters, outputs, force, progress, done) -> list[RunResult]:
    import papermill as pm

    results = []
    for index, name in enumerate(notebooks, start=1):
        source = paths.NOTEBOOKS / name
        target = folder / name
        stamp = folder / f".{name}.stamp"
        key = hashlib.sha256((code_hash(source) + json.dumps(parameters, sort_keys=True)
                              ).encode()).hexdigest()
        if not force and target.exists() and stamp.exists() and stamp.read_text() == key \
                and outputs.processed.exists() and any(outputs.processed.iterdir()):
            _say(progress, f"[{index}/{len(notebooks)}] {name}: unchanged, skipped")
            results.append(RunResult(name, "skipped", 0.0, target))
            done(name, target)
            continue
        _say(progress, f"[{index}/{len(notebooks)}] {name}: running")
        start = time.perf_counter()
        stamp.unlink(missing_ok=True)
        try:
            pm.execute_notebook(str(source), str(target), parameters=parameters,
                                progress_bar=progress, cwd=str(paths.NOTEBOOKS),
                                kernel_name="python3", log_output=False,
                                request_save_on_cell_execute=False)
        except pm.PapermillExecutionError as exc:
            raise StudyError(
                f"notebook {name} failed in cell {exc.exec_count} ({exc.ename}: {exc.evalue})",
                file=str(target),
                fix="open the executed notebook kept at this path to see the failing cell") \
                from None
        stamp.write_text(key)
        seconds = time.perf_counter() - start
        results.append(RunResult(name, "ran", seconds, target))
        _say(progress, f"[{index}/{len(notebooks)}] {name}: done in {seconds:.1f} s")
        done(name, target)
    return results


def publish(outputs: paths.Outputs, rendered: dict, html_dir: Path, progress: bool) -> None:
    """Data package (with file hashes), data dictionary and the HTML report's index."""
    from .datapackage import write_datapackage
    from .dictionary import write_dictionary
    from .registry import load_registry
    from .report import write_index
    written = [write_datapackage(outputs.processed, load_registry(), hashes=True),
               write_dictionary(outputs.processed, outputs.root / "docs" / "data_dictionary.md"),
               write_index(rendered, html_dir)[0]]
    for path in written:
        _say(progress, f"wrote {path}")


def store_summary(executed: Path, committed: Path) -> None:
    """Copy the executed default summary over the committed one, minus run metadata
    (timestamps, durations), so the stored outputs are exactly what nbval re-checks."""
    notebook = json.loads(executed.read_text(encoding="utf-8"))
    notebook.get("metadata", {}).pop("papermill", None)
    for index, cell in enumerate(notebook.get("cells", [])):
        cell["id"] = f"cell-{index:02d}"  # papermill's injected cell gets a random id
        meta = cell.get("metadata", {})
        meta.pop("papermill", None)
        meta.pop("execution", None)
        if "tags" in meta and not meta["tags"]:
            meta.pop("tags")
    committed.write_text(json.dumps(notebook, indent=1, ensure_ascii=False, sort_keys=True)
                         + "\n", encoding="utf-8")


def _say(progress: bool, message: str) -> None:
    if progress:
        print(message, file=sys.stderr, flush=True)
