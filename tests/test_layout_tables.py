"""Space-aligned and one-cell-per-line tables read into facts with their raw lines; rows
that do not fit their header are rejects for review, never facts (issue 16, item 2)."""

from real_fixtures import ROOT

from socialstudy.core.registry import Report
from socialstudy.extract.clean import CleanResult
from socialstudy.extract.columns import load_measures
from socialstudy.extract.extraction import extract_report


def _report(path, doc_id, year, unit="mnkr"):
    return Report(doc_id=doc_id, file=path.name, municipality="Västervik", kommun_code="0883",
                  document_type="annual_report", title="t", fiscal_year=year,
                  period="full_year", period_covered=f"{year}-01-01/{year}-12-31",
                  money_unit=unit, cost_sign="costs_negative", sha256="0" * 64, path=path)


def _extract(path, doc_id, year):
    result = CleanResult()
    extract_report(_report(path, doc_id, year), [], load_measures(), [], result)
    return result


def test_cell_per_line_operating_statement_gives_each_cell_its_line():
    """Västervik 2020: the committee's row 'Socialnämnd' (line 246), one cell per line;
    hand-read: Intäkter 2020 216,4 (line 250), Budget 2020 -918,6 (line 258),
    Avvikelse 1,9 (line 260)."""
    path = ROOT / "vastervik_2020_ar_drift" / "report.txt"
    result = _extract(path, "vastervik_2020_ar", 2020)
    row = {(f.column_label, f.source_line): f for f in result.facts
           if f.row_label == "Socialnämnd"}
    assert row[("Intäkter 2020", 250)].value == "216400"
    assert row[("Intäkter 2020", 250)].fiscal_year == 2020
    assert row[("Intäkter 2019", 248)].fiscal_year == 2019
    assert row[("Budget 2020", 258)].value == "-918600"
    assert row[("Avvikelse mot budget 2020", 260)].value == "1900"
    assert row[("Kostnader 2020", 254)].value == "-1133100"  # '-1 133,1' not split


def test_rows_without_a_header_or_glued_are_rejects_not_facts():
    """Helsingborg 2016: every cell glued ('Socialnämnden11,80,0470,1248,6', line 42);
    Västervik 2020's second block (line 310 on) has no header: all go to review."""
    path = ROOT / "helsingborg_2016_ar_drift" / "report.txt"
    result = _extract(path, "helsingborg_2016_ar", 2016)
    assert not result.facts
    reasons = {r.source_line: r.reason for r in result.rejects}
    assert "glued" in reasons[42]
    path = ROOT / "vastervik_2020_ar_drift" / "report.txt"
    result = _extract(path, "vastervik_2020_ar", 2020)
    assert not [f for f in result.facts if f.source_line >= 310]
    assert "no header" in {r.source_line: r.reason for r in result.rejects}[310]


def test_fewer_cells_than_columns_is_a_review_item():
    """Västervik 2021 line 150: 'Uttag ur resultatutjämningsfond' has 4 cells for 7
    columns (they align from the right): never placed from the left."""
    path = ROOT / "vastervik_2021_ar_drift" / "report.txt"
    result = _extract(path, "vastervik_2021_ar", 2021)
    assert not [f for f in result.facts if f.source_line >= 64]
    assert {r.source_line for r in result.rejects if r.source_line >= 64}


def test_space_aligned_table_and_a_split_number_marked(tmp_path):
    """report-layouts §1: the total's spacing is lost; the header's three columns and
    Budget − Utfall = Avvikelse split '160 600 164 000 -3 400' (line 6), marked."""
    path = tmp_path / "r.txt"
    path.write_text("Driftredovisning, tkr\n\n"
                    "                         Budget 2025   Utfall 2025   Avvikelse\n"
                    "Barn och unga              120 400       125 900      -5 500\n"
                    "Vuxna                       40 200        38 100       2 100\n"
                    "Socialnämnden totalt 160 600 164 000 -3 400\n", encoding="utf-8")
    result = CleanResult()
    extract_report(_report(path, "exempelby_2025_ar", 2025, "tkr"), [], load_measures(), [],
                   result)
    facts = {(f.source_line, f.column_label): f for f in result.facts}
    assert facts[(4, "Budget 2025")].value == "120400"
    assert facts[(6, "Utfall 2025")].value == "164000"
    assert facts[(6, "Avvikelse")].value == "-3400"
    assert "split" in facts[(6, "Avvikelse")].note
    assert facts[(4, "Budget 2025")].note == ""
