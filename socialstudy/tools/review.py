"""Review of one report (``python -m socialstudy review DOC_ID``): every comparison measure
is *found automatically*, *needs a decision* (with the crosswalk row to paste), *not in
the report* (read for and not given), *in the report, not read* (a damaged cell) or *not
mapped yet* (nothing known to look for: whether the report gives it is not known; never
listed as absent). Nothing here changes a crosswalk: a renamed line is proposed, never applied –
a proposal matches a label of the same committee's earlier reports by similarity
(difflib), or, for a committee the crosswalks do not know yet, the same label in another
committee's crosswalk."""

from __future__ import annotations

from pathlib import Path

from socialstudy import paths
from socialstudy.core.registry import Report, load_registry
from socialstudy.errors import RegistryError
from socialstudy.extract.extraction import extract_and_clean
from socialstudy.measures import compare, damage
from socialstudy.tools.review_common import HEADINGS, Item
from socialstudy.tools.review_finance import finance_items
from socialstudy.tools.review_goals import goal_items, remit_items
from socialstudy.tools.review_labels import activity_items, committee_items, cost_type_items
from socialstudy.tools.review_prose import finance_prose_items
from socialstudy.tools.review_staffing import staffing_items
from socialstudy.tools.review_warnings import (
    pdf_warnings,
    previously_reported,
    row_decisions,
    table_warnings,
)


def review_text(doc_id: str, registry: Path = paths.REGISTRY) -> str:
    """The review of ``doc_id`` as text (the CLI prints it; add-report prints it)."""
    report, items, warnings = review(doc_id, registry)
    out = [f"Review of {report.doc_id}: {report.municipality}, {report.document_type} "
           f"{report.fiscal_year} ({report.period}), file {report.file}"]
    out += [f"WARNING: {w}" for w in warnings]
    for status, claim in HEADINGS.items():
        chosen = [i for i in items if i.status == status]
        out += ["", f"{status.upper()} ({len(chosen)})" + (f": {claim}" if claim else "")]
        for item in chosen:
            out.append(f"  {item.measure}: {item.detail}")
            if item.proposal:
                out.append(f"    paste into socialstudy/crosswalks/{item.crosswalk}:")
                out.append(f"    {item.proposal}")
    return "\n".join(out) + "\n"


def review(doc_id: str, registry: Path = paths.REGISTRY) -> tuple[Report, list[Item], list[str]]:
    """(report, items, warnings) for one registered report."""
    reports = load_registry(registry)
    report = next((r for r in reports if r.doc_id == doc_id), None)
    if report is None:
        raise RegistryError(f"no report with doc_id {doc_id!r}", file=str(registry),
                            fix=f"registered: {', '.join(r.doc_id for r in reports)}")
    extraction = extract_and_clean([report])
    facts = extraction.facts.assign(number=extraction.facts.value.astype(float))
    facts.attrs["rejects"] = damage.as_records(extraction.rejects)  # as the run: unread cells
    earlier = _earlier_reports(report, reports)
    previous = next((r for r in earlier if r.document_type == report.document_type), None)
    before = extract_and_clean([previous]) if previous else None
    warnings = pdf_warnings(report) + table_warnings(report, extraction.tables, previous,
                                                       before)
    had = previously_reported(previous, before)
    activity = compare.cost_by_activity(facts, [report])  # once: three kinds of item read it
    items = (committee_items(report, facts, activity) + cost_type_items(report, facts, had)
             + activity_items(report, facts, activity) + staffing_items(report, facts, had)
             + goal_items(report, earlier) + remit_items(report, reports)
             + finance_items(report, facts) + finance_prose_items(report, facts, activity)
             + row_decisions(extraction.rejects))
    return report, items, warnings


def _earlier_reports(report: Report, reports: list[Report]) -> list[Report]:
    """The same committee's earlier reports, newest first."""
    same = [r for r in reports if r.municipality == report.municipality
            and r.fiscal_year < report.fiscal_year]
    return sorted(same, key=lambda r: (r.fiscal_year, r.document_type == report.document_type),
                  reverse=True)
