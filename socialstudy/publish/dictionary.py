"""``docs/data_dictionary.md``, generated from the schema files and the crosswalks.

Part 1 lists every processed table (``socialstudy/schemas/*.yaml``), every column and, for
each coded column, the meaning of each value *in that column* (its ``categories``), so a
code that appears in several columns (``met``, ``total``, ``reported``) is explained where
it stands. Part 2 lists the crosswalk mappings behind the harmonized categories, part 3
translates every Swedish label the study uses (``crosswalks/translations.csv``; a label
without one is marked as such), part 4 names the nearest Kolada key figures
(``socialstudy/reference/kolada.yaml``; kommun codes from the registry).

Deterministic: no timestamps, declared or sorted order. Rebuild with
``python -m socialstudy.publish.dictionary``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from socialstudy import paths
from socialstudy.core import schemas
from socialstudy.core.registry import in_words, load_registry, municipalities
from socialstudy.crosswalks.loader import read_crosswalk
from socialstudy.publish.translations import (
    UNTRANSLATED,
    load_translations,
    reference,
    swedish_labels,
)

TABLE_ORDER = ("tables", "facts", "rejects", "cells", "quality", "cost_by_type",
               "cost_by_activity", "activity_series", "volumes", "budget_deviation", "staffing",
               "goals", "indicators")


# ---- Markdown helpers ------------------------------------------------------------------------

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


def _row_count(processed_dir: Path, name: str) -> str:
    path = Path(processed_dir) / f"{name}.csv"
    if not path.exists():
        return "not built"
    with path.open(encoding="utf-8", newline="") as fh:
        return str(sum(1 for _ in csv.reader(fh)) - 1)


def table_names() -> list[str]:
    """Declared tables: the study's order first, then any newer table by name."""
    declared = schemas.names()
    return [n for n in TABLE_ORDER if n in declared] + [
        n for n in declared if n not in TABLE_ORDER]


# ---- part 1: tables, columns and the meaning of every coded value ---------------------------

def _constraints(field: dict) -> str:
    cons = field.get("constraints", {})
    parts = ["one of the values below" if "categories" in field else ""]
    parts += ["matches " + code(cons["pattern"])] if "pattern" in cons else []
    parts += [f"≥ {cons['minimum']}"] if "minimum" in cons else []
    parts += [f"≤ {cons['maximum']}"] if "maximum" in cons else []
    return "; ".join(p for p in parts if p)


def _values(name: str, field: dict) -> list[str]:
    """The table of one coded column: value, meaning in this column, and any notes."""
    cats = field["categories"]
    notes = [k for k in dict.fromkeys(k for c in cats for k in c) if k not in ("value",
                                                                               "label")]
    out = [f"Values of `{name}.{field['name']}`:", ""]
    return out + _table(["value", "meaning"] + [md(n) for n in notes],
                        [[code(c["value"]), md(c["label"])]
                         + [md(c.get(n, "")) for n in notes] for c in cats])


def _part_table(index: int, name: str, processed_dir: Path) -> list[str]:
    spec = schemas.get(name)
    out = [f"### 1.{index} `{name}.csv` – {md(spec['title'])}", "", md(spec["description"]),
           "", f"- Rows: {_row_count(processed_dir, name)}",
           "- Primary key: " + (", ".join(code(c) for c in spec.get("primaryKey", []))
                                or "none"), ""]
    out += _table(["#", "column", "type", "unit", "may be empty", "allowed values",
                   "description"],
                  [[str(i), code(f["name"]), f["type"], md(f.get("unit", "")),
                    "no" if f.get("constraints", {}).get("required") else "yes",
                    _constraints(f), md(f["description"])]
                   for i, f in enumerate(spec["fields"], start=1)])
    for field in spec["fields"]:
        if "categories" in field:
            out += _values(name, field)
    if spec["rules"]:
        out += ["Rules checked row by row when the table is written:", ""]
        out += [f"- {md(rule['rule'])}" for rule in spec["rules"]] + [""]
    return out


def _part_tables(processed_dir: Path) -> list[str]:
    out = ["## 1. Tables and columns", "",
           "Every CSV under `data/processed/` (UTF-8, comma-separated, one header row), from "
           "its schema in `socialstudy/schemas/`. An empty cell is a missing value; the "
           "column says when it may be empty and what that means. Each coded column lists "
           "what each of its values means in that column. The same schemas are published "
           "in `data/processed/datapackage.json` and enforced whenever a table is written.",
           ""]
    for index, name in enumerate(table_names(), start=1):
        out += _part_table(index, name, processed_dir)
    return out


# ---- part 2: the crosswalks behind the harmonized categories -------------------------------

def _by_category(crosswalk: str, table: str) -> list:
    """A crosswalk's rows in the order of the categories ``table``'s schema declares, then
    by municipality, label and occurrence."""
    order = list(schemas.categories(table, "category"))
    return sorted(read_crosswalk(crosswalk),
                  key=lambda r: (order.index(r.category), r.municipality, r.report_label,
                                 getattr(r, "occurrence", "")))


def _part_cost_types(translations: dict[str, str]) -> list[str]:
    rows = _by_category("cost_types.csv", "cost_by_type")
    out = ["### 2.1 Report lines mapped to cost and revenue types "
           "(`crosswalks/cost_types.csv`)", "",
           "A Kommun-Bas-like taxonomy (SKR's chart of accounts; group numbers differ "
           "slightly between Kommun-Bas versions); the types are defined under "
           "`cost_by_type.category` in part 1.", ""]
    return out + _table(["category", "municipality", "report label (Swedish)", "English",
                         "Kommun-Bas", "fit", "justification"],
                        [[code(r.category), md(r.municipality), md(r.report_label),
                          md(translations.get(r.report_label, "")), md(r.kommun_bas),
                          code(r.fit), md(r.justification)] for r in rows])


def _part_activities(translations: dict[str, str]) -> list[str]:
    rows = _by_category("activities.csv", "cost_by_activity")
    out = ["### 2.2 Report lines mapped to activity categories (`crosswalks/activities.csv`)",
           "", "Close to the activities of SCB's räkenskapssammandrag (RS); where a report "
           "is organised by its own departments, several lines map only partly. Category "
           "and fit (exact, partial, mixed) rest on the report's own description of each "
           "line (`description`, checked to stand in the report). A mixed line (components "
           "listed) spans several activities without a printed split and is kept out of "
           "like-with-like shares. "
           "`occurrence` says which of a label's repeated rows in one table is meant "
           "(first/last).", ""]
    out += _table(["category", "municipality", "report label (Swedish)", "occurrence",
                   "English", "fit", "components", "report's description (Swedish)"],
                  [[code(r.category), md(r.municipality), md(r.report_label),
                    r.occurrence, md(translations.get(r.report_label, "")),
                    code(r.fit), md(r.components),
                    md(r.description)]
                   for r in rows])
    remit = read_crosswalk("remit.csv")
    munis = sorted({r.municipality for r in remit})
    in_remit = {(r.category, r.municipality): r.in_remit for r in remit}
    out += ["Remit: does the committee run the activity? (`crosswalks/remit.csv`)", ""]
    return out + _table(["category"] + munis,
                        [[code(c)] + [in_remit.get((c, m), "") for m in munis]
                         for c in schemas.categories("cost_by_activity", "category")
                         if any((c, m) in in_remit for m in munis)])


def _part_patterns() -> list[str]:
    levels = read_crosswalk("goal_levels.csv")
    out = ["### 2.3 Goal levels from printed statuses (`crosswalks/goal_levels.csv`)", "",
           "The first pattern (in file order, case-insensitive regular expression) that "
           "matches the printed status decides `goals.level`.", ""]
    out += _table(["order", "pattern", "level", "rank", "why"],
                  [[str(i), code(p.pattern), code(p.level), p.rank,
                    md(p.justification)] for i, p in enumerate(levels, 1)])
    measures = read_crosswalk("measures.csv")
    out += ["### 2.4 Measures from table headers (`crosswalks/measures.csv`, "
            "`facts.measure`)", "",
            "The first pattern that matches a column header (or row label) decides what "
            "kind of figure it holds. A header matching none is `unclassified` (reported "
            "in quality.csv, never guessed); prose facts carry their variable name.", ""]
    return out + _table(["order", "pattern", "applies to", "measure", "why"],
                        [[str(i), code(r.pattern), r.applies_to, code(r.measure),
                          md(r.why)] for i, r in enumerate(measures, 1)])


# ---- parts 3 and 4 ---------------------------------------------------------------------------

def _part_translations(processed_dir: Path, translations: dict[str, str]) -> list[str]:
    """Every label with its translation; a label of a newly added report that has none yet
    is listed as such (a gap to fill, not a reason to throw the run away)."""
    labels = swedish_labels(processed_dir)
    missing = [label for label in labels if label not in translations]
    out = ["## 3. Swedish report labels in English", "",
           "Every label the study takes from the reports, as printed (footnote stars "
           "included), with an English translation (`crosswalks/translations.csv`). "
           "Translations are for reading; the Swedish text is what the data holds.", ""]
    if missing:
        out += [f"**{len(missing)} label(s) have no translation yet** (marked below): add a "
                "row `swedish,english` for each to `crosswalks/translations.csv`.", ""]
    return out + _table(["Swedish (as printed)", "English", "used in"],
                        [[md(label), md(translations.get(label, UNTRANSLATED)),
                          ", ".join(code(p) for p in places)]
                         for label, places in labels.items()])


def _part_kolada() -> list[str]:
    kolada = reference("kolada.yaml")
    codes = sorted({(r.municipality, r.kommun_code) for r in load_registry()})
    out = ["## 4. Kolada: nearest key figures and how they differ", "", kolada["intro"], ""]
    out += _table(["municipality", "kommun code (Kolada municipality id)"],
                  [[m, code(c)] for m, c in codes])
    out += [kolada["api"], ""]
    out += _table(["our measure", "nearest Kolada KPI", "Kolada definition",
                   "how the definitions differ"],
                  [[md(f["measure"]), md(f["kpi"]), md(f["definition"]), md(f["difference"])]
                   for f in kolada["figures"]])
    return out + [kolada["notes"], "", "### Terms of use", "", kolada["terms"], ""]


def build_dictionary(processed_dir: Path) -> str:
    """The whole data dictionary as Markdown text."""
    translations = load_translations()
    lines = ["# Data dictionary", "",
             "<!-- Generated by socialstudy.publish.dictionary from socialstudy/schemas/*.yaml, "
             "socialstudy/reference/ and socialstudy/crosswalks/*.csv; do not edit by hand: "
             "run `python -m socialstudy.publish.dictionary`. -->", "",
             "Comparative study of the social-services committee (socialnämnd) reports of "
             f"{in_words(municipalities(load_registry()))}. Conventions: money in **tkr** "
             "(thousand SEK); "
             "facts keep the sign as printed, the comparison tables put **costs positive**; "
             "budget deviation **positive = better than budget**; an empty cell is a missing "
             "value; every row names the raw file and line it comes from.", "",
             "Contents: 1. Tables and columns · 2. Crosswalks behind the harmonized "
             "categories · 3. Swedish report labels in English · 4. Kolada: nearest key "
             "figures", ""]
    lines += _part_tables(processed_dir)
    lines += ["## 2. Crosswalks behind the harmonized categories", "",
              "Each report's own labels are mapped onto the categories of part 1 by the "
              "crosswalks in `socialstudy/crosswalks/`; every mapping carries a fit and a "
              "justification citing the report's lines.", ""]
    lines += _part_cost_types(translations) + _part_activities(translations)
    lines += _part_patterns()
    lines += _part_translations(processed_dir, translations) + _part_kolada()
    return "\n".join(lines).rstrip("\n") + "\n"


def write_dictionary(processed_dir: Path, path: Path) -> Path:
    """Write the data dictionary for the tables in ``processed_dir`` to ``path``
    (deterministic bytes, UTF-8, LF) and return ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build_dictionary(Path(processed_dir)).encode("utf-8"))
    return path


def main() -> None:
    """``python -m socialstudy.publish.dictionary``: (re)write docs/data_dictionary.md."""
    print(write_dictionary(paths.Outputs().processed,
                           paths.ROOT / "docs" / "data_dictionary.md"))


if __name__ == "__main__":
    main()
