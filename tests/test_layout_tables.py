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


def test_glued_cells_cut_at_one_decimal_and_checked_by_the_tables_arithmetic():
    """Helsingborg 2016 (hand-read, expected.yml): 'Socialnämnden11,80,0470,1248,6' (line
    42), '-697,0' (43), '21,633,4' (44) are Ingående 11,8 | Disposition 0,0 | Kommunbidrag
    470,1 | Intäkter 248,6 | Kostnader -697,0 | Årets resultat 21,6 | Utgående 33,4; the
    cut is checked by the table's own sum (Utgående = Ingående + Disposition + Årets
    resultat in every row) and says so; '-77,96 953,5' (line 26) is -77,9 and 6 953,5."""
    path = ROOT / "helsingborg_2016_ar_drift" / "report.txt"
    result = _extract(path, "helsingborg_2016_ar", 2016)
    row = {f.column_label: f for f in result.facts if f.row_label == "Socialnämnden"}
    assert [(row[c].value, row[c].source_line) for c in (
        "Ingående redovisat resultat 1)", "Disposition av resultat", "Kommunbidrag 2)",
        "Intäkter", "Kostnader", "Årets resultat", "Utgående redovisat resultat")] == [
        ("11800", 42), ("0", 42), ("470100", 42), ("248600", 42), ("-697000", 43),
        ("21600", 44), ("33400", 44)]
    assert "one decimal per value" in row["Kostnader"].note
    assert "(33,4 = 11,8 + 0,0 + 21,6)" in row["Kostnader"].note
    total = {f.column_label: f.value for f in result.facts if f.source_line == 26}
    assert total["Disposition av resultat"] == "-77900"
    assert total["Kommunbidrag 2)"] == "6953500"
    assert not result.rejects


def test_glued_row_with_too_few_values_is_a_review_item(tmp_path):
    """A glued row that cuts into six values for seven columns is a reject, never placed."""
    text = (ROOT / "helsingborg_2016_ar_drift" / "report.txt").read_text(encoding="utf-8")
    path = tmp_path / "helsingborg_2016_ar.txt"
    path.write_text(text.replace("Socialnämnden11,80,0470,1248,6", "Socialnämnden11,8470,1248,6"),
                    encoding="utf-8")
    result = _extract(path, "helsingborg_2016_ar", 2016)
    assert not [f for f in result.facts if f.row_label == "Socialnämnden"]
    assert "no 7 values" in {r.source_line: r.reason for r in result.rejects}[42]


def test_an_abbreviated_label_ends_no_table():
    """Västervik 2020: the label 'OF, omsorg & stöd, funktionsneds.' (line 294) ends in
    an abbreviation's full stop, not a sentence: the rows below it stay in the table under
    its header (hand-read: Hälso- och sjukvårdsverksamhet Avvikelse -2,4 at line 324)."""
    path = ROOT / "vastervik_2020_ar_drift" / "report.txt"
    result = _extract(path, "vastervik_2020_ar", 2020)
    row = {f.column_label: f for f in result.facts
           if f.row_label == "Hälso- och sjukvårdsverksamhet"}
    assert row["Avvikelse mot budget 2020"].value == "-2400"
    assert row["Avvikelse mot budget 2020"].source_line == 324
    assert not [r for r in result.rejects if 294 <= r.source_line <= 388]


def test_short_row_placed_only_by_the_tables_own_arithmetic():
    """Västervik 2021: the cells switch from one per line to space-separated mid-row
    ('Socialnämnd' line 120: 216,4 alone on line 122, the other six on line 124, hand-read);
    line 150 'Uttag ur resultatutjämningsfond   0,0   0,0   -8,7 8,7' has 4 cells for 7
    columns: Avvikelse = Nettokostnad − Budget holds in every full row, and for these
    cells only in the last four columns (0,0 − (−8,7) = 8,7); the row says so."""
    path = ROOT / "vastervik_2021_ar_drift" / "report.txt"
    result = _extract(path, "vastervik_2021_ar", 2021)
    row = {(f.column_label, f.source_line): f for f in result.facts
           if f.row_label == "Socialnämnd"}
    assert row[("Intäkter 2020", 122)].value == "216400"
    assert row[("Kostnader 2020", 124)].value == "-1133100"
    assert row[("Nettokostnad 2021", 124)].value == "-950300"
    assert row[("Avvikelse mot budget 2021", 124)].value == "14300"
    fund = {f.column_label: f for f in result.facts if f.source_line == 150}
    assert sorted(fund) == ["Avvikelse mot budget 2021", "Budget 2021", "Kostnader 2021",
                            "Nettokostnad 2021"]
    assert fund["Budget 2021"].value == "-8700" and fund["Nettokostnad 2021"].value == "0"
    assert "(8,7 = 0,0 − (-8,7))" in fund["Budget 2021"].note
    assert not [r for r in result.rejects if 64 <= r.source_line <= 155]


def test_short_row_left_for_review_when_arithmetic_does_not_decide(tmp_path):
    """The same row with a deviation that fits no placement is a reject, never placed."""
    text = (ROOT / "vastervik_2021_ar_drift" / "report.txt").read_text(encoding="utf-8")
    path = tmp_path / "vastervik_2021_ar.txt"
    path.write_text(text.replace("   -8,7 8,7", "   -8,7 5,7"), encoding="utf-8")
    result = _extract(path, "vastervik_2021_ar", 2021)
    assert not [f for f in result.facts if f.source_line == 150]
    assert "arithmetic" in {r.source_line: r.reason for r in result.rejects}[150]


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
