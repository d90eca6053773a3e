"""Swedish report labels and their English translations (``crosswalks/translations.csv``):
which labels the study uses and where, for part 3 of the data dictionary."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

from socialstudy import paths
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.errors import CrosswalkError

TRANSLATIONS = "translations.csv"
UNTRANSLATED = "(no translation yet)"


def reference(name: str) -> dict:
    """A file of ``socialstudy/reference/`` (label places, Kolada key figures)."""
    return yaml.safe_load((paths.REFERENCE / name).read_text(encoding="utf-8"))


def load_translations(folder: Path = paths.CROSSWALKS) -> dict[str, str]:
    """Swedish label -> English, from ``crosswalks/translations.csv``."""
    result: dict[str, str] = {}
    for row in read_crosswalk(TRANSLATIONS, folder):
        problem = ("translated twice" if row.swedish in result
                   else "has an empty translation" if not row.english.strip() else "")
        if problem:
            raise CrosswalkError(f"label {row.swedish!r} {problem}",
                                 file=str(folder / TRANSLATIONS), line=row.line,
                                 fix="keep one row per Swedish label, with its English")
        result[row.swedish] = row.english
    return result


def swedish_labels(processed_dir: Path, folder: Path = paths.CROSSWALKS
                   ) -> dict[str, list[str]]:
    """Every Swedish report label the study uses -> where it is used (sorted); the places
    are listed in ``reference/swedish_labels.yaml``."""
    sources = reference("swedish_labels.yaml")
    used: dict[str, set[str]] = {}
    for place in sources["processed"]:
        path = Path(processed_dir) / f"{place['table']}.csv"
        if not path.exists():  # part 1 says "not built"
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row[place["column"]]:
                    used.setdefault(row[place["column"]], set()).add(
                        f"{place['table']}.{place['column']}")
    for place in sources["crosswalks"]:
        where = place.get("where", {})
        for row in read_crosswalk(place["file"], folder):
            label = getattr(row, place["column"])
            if label and all(getattr(row, k) == v for k, v in where.items()):
                used.setdefault(label, set()).add(f"crosswalks/{place['file']}")
    return {label: sorted(places) for label, places in sorted(used.items())}
