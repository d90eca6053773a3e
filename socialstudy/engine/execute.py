"""One notebook executed by papermill on a kernel of the pool, into the staging tree, and
stored without run metadata; a failing notebook is kept in ``build/failed/`` and reported
in one line."""

from __future__ import annotations

import os
from pathlib import Path

from socialstudy import paths
from socialstudy.engine import dag, staging
from socialstudy.engine.warm import died
from socialstudy.errors import StudyError


def execute(step: dag.Step, stage: staging.Stage, km, spec, base: Path,
            progress: bool) -> None:
    """Run one notebook on ``km`` into the stage; store it without run metadata."""
    import papermill as pm

    from socialstudy.engine.kernels import ENGINE
    target = stage.dir / "notebooks" / f"{step.name}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    parameters = {} if spec.default else spec.parameters  # default: one parameters cell
    try:
        pm.execute_notebook(str(paths.ROOT / step.notebook), str(target),
                            parameters=parameters, engine_name=ENGINE, km=km,
                            kernel_name="python3", progress_bar=progress,
                            request_save_on_cell_execute=False, log_output=False,
                            cwd=str(paths.ROOT / "notebooks"))
    except pm.PapermillExecutionError as exc:
        kept = _keep_failed(target, base, spec)
        evalue = " ".join(str(exc.evalue).split())
        raise StudyError(f"notebook {step.name}.ipynb failed in cell {exc.exec_count} "
                         f"({exc.ename}: {evalue}); outputs unchanged", file=kept,
                         fix="open the executed notebook kept at this path to see the "
                             "failing cell") from None
    except Exception as exc:  # the kernel died or did not start: still one line
        launcher = died(km)  # (with the process it was forked from)
        cell = getattr(exc, "cell", None)  # the cell it died in (engine.cells.last_started)
        where = f" in cell {cell}" if cell else ""
        if launcher:
            raise StudyError(f"notebook {step.name}.ipynb could not run{where}: {launcher}; "
                             "outputs unchanged", file=step.notebook,
                             fix="run it again (a new launcher starts); if it repeats, "
                                 "look for what stops or ends it (out of memory: `dmesg`)"
                             ) from None
        raise StudyError(f"notebook {step.name}.ipynb could not run{where} "
                         f"({type(exc).__name__}: {' '.join(str(exc).split())}); outputs "
                         "unchanged", file=step.notebook,
                         fix="run it again; if it repeats, run the notebook in Jupyter to "
                             "see why the kernel stops") from None
    stage.warn(target.name, dag.load_table().pages().store(target) or [])


def _keep_failed(target: Path, base: Path, spec) -> str:
    kept = base / "build" / "failed" / spec.name / target.name
    kept.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        os.replace(target, kept)
    return paths.shown(kept)
