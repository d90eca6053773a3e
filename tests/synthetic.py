"""Synthetic reports generated at test time from a real seed report (agreement 7).

``next_year_report`` writes what next year's report of a known committee looks like: every
year +1 (headers, titles, prose), every money cell scaled by one seeded factor, a few
prose lines inserted and removed (so every line number moves), one activity row renamed.
``new_municipality_report`` writes the seed under another municipality's name and kommun
code. Each writes a temporary ``data/raw/`` holding the real reports, the new one and a
``reports.yml`` with SHA-256 computed, returns that registry's path, and records what was
planted in ``planted.json`` beside it (``planted(registry)`` reads it back).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import random
import re
import shutil
import subprocess
import sys
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml
from reading import crosswalks_state, extract_changed
from repo_copy import repo_env, seed_bytecode

from socialstudy import paths
from socialstudy.core.registry import PERIODS, by_doc_id, load_registry
from socialstudy.crosswalks.loader import as_dict, read_crosswalk
from socialstudy.extract.tables import read_lines
from socialstudy.measures import compare

NUMBER = re.compile(r"(?P<sign>[-−–]?)(?P<int>\d{1,3}(?:(?P<sep>[ \u00a0])\d{3})+|\d+)"
                    r"(?:(?P<dec>[,.])(?P<frac>\d+))?")
YEAR = re.compile(r"(?<![\d,.])(?:19|20)\d{2}(?![\d])")
INSERTED = ["", "Rapporten följer förvaltningens reviderade mall för verksamhetsberättelser, "
                "med samma indelning som föregående år.", ""]


def next_year_report(seed_doc_id: str, tmp_path: Path, seed: int = 0, *,
                     cells: dict[tuple[str, str], str] | None = None,
                     replacements: dict[str, str] | None = None) -> Path:
    """Registry path of a temp corpus holding the real reports and next year's report of
    the seed's committee. ``cells`` plants new raw text in table cells keyed by the seed's
    (row label, column label); ``replacements`` are further exact text edits (each must
    occur)."""
    report = by_doc_id(load_registry())[seed_doc_id]
    seed_key = (report.doc_id, report.sha256, str(report.path), crosswalks_state())
    if seed_key not in _SEEDS:  # the seed's facts and the row to rename, once per seed
        facts = extract_changed([report]).facts
        _SEEDS[seed_key] = facts, _renamed_row(facts, report)
    key = (*seed_key, seed, tuple(sorted((cells or {}).items())),
           tuple(sorted((replacements or {}).items())))
    if key not in _NEXT_YEAR:  # the same arguments and inputs write the same report
        _NEXT_YEAR[key] = _next_year(report, seed, cells, replacements, *_SEEDS[seed_key])
    entry, text, record = copy.deepcopy(_NEXT_YEAR[key])
    return _write_corpus(tmp_path, report, entry, text, record)


_SEEDS: dict[tuple, tuple] = {}
_NEXT_YEAR: dict[tuple, tuple[dict, str, dict]] = {}


def _next_year(report, seed: int, cells: dict | None, replacements: dict | None, facts,
               renamed: dict) -> tuple[dict, str, dict]:
    """(registry entry, text, what was planted) of ``next_year_report``."""
    rng = random.Random(seed)
    factor = Decimal(100 + rng.randint(3, 9)) / 100
    lines = read_lines(report.path)
    table = facts[facts.source_kind == "table"]
    money = {(r.source_line, r.source_col) for r in table.itertuples() if r.unit == "tkr"}
    plants = _plant_positions(table, cells or {})
    shift = lambda text: _shift_years(text, report.fiscal_year)  # noqa: E731
    out = []
    for number, text in enumerate(lines, start=1):
        if "\t" not in text:
            out.append(shift(text))
            continue
        parts = text.split("\t")
        for col, cell in enumerate(parts):
            if (number, col) in plants:
                parts[col] = NUMBER.sub(plants[(number, col)], cell, count=1)
            elif (number, col) in money:
                parts[col] = NUMBER.sub(lambda m: _scaled_text(m, factor), cell, count=1)
            else:
                parts[col] = shift(cell)
        if number == renamed["seed_line"]:
            parts[0] = parts[0].replace(renamed["from"], renamed["to"])
        out.append("\t".join(parts))
    removed = _remove_some(out, rng)
    text = "\n".join(out[:2] + INSERTED + out[2:]) + "\n"
    for old, new in (replacements or {}).items():
        assert old in text, f"replacement text not in the synthetic report: {old!r}"
        text = text.replace(old, new)
    year = report.fiscal_year + 1
    doc_id = report.doc_id.replace(str(report.fiscal_year), str(year))
    entry = {"doc_id": doc_id, "fiscal_year": year,
             "title": _shift_years(report.title, report.fiscal_year),
             "period_covered": _shift_years(report.period_covered, report.fiscal_year)}
    return entry, text, {
        "doc_id": doc_id, "money_factor": str(factor), "renamed": renamed,
        "inserted_after_line": 2, "inserted_lines": len(INSERTED), "removed": removed}


def new_municipality_report(seed_doc_id: str, tmp_path: Path, name: str = "Nyköping",
                            kommun_code: str = "0480", *,
                            replacements: dict[str, str] | None = None) -> Path:
    """Registry path of a temp corpus holding the real reports and the seed's text under
    another municipality's name (every occurrence replaced) and kommun code."""
    report = by_doc_id(load_registry())[seed_doc_id]
    text = report.path.read_text(encoding="utf-8").replace(report.municipality, name)
    for old, new in (replacements or {}).items():
        assert old in text, f"replacement text not in the synthetic report: {old!r}"
        text = text.replace(old, new)
    doc_id = f"{slug(name)}_{seed_doc_id.split('_', 1)[1]}"
    entry = {"doc_id": doc_id, "municipality": name, "kommun_code": kommun_code,
             "title": report.title.replace(report.municipality, name)}
    return _write_corpus(tmp_path, report, entry, text, {
        "doc_id": doc_id, "municipality": name, "kommun_code": kommun_code})


INTERIM_HEADER = ("Budget helår", "Utfall {span}", "Prognos helår",
                  "Avvikelse prognos mot budget")


def interim_report(seed_doc_id: str, tmp_path: Path, period: str = "jan_aug") -> Path:
    """Registry path of a temp corpus holding the real reports and an interim report of
    the seed's committee for the next year: the seed's goal table with every status marked
    '(prognos)', and its income statement and activity table laid out as interim reports
    print them (full-year budget, outcome for the period = the seed's outcome × months/12,
    full-year forecast = the seed's outcome, and the forecast's deviation from budget)."""
    report = by_doc_id(load_registry())[seed_doc_id]
    year, months = report.fiscal_year + 1, int(PERIODS[period][1][:2])
    lines = read_lines(report.path)
    span = f"jan-{period.split('_')[1]}"
    text = [f"Delårsrapport {year}, Socialnämnd", "",
            f"Rapporten avser perioden {span} med prognos för helåret.", ""]
    text += ["Målbedömning", ""] + [
        row + " (prognos)" if re.search(r"\t.*uppfyll", row) else row
        for row in _table_at(lines, "Målområde\t")]
    cells = {}
    for title, heading, costs_positive in (
            ("Resultaträkning, tkr", "Resultaträkning\tBudget helår", False),
            ("Driftsredovisning per verksamhet, tkr", "Verksamhet\tBudget helår", True)):
        text += ["", title, ""]
        for row in _table_at(lines, heading):
            first = row.split("\t")[0]
            if row.startswith(heading):
                text.append("\t".join([first, *(h.format(span=span) for h in INTERIM_HEADER)]))
                continue
            if not re.fullmatch(r"-?[\d ]+\t-?[\d ]+", "\t".join(row.split("\t")[1:3])):
                break  # the rule under the table
            budget, actual = (_number(c) for c in row.split("\t")[1:3])
            part, forecast = round(actual * months / 12), actual
            deviation = budget - forecast if costs_positive else forecast - budget
            text.append("\t".join([first, *map(_printed, (budget, part, forecast, deviation))]))
            cells[f"{heading.split(chr(9))[0]}|{first}"] = {
                "line": len(text), "budget": budget, "part_year": part, "forecast": forecast,
                "forecast_deviation": deviation}
    text += ["", "Verksamheterna", ""] + _described(lines, report.municipality)
    doc_id = f"{seed_doc_id.split('_')[0]}_{year}_{KIND[period]}"
    entry = {"doc_id": doc_id, "fiscal_year": year, "period": period,
             "document_type": "interim_report", "title": f"Delårsrapport {year}",
             "period_covered": f"{year}-{PERIODS[period][0]}/{year}-{PERIODS[period][1]}"}
    return _write_corpus(tmp_path, report, entry, "\n".join(text) + "\n", {
        "doc_id": doc_id, "period": period, "months": months, "cells": cells})


KIND = {"jan_apr": "d1", "jan_aug": "d2"}


def _described(lines: list[str], municipality: str) -> list[str]:
    """The seed's lines that hold its activities' descriptions (activities.csv quotes
    them; the run checks that each stands in the report of its line)."""
    quotes = [q.strip() for row in read_crosswalk("activities.csv")
              if row.municipality == municipality
              for q in row.description.split(" || ") if q.strip()]
    found = [next((t for t in lines if q in t and "\t" not in t), None) for q in quotes]
    return [t for t in dict.fromkeys(found) if t is not None]


def _table_at(lines: list[str], heading: str) -> list[str]:
    """The tab rows of the seed's table whose header row starts with ``heading`` (a blank
    line before a closing row is kept out; the closing row is kept)."""
    start = next(i for i, text in enumerate(lines) if text.startswith(heading))
    rows, i = [], start
    while i < len(lines) and ("\t" in lines[i] or (not lines[i].strip() and i + 1 < len(lines)
                                                    and "\t" in lines[i + 1])):
        if lines[i].strip():
            rows.append(lines[i])
        i += 1
    return rows


def _number(cell: str) -> int:
    return int(cell.replace(" ", "").replace("\u00a0", "").replace("−", "-"))


def _printed(value: int) -> str:
    return f"{value:,}".replace(",", " ")


COPIED = ("socialstudy", "data", "notebooks", "figures", "docs", "tests")


def copy_repository(repo: Path) -> Path:
    """A copy of this repository (package, data, notebooks, outputs, tests) at ``repo``,
    for what must not touch the real one: registering reports, running the study."""
    for name in COPIED:
        shutil.copytree(paths.ROOT / name, repo / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "study-manifest.json"):
        shutil.copy(paths.ROOT / name, repo)
    seed_bytecode(paths.ROOT, repo, COPIED)  # its compiled bytecode too: none compiled again
    return repo


def run_in(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """``python ARGS`` in the copy ``repo``, importing the copy's package (outside any
    staging tree of the test session)."""
    return subprocess.run([sys.executable, *args], cwd=repo, capture_output=True, text=True,
                          env=repo_env(repo))


def planted(registry: Path) -> dict:
    """What the generator planted in the corpus of ``registry``."""
    return json.loads((registry.parent / "planted.json").read_text(encoding="utf-8"))


def scale(raw: str, factor: str | Decimal) -> Decimal:
    """The value the generator writes for a printed amount ``raw`` (e.g. '-1 243,4')."""
    match = NUMBER.search(raw)
    return Decimal(NUMBER.sub(lambda m: _scaled_text(m, Decimal(factor)), match.group(0))
                   .replace(" ", "").replace(",", ".").replace("−", "-"))


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")


def _shift_years(text: str, fiscal_year: int) -> str:
    def bump(match: re.Match) -> str:
        year = int(match.group(0))
        return str(year + 1) if fiscal_year - 15 <= year <= fiscal_year + 10 else match.group(0)
    return YEAR.sub(bump, text)


def _scaled_text(match: re.Match, factor: Decimal) -> str:
    digits = match.group("int").replace(" ", "").replace("\u00a0", "")
    frac = match.group("frac") or ""
    value = Decimal(f"{digits}.{frac}" if frac else digits) * factor
    value = value.quantize(Decimal(1).scaleb(-len(frac)), rounding=ROUND_HALF_UP)
    whole, _, decimals = f"{value:f}".partition(".")
    if match.group("sep"):
        whole = f"{int(whole):,}".replace(",", match.group("sep"))
    text = whole + (match.group("dec") + decimals if frac else "")
    return match.group("sign") + text


def _plant_positions(table, cells: dict[tuple[str, str], str]) -> dict[tuple[int, int], str]:
    positions = {}
    for (label, column), raw in cells.items():
        hits = table[(table.row_label == label) & (table.column_label == column)]
        assert len(hits) == 1, f"plant {label!r} / {column!r}: {len(hits)} cells in the seed"
        positions[(int(hits.source_line.iloc[0]), int(hits.source_col.iloc[0]))] = raw
    return positions


def _renamed_row(facts, report) -> dict:
    """The seed's largest activity line (not the total) gets ' m.m.' appended."""
    activity = compare.cost_by_activity(facts.assign(number=facts.value.astype(float)),
                                        [report])
    lines = activity[(activity.category != "total") & (activity.net_cost_tkr != "")
                     & (activity.fiscal_year == report.fiscal_year)]
    row = lines.loc[lines.net_cost_tkr.astype(float).idxmax()]
    return {"from": row.report_label, "to": f"{row.report_label} m.m.",
            "seed_line": int(row.source_line), "category": row.category}


def _remove_some(lines: list[str], rng: random.Random, count: int = 2) -> list[str]:
    """Remove ``count`` plain prose lines far from any table and quoting no crosswalk
    wording (so what they drop is text, not a judgement)."""
    wordings = _crosswalk_wordings()
    near_table = {i + d for i, text in enumerate(lines) if "\t" in text for d in range(-6, 7)}
    candidates = [i for i, text in enumerate(lines)
                  if i not in near_table and len(text) > 80 and not re.search(r"\d", text)
                  and not text.startswith("#") and not re.search(r"uppfyll|uppnå|bedöm", text)
                  and not any(w in text for w in wordings)]
    chosen = sorted(rng.sample(candidates, count), reverse=True)
    return [lines.pop(i) for i in chosen]


def _crosswalk_wordings() -> set[str]:
    return _wordings(crosswalks_state())


@functools.cache
def _wordings(crosswalks: tuple) -> set[str]:
    wordings = set()
    for path in sorted(paths.CROSSWALKS.glob("*.csv")):
        for row in read_crosswalk(path.name):
            wordings |= {v for v in as_dict(row).values() if v and len(v) >= 12}
    return wordings


def _write_corpus(tmp_path: Path, seed, entry: dict, text: str, record: dict) -> Path:
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    registry = yaml.safe_load(paths.REGISTRY.read_text(encoding="utf-8"))
    new = dict(next(e for e in registry["reports"] if e["doc_id"] == seed.doc_id))
    new.update(entry)
    # a registered report under the synthetic one's doc_id (a grown corpus) is replaced
    registry["reports"] = [e for e in registry["reports"] if e["doc_id"] != new["doc_id"]]
    for existing in registry["reports"]:
        shutil.copyfile(paths.REGISTRY.parent / existing["file"], raw / existing["file"])
    data = text.encode("utf-8")
    sha = hashlib.sha256(data).hexdigest()
    new.update(file=f"900_{sha[:16]}.txt", sha256=sha)
    (raw / new["file"]).write_bytes(data)
    registry["reports"].append(new)
    path = raw / "reports.yml"
    path.write_text(yaml.safe_dump(registry, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")
    record.update(file=new["file"], seed_doc_id=seed.doc_id)
    (raw / "planted.json").write_text(json.dumps(record, ensure_ascii=False, indent=1),
                                      encoding="utf-8")
    return path
