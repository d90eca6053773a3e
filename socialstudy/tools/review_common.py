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
    """The known label most like ``label`` and its similarity, if at least ``SIMILAR``."""
    scored = [(k, difflib.SequenceMatcher(None, label, k).ratio()) for k in known]
    best = max(scored, key=lambda kv: kv[1], default=None)
    return best if best and best[1] >= SIMILAR else None
