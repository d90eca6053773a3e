"""Wall time of the default study against the toolchain's floor: papermill executing the
same number of notebooks that hold only the parameters cell and the imports.

Measured in one process: the floor, then the forced study into a temporary output tree,
then an unchanged rerun of it. The whole-process no-op (``time python -m socialstudy run``,
Python start-up included) is measured separately in a subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from socialstudy import paths
from socialstudy.engine import dag
from socialstudy.study import runs


def _floor_notebook(source: Path, target: Path) -> None:
    """Keep the parameters cell and one cell with every import statement of the notebook
    (as the kernels pre-load them, ``kernels.imports``)."""
    from socialstudy.engine.kernels import imports
    notebook = json.loads(source.read_text(encoding="utf-8"))
    params = next(c for c in notebook["cells"]
                  if "parameters" in c.get("metadata", {}).get("tags", []))
    params["outputs"], params["execution_count"] = [], None
    notebook["cells"] = [params, {"cell_type": "code", "execution_count": None, "id": "imports",
                                  "metadata": {}, "outputs": [], "source": imports(source)}]
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
