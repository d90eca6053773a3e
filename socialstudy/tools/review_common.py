"""What every part of the review shares: the three statuses, an item, a pasteable CSV row
and the similarity match that proposes a renamed label."""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass

FOUND, DECIDE, ABSENT = "found automatically", "needs a decision", "not in the report"
SIMILAR = 0.75


@dataclass(frozen=True)
class Item:
    """One measure of the review; ``proposal`` is a crosswalk row ready to paste."""
    measure: str
    status: str
    detail: str
    crosswalk: str = ""
    proposal: str = ""


def csv_row(values: list) -> str:
    """``values`` as one CSV line, quoted where needed (ready to paste)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()


def closest(label: str, known: list[str]) -> tuple[str, float] | None:
    """The known label most like ``label`` and its similarity, if at least ``SIMILAR``.
    A label whose upper bounds (``real_quick_ratio``, ``quick_ratio``) are already below
    ``SIMILAR`` cannot be the answer and is not scored: the same result, a fraction of the
    time (the review of a 100-page report compares goal wordings with thousands of cells)."""
    scored = [(k, m.ratio()) for k in known
              for m in [difflib.SequenceMatcher(None, label, k)]
              if m.real_quick_ratio() >= SIMILAR and m.quick_ratio() >= SIMILAR]
    best = max(scored, key=lambda kv: kv[1], default=None)
    return best if best and best[1] >= SIMILAR else None
