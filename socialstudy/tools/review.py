"""Review of one report (``python -m socialstudy review DOC_ID``): every comparison measure
is *found automatically*, *needs a decision* (with the crosswalk row to paste) or *not in
the report*. Nothing here changes a crosswalk: a renamed line is proposed, never applied –
a proposal matches a label of the same committee's earlier reports by similarity
(difflib), or, for a committee the crosswalks do not know yet, the same label in another
committee's crosswalk."""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from socialstudy import paths
from socialstudy.core.registry import Report, load_registry
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.crosswalks.wording import LineIndex
from socialstudy.errors import CrosswalkError, RegistryError
from socialstudy.extract import prose
from socialstudy.extract.extraction import Extraction, extract_and_clean
from socialstudy.extract.tables import read_lines
from socialstudy.measures import compare
from socialstudy.measures.outcomes import GOAL_COLUMNS

FOUND, DECIDE, ABSENT = "found automatically", "needs a decision", "not in the report"
SIMILAR = 0.75
FEWER_TABLES = 0.5


@dataclass(frozen=True)
class Item:
    """One measure of the review; ``proposal`` is a crosswalk row ready to paste."""
    measure: str
    status: str
    detail: str
    crosswalk: str = ""
    proposal: str = ""


def review_text(doc_id: str, registry: Path = paths.REGISTRY) -> str:
    """The review of ``doc_id`` as text (the CLI prints it; add-report prints it)."""
    report, items, warnings = review(doc_id, registry)
    out = [f"Review of {report.doc_id}: {report.municipality}, {report.document_type} "
           f"{report.fiscal_year} ({report.period}), file {report.file}"]
    out += [f"WARNING: {w}" for w in warnings]
    for status in (FOUND, DECIDE, ABSENT):
        chosen = [i for i in items if i.status == status]
        out += ["", f"{status.upper()} ({len(chosen)})"]
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
    earlier = _earlier_reports(report, reports)
    previous = next((r for r in earlier if r.document_type == report.document_type), None)
    before = extract_and_clean([previous]) if previous else None
    warnings = _pdf_warnings(report) + _table_warnings(report, extraction.tables, previous,
                                                       before)
    had = _previously_reported(previous, before)
    items = (_committee_items(report, facts) + _cost_type_items(report, facts, had)
             + _activity_items(report, facts) + _staffing_items(report, facts, had)
             + _goal_items(report, earlier) + _remit_items(report, reports))
    return report, items, warnings


def _earlier_reports(report: Report, reports: list[Report]) -> list[Report]:
    """The same committee's earlier reports, newest first."""
    same = [r for r in reports if r.municipality == report.municipality
            and r.fiscal_year < report.fiscal_year]
    return sorted(same, key=lambda r: (r.fiscal_year, r.document_type == report.document_type),
                  reverse=True)


def _table_warnings(report: Report, tables: pd.DataFrame, previous: Report | None,
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


def _pdf_warnings(report: Report) -> list[str]:
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


def _previously_reported(previous: Report | None, before: Extraction | None
                         ) -> dict[str, str]:
    """Staffing variables and cost types the committee's previous report of the same kind
    gave, with where: a measure found then but not now needs a decision, not silence."""
    if previous is None:
        return {}
    facts = before.facts.assign(number=before.facts.value.astype(float))
    staff = compare.staffing(facts, [previous])
    staff = staff[(staff.status == "reported") & (staff.fiscal_year == previous.fiscal_year)]
    types = compare.cost_by_type(facts, [previous])
    types = types[types.fiscal_year == previous.fiscal_year]
    had = {f"cost type {r.category}": f"{r.source_kind} line {r.source_line} '{r.raw}'"
           for r in types.itertuples()}
    had.update({r.variable: f"{r.source_kind} line {r.source_line} '{r.raw}'"
                for r in staff.itertuples()})
    return {k: f"{previous.doc_id} gave it ({v}) but it is not found now: a renamed row "
               "or reworded sentence? (prose figures: crosswalks/prose_facts.csv)"
            for k, v in had.items()}


def csv_row(values: list) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(values)
    return buffer.getvalue()


def _closest(label: str, known: list[str]) -> tuple[str, float] | None:
    scored = [(k, difflib.SequenceMatcher(None, label, k).ratio()) for k in known]
    best = max(scored, key=lambda kv: kv[1], default=None)
    return best if best and best[1] >= SIMILAR else None


# --- committee total and deviation ------------------------------------------------------

def _committee_items(report: Report, facts: pd.DataFrame) -> list[Item]:
    activity = compare.cost_by_activity(facts, [report])
    own = activity[(activity.fiscal_year == report.fiscal_year) & (activity.category == "total")]
    if own.empty:
        return [Item(m, DECIDE, "no committee total: the activity table is not mapped (see "
                     "the activity lines below)", "activities.csv")
                for m in ("net cost", "budget", "budget deviation")]
    total = own.iloc[0]
    items = [Item("net cost", FOUND, f"{total.net_cost_tkr} tkr, line {total.source_line} "
                  f"'{total.report_label}'")]
    items.append(Item("budget", FOUND, f"{total.budget_tkr} tkr, line {total.source_line}")
                 if total.budget_tkr else
                 Item("budget", ABSENT, "the committee total prints no budget"))
    deviation = compare.budget_deviation(activity, facts)
    own_dev = deviation[deviation.fiscal_year == report.fiscal_year]
    if own_dev.empty:
        items.append(Item("budget deviation", DECIDE, "neither amounts nor a printed "
                          "percentage: if the report prints the committee's deviation in % "
                          "add its row label", "printed_deviation.csv",
                          csv_row([report.municipality, "<row label>", "", "<why>"])))
    else:
        row = own_dev.iloc[0]
        items.append(Item("budget deviation", FOUND, f"{row.deviation_pct} % "
                          f"({row.pct_source}), line {row.source_line}"))
    return items


# --- cost types -------------------------------------------------------------------------

def _cost_type_items(report: Report, facts: pd.DataFrame, had: dict[str, str]) -> list[Item]:
    rows = read_crosswalk("cost_types.csv", ("municipality", "report_label", "flow",
                                             "category", "kommun_bas", "fit"))
    types = compare.cost_by_type(facts, [report])
    own = types[types.fiscal_year == report.fiscal_year]
    items = [Item(f"cost type {r.category}", FOUND, f"{r.value_tkr or r.share_pct} "
                  f"({r.value_status}), line {r.source_line} '{r.report_label}'")
             for r in own.itertuples()]
    mine = [r for r in rows if r["municipality"] == report.municipality]
    table = _best_table(facts, {r["report_label"] for r in (mine or rows)})
    for label, line in table:
        if any(r.report_label == label for r in own.itertuples()):
            continue
        item = _label_proposal(report, label, line, mine, rows, "cost type", "cost_types.csv",
                               lambda r: [r["flow"], r["category"], r["kommun_bas"], r["fit"]])
        items.append(item)
    found = {i.measure for i in items}
    items += [Item(measure, DECIDE, why) for measure, why in sorted(had.items())
              if measure.startswith("cost type") and measure not in found]
    if not items:
        items.append(Item("cost types", ABSENT, "no income-statement table or prose shares "
                          "found"))
    return items


def _best_table(facts: pd.DataFrame, known: set[str]) -> list[tuple[str, int]]:
    """(label, line) of the table sharing most row labels with ``known``."""
    table = facts[(facts.source_kind == "table") & (facts.measure == "actual")]
    hits = table[table.row_label.isin(known)].groupby("table_id").row_label.nunique()
    if hits.empty:
        return []
    best = hits.sort_index().sort_values(kind="mergesort").index[-1]
    rows = table[table.table_id == best][["row_label", "source_line"]].drop_duplicates()
    return list(zip(rows.row_label, rows.source_line))


def _label_proposal(report, label, line, mine, rows, what, name, tail) -> Item:
    """A row for an unmapped label: the closest label of the same committee, else the
    same label in another committee's crosswalk; otherwise the category is to be chosen."""
    close = _closest(label, [r["report_label"] for r in mine])
    other = next((r for r in rows if r["report_label"] == label), None)
    if close:
        source = next(r for r in mine if r["report_label"] == close[0])
        why = (f"renamed from '{close[0]}' (similarity {close[1]:.2f})? proposed by review; "
               "check before pasting")
    elif other:
        source = other
        why = f"proposed by review from {other['municipality']}'s row; check the meaning here"
    else:
        return Item(f"{what} line {line}", DECIDE, f"'{label}' matches no known label", name,
                    csv_row([report.municipality, label] + ["<choose>"] * len(tail(rows[0]))
                            + ["<why>"]) if rows else "")
    values = [report.municipality, label] + tail(source) + [why]
    return Item(f"{what} line {line}", DECIDE, f"'{label}' has no row in {name}; {why}",
                name, csv_row(values))


# --- activity lines ---------------------------------------------------------------------

def _activity_items(report: Report, facts: pd.DataFrame) -> list[Item]:
    rows = read_crosswalk("activities.csv", ("municipality", "report_label", "occurrence",
                                             "category", "fit"))
    mine = [r for r in rows if r["municipality"] == report.municipality]
    activity = compare.cost_by_activity(facts, [report])
    own = activity[activity.fiscal_year == report.fiscal_year]
    items = []
    for r in own.itertuples():
        if r.category != compare.UNMAPPED:
            items.append(Item(f"activity line {r.source_line}", FOUND,
                              f"'{r.report_label}' -> {r.category} ({r.fit}), net cost "
                              f"{r.net_cost_tkr or '-'} tkr"))
            continue
        items.append(_label_proposal(report, r.report_label, r.source_line, mine, rows,
                                     "activity", "activities.csv",
                                     lambda e: ["", e["category"], e["fit"],
                                                e.get("components", ""), ""]))
    if own.empty:
        for label, line in _best_table(facts, {r["report_label"] for r in rows}):
            items.append(_label_proposal(report, label, line, mine, rows, "activity",
                                         "activities.csv",
                                         lambda e: [e["occurrence"], e["category"], e["fit"],
                                                    e.get("components", ""), ""]))
    return items


# --- staffing ---------------------------------------------------------------------------

def _staffing_items(report: Report, facts: pd.DataFrame, had: dict[str, str]) -> list[Item]:
    staff = compare.staffing(facts, [report])
    own = staff[staff.fiscal_year == report.fiscal_year]
    rows = read_crosswalk("staffing_map.csv", ("municipality", "row_label", "column_pattern",
                                               "variable", "scope", "definition", "period"))
    table = facts[(facts.source_kind == "table") & (facts.measure == "actual")]
    items = []
    for variable in compare.STAFFING_VARIABLES:
        got = own[(own.variable == variable) & (own.status == "reported")]
        if not got.empty:
            r = got.iloc[0]
            items.append(Item(variable, FOUND, f"{r.value} {r.unit} ({r.source_kind}, line "
                              f"{r.source_line}, scope: {r.scope})"))
            continue
        proposal = (_staffing_proposal(report, variable, rows, table)
                    or _prose_proposal(report, variable))
        if proposal:
            items.append(proposal)
        elif variable in had:
            items.append(Item(variable, DECIDE, had[variable]))
        else:
            reason = own[own.variable == variable].reason
            items.append(Item(variable, ABSENT, reason.iloc[0] if not reason.empty else
                              "not found in the report's text or tables"))
    return items


def _staffing_proposal(report, variable, rows, table) -> Item | None:
    """The same committee's row under a similar label, else another committee's row with
    the same label – only if it would pick figures in this report."""
    candidates = [r for r in rows if r["variable"] == variable]
    mine = [r for r in candidates if r["municipality"] == report.municipality]
    for row in mine + [r for r in candidates if r not in mine]:
        hits = table[table.column_label.str.contains(row["column_pattern"], regex=True)]
        labels = sorted(set(hits.row_label))
        label = row["row_label"] if row["row_label"] in labels else None
        if label is None and row in mine:
            close = _closest(row["row_label"], labels)
            label = close[0] if close else None
        if label is not None:
            values = [report.municipality, label] + [row[c] for c in (
                "column_pattern", "variable", "scope", "definition", "period")]
            return Item(variable, DECIDE, f"table row '{label}' looks like "
                        f"{row['municipality']}'s '{row['row_label']}'", "staffing_map.csv",
                        csv_row(values))
    return None


def _prose_proposal(report: Report, variable: str) -> Item | None:
    """Another committee's prose wording for ``variable`` that stands once in this report's
    text (a new committee's report often repeats the wording of a known one)."""
    index = None
    for row in prose.load_prose_rows():
        if (row["variable"] != variable or row["municipality"] == report.municipality
                or row["document_type"] != report.document_type):
            continue
        index = index or LineIndex(read_lines(report.path))
        try:
            found = prose._find(row, index, report)
        except CrosswalkError:  # stands more than once here: not a safe proposal
            continue
        if found:
            values = [report.municipality] + [row[c] for c in prose.COLUMNS[1:]]
            return Item(variable, DECIDE, f"the text at line {found[2]} has "
                        f"{row['municipality']}'s wording '{row['wording'][:60]}'",
                        "prose_facts.csv", csv_row(values))
    return None


# --- goals and remit --------------------------------------------------------------------

def _goal_items(report: Report, earlier: list[Report]) -> list[Item]:
    """Goals found; a goal of the committee's previous report of the same kind that is
    missing now is proposed under the closest wording, or listed as not in the report; a
    committee without goal rows gets other committees' rows whose wording it uses."""
    goals = compare.goals([report])
    items = [Item(f"goal {g.goal_id}", FOUND, f"{g.level} ('{g.status_text}', line "
                  f"{g.source_line})") for g in goals.itertuples()]
    rows = read_crosswalk("goal_assessments.csv", GOAL_COLUMNS)
    mine = [r for r in rows if r["municipality"] == report.municipality]
    previous = next((r for r in earlier if r.document_type == report.document_type), None)
    expected = set(compare.goals([previous]).goal_text) if previous else set()
    lines = read_lines(report.path)
    for row in (mine or rows):
        if row["goal_text"] in set(goals.goal_text) or (mine and row["goal_text"] not in expected):
            continue
        if mine and any(row["goal_text"] in t for t in lines):
            items.append(Item(f"goal {row['goal_no']}", DECIDE, "the wording stands in the "
                              "report but no assessment matching goal_levels.csv (and the "
                              "row's status_cue) follows before the next goal: add its wording "
                              "to goal_levels.csv or give the row a status_quote",
                              "goal_assessments.csv"))
            continue
        wording = row["goal_text"] if any(row["goal_text"] in t for t in lines) else _close_line(
            row["goal_text"], lines)
        if wording is None:
            if mine:
                items.append(Item(f"goal {row['goal_no']}", ABSENT,
                                  f"'{row['goal_text'][:70]}' is not in the report"))
            continue
        values = [report.municipality, row["goal_no"], wording] + [
            row[c] for c in ("status_cue", "status_quote", "assessment_kind")] + [
            f"proposed by review from {row['municipality']}'s goal '{row['goal_text'][:50]}'"]
        items.append(Item(f"goal {row['goal_no']}", DECIDE, f"wording '{wording[:70]}' has "
                          "no assessed row", "goal_assessments.csv", csv_row(values)))
    return items


def _close_line(wording: str, lines: list[str]) -> str | None:
    cells = {re.sub(r"^[#*\s]*(\d+(\.\d+)*\s+)?", "", c).rstrip("* ")
             for t in lines for c in t.split("\t")}
    close = _closest(wording, sorted(c for c in cells if 0.7 < len(c) / len(wording) < 1.4))
    return close[0] if close else None


def _remit_items(report: Report, reports: list[Report]) -> list[Item]:
    remit = compare.remit_matrix(reports)[report.municipality]
    if set(remit) == {"unknown"}:
        return [Item("remit", DECIDE, "unknown: which activities does the committee run?",
                     "remit.csv", csv_row([report.municipality, "<category>",
                                           "yes|partial|no", "<quote from the report>",
                                           "<note>"]))]
    return [Item("remit", FOUND, ", ".join(f"{c}: {v}" for c, v in remit.items()))]
