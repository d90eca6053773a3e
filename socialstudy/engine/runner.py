"""Run the study: the steps of ``steps.yml`` — notebooks 01–05 with papermill, then the
data package, data dictionary and HTML index — rerunning only what changed.

What reruns is decided by :mod:`socialstudy.engine.dag` (content hashes against the manifest of
the last successful run), and so is what may run side by side: a step starts once the
earlier steps writing what it reads are done (``dag.waits``), at most ``KERNELS``
notebooks at once, so 02, 03 and 04 share the two cores. How a run stays all-or-nothing
is :mod:`socialstudy.engine.staging`; kernels come from :mod:`socialstudy.engine.kernels`,
the steps run in :mod:`socialstudy.engine.schedule`. With nothing
changed the run only hashes files and exits, without importing pandas or papermill.
Notebooks execute in worker threads so that Ctrl-C reaches the runner (nbclient otherwise
takes SIGINT over), kills every kernel and ends the run with "interrupted; outputs
unchanged"."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from socialstudy import paths
from socialstudy.engine import dag, imports, journal, staging
from socialstudy.engine.schedule import Schedule
from socialstudy.errors import DiskFull, Interrupted

FORMAT = 1
KERNELS = max(1, min(2, os.cpu_count() or 1))  # notebook kernels at once: the cores
STOP_WAIT = 10.0  # seconds an interrupted run waits for its steps' threads to end
KERNEL_PROCESSES = "kernel processes"  # what kernels wrote outside any notebook, in the log
# what an ipykernel 7.4 kernel that ends itself (the runner ends its kernels with SIGTERM)
# prints tearing its threads down: a flush left unanswered, libzmq's abort on a socket closed
# under another thread. Outputs are in by then (idle status): logged, labelled, not counted
SHUTDOWN_NOISE = frozenset({"IOStream.flush timed out",
                            "Assertion failed: pfd.revents & POLLIN (src/signaler.cpp:238)"})


@dataclass
class RunResult:
    notebook: str
    status: str  # ran | rendered | skipped
    seconds: float
    output: Path
    reason: str = ""
    warnings: int = 0  # stderr outputs of its kernel, kept out of the notebook
    log: Path | None = None  # where they went


def run(spec, *, preflight=None, force: bool = False, outputs: paths.Outputs | None = None,
        progress: bool = True, wait: bool = True,
        table: dag.StepTable | None = None) -> list[RunResult]:
    """Bring the output tree of a resolved parameter set ``spec`` up to date (``force``:
    rerun every step). ``spec`` knows its name, parameters and default tree
    (``spec.root()``); ``outputs`` puts the tree elsewhere (tests, benchmark).
    ``preflight(spec, base, inputs)`` is the study's check before any step runs."""
    base = Path(outputs.root).resolve() if outputs else paths.ROOT
    root = base if outputs else spec.root()
    with staging.run_lock(base, wait=wait, say=lambda m: staging.say(m, progress)):
        staging.recover(base, say=lambda m: staging.say(m))  # said even with --quiet
        from socialstudy.engine.kernels import clean_stale
        clean_stale()
        return Runner(spec, root, base, table or dag.load_table(), force, progress,
                      preflight).run()


class Runner:
    def __init__(self, spec, root: Path, base: Path, table: dag.StepTable, force: bool,
                 progress: bool, preflight=None):
        self.spec, self.root, self.base, self.table = spec, root, base, table
        self.force, self.progress = force, progress
        self.preflight = preflight or (lambda spec, base, inputs: None)
        self.old = dag.read_manifest(root)
        self.inputs = dag.hashes(paths.ROOT, dag.expand(paths.ROOT, table.inputs))
        self.changed_inputs = (self.old.get("format") != FORMAT
                               or self.old.get("parameters") != spec.parameters
                               or self.old.get("inputs") != self.inputs)

    def runs_notebook(self, step: dag.Step, tree: Path) -> bool:
        """The step will execute its notebook: neither skipped nor only re-rendered (a
        fresh clone has no pages: its run renders them and needs no kernel)."""
        if self.reason(step, tree) is None:
            return False
        return not self.render_only(step, self.state(step, tree), tree)

    def render_only(self, step: dag.Step, state: dict, tree: Path) -> bool:
        """Only the step's page is missing or stale: re-render it, run no kernel."""
        return not (self.force or self.changed_inputs) and dag.render_only(
            step, state, self.old.get("steps", {}).get(step.name), tree)

    def reason(self, step: dag.Step, tree: Path) -> str | None:
        if self.force:
            return "forced"
        if self.changed_inputs:
            return _input_change(self.old, self.inputs, self.spec)
        return dag.why_stale(step, self.state(step, tree),
                             self.old.get("steps", {}).get(step.name), tree)

    def state(self, step: dag.Step, tree: Path) -> dict:
        return dag.step_state(step, tree, render=self.table.render)

    def run(self) -> list[RunResult]:
        if not self.force and not self.changed_inputs and \
                all(self.reason(s, self.root) is None for s in self.table.steps):
            staging.say(f"study up to date ({self.spec.name}): nothing to run",
                        self.progress)
            return [self._result(s, "skipped", 0.0) for s in self.table.steps]
        stage = staging.Stage(self.root, self.base, self.spec.name, self.spec.root())
        try:
            results = self._staged(stage)
        except Exception as exc:
            if not isinstance(exc, DiskFull) and staging.disk_full(exc):
                raise staging.full_disk(self.base) from None
            raise
        finally:
            stage.discard()
        for result in results:
            result.warnings, result.log = stage.warnings.get(result.notebook, 0), stage.log
        if results:  # counted in the run's last line with the notebooks' warnings
            results[0].warnings += stage.warnings.get(KERNEL_PROCESSES, 0)
        return results

    def _staged(self, stage: staging.Stage) -> list[RunResult]:
        box: dict = {"stop": threading.Event()}
        # waited for with an Event, not Thread.join: Ctrl-C inside join() marks the thread
        # ended while it runs (CPython 3.11), and a later join() returns at once
        done = threading.Event()

        def work():
            try:
                box["result"] = self._steps(stage, box)
            except BaseException as exc:  # handed to the main thread
                box["error"] = exc
            finally:
                done.set()
        from socialstudy.engine.kernels import thread
        thread(work, name="socialstudy-steps").start()
        try:
            while not done.wait(0.2):
                pass
        except KeyboardInterrupt:
            box["stop"].set()  # a pool made after this is killed at once (``_steps``)
            if box.get("pool"):
                box["pool"].kill()
            # its kernels dead, the steps' threads end within a second or so: only then is
            # the stage removed (a page or notebook written after would bring it back)
            done.wait(STOP_WAIT)
            raise Interrupted() from None
        if "error" in box:
            raise box["error"]
        results, files, delete = box["result"]
        try:
            stage.promote(files, delete)
        except KeyboardInterrupt:  # held off until every output was in place
            raise KeyboardInterrupt("interrupted while the outputs were moved into place; "
                                    "the move was completed: outputs updated") from None
        return results

    def _steps(self, stage: staging.Stage, box: dict):
        from socialstudy.engine import kernels
        kernels.register_engine()
        env = {**os.environ, **stage.env(),
               "PYTHONPATH": os.pathsep.join(filter(None, [str(paths.ROOT),
                                                          os.environ.get("PYTHONPATH")]))}
        notebooks = [paths.ROOT / s.notebook for s in self.table.steps if s.notebook]
        pool = box["pool"] = kernels.KernelPool(paths.ROOT / "notebooks", env,
                                                 imports.package_lines(notebooks))
        if box["stop"].is_set():  # interrupted while it was made
            pool.kill()
        first = next((s for s in self.table.steps if s.notebook), None)
        try:
            if first and self.runs_notebook(first, stage.dir):
                pool.start(paths.ROOT / first.notebook)  # boots while the rest is checked
            dag.parse_code(self.table.steps, render=self.table.render)
            journal.check_outputs(self.root, [dag.MANIFEST] + [
                p for s in self.table.steps for p in s.writes + s.derived()])
            self.preflight(self.spec, self.base, self.inputs)
            done = self._execute(stage, pool)
        finally:
            log_kernel_processes(stage, pool.close())
        if pool.processes:  # warm or cold: one line (an error stays the only line)
            staging.say(pool.started(), self.progress)
        return done

    def _execute(self, stage: staging.Stage, pool):
        """Start each step once the steps it waits for (``dag.waits``) are done, at most
        ``KERNELS`` notebooks at a time; files written while steps ran side by side (a
        wave) are checked and attributed by declared writes when the wave ends."""
        from concurrent.futures import ThreadPoolExecutor
        run = Schedule(self, stage, pool, KERNELS)
        with ThreadPoolExecutor(max_workers=1) as run.renderer:  # pages render meanwhile
            while run.running or (run.pending and not run.error):
                self._start_ready(run)
                if run.running:
                    self._finished(run, *run.queue.get())
            if run.error:
                raise run.error
        results = [run.results[s.name] for s in self.table.steps]
        return results, *self._finish(stage, run.records, run.ran)

    def _start_ready(self, run: Schedule) -> None:
        """Start (or skip, or re-render) every step whose predecessors are done."""
        progressed = True
        while progressed and not run.error:
            progressed = False
            for step in [s for s in run.pending if run.after[s.name] <= run.done]:
                if step.notebook and run.kernels() >= KERNELS:
                    continue
                run.pending.remove(step)
                progressed = True
                try:
                    self._start(run, step)
                except BaseException as exc:  # no kernel (the run was stopped): the
                    run.running.pop(step.name, None)  # steps running are waited for
                    run.error = run.error or exc

    def _start(self, run: Schedule, step: dag.Step) -> None:
        stage, label = run.stage, run.label(step)
        state, reason = self.state(step, stage.dir), self.reason(step, stage.dir)
        old = self.old.get("steps", {}).get(step.name)
        if reason is None:
            run.records[step.name] = old
            staging.say(f"{label}: unchanged", self.progress)
            run.settle(step, self._result(step, "skipped", 0.0))
            return
        run.ran.add(step.name)
        if self.render_only(step, state, stage.dir):
            staging.say(f"{label}: rendering ({reason})", self.progress)
            run.renderer.submit(imports.exclusive, self.table.pages().restore, stage.dir,
                                step).result()
            run.records[step.name] = {**state, "outputs": sorted(old["outputs"])}
            run.settle(step, self._result(step, "rendered", 0.0, reason))
            return
        staging.say(f"{label}: running ({reason})", self.progress)
        run.records[step.name] = state
        run.reasons[step.name] = reason
        run.launch(step, self.spec, self.base, self.progress)

    def _finished(self, run: Schedule, step: dag.Step, error, seconds: float) -> None:
        run.running.pop(step.name)
        if error is not None:
            run.error = run.error or error
        else:
            if step.notebook:
                run.renderer.submit(imports.exclusive, self.table.pages().render,
                                    run.stage.dir, step)
            staging.say(f"{run.label(step)}: done in {seconds:.1f} s", self.progress)
            run.settle(step, self._result(step, "ran", seconds, run.reasons[step.name]))
        if not run.running and not run.error:
            derived = {rel for s in self.table.steps for rel in s.derived()}
            written = run.changed_since_wave() - derived  # pages render meanwhile
            for name, files in dag.attribute(run.wave, written).items():
                outputs = files | set(self.table.step(name).derived())
                run.records[name] = {**run.records[name], "outputs": sorted(outputs)}
            run.wave = []

    def _finish(self, stage, records, ran):
        """Hash the outputs, write the manifest into the stage, list what to promote."""
        steps = {name: {**r, "outputs": dag.hashes(stage.dir, r["outputs"])}
                 for name, r in records.items() if name in ran}
        fresh = {rel: digest for r in steps.values() for rel, digest in r["outputs"].items()}
        for name, record in records.items():
            if name not in ran:  # an output shared with a step that ran: its new hash
                steps[name] = {**record, "outputs": {rel: fresh.get(rel, digest) for rel,
                                                     digest in record["outputs"].items()}}
        manifest = {"format": FORMAT, "parameters": self.spec.parameters,
                    "inputs": self.inputs, "steps": steps}
        staging.atomic_write(stage.dir / dag.MANIFEST, dag.manifest_bytes(manifest))
        files = sorted({rel for name in ran for rel in steps[name]["outputs"]
                        if not (self.root / rel).is_file()
                        or dag.file_hash(self.root / rel) != steps[name]["outputs"][rel]})
        owned = {rel for r in steps.values() for rel in r["outputs"]}
        delete = sorted({rel for r in self.old.get("steps", {}).values() if r
                         for rel in r.get("outputs", {})} - owned)
        return files + [dag.MANIFEST], delete

    def _executed(self, step) -> Path:
        return self.root / "notebooks" / f"{step.name}.ipynb"

    def _result(self, step, status, seconds, reason="") -> RunResult:
        return RunResult(f"{step.name}.ipynb" if step.notebook else step.name, status,
                         seconds, self._executed(step), reason)


def _input_change(old: dict, inputs: dict, spec) -> str:
    if not old:
        return "no record of a previous run"
    if old.get("parameters") != spec.parameters or old.get("format") != FORMAT:
        return "parameters or manifest format changed"
    changed = sorted(set(old.get("inputs", {}).items()) ^ set(inputs.items()))
    return f"changed: {changed[0][0]}"


def log_kernel_processes(stage: staging.Stage, said: str) -> None:
    """What the kernel processes wrote outside any notebook, into the run's log: counted
    as warnings, except ipykernel's ``SHUTDOWN_NOISE`` (logged, labelled, not counted)."""
    lines = said.splitlines()
    noise = [line for line in lines if line.strip() in SHUTDOWN_NOISE]
    kept = "\n".join(line for line in lines if line.strip() not in SHUTDOWN_NOISE)
    stage.warn(KERNEL_PROCESSES, [kept] if kept.strip() else [])
    stage.warn(KERNEL_PROCESSES, ["\n".join(noise)] if noise else [], counted=False)
