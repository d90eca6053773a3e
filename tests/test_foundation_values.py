"""Real values from the real reports, each at its line of the raw file."""

from conftest import fact
from seeds import SEED_DOC_IDS, of_seeds


def test_haninge_2024_net_result(facts):
    # 000_…txt line 331: "<b>Nettoresultat</b>  <b>-1 243,4</b> …" (mnkr, costs negative)
    row = fact(facts, "haninge_2024_ar", 331, "Helår 2024 | Utfall")
    assert row.value == "-1243400" and row.unit == "tkr" and row.fiscal_year == 2024
    assert row.raw == "<b>-1 243,4</b>" and row.measure == "actual"


def test_haninge_2024_prior_year_column_is_2023(facts):
    row = fact(facts, "haninge_2024_ar", 351, "Helår 2023 | Utfall")
    assert (row.fiscal_year, row.value) == (2023, "-1154000")


def test_haninge_2024_personnel_cost(facts):
    row = fact(facts, "haninge_2024_ar", 344, "Helår 2024 | Utfall")
    assert row.row_label == "Löne- och personalkostnader" and row.value == "-703000"


def test_huddinge_2024_purchased_services(facts):
    row = fact(facts, "huddinge_2024_vb", 458, "Utfall helår")
    assert row.row_label == "Köp av verksamhet" and row.value == "-191279"
    prior = fact(facts, "huddinge_2024_vb", 458, "Utfall föregående år")
    assert (prior.fiscal_year, prior.value) == (2023, "-177948")


def test_strangnas_2023_myndighet_net(facts):
    row = fact(facts, "strangnas_2023_ar", 399, "Utfall netto 2023")
    assert row.row_label == "Myndighet" and row.value == "-310100" and row.basis == "net"
    dev = fact(facts, "strangnas_2023_ar", 399, "Avvikelse 2023")
    assert dev.raw == "● -55.3" and dev.value == "-55300"


def test_haninge_2020_jan_apr_total(facts):
    row = fact(facts, "haninge_2020_d1", 292, "Perioden, netto | Utfall / Resultat | 202001-202004")
    assert row.value == "318195" and row.period == "jan_apr" and row.fiscal_year == 2020
    budget = fact(facts, "haninge_2020_d1", 292, "Budget helår | 2020")
    assert budget.value == "967717" and budget.period == "full_year" and budget.measure == "budget"


def test_wrapped_number_is_joined(facts):
    # 001_…txt lines 591-592: "10" / "337" is 10 337 kronor per household and month
    row = fact(facts, "haninge_2020_d1", 591, col=4)
    assert row.value == "10337" and "592" in row.note


def test_percent_without_sign_in_percent_column(facts):
    # line 348: "-26,4" stands under "Avvikelse %" without a % sign
    row = fact(facts, "haninge_2024_ar", 348, "Helår 2024 | Avvikelse %")
    assert row.unit == "percent" and row.value == "-26.4"


def test_sick_leave_change_is_percentage_points(facts):
    row = fact(facts, "haninge_2024_ar", 466, "Förändring")
    assert row.unit == "percentage_points" and row.value == "0.57"


def test_footnote_star_value(facts):
    row = fact(facts, "huddinge_2024_vb", 687, "Ansökt 2024")
    assert row.value == "2174" and row.footnote == "*"


def test_every_numeric_looking_cell_is_a_fact_or_a_reject(extraction):
    """Nothing is dropped silently: value cells that look numeric = facts + rejects."""
    from socialstudy.extract.numbers import looks_numeric
    cells = extraction.cells
    toc = set(extraction.tables.loc[extraction.tables.kind == "toc", "table_id"])
    values = cells[(cells.role == "value") & ~cells.table_id.isin(toc)]
    numeric = values[values.raw.map(looks_numeric)]
    keys = set(zip(numeric.doc_id, numeric.source_line, numeric.source_col))
    table_facts = extraction.facts[extraction.facts.source_kind == "table"]
    found = set(zip(table_facts.doc_id, table_facts.source_line, table_facts.source_col))
    found |= set(zip(extraction.rejects.doc_id, extraction.rejects.source_line,
                     extraction.rejects.source_col))
    wrapped = {(f.doc_id, int(f.note.rsplit(" ", 1)[1]), f.source_col)
               for f in table_facts.itertuples() if f.note.startswith("number wrapped")}
    assert keys - wrapped == found
    assert len(numeric) == len(table_facts) + len(extraction.rejects) + len(wrapped)


def test_rejects_name_line_and_reason(extraction):
    rejects = extraction.rejects
    one_one = rejects[(rejects.doc_id == "haninge_2020_d1") & (rejects.source_line == 810)]
    assert one_one.raw.tolist() == ["1 1"] and "groups of three" in one_one.reason.iloc[0]
    pending = rejects[(rejects.doc_id == "haninge_2024_ar") & (rejects.source_line == 120)]
    assert pending.reason.tolist() == ["footnote mark only, no value printed"]


def test_crossfooting_lists_the_reports_own_mismatches(extraction):
    q = extraction.quality
    checks = q[q.check == "crossfoot"]
    assert (checks.status == "ok").sum() > 100
    # Haninge 2024 drift per department, 2023 column: parts sum to -1 149,6, total -1 154,0
    bad = checks[(checks.doc_id == "haninge_2024_ar") & (checks.source_line == 372)
                 & (checks.column_label == "Helår 2023 | Utfall")]
    assert bad.status.tolist() == ["mismatch"] and bad.difference.tolist() == ["-4400"]
    # Haninge 2024 income statement cross-foots exactly
    ok = checks[(checks.doc_id == "haninge_2024_ar") & (checks.source_line == 351)]
    assert set(ok.status) == {"ok"} and len(ok) >= 4


def test_tables_inventory(extraction, reports):
    tables = extraction.tables
    assert set(SEED_DOC_IDS) <= set(tables.doc_id) <= {r.doc_id for r in reports}
    drift = tables[tables.table_id == "strangnas_2023_ar:L0396"].iloc[0]
    assert (drift.title, drift.unit, drift.last_line) == (
        "Driftredovisning per verksamhet (mkr)", "mnkr", 405)
    assert (of_seeds(tables).kind == "toc").sum() == 4
