"""A copy of the checkout for tests that run the study as a user would (the CLI in a
subprocess, on the copy's own package), so the committed outputs are never touched."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

COPIED = ("socialstudy", "data", "notebooks", "figures", "docs", "reports")


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
    return target


def run_cli(repo: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    """`python -m socialstudy run` in a copy (its own package; not a notebook stage)."""
    from socialstudy.engine.staging import STAGE_ENV
    env = {**os.environ, "PYTHONPATH": str(repo)}
    env.pop(STAGE_ENV, None)
    return subprocess.run([sys.executable, "-m", "socialstudy", "run", *args], cwd=repo,
                          env=env, capture_output=True, text=True, **kwargs)
