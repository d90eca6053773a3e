"""``docs/data_dictionary.md``: one Markdown data dictionary generated from the schemas and
the crosswalks.

It has four parts: (1) every processed table and every column with type, unit, whether it
may be empty, allowed values and description (from :mod:`socialstudy.schemas`); (2) every
harmonized category with its meaning (cost types with their Kommun-Bas groups, activity
categories, goal levels with the patterns that assign them, the measures vocabulary,
staffing variables, scope classes, periods and the other coded values); (3) an English
translation of every Swedish report label the study uses (``crosswalks/translations.csv``;
a label without a translation stops the build, so the dictionary never shows a blank);
(4) for each harmonized measure the nearest Kolada key figure and how the definitions
differ.

The output is deterministic: no timestamps, every list sorted or in declared order, the
same schemas, crosswalks and processed CSVs always give the same bytes. Rebuild with
``python -m socialstudy.dictionary``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from . import paths, schemas
from .crosswalk import read_crosswalk
from .errors import CrosswalkError

TRANSLATIONS = "translations.csv"
TABLE_ORDER = ("tables", "facts", "rejects", "cells", "quality", "cost_by_type",
               "cost_by_activity", "budget_deviation", "staffing", "goals", "indicators")

# Where the Swedish labels of the study stand: (processed table, column) and
# (crosswalk, column, optional filter on the crosswalk's rows).
LABEL_COLUMNS = (("cost_by_type", "report_label"), ("cost_by_activity", "report_label"),
                 ("indicators", "indicator"), ("goals", "goal_text"),
                 ("goals", "status_text"))
CROSSWALK_LABELS = (("cost_types.csv", "report_label", None),
                    ("activities.csv", "report_label", None),
                    ("staffing_map.csv", "row_label", None),
                    ("prose_facts.csv", "row_label", ("topic", "staffing")),
                    ("goal_assessments.csv", "goal_text", None),
                    ("goal_assessments.csv", "status_text", None))

KOMMUN_CODES = {"Haninge": "0136", "Huddinge": "0126", "Strängnäs": "0486"}

FACT_UNIT_MEANINGS = {
    "tkr": "thousand SEK (money is converted to tkr from mnkr/mkr)",
    "percent": "per cent (%)",
    "percentage_points": "difference between two percentages, in percentage points",
    "number": "a plain number (count, rate per 1 000 inhabitants, index …)",
    "sek": "SEK (kronor)",
    "sek_per_inhabitant": "SEK per inhabitant",
    "count": "a count of persons, events or full-time equivalents",
}
OTHER_MEANINGS = {
    "table": "a cell of a tab-separated table",
    "prose": "a number quoted from running text (crosswalks/prose_facts.csv)",
    "data": "a table of figures", "toc": "a table of contents (its numbers are pages)",
    "header": "cell of a header row", "label": "first cell of a body row",
    "value": "other cell of a body row", "rule": "a '---' separator row",
    "crossfoot": "parts summed against the printed total",
    "no_header": "a table without a header row", "ragged_row": "a row with more cells "
                                                               "than the header",
    "table_of_contents": "a table of contents was found",
    "unknown_header": "a column header not in crosswalks/measures.csv",
    "no_tables": "the report yields no tab-separated table at all",
    "space_separated_columns": "lines that look like a table with columns separated by "
                               "spaces, not tabs (not read)",
    "prose_facts_unmatched": "a prose wording of this committee not found in the report",
    "table_overrides_unmatched": "a table override of this committee that matched no table",
    "ok": "the parts add up within rounding", "mismatch": "the parts do not add up",
    "issue": "an extraction issue (not a cross-footing)",
    "cost": "gross costs", "net": "net (costs minus revenue)", "revenue": "revenue",
    "mnkr": "million SEK", "mkr": "million SEK (Strängnäs's spelling)", "%": "per cent",
}

# Nearest Kolada key figure (KPI) for each harmonized measure, and how it differs.
KOLADA = (
    ("staffing.variable = sick_leave_total_pct", "N00090",
     "sick leave of municipal employees, % of ordinary working time, whole municipality",
     "Kolada covers all employees of the municipality (every committee), the calendar year, "
     "statutory definition. Ours covers the committee's staff only; Haninge uses the "
     "statutory definition for the full year, Huddinge a rolling 12 months to November "
     "(period r12_nov), Strängnäs a yearly average whose basis is not stated."),
    ("staffing.variable = sick_leave_women_pct / sick_leave_men_pct", "N00090 (gender K / M)",
     "as N00090, for women (K) or men (M)",
     "Same differences as the total: committee staff vs the whole municipality; Huddinge's "
     "figures are R12 to November and their basis is not stated."),
    ("staffing.variable = sick_leave_long_share_pct", "N00091",
     "share of sick leave that is longer than 59 days, whole municipality",
     "Kolada's day limit is the statutory one (60 days or more). Strängnäs states the same "
     "limit ('längre än 59 dagar'); Haninge does not state its limit for 'långtidsfrånvaro'; "
     "Huddinge gives no long-term share. Ours is the committee only."),
    ("staffing.variable = sick_leave_short_share_pct", "none (complement of N00091)",
     "no direct key figure",
     "100 − N00091 only if 'short' means under 60 days, which Haninge does not state."),
    ("staffing.variable = turnover_total_pct", "N00216",
     "permanent employees who left during the year, % (all leavers incl. retirements), "
     "whole municipality",
     "Kolada counts permanent employees and every reason for leaving, for the whole "
     "municipality. Haninge's committee figure counts all leavers but does not state the "
     "denominator (staff = permanent and fixed-term with ≥40 % of full time); Huddinge's "
     "is R12 to November, includes retirements and is given for sections (scope_class "
     "section) besides the committee; Haninge also prints the municipality-wide value "
     "(scope_class municipality), the closest to N00216. Lower bounds ('över 30 procent') "
     "are not values."),
    ("staffing.variable = turnover_voluntary_pct", "N00216 (nearest; no own-resignation KPI)",
     "as N00216",
     "Ours counts only external resignations on the employee's own initiative (no "
     "retirements, internal moves or employer-ended contracts), so it is lower than an "
     "N00216-type figure by construction. Do not set them side by side as equals."),
    ("staffing.variable = headcount / fte", "none in this study's list",
     "—", "No Kolada key figure is used for headcount or full-time equivalents."),
    ("cost_by_activity: children_young_people, adults_substance_abuse, economic_assistance "
     "and the IFO parts of other", "N30005",
     "net cost of individ- och familjeomsorg (IFO) per inhabitant, SEK, whole municipality",
     "Kolada is per inhabitant (divide our tkr by the inhabitants, N01951) and built on "
     "SCB's räkenskapssammandrag (RS) for the whole municipality, whichever committee runs "
     "the activity. Ours is the committee's net cost in tkr on its own organisation's "
     "lines (Haninge's and Strängnäs's departments map to RS only approximately, see fit); "
     "Huddinge's economic assistance lies with another committee; overheads are allocated "
     "differently (RiR 2018:7)."),
    ("cost_by_activity: economic_assistance", "N31008",
     "economic assistance per inhabitant, SEK, whole municipality",
     "Kolada is per inhabitant and municipality-wide. Huddinge's committee pays only "
     "emergency aid (2.7 mnkr), the rest lies with another committee; Haninge 2020's line "
     "also holds labour-market measures and homelessness; Strängnäs has no own line (it is "
     "inside Myndighet)."),
    ("cost_by_activity: disability_support", "N28016",
     "cost of LSS/SFB services per inhabitant, SEK, whole municipality",
     "Kolada covers LSS and SFB (personal assistance) only. Our category also holds "
     "disability support under SoL and socialpsykiatri; Huddinge's line is non-LSS SoL "
     "support only (no LSS in that committee), so it has no N28016 counterpart at all."),
    ("cost_by_activity: elderly_care", "N20014",
     "elderly care per inhabitant, SEK, whole municipality",
     "Only Strängnäs's committee runs elderly care; Haninge's and Huddinge's elderly care "
     "sits with other committees, so their N20014 values have no counterpart here. Kolada "
     "is per inhabitant; ours is the committee's net cost in tkr."),
)

KOLADA_TERMS = (
    "Kolada (RKA's open database of municipal key figures) may be used freely with the "
    "credit **\"Källa: Kolada\"**. That credit belongs only to values taken from Kolada "
    "unchanged. Figures this study has processed itself – every figure in "
    "`data/processed/`, and any Kolada value we recompute, convert (e.g. per inhabitant to "
    "tkr), combine or set on a committee basis – may **not** be attributed to Kolada: "
    "label them as the study's own calculations and name the Kolada key figures used as "
    "inputs. None of the processed tables contains Kolada data today.")


# ------------------------------------------------------------------------------------------
# Labels and translations
# ------------------------------------------------------------------------------------------

def load_translations(folder: Path = paths.CROSSWALKS) -> dict[str, str]:
    """Swedish label -> English, from ``crosswalks/translations.csv``."""
    rows = read_crosswalk(TRANSLATIONS, ("swedish", "english"), folder)
    result: dict[str, str] = {}
    for row in rows:
        if row["swedish"] in result:
            raise CrosswalkError(f"label {row['swedish']!r} translated twice",
                                 file=str(folder / TRANSLATIONS), line=int(row["_line"]),
                                 fix="keep one row per Swedish label")
        if not row["english"].strip():
            raise CrosswalkError(f"label {row['swedish']!r} has an empty translation",
                                 file=str(folder / TRANSLATIONS), line=int(row["_line"]),
                                 fix="write the English translation")
        result[row["swedish"]] = row["english"]
    return result


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def swedish_labels(processed_dir: Path, folder: Path = paths.CROSSWALKS
                   ) -> dict[str, list[str]]:
    """Every Swedish report label the study uses -> where it is used (sorted)."""
    used: dict[str, set[str]] = {}
    for table, column in LABEL_COLUMNS:
        path = Path(processed_dir) / f"{table}.csv"
        if path.exists():
            for row in _read_csv(path):
                if row[column]:
                    used.setdefault(row[column], set()).add(f"{table}.{column}")
    for name, column, where in CROSSWALK_LABELS:
        for row in read_crosswalk(name, (column,), folder):
            if where and row.get(where[0]) != where[1]:
                continue
            if row[column]:
                used.setdefault(row[column], set()).add(f"crosswalks/{name}")
    return {label: sorted(places) for label, places in sorted(used.items())}


def missing_translations(processed_dir: Path, folder: Path = paths.CROSSWALKS) -> list[str]:
    translations = load_translations(folder)
    return [label for label in swedish_labels(processed_dir, folder)
            if label not in translations]


# ------------------------------------------------------------------------------------------
# Markdown helpers
# ------------------------------------------------------------------------------------------

def md(text: object) -> str:
    """Text for a Markdown table cell: pipes, emphasis marks and angle brackets escaped,
    line breaks flattened."""
    text = "" if text is None else str(text)
    for old, new in (("\\", "\\\\"), ("|", "\\|"), ("*", "\\*"), ("_", "\\_"),
                     ("<", "&lt;"), (">", "&gt;"), ("\r", " "), ("\n", " ")):
        text = text.replace(old, new)
    return text


def code(text: object) -> str:
    """Inline code for a table cell (pipes escaped, as GitHub tables require)."""
    text = str(text).replace("|", "\\|").replace("\n", " ")
    return f"``{text}``" if "`" in text else f"`{text}`"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell if cell != "" else "—" for cell in row) + " |"
              for row in rows]
    return lines + [""]


def _row_count(processed_dir: Path, name: str) -> int | None:
    path = Path(processed_dir) / f"{name}.csv"
    if not path.exists():
        return None
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def _meaning(value: str) -> str:
    for vocabulary in (schemas.PERIOD_MEANINGS, schemas.FLOWS, schemas.FITS,
                       schemas.VALUE_STATUSES, schemas.SHARE_BASES, schemas.SIGN_CHECKS,
                       schemas.PCT_SOURCES, schemas.STAFFING_STATUSES, schemas.SCOPE_CLASSES,
                       schemas.ASSESSMENT_KINDS, schemas.DIRECTIONS, schemas.ATTAINMENTS,
                       FACT_UNIT_MEANINGS, OTHER_MEANINGS):
        if value in vocabulary:
            return vocabulary[value]
    if value in schemas.COST_CATEGORIES:
        return schemas.COST_CATEGORIES[value][1]
    if value in schemas.ACTIVITY_CATEGORIES:
        return schemas.ACTIVITY_CATEGORIES[value][0]
    if value in schemas.GOAL_LEVELS:
        return schemas.GOAL_LEVELS[value][1]
    if value in schemas.STAFFING_VARIABLE_MEANINGS:
        return schemas.STAFFING_VARIABLE_MEANINGS[value][1]
    return ""


def _constraints(field: dict) -> str:
    cons = field.get("constraints", {})
    parts = []
    if "enum" in cons:
        parts.append("one of " + ", ".join(code(v) for v in cons["enum"]))
    if "pattern" in cons:
        parts.append("matches " + code(cons["pattern"]))
    if "minimum" in cons:
        parts.append(f"≥ {cons['minimum']}")
    if "maximum" in cons:
        parts.append(f"≤ {cons['maximum']}")
    for key, word in (("minLength", "length ≥"), ("maxLength", "length ≤")):
        if key in cons:
            parts.append(f"{word} {cons[key]}")
    if cons.get("unique"):
        parts.append("unique")
    return "; ".join(parts)


def _table_names() -> list[str]:
    return [n for n in TABLE_ORDER if n in schemas.SCHEMAS] + sorted(
        n for n in schemas.names() if n not in TABLE_ORDER)


# ------------------------------------------------------------------------------------------
# The parts
# ------------------------------------------------------------------------------------------

def _part_tables(processed_dir: Path) -> list[str]:
    out = ["## 1. Tables and columns", "",
           "Every CSV under `data/processed/` (UTF-8, comma-separated, one header row). An "
           "empty cell is a missing value; the column says when it may be empty and what "
           "that means. The same schemas are published as a Frictionless Data Package "
           "(`data/processed/datapackage.json`) and enforced whenever a table is written.",
           ""]
    for name in _table_names():
        spec = schemas.get(name)
        count = _row_count(processed_dir, name)
        out += [f"### 1.{_table_names().index(name) + 1} `{name}.csv` – {md(spec['title'])}",
                "", md(spec["description"]), "",
                f"- Rows: {count if count is not None else 'not built'}",
                "- Primary key: " + (", ".join(code(c) for c in spec["primary_key"])
                                     or "none"), ""]
        rows = []
        for i, field in enumerate(spec["fields"], start=1):
            required = field.get("constraints", {}).get("required")
            rows.append([str(i), code(field["name"]), field["type"],
                         md(field.get("unit", "")), "no" if required else "yes",
                         _constraints(field), md(field["description"])])
        out += _table(["#", "column", "type", "unit", "may be empty", "allowed values",
                       "description"], rows)
        rules = ([f"unique ({', '.join(code(c) for c in u['columns'])}) where: "
                  f"{md(u['rule'])}" for u in spec["unique_where"]]
                 + [md(rc["rule"]) for rc in spec["row_checks"]])
        if rules:
            out += ["Rules checked row by row when the table is written:", ""]
            out += [f"- {rule}" for rule in rules] + [""]
    return out


def _part_categories(translations: dict[str, str]) -> list[str]:
    out = ["## 2. Harmonized categories", "",
           "The study maps each report's own labels onto common categories with the "
           "crosswalks in `socialstudy/crosswalks/`; every mapping carries a fit "
           "(exact / approximate / mixed) and a justification citing the report's lines.", ""]

    out += ["### 2.1 Cost and revenue types (`cost_by_type.category`)", "",
            "A Kommun-Bas-like taxonomy (SKR's chart of accounts; group numbers differ "
            "slightly between Kommun-Bas versions).", ""]
    out += _table(["category", "flow", "meaning", "typical Kommun-Bas groups"],
                  [[code(c), code(flow), md(meaning), md(kb)]
                   for c, (flow, meaning, kb) in schemas.COST_CATEGORIES.items()])
    rows = read_crosswalk("cost_types.csv", ("municipality", "report_label", "flow",
                                             "category", "kommun_bas", "fit"))
    out += ["Report lines mapped to each type (`crosswalks/cost_types.csv`):", ""]
    order = list(schemas.COST_CATEGORIES)
    rows = sorted(rows, key=lambda r: (order.index(r["category"]), r["municipality"],
                                       r["report_label"]))
    out += _table(["category", "municipality", "report label (Swedish)", "English",
                   "Kommun-Bas", "fit", "justification"],
                  [[code(r["category"]), md(r["municipality"]), md(r["report_label"]),
                    md(translations.get(r["report_label"], "")), md(r["kommun_bas"]),
                    code(r["fit"]), md(r.get("justification", ""))] for r in rows])

    out += ["### 2.2 Activity categories (`cost_by_activity.category`)", "",
            "Close to the activities of SCB's räkenskapssammandrag (RS). Haninge and "
            "Strängnäs report by their own departments, so several lines map only "
            "approximately; which activities each committee runs is in "
            "`crosswalks/remit.csv`.", ""]
    out += _table(["category", "meaning", "nearest RS activity"],
                  [[code(c), md(meaning), md(rs)]
                   for c, (meaning, rs) in schemas.ACTIVITY_CATEGORIES.items()])
    rows = read_crosswalk("activities.csv", ("municipality", "doc_id", "source_line",
                                             "report_label", "category", "fit"))
    order = list(schemas.ACTIVITY_CATEGORIES)
    rows = sorted(rows, key=lambda r: (order.index(r["category"]), r["municipality"],
                                       r["doc_id"], int(r["source_line"])))
    out += ["Report lines mapped to each category (`crosswalks/activities.csv`):", ""]
    out += _table(["category", "municipality", "report", "line", "report label (Swedish)",
                   "English", "fit"],
                  [[code(r["category"]), md(r["municipality"]), code(r["doc_id"]),
                    r["source_line"], md(r["report_label"]),
                    md(translations.get(r["report_label"], "")), code(r["fit"])]
                   for r in rows])
    remit = read_crosswalk("remit.csv", ("municipality", "category", "in_remit"))
    munis = sorted({r["municipality"] for r in remit})
    in_remit = {(r["category"], r["municipality"]): r["in_remit"] for r in remit}
    out += ["Remit: does the committee run the activity? (`crosswalks/remit.csv`)", ""]
    out += _table(["category"] + munis,
                  [[code(c)] + [in_remit.get((c, m), "") for m in munis]
                   for c in order if any((c, m) in in_remit for m in munis)])

    out += ["### 2.3 Fit of a mapping (`fit`)", ""]
    out += _table(["fit", "meaning"], [[code(k), md(v)] for k, v in schemas.FITS.items()])

    out += ["### 2.4 Goal levels (`goals.level`, `goals.rank`)", "",
            "A common ordinal scale for the committees' own assessments. The first pattern "
            "of `crosswalks/goal_levels.csv` (in file order, case-insensitive regular "
            "expression) that matches the printed status decides the level.", ""]
    patterns = read_crosswalk("goal_levels.csv", ("pattern", "level", "rank"))
    out += _table(["level", "rank", "meaning", "patterns"],
                  [[code(level), rank, md(meaning),
                    ", ".join(code(p["pattern"]) for p in patterns if p["level"] == level)]
                   for level, (rank, meaning) in schemas.GOAL_LEVELS.items()])
    out += _table(["order", "pattern", "level", "rank", "why"],
                  [[str(i), code(p["pattern"]), code(p["level"]), p["rank"],
                    md(p.get("justification", ""))] for i, p in enumerate(patterns, 1)])
    out += ["Kinds of assessment (`goals.assessment_kind`):", ""]
    out += _table(["assessment_kind", "meaning"],
                  [[code(k), md(v)] for k, v in schemas.ASSESSMENT_KINDS.items()])

    out += ["### 2.5 Measures (`facts.measure`)", "",
            "What kind of figure a table column (or row) holds, from its header: the first "
            "pattern of `crosswalks/measures.csv` that matches (in file order, "
            "case-insensitive) decides. A header matching none is `unclassified` (reported "
            "in quality.csv, never guessed); prose facts carry their variable name instead "
            "(see 2.6).", ""]
    measures = read_crosswalk("measures.csv", ("pattern", "applies_to", "measure"))
    out += _table(["measure", "meaning", "header patterns (applies to)"],
                  [[code(m), md(next(r.get("why", "") for r in measures
                                     if r["measure"] == m)),
                    ", ".join(f"{code(r['pattern'])} ({r['applies_to']})"
                              for r in measures if r["measure"] == m)]
                   for m in dict.fromkeys(r["measure"] for r in measures)]
                  + [[code("unclassified"), "a column header that matches no pattern", ""]])
    out += _table(["order", "pattern", "applies to", "measure", "why"],
                  [[str(i), code(r["pattern"]), r["applies_to"], code(r["measure"]),
                    md(r.get("why", ""))] for i, r in enumerate(measures, 1)])

    out += ["### 2.6 Staffing variables (`staffing.variable`, prose `facts.measure`)", "",
            "The first nine are the standard variables of the staffing table (a full-year "
            "report that lacks one gets a 'not reported' row); the others are quoted from "
            "prose.", ""]
    prose = read_crosswalk("prose_facts.csv", ("topic", "variable"))
    quoted = {r["variable"] for r in prose}
    from .compare import STAFFING_VARIABLES
    out += _table(["variable", "unit", "meaning", "standard", "quoted from prose"],
                  [[code(v), code(unit), md(meaning),
                    "yes" if v in STAFFING_VARIABLES else "no",
                    "yes" if v in quoted else "no"]
                   for v, (unit, meaning) in schemas.STAFFING_VARIABLE_MEANINGS.items()])

    out += ["### 2.7 Scope classes (`staffing.scope_class`)", ""]
    out += _table(["scope_class", "meaning"],
                  [[code(k), md(v)] for k, v in schemas.SCOPE_CLASSES.items()])
    out += ["### 2.8 Periods (`period`)", ""]
    out += _table(["period", "meaning"],
                  [[code(k), md(v)] for k, v in schemas.PERIOD_MEANINGS.items()])

    out += ["### 2.9 Every coded value, column by column", "",
            "All columns with a closed list of values, in every table.", ""]
    rows = []
    for name in _table_names():
        for field in schemas.get(name)["fields"]:
            for value in field.get("constraints", {}).get("enum", []):
                rows.append([code(f"{name}.{field['name']}"), code(value),
                             md(_meaning(value))])
    out += _table(["column", "value", "meaning"], rows)
    return out


def _part_translations(processed_dir: Path, translations: dict[str, str]) -> list[str]:
    labels = swedish_labels(processed_dir)
    missing = [label for label in labels if label not in translations]
    if missing:
        raise CrosswalkError(
            f"{len(missing)} Swedish label(s) have no English translation: "
            + "; ".join(repr(m) for m in missing[:10]),
            file=str(paths.CROSSWALKS / TRANSLATIONS),
            fix="add a row 'swedish,english' for each label")
    out = ["## 3. Swedish report labels in English", "",
           "Every label the study takes from the reports – cost and activity lines, "
           "staffing rows, indicator names, goals and status texts – as printed (footnote "
           "stars included) with an English translation (`crosswalks/translations.csv`). "
           "Translations are for reading; the Swedish text is what the data holds.", ""]
    out += _table(["Swedish (as printed)", "English", "used in"],
                  [[md(label), md(translations[label]), ", ".join(code(p) for p in places)]
                   for label, places in labels.items()])
    return out


def _part_kolada() -> list[str]:
    out = ["## 4. Kolada: nearest key figures and how they differ", "",
           "Kolada (RKA) publishes key figures (KPIs) per municipality, year and gender "
           "(T total, K women, M men). They describe the **whole municipality**, mostly per "
           "inhabitant, while this study describes **one committee** from its own report. "
           "Use them as context, never as the same measure.", ""]
    out += _table(["municipality", "kommun code (Kolada municipality id)"],
                  [[m, code(c)] for m, c in KOMMUN_CODES.items()])
    out += ["A value can be fetched as `https://api.kolada.se/v2/data/kpi/<KPI>/"
            "municipality/<kommun code>/year/<year>` (Kolada API v2), e.g. N00090 for "
            "Haninge (0136) in 2024.", ""]
    out += _table(["our measure", "nearest Kolada KPI", "Kolada definition",
                   "how the definitions differ"],
                  [[md(ours), code(kpi) if kpi[0] == "N" and " " not in kpi else md(kpi),
                    md(definition), md(diff)]
                   for ours, kpi, definition, diff in KOLADA])
    out += ["Inhabitants for per-inhabitant comparisons: Kolada N01951. The budget "
            "deviation (`budget_deviation`) is nearest to N30001 only for IFO and only in "
            "spirit (N30001 compares net cost with a reference cost, not with a budget).",
            "", "### Terms of use", "", KOLADA_TERMS, ""]
    return out


def build_dictionary(processed_dir: Path) -> str:
    """The whole data dictionary as Markdown text."""
    translations = load_translations()
    lines = ["# Data dictionary", "",
             "<!-- Generated by socialstudy.dictionary from socialstudy/schemas.py and "
             "socialstudy/crosswalks/*.csv; do not edit by hand: run "
             "`python -m socialstudy.dictionary`. -->", "",
             "Comparative study of the social-services committee (socialnämnd) reports of "
             "Haninge, Huddinge and Strängnäs. Conventions throughout: money in **tkr** "
             "(thousand SEK); **costs positive** and net cost positive; budget deviation "
             "**positive = better than budget**; an empty cell is a missing value; every "
             "row names the raw file and line it comes from.", "",
             "Contents: 1. Tables and columns · 2. Harmonized categories · 3. Swedish "
             "report labels in English · 4. Kolada: nearest key figures", ""]
    lines += _part_tables(processed_dir)
    lines += _part_categories(translations)
    lines += _part_translations(processed_dir, translations)
    lines += _part_kolada()
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def write_dictionary(processed_dir: Path, path: Path) -> Path:
    """Write the data dictionary for the tables in ``processed_dir`` to ``path``
    (deterministic bytes, UTF-8, LF) and return ``path``."""
    path = Path(path)
    text = build_dictionary(Path(processed_dir))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def main() -> None:
    """``python -m socialstudy.dictionary``: (re)write docs/data_dictionary.md."""
    print(write_dictionary(paths.Outputs().processed, paths.ROOT / "docs" /
                           "data_dictionary.md"))


if __name__ == "__main__":
    main()
