"""The review's warnings about the text itself (too few tables, what the PDF extraction
could not do) and the measures the committee's previous report gave that are not found
now."""

from __future__ import annotations

import pandas as pd

from socialstudy.core.registry import Report
from socialstudy.extract.extraction import Extraction
from socialstudy.measures import compare, staffing
from socialstudy.measures.tabular import NOT_MAPPED
from socialstudy.tools.review_common import DECIDE, Item

FEWER_TABLES = 0.5


def table_warnings(report: Report, tables: pd.DataFrame, previous: Report | None,
                    before: Extraction | None) -> list[str]:
    count = int((tables.kind == "data").sum()) if not tables.empty else 0
    if count == 0:
        return ["the report yields no tables: no tab-separated, space-aligned or "
                "one-cell-per-line table with a header row naming its columns was found; "
                "check the text (README, 'The text the study needs')"]
    if previous is None:
        return []
    before_count = int((before.tables.kind == "data").sum())
    if count < FEWER_TABLES * before_count:
        return [f"the report yields {count} tables, far fewer than the {before_count} of "
                f"{previous.doc_id}: check the text extraction"]
    return []


def row_decisions(rejects: pd.DataFrame) -> list[Item]:
    """Whole table rows the layout reader left for a person (a reject without a column:
    glued cells that cut several ways, cells it cannot place), each with its line."""
    rows = rejects[rejects.column_label == ""]
    return [Item("table row", DECIDE, f"line {r.source_line}: '{r.raw[:90]}': {r.reason}")
            for r in rows.itertuples()]


def pdf_warnings(report: Report) -> list[str]:
    """What the PDF extraction could not do, from the notes add-report recorded (the
    review, like the study, reads only the text)."""
    if report.pdf is None:
        return []
    notes, pdf = report.pdf.notes, report.pdf.file
    warnings = []
    if notes.get("empty_pages"):
        warnings.append(f"{pdf}: page(s) {_listed(notes['empty_pages'])} of {notes['pages']} "
                        "have no text layer (scanned?): nothing on them is in the text; "
                        "check them in the PDF and, if they hold tables the study needs, "
                        "OCR the PDF (ocrmypdf) and add it again")
    if notes.get("shifted_lines"):
        warnings.append(f"{report.file}: line(s) {_listed(notes['shifted_lines'])}: a cell "
                        f"had to move off its column in the extraction; compare these lines "
                        f"with {pdf} before trusting their columns")
    for key, what in (("rotated_chars", "characters not in the page's text direction "
                       "(turned column heads, margin notes) were left out"),
                      ("unmapped_chars", "glyphs without a Unicode mapping were written as "
                       "\ufffd (search the text for it)")):
        if notes.get(key):
            warnings.append(f"{pdf}: {notes[key]} {what}")
    return warnings


def _listed(numbers: list[int], most: int = 12) -> str:
    shown = ", ".join(map(str, numbers[:most]))
    return shown + (f" and {len(numbers) - most} more" if len(numbers) > most else "")


def previously_reported(previous: Report | None, before: Extraction | None
                         ) -> dict[str, str]:
    """Staffing variables and cost types the committee's previous report of the same kind
    gave, with where: a measure found then but not now needs a decision, not silence."""
    if previous is None:
        return {}
    facts = before.facts.assign(number=before.facts.value.astype(float))
    staff = staffing.staffing(facts, [previous])
    staff = staff[(staff.status == "reported") & (staff.fiscal_year == previous.fiscal_year)]
    types = compare.cost_by_type(facts, [previous])
    types = types[(types.fiscal_year == previous.fiscal_year) & (types.status != NOT_MAPPED)]
    had = {f"cost type {r.category}": f"{r.source_kind} line {r.source_line} '{r.raw}'"
           for r in types.itertuples()}
    had.update({r.variable: f"{r.source_kind} line {r.source_line} '{r.raw}'"
                for r in staff.itertuples()})
    return {k: f"{previous.doc_id} gave it ({v}) but it is not found now: a renamed row "
               "or reworded sentence? (prose figures: crosswalks/prose_facts.csv)"
            for k, v in had.items()}
