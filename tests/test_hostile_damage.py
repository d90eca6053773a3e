"""Hostile inputs of issue 15: damaged number cells are parsed right or reported where
they land (never a shifted or silently missing value), crosswalks are normalised on load,
and a registry with a repeated top-level key is refused."""

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from reading import extract_changed

from socialstudy.core.registry import load_registry, sha256_of
from socialstudy.core.schemas import validate
from socialstudy.crosswalks.loader import check_all, read_crosswalk
from socialstudy.errors import CrosswalkError, NumberFormatError, RegistryError
from socialstudy.extract.numbers import looks_numeric, parse_number
from socialstudy.measures import damage, run_summary
from socialstudy.measures.revenue import revenue_dependence

HUDDINGE = "002_ed79cea0b5e49fc0.txt"


# ---- 1. numbers: unambiguous forms parse right -----------------------------------------

@pytest.mark.parametrize("raw, value, unit", [
    ("20,3-", "-20.3", ""),                  # trailing minus
    ("20,3\u2212", "-20.3", ""),             # trailing Unicode minus
    ("(2 683)", "-2683", ""),                # accounting parentheses
    ("(2\u00a0683)", "-2683", ""),
    ("-2 683 tkr", "-2683", "tkr"),
    ("-2 683 000 kronor", "-2683000", "sek"),
    ("4,8 %-enheter", "4.8", "pp"),
    ("4,8 procentenheter", "4.8", "pp"),
    ("-1\u00a0569,1", "-1569.1", ""),        # no-break space as thousands separator
    ("-1\u202f569,1", "-1569.1", ""),        # narrow no-break space
    ("-1\u2009569,1", "-1569.1", ""),        # thin space
    ("\u221274,0", "-74.0", ""),             # Unicode minus
])
def test_unambiguous_forms_parse_right(raw, value, unit):
    assert looks_numeric(raw)
    parsed = parse_number(raw)
    assert parsed.value == Decimal(value) and parsed.unit == unit


@pytest.mark.parametrize("raw", ["(20,3-)", "(-2 683)"])
def test_two_negative_signs_are_refused(raw):
    with pytest.raises(NumberFormatError, match="two negative signs"):
        parse_number(raw)


@pytest.mark.parametrize("raw", ["-(2 683)", "(2 683", "20,3--"])
def test_half_written_signs_are_rejects_not_values(raw):
    with pytest.raises(NumberFormatError):
        parse_number(raw)


# ---- 1. a tab inside a number: the row is rejected, the comparison says so ---------------

def _damaged_copy(raw: Path, old: str, new: str, name: str = HUDDINGE) -> list:
    """The registry of ``raw`` with report ``name`` changed once (old → new), its hash
    brought up to date."""
    path = raw / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    registry = (raw / "reports.yml").read_text(encoding="utf-8")
    registry = registry.replace(sha256_of_original(name), sha256_of(path))
    (raw / "reports.yml").write_text(registry, encoding="utf-8")
    return load_registry(raw / "reports.yml")


def sha256_of_original(name: str) -> str:
    from socialstudy import paths
    return sha256_of(paths.RAW / name)


@pytest.fixture
def tab_damaged(raw):
    reports = _damaged_copy(raw, "intäkter\t41 974\t49 339\t", "intäkter\t41 974\t49\t339\t")
    return reports, extract_changed(reports)


def test_tab_inside_a_number_gives_no_value_only_rejects(tab_damaged):
    _, out = tab_damaged
    facts = out.facts[(out.facts.source_file == HUDDINGE) & (out.facts.source_line == 454)]
    assert facts.empty, "a shifted row must not give values (49 tkr for 49 339)"
    rejects = out.rejects[(out.rejects.source_file == HUDDINGE) & (out.rejects.source_line == 454)]
    assert set(rejects.raw) >= {"49", "339", "41 974"}
    assert rejects.reason.str.contains("row has 6 cells but the header has 5").all()
    issue = out.quality[(out.quality.check == "ragged_row") & (out.quality.source_line == 454)]
    assert len(issue) == 1


def test_the_revenue_row_it_fed_says_not_reported_with_the_line(tab_damaged):
    reports, out = tab_damaged
    facts = out.facts.assign(number=out.facts.value.astype(float))
    facts.attrs["rejects"] = damage.as_records(out.rejects)
    table = revenue_dependence(facts, reports)
    rows = table[(table.doc_id == "huddinge_2024_vb") & (table.fiscal_year == 2024)]
    revenue = rows[rows.measure == "revenue_tkr"].iloc[0]
    assert revenue.status == "not reported" and revenue.value == ""
    assert revenue.reason.startswith("not reported — cell at line 454 could not be read")
    share = rows[rows.measure == "revenue_share_of_gross_cost_pct"].iloc[0]
    assert share.status == "not reported" and "line 454" in share.reason
    gross = rows[rows.measure == "gross_cost_tkr"].iloc[0]
    assert gross.status == "reported", "an undamaged row is still used"


def test_the_run_ends_with_one_line_per_affected_table(tab_damaged, tmp_path):
    reports, out = tab_damaged
    out.rejects.to_csv(tmp_path / "rejects.csv", index=False)
    lines = run_summary.summary_lines(tmp_path, {r.doc_id: r.municipality for r in reports})
    assert len(lines) == 1, lines
    assert "huddinge_2024_vb:L0453" in lines[0] and "line(s) 454 " in lines[0]
    assert HUDDINGE in lines[0]


def test_rejects_on_rows_nobody_uses_give_no_summary_line(extraction, reports, tmp_path):
    """The reports' own dates and paragraph numbers are rejects of unused rows: no noise."""
    extraction.rejects.to_csv(tmp_path / "rejects.csv", index=False)
    assert run_summary.summary_lines(tmp_path, {r.doc_id: r.municipality for r in reports}) == []


def test_a_cell_in_kronor_in_a_money_table_becomes_tkr(raw):
    reports = _damaged_copy(raw, "kostnader\t-3 614\t-2 683\t", "kostnader\t-3 614\t"
                                                                 "-2 683 000 kronor\t")
    facts = extract_changed(reports).facts
    cell = facts[(facts.source_file == HUDDINGE) & (facts.source_line == 457)
                 & (facts.source_col == 2)].iloc[0]
    assert (cell.value, cell.unit) == ("-2683", "tkr")


# ---- 2. crosswalks normalised on load ------------------------------------------------------

def _crosswalk(folder: Path, text: str, name: str = "cost_types.csv") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(text.encode("utf-8"))
    return folder


HEADER = ("municipality,report_label,flow,category,kommun_bas,fit,justification,holds,"
          "holds_doc_id,holds_line\n")


@pytest.mark.parametrize("row", [
    "Haninge,Lokalkostnader ,cost,premises,,exact,why,,,\n",           # trailing space
    " Haninge,Lokalkostnader,cost,premises,,exact,why,,,\n",           # leading space
    "Haninge ,\u00a0Lokalkostnader\t,cost,premises,,exact,why,,,\n",   # mixed white space
])
def test_match_keys_are_stripped(tmp_path, row):
    folder = _crosswalk(tmp_path / "cw", HEADER + row)
    got = read_crosswalk("cost_types.csv", folder)
    assert (got[0].municipality, got[0].report_label) == ("Haninge", "Lokalkostnader")


def test_a_byte_order_mark_is_dropped(tmp_path):
    folder = _crosswalk(tmp_path / "cw", "\ufeff" + HEADER
                        + "Haninge,Lokalkostnader,cost,premises,,exact,why,,,\n")
    got = read_crosswalk("cost_types.csv", folder)
    assert got[0].municipality == "Haninge"


def test_a_decomposed_letter_matches_the_composed_one_labels_stay_verbatim(tmp_path):
    nfd = "Stra\u0308ngna\u0308s"
    folder = _crosswalk(tmp_path / "cw",
                        HEADER + f"{nfd},Ko\u0308p,cost,x,,exact,  why ,,,\n")
    got = read_crosswalk("cost_types.csv", folder)[0]
    assert got.municipality == "Strängnäs" and got.report_label == "Köp"
    assert got.justification == "  why ", "a free-text value stays as written"


def test_case_variant_duplicate_keys_are_refused_with_file_and_line(tmp_path):
    folder = _crosswalk(tmp_path / "cw", HEADER
                        + "Haninge,Lokalkostnader,cost,a,,exact,w,,,\n"
                        + "Haninge,LOKALKOSTNADER,cost,b,,exact,w,,,\n")
    with pytest.raises(CrosswalkError) as info:
        read_crosswalk("cost_types.csv", folder)
    assert info.value.line == 3 and info.value.file.endswith("cost_types.csv")
    with pytest.raises(CrosswalkError, match="letter case"):
        check_all(folder)


def test_the_real_crosswalks_pass(reports):
    check_all()


# ---- 2. the registry: a repeated top-level key -------------------------------------------

def test_a_repeated_top_level_key_is_refused(raw):
    registry = raw / "reports.yml"
    text = registry.read_text(encoding="utf-8")
    start = text.index("  - doc_id: haninge_2024_ar")
    end = text.index("  - doc_id: strangnas_2023_ar")
    registry.write_text(text + "reports:\n" + text[start:end], encoding="utf-8")
    with pytest.raises(RegistryError, match="top-level key 'reports' appears twice") as info:
        load_registry(registry)
    assert info.value.line == text.count("\n") + 1 and info.value.fix


def test_frames_keep_working_with_rejects_attached():
    """pandas compares attrs when it concatenates: the rejects ride as plain tuples."""
    frame = pd.DataFrame({"a": [1]})
    frame.attrs["rejects"] = damage.as_records(pd.DataFrame(
        {c: ["x"] for c in ("doc_id", "row_label", "source_file", "source_line", "raw",
                             "reason")}))
    assert len(pd.concat([frame, frame[frame.a > 0]])) == 2


# ---- 1. a damaged cost-type line: cost_by_type and budget_by_cost_type say so -------------

@pytest.fixture
def premises_damaged(raw):
    reports = _damaged_copy(raw, "Lokaler\t-24 738\t-25 938\t", "Lokaler\t-24 738\t-25\t938\t")
    out = extract_changed(reports)
    facts = out.facts.assign(number=out.facts.value.astype(float))
    facts.attrs["rejects"] = damage.as_records(out.rejects)
    return reports, facts


def test_a_damaged_cost_type_line_is_a_not_reported_row_with_the_line(premises_damaged):
    from socialstudy.measures.compare import cost_by_type
    reports, facts = premises_damaged
    table = cost_by_type(facts, reports)
    validate(table, "cost_by_type")
    rows = table[(table.doc_id == "huddinge_2024_vb") & (table.report_label == "Lokaler")]
    assert len(rows) >= 1 and set(rows.value_status) == {"not reported"}
    row = rows[rows.fiscal_year == 2024].iloc[0]
    assert row.value_tkr == "" and row.share_pct == "" and row.source_line == 456
    assert row.status == "not reported" and row.raw == "-24 738"  # the cell rejects.csv names
    assert row.reason.startswith("not reported — cell at line 456 could not be read")
    personnel = table[(table.doc_id == "huddinge_2024_vb") & (table.category == "personnel")
                      & (table.fiscal_year == 2024)].iloc[0]
    assert personnel.value_status == "reported" and personnel.share_pct != ""


def test_a_damaged_budget_line_is_a_not_reported_row_with_the_line(premises_damaged):
    from socialstudy.measures.finance import budget_by_cost_type
    reports, facts = premises_damaged
    table = budget_by_cost_type(facts, reports)
    validate(table, "budget_by_cost_type")
    rows = table[(table.doc_id == "huddinge_2024_vb") & (table.report_label == "Lokaler")]
    assert len(rows) == 1
    row = rows.iloc[0]
    assert (row.status, row.budget_tkr, row.outcome_tkr) == ("not reported", "", "")
    assert row.reason.startswith("not reported — cell at line 456 could not be read")
    assert "row has 6 cells but the header has 5" in row.reason
