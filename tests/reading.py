"""The real reports read once per test process, and corpora that differ from them in one
report (a damaged copy, a synthetic next-year report) read by reading only what differs.

Each report is read on its own (``extract.extraction.report_records``: a report's rows do
not depend on the other reports), and the five tables are sorted with ``doc_id`` first, so
a corpus's tables are the real reports' rows of every unchanged report beside a fresh read
of the changed ones: what ``extract_and_clean`` of the whole corpus gives, row for row
(tests/test_reading.py checks it on a damaged copy). Unchanged means the same registry
entry, the same bytes and the same crosswalks; anything else is read afresh."""

from __future__ import annotations

import dataclasses
import functools

import pandas as pd

from socialstudy.core.registry import load_registry, sha256_of
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.extract.extraction import Extraction, extract_and_clean, load_crosswalks

TABLES = [field.name for field in dataclasses.fields(Extraction)]


@functools.cache
def _real() -> tuple[dict, tuple, Extraction]:
    reports = load_registry()
    return {r.doc_id: r for r in reports}, load_crosswalks(), extract_and_clean(reports)


def real_extraction() -> Extraction:
    """``extract_and_clean()`` of the registry's reports, once per process (do not change
    its frames: every test of the process shares them)."""
    return _real()[2]


def extract_changed(reports: list) -> Extraction:
    """``extract_and_clean(reports)``, reading afresh only the reports that differ from the
    real ones (their text, their registry entry) or are not among them."""
    known, crosswalks, real = _real()
    if load_crosswalks() != crosswalks:
        return extract_and_clean(reports)
    same = {r.doc_id for r in reports if _unchanged(r, known.get(r.doc_id))}
    fresh = extract_and_clean([r for r in reports if r.doc_id not in same])
    return Extraction(**{name: _merged(getattr(real, name), getattr(fresh, name), same)
                         for name in TABLES})


def _unchanged(report, real) -> bool:
    return (real is not None and dataclasses.replace(report, path=real.path) == real
            and sha256_of(report.path) == real.sha256)


def _merged(real: pd.DataFrame, fresh: pd.DataFrame, same: set[str]) -> pd.DataFrame:
    """The unchanged reports' rows of ``real`` and the rows of ``fresh``, in the order of
    ``doc_id`` (a stable sort: each report's rows keep their order)."""
    parts = [part for part in (real[real.doc_id.isin(same)], fresh) if len(part)]
    if not parts:
        return fresh
    return (pd.concat(parts, ignore_index=True).sort_values("doc_id", kind="mergesort")
            .reset_index(drop=True))


def crosswalks_state() -> tuple:
    """The crosswalks as they stand now (the folder ``read_crosswalk`` reads by default,
    which a test may point at a private copy, and each file's size and time): what a test
    helper keeping results keys them by, so that a changed crosswalk computes anew."""
    folder = read_crosswalk.__defaults__[0]
    return str(folder), tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                              for p in sorted(folder.iterdir()) if p.is_file())
