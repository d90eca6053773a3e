"""Small CSV crosswalks that live beside the code: read them, check them, fail by line."""

from __future__ import annotations

import csv
from pathlib import Path

from . import paths
from .errors import CrosswalkError


def read_crosswalk(name: str, required: tuple[str, ...], folder: Path = paths.CROSSWALKS
                   ) -> list[dict[str, str]]:
    """Rows of ``crosswalks/<name>`` as dicts, each with ``_line`` (its line in the file)."""
    path = folder / name
    if not path.exists():
        raise CrosswalkError("crosswalk file not found", file=str(path),
                             fix="restore it from git; the study cannot map labels without it")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise CrosswalkError(f"missing columns {missing}", file=str(path), line=1,
                                 fix=f"the header must contain {list(required)}")
        rows = []
        for row in reader:
            row["_line"] = str(reader.line_num)
            rows.append(row)
    return rows
