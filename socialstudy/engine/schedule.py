"""The state of one run's steps while they execute: pending, running (each notebook in its
own thread, so two kernels work at once) and done, and the snapshot of the current wave
of steps running side by side (for attributing what they wrote)."""

from __future__ import annotations

import queue
import time
from pathlib import Path

from socialstudy import paths
from socialstudy.engine import dag, imports, kernels, staging
from socialstudy.engine.execute import execute


class Schedule:
    """The state of one run's steps: what is pending, running (each notebook in its own
    thread, so two kernels work at once) and done, and the current wave's snapshot."""

    def __init__(self, runner, stage: staging.Stage, pool, kernels: int):
        self.stage, self.pool, self.steps = stage, pool, runner.table.steps
        self.after = dag.waits(runner.table)
        self.pending, self.running, self.done = list(self.steps), {}, set()
        self.records, self.results, self.reasons, self.ran = {}, {}, {}, set()
        self.queue, self.wave, self.before, self.error = queue.Queue(), [], {}, None
        self.renderer, self.max_kernels = None, kernels
        self.reason = lambda step: runner.reason(step, stage.dir)

    def label(self, step: dag.Step) -> str:
        return f"[{self.steps.index(step) + 1}/{len(self.steps)}] {step.name}"

    def kernels(self) -> int:
        return sum(1 for step in self.running.values() if step.notebook)

    def settle(self, step: dag.Step, result) -> None:
        self.done.add(step.name)
        self.results[step.name] = result

    def alone(self, step: dag.Step) -> bool:
        """Whether no other notebook can run while this one does (its progress bar then
        stays readable)."""
        return self.max_kernels == 1 or not any(
            other.notebook and other is not step and step.name not in self.after[other.name]
            and other.name not in self.after[step.name] for other in self.steps)

    def launch(self, step: dag.Step, spec, base: Path, progress: bool) -> None:
        if not self.running:
            self.before, self.wave = self.stage.snapshot(), []
        self.wave.append(step)
        self.running[step.name] = step
        km = None
        if step.notebook:
            km = self.pool.take(paths.ROOT / step.notebook)
            # the next kernel boots (and imports) meanwhile, for the next notebook that
            # will run as far as can be told now: none is started only to be killed
            following = next((s for s in self.pending if s.notebook and self._stale(s)), None)
            if following:
                self.pool.start(paths.ROOT / following.notebook)
        bar = progress and self.alone(step)
        kernels.thread(self._work, step, km, spec, base, bar,
                       name=f"socialstudy-{step.name}").start()

    def _stale(self, step: dag.Step) -> bool:
        """Whether ``step`` would run if it started now (its reads may still be written
        by the steps running: a file that cannot be read counts as a change)."""
        try:
            return self.reason(step) is not None
        except OSError:
            return True

    def _work(self, step: dag.Step, km, spec, base: Path, bar: bool) -> None:
        start = time.perf_counter()
        try:
            if step.notebook:
                execute(step, self.stage, km, spec, base, bar)
            else:
                self.renderer.submit(lambda: None).result()  # every page rendered first
                imports.exclusive(step.call(), paths.Outputs(self.stage.dir))
        except BaseException as exc:  # handed to the scheduler
            self.queue.put((step, exc, 0.0))
        else:
            self.queue.put((step, None, time.perf_counter() - start))

    def changed_since_wave(self) -> set[str]:
        after = self.stage.snapshot()
        return {rel for rel, stat in after.items() if self.before.get(rel) != stat}
