"""The declared build graph (``steps.yml``) and the hash manifest that decides what reruns.

A step is current when the content hashes of everything it reads — its notebook's cells,
the package code it imports (transitively), the raw data and package data, the outputs of
earlier steps it reads, the parameters — equal those recorded after its last successful
run, and every output it recorded is still there with the same hash. Anything else reruns
it. Content hashes, not timestamps: a ``git checkout`` or a copy of the repository does not
trigger work, and an edit that leaves a table's bytes unchanged stops the cascade there.
Imports stay light (no pandas), so an unchanged rerun is a fraction of a second.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from socialstudy import paths
from socialstudy.engine import imports
from socialstudy.errors import StudyError

TABLE = paths.STEPS
MANIFEST = "study-manifest.json"
PACKAGE = paths.PACKAGE


@dataclass(frozen=True)
class Step:
    name: str
    notebook: str | None       # repository-relative path, None for a function step
    modules: tuple[str, ...]
    reads: tuple[str, ...]     # patterns relative to the run's output root
    writes: tuple[str, ...]
    function: str | None = None  # "module:name", called with the run's paths.Outputs

    def call(self):
        """The function of a step that is not a notebook."""
        import importlib
        module, name = self.function.split(":")
        return getattr(importlib.import_module(module), name)

    def derived(self) -> tuple[str, ...]:
        """Outputs every notebook step has besides its declared writes."""
        if not self.notebook:
            return ()
        return (f"notebooks/{self.name}.ipynb", f"reports/html/{self.name}.html")


@dataclass(frozen=True)
class StepTable:
    inputs: tuple[str, ...]
    parameters: tuple[str, ...]
    render: tuple[str, ...]     # modules that store an executed notebook and render its page
    steps: tuple[Step, ...]

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name)

    def pages(self):
        """The module (first under ``render:``) whose ``store``, ``render`` and
        ``restore`` turn an executed notebook into its stored copy and page."""
        import importlib
        return importlib.import_module(f"{PACKAGE.name}.{self.render[0]}")


def load_table(path: Path = TABLE) -> StepTable:
    import yaml
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    steps = tuple(Step(name, spec.get("notebook"), _function_module(spec.get("function")),
                       tuple(spec.get("reads", ())), tuple(spec.get("writes", ())),
                       spec.get("function")) for name, spec in data["steps"].items())
    table = StepTable(tuple(data["inputs"]), tuple(data["parameters"]),
                  tuple(data.get("render", ())), steps)
    check_concurrent_writes(table, path)
    return table


def _function_module(function: str | None) -> tuple[str, ...]:
    """The package module of a function step (a notebook's modules are read from its
    cells, so they are declared nowhere)."""
    if not function:
        return ()
    return (function.split(":")[0].removeprefix(PACKAGE.name + "."),)


def _overlap(patterns, others) -> str | None:
    """A path (or pattern) that both pattern lists can name, else None."""
    for a in patterns:
        for b in others:
            if not a.startswith("!") and not b.startswith("!") and \
                    (fnmatch.fnmatch(a, b) or fnmatch.fnmatch(b, a)):
                return a if not any(c in a for c in "*?[") else b
    return None


def waits(table: StepTable) -> dict[str, set[str]]:
    """For each step, the earlier steps that must finish before it starts (transitively):
    those writing something it reads or reading something it writes. Steps with no such
    tie (notebooks 02–04, which all read only facts.csv) may run side by side."""
    found: dict[str, set[str]] = {}
    for index, step in enumerate(table.steps):
        found[step.name] = set()
        writes = step.writes + step.derived()
        for earlier in table.steps[:index]:
            if _overlap(earlier.writes + earlier.derived(), step.reads) or \
                    _overlap(writes, earlier.reads):
                found[step.name] |= {earlier.name, *found[earlier.name]}
    return found


def check_concurrent_writes(table: StepTable, path: Path = TABLE) -> None:
    """Two steps that may run at once must not write the same file: the bytes would
    depend on which finished last."""
    after = waits(table)
    for index, step in enumerate(table.steps):
        for other in table.steps[index + 1:]:
            shared = _overlap(step.writes, other.writes)
            if shared and step.name not in after[other.name]:
                raise StudyError(f"steps {step.name} and {other.name} may run at once and "
                                 f"both write {shared}", file=paths.shown(Path(path).resolve()),
                                 fix=f"declare {shared} under the writes of one of them "
                                     "only (and write it from that step alone)")


def expand(base: Path, patterns) -> list[str]:
    """Files under ``base`` matching the patterns ('!' excludes), relative, sorted."""
    found: set[str] = set()
    for pattern in patterns:
        if not pattern.startswith("!"):
            glob = pattern + "/*" if pattern.endswith("**") else pattern  # 3.11: ** = dirs
            found.update(p.relative_to(base).as_posix() for p in base.glob(glob)
                         if p.is_file())
    for pattern in patterns:
        if pattern.startswith("!"):
            found = {f for f in found if not fnmatch.fnmatch(f, pattern[1:])}
    return sorted(found)


def matches(rel: str, patterns) -> bool:
    return any(fnmatch.fnmatch(rel, p) for p in patterns if not p.startswith("!"))


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def hashes(base: Path, rels) -> dict[str, str]:
    return {rel: file_hash(base / rel) for rel in rels}


def notebook_hash(path: Path) -> str:
    """Hash of a notebook's cells (type and source) only: storing its executed outputs
    back into the file does not make it look changed."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    content = [[c["cell_type"], "".join(c["source"])] for c in cells
               if "injected-parameters" not in c.get("metadata", {}).get("tags", [])]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def step_state(step: Step, root: Path, repo: Path = paths.ROOT,
               render: tuple[str, ...] = ()) -> dict:
    """What the step's result depends on, by content hash (outputs not included)."""
    state = {}
    if step.notebook:
        state["notebook"] = notebook_hash(repo / step.notebook)
        state["render"] = hashes(repo, imports.closure(render))
    state["code"] = hashes(repo, imports.closure(_modules(step, repo)))
    state["reads"] = hashes(root, expand(root, step.reads))
    return state


def parse_code(steps: list[Step], repo: Path = paths.ROOT, render: tuple[str, ...] = ()
               ) -> None:
    """Parse every step's code now (kept parsed): a page rendering beside the steps holds
    ``imports.PARSE_LOCK``, and a step whose code was not parsed yet waited for it to
    start (02 for 01's page: 0.47 s)."""
    imports.closure(render)
    for step in steps:
        imports.closure(_modules(step, repo))


def _modules(step: Step, repo: Path) -> set[str]:
    """The package modules a step names and its notebook's cells import."""
    found = set(step.modules)
    return found | imports.notebook_modules(repo / step.notebook) if step.notebook else found


def _changed(step: Step, state: dict, recorded: dict, keys) -> str | None:
    for key in keys:
        old, new = recorded.get(key), state.get(key)
        if old != new:
            if isinstance(new, dict) and isinstance(old, dict):
                changed = sorted(set(old.items()) ^ set(new.items()))
                return f"changed: {changed[0][0]}"
            return f"changed: {step.notebook or key}"
    return None


def why_stale(step: Step, state: dict, recorded: dict | None, root: Path) -> str | None:
    """None if the step is current, else the first reason it is not."""
    if recorded is None:
        return "no record of a previous run"
    return (_changed(step, state, recorded, ("notebook", "code", "reads"))
            or output_problem(recorded.get("outputs", {}), root)
            or _changed(step, state, recorded, ("render",)))


def render_only(step: Step, state: dict, recorded: dict | None, root: Path) -> bool:
    """Whether storing and rendering the executed notebook again suffices: what it was
    run from is unchanged and its outputs are intact except the HTML page."""
    if not step.notebook or recorded is None or \
            _changed(step, state, recorded, ("notebook", "code", "reads")):
        return False
    kept = {k: v for k, v in recorded.get("outputs", {}).items()
            if not k.startswith("reports/html/")}
    return output_problem(kept, root) is None


def output_problem(outputs: dict[str, str], root: Path) -> str | None:
    for rel, digest in sorted(outputs.items()):
        path = root / rel
        if not path.is_file():
            return f"output missing: {rel}"
        if file_hash(path) != digest:
            return f"output altered: {rel}"
    return None


def read_manifest(root: Path) -> dict:
    path = root / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def attribute(steps, written: set[str]) -> dict[str, set[str]]:
    """Split the files written while ``steps`` ran side by side among them by their
    declared writes (no two may declare one file, see ``check_concurrent_writes``); a
    file none of them declares, or a declared file not written, stops the run."""
    owned = {step.name: {w for w in written if matches(w, step.writes)} for step in steps}
    undeclared = sorted(written - set().union(*owned.values()))
    if undeclared and len(steps) > 1:
        names = ", ".join(step.name for step in steps)
        raise StudyError(f"one of the steps {names} (run side by side) wrote "
                         f"{undeclared[0]}, which is not among their writes",
                         file="socialstudy/steps.yml",
                         fix=f"add {undeclared[0]} (or a pattern) under the writes of the "
                             "step that writes it")
    for step in steps:
        check_writes(step, written if len(steps) == 1 else owned[step.name])
    return owned


def check_writes(step: Step, written: set[str]) -> None:
    """The declared table must say what a step writes: stop on a surprise either way."""
    undeclared = sorted(w for w in written if not matches(w, step.writes))
    if undeclared:
        raise StudyError(f"step {step.name} wrote {undeclared[0]}, which is not among its "
                         "writes", file="socialstudy/steps.yml",
                         fix=f"add {undeclared[0]} (or a pattern) under steps: {step.name}: "
                             "writes")
    missing = [w for w in step.writes if not any(c in w for c in "*?[")
               and w not in written]
    if missing:
        raise StudyError(f"step {step.name} did not write {missing[0]}, which is declared "
                         "among its writes", file="socialstudy/steps.yml",
                         fix="write it through socialstudy.study.context.open_run(…).outputs "
                             f"(the runner's staging tree), or remove it from steps: "
                             f"{step.name}: writes")
