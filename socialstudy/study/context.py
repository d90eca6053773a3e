"""What a notebook needs to know about its run, from its three parameters.

Every notebook's setup cell calls :func:`open_run` with its parameters. It resolves them
exactly as ``python -m socialstudy run`` does, so a notebook run with papermill directly
(``papermill notebooks/02_cost_structure.ipynb out.ipynb -p year 2020``) writes where the
CLI would — ``build/year=2020/`` — and never into the committed default study. Under the
runner, writes go to its staging tree (promoted only if the whole run succeeds). A
notebook whose upstream tables are missing stops with one line naming what to run first.
"""

from __future__ import annotations

import functools
import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from socialstudy import paths
from socialstudy.core import runspec
from socialstudy.engine import dag, staging
from socialstudy.errors import BadParameter, ParameterError, UpstreamMissing


@dataclass
class RunContext:
    """One notebook's view of its run.

    ``outputs.processed`` holds the full panel (every report), ``selection`` the run's
    own selected tables, ``outputs.figures`` the run's figures. ``root`` is where the
    results end up (the repository for the default parameters, else ``build/<name>/``);
    ``outputs`` may be the runner's staging copy of it.
    """

    notebook: str
    spec: runspec.RunSpec
    root: Path
    outputs: paths.Outputs
    parameters: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def default(self) -> bool:
        return self.spec.default and self.root == paths.ROOT

    @property
    def selection(self) -> Path:
        folder = self.outputs.processed / "selection"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    @functools.cached_property
    def reports(self) -> list:
        from socialstudy.core.registry import load_registry
        return load_registry()

    @functools.cached_property
    def facts(self):
        from socialstudy.measures.tabular import load_facts
        return load_facts(self.outputs.processed)

    @functools.cached_property
    def scope(self):
        """The resolved ``scope.Scope`` (reads ``facts.csv``, so notebook 01 asks for it
        only after writing the facts)."""
        from socialstudy.core.scope import resolve
        try:
            return resolve(self.spec.year, self.spec.municipalities, self.reports,
                           self.facts)
        except ParameterError as exc:
            raise BadParameter(exc.problem, file=exc.file,
                               fix=f"set {runspec.FLAGS['year']}: {exc.fix}") from None


def open_run(notebook: str, year="latest", municipalities="all",
             out_dir: str | Path = "") -> RunContext:
    """Resolve the parameters, find the output tree, check the upstream outputs."""
    stem = Path(notebook).stem
    try:
        spec = runspec.canonical(year, municipalities)
    except ParameterError as exc:
        raise BadParameter(exc.problem, file=exc.file, fix=exc.fix) from None
    root = spec.root(out_dir)
    for base in dict.fromkeys([paths.ROOT, Path(out_dir).resolve() if str(out_dir) else
                               paths.ROOT]):  # a promotion a killed run left half done
        staging.recover_if_interrupted(base, say=_say)
    outputs = paths.Outputs(staging.stage_root(root))
    _check_year(spec)
    _check_upstream(stem, spec, outputs, out_dir)
    outputs.ensure()
    parameters = {**spec.parameters, "out_dir": str(out_dir)}
    return RunContext(stem, spec, root, outputs, parameters)


def _check_year(spec: runspec.RunSpec) -> None:
    """A year without outcome data stops every notebook with the same one line as the
    CLI, before anything is written (notebook 01 would otherwise write its extraction
    first). Under the runner its preflight has checked already."""
    if spec.year == "latest" or os.environ.get(staging.STAGE_FOR_ENV):
        return
    # imported by name, so the notebooks' code hash (engine.imports reads import
    # statements) does not take in the runner: this check decides only whether a
    # notebook stops, never what it writes
    runs = importlib.import_module("socialstudy.study.runs")
    table = dag.load_table()
    inputs = dag.hashes(paths.ROOT, dag.expand(paths.ROOT, table.inputs))
    try:
        runs.check_year(spec, paths.ROOT, inputs)
    except ParameterError as exc:
        raise BadParameter(exc.problem, file=exc.file, fix=exc.fix) from None


def _check_upstream(stem: str, spec: runspec.RunSpec, outputs: paths.Outputs,
                    out_dir) -> None:
    table = dag.load_table()
    names = [s.name for s in table.steps]
    if stem not in names:
        return
    step = table.step(stem)
    for earlier in table.steps[:names.index(stem)]:
        for rel in earlier.writes:
            literal = not any(c in rel for c in "*?[")
            if literal and dag.matches(rel, step.reads) and not (outputs.root / rel).exists():
                where = "" if not str(out_dir) else f" -p out_dir {out_dir}"
                raise UpstreamMissing(
                    f"{rel} is missing in {paths.shown(outputs.root)}: notebook {earlier.name} "
                    f"has not run for {spec.name}",
                    fix=f"run `{spec.command()}` (all notebooks in order), or papermill "
                        f"notebooks/{earlier.name}.ipynb with the same -p year/-p "
                        f"municipalities{where} first")


def _say(line: str) -> None:
    import sys
    print(line, file=sys.stderr, flush=True)


