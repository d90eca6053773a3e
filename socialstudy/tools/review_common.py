"""What every part of the review shares: the statuses and their headings, an item, a
pasteable CSV row and the similarity match that proposes a renamed label."""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass

from socialstudy.crosswalks.specs import SPECS

FOUND, DECIDE, ABSENT = "found automatically", "needs a decision", "not in the report"
UNREAD, UNMAPPED = "in the report, not read", "not mapped yet"
# each status, its heading in this order, with what the heading claims of its items
HEADINGS = {FOUND: "", DECIDE: "",
            ABSENT: "the report was read for these and does not give them",
            UNREAD: "the report prints these, but a cell or header could not be read",
            UNMAPPED: "no crosswalk row covers the committee and no other committee's label "
                      "or wording stands in the report: whether it gives these is not known"}
SIMILAR = 0.75


@dataclass(frozen=True)
class Item:
    """One measure of the review; ``proposal`` is a crosswalk row ready to paste."""
    measure: str
    status: str
    detail: str
    crosswalk: str = ""
    proposal: str = ""


def not_mapped(measure: str, missing: str, report) -> Item:
    """A measure of a committee no crosswalk row covers (``missing``: which crosswalks
    have no row for it, from ``loader.no_rows``) whose report holds no other committee's
    label or wording for it either: listed, so that it is never simply left out."""
    return Item(measure, UNMAPPED, f"{missing}, and no other committee's label or wording "
                f"for it stands in {report.file}: if the report gives it, add its row "
                "(README, 'Adding a report')")


def csv_row(values: list) -> str:
    """``values`` as one CSV line, quoted where needed (ready to paste)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()


def crosswalk_row(name: str, values: list) -> str:
    """``values`` as one row of crosswalk ``name``, the columns after them left empty: a
    column added to a crosswalk later (e.g. activities.csv's description_scope) is optional,
    and a proposal without it would be refused as a short row when pasted."""
    return csv_row(values + [""] * (len(SPECS[name].columns) - len(values)))


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
