"""Where things live. Inputs come from the repository; outputs go under an output root:
the repository for the default parameters, ``build/<run name>/`` for any other set
(:mod:`socialstudy.runspec`), or a folder a test or the benchmark chooses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "data" / "raw"
REGISTRY = RAW / "reports.yml"
NOTEBOOKS = ROOT / "notebooks"
PACKAGE = Path(__file__).resolve().parent
CROSSWALKS = PACKAGE / "crosswalks"
SCHEMAS = PACKAGE / "schemas"
REFERENCE = PACKAGE / "reference"
STEPS = PACKAGE / "steps.yml"


def shown(path: Path, root: Path = ROOT) -> str:
    """``path`` as a message names it: relative to ``root`` (the repository) where it lies
    inside it, else in full."""
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Outputs:
    """The output folders of one study run."""

    root: Path = ROOT

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def figures(self) -> Path:
        return self.root / "figures"

    def ensure(self) -> Outputs:
        for folder in (self.processed, self.figures):
            folder.mkdir(parents=True, exist_ok=True)
        return self
