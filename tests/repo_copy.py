"""A copy of the checkout for tests that run the study as a user would (the CLI in a
subprocess, on the copy's own package), so the committed outputs are never touched.

A copy also gets the compiled bytecode its sources already have (``seed_bytecode``): with
``PYTHONPYCACHEPREFIX`` (as `make test` sets it) bytecode is kept by the source's absolute
path, so every copy would otherwise compile the whole package again in its first process
and in each notebook kernel (about 1.5 CPU-seconds each). Python checks each cached file
against its source's size and modification time, which the copy keeps (``copy2``): an
edited source in a copy is compiled afresh."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

COPIED = ("socialstudy", "data", "notebooks", "figures", "docs", "reports")


# what a study run writes in the default tree (the committed outputs)
COMMITTED = ("data/processed", "figures", "notebooks", "docs")


def committed_tree(repo: Path) -> dict[str, bytes]:
    """Every committed output of ``repo``, and its manifest, by path: what a run of other
    parameters, a failed or interrupted run must leave as it was."""
    return {p.relative_to(repo).as_posix(): p.read_bytes()
            for name in (*COMMITTED, "study-manifest.json")
            for p in ([repo / name] if (repo / name).is_file() else
                      sorted((repo / name).rglob("*"))) if p.is_file()}


def copy_repo(source: Path, target: Path, names=COPIED) -> Path:
    """The parts of a checkout a run reads and writes, without caches and build/."""
    ignore = shutil.ignore_patterns(".venv", ".git", "__pycache__", ".stage-*", "build",
                                    ".ipynb_checkpoints")
    target.mkdir(parents=True)
    for name in names:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, ignore=ignore)
    for name in ("study-manifest.json", "pyproject.toml"):
        shutil.copy2(source / name, target / name)
    seed_bytecode(source, target, names)
    return target


def seed_bytecode(source: Path, target: Path, names=COPIED) -> None:
    """Copy the cached bytecode of the folders ``names`` of ``source`` to where Python
    looks for that of ``target`` (only with a bytecode prefix: ``__pycache__`` folders
    beside the sources are not copied)."""
    if not sys.pycache_prefix:
        return
    prefix = Path(sys.pycache_prefix)
    for name in names:
        cached = prefix / _relative(source / name)
        if cached.is_dir() and (target / name).is_dir():
            shutil.copytree(cached, prefix / _relative(target / name), dirs_exist_ok=True)


def _relative(path: Path) -> Path:
    path = path.resolve()
    return path.relative_to(path.anchor)


def repo_env(repo: Path) -> dict[str, str]:
    """The environment that runs ``python -m socialstudy`` on the copy ``repo``: its own
    package on the path, and not `make test`'s stage folder (SOCIALSTUDY_STAGE), which
    would send the copy's notebooks elsewhere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCIALSTUDY_STAGE")}
    return {**env, "PYTHONPATH": str(repo)}


def run_cli(repo: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    """`python -m socialstudy run` in a copy (its own package; not a notebook stage)."""
    from socialstudy.engine.staging import STAGE_ENV
    env = {**os.environ, "PYTHONPATH": str(repo)}
    env.pop(STAGE_ENV, None)
    return subprocess.run([sys.executable, "-m", "socialstudy", "run", *args], cwd=repo,
                          env=env, capture_output=True, text=True, **kwargs)


# one process answering many `python -m socialstudy ARGS` (see CliSession)
SESSION = r"""
import contextlib, io, json, sys, traceback
from socialstudy.__main__ import main
for line in sys.stdin:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(json.loads(line))
        except SystemExit as exc:  # argparse's usage error
            code = exc.code if isinstance(exc.code, int) else 1
        except Exception:  # what `python -m socialstudy` would print, and exit 1 with
            traceback.print_exc()
            code = 1
    print(json.dumps([code, out.getvalue(), err.getvalue()]), file=sys.__stdout__, flush=True)
"""


class CliSession:
    """``python -m socialstudy ARGS`` in the copy ``repo``, answered by one process that
    calls the CLI's ``main`` for each command in turn, as a user types them one after
    another: each reads the files as the one before left them (the package's caches are
    keyed by each file's state), and the package is imported once, not once per command
    (0.7 CPU-seconds each). For commands that start no kernel: add-report and review."""

    def __init__(self, repo: Path, env: dict[str, str]) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", SESSION], cwd=repo, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, encoding="utf-8")

    def __call__(self, *args: str) -> subprocess.CompletedProcess:
        self.process.stdin.write(json.dumps(list(args)) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        assert answer, f"the CLI session ended (exit {self.process.wait()}) on {args}"
        code, out, err = json.loads(answer)
        return subprocess.CompletedProcess([sys.executable, "-m", "socialstudy", *args],
                                           code, out, err)

    def __enter__(self) -> "CliSession":
        return self

    def __exit__(self, *_) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)
