"""Hostile probes of issue 15 still open after session 5's first round (helper-34's
list): a header cell split over a tab, a label in another letter case, a cost-type share
whose total contradicts its parts, a percent cell in a money column. Each damages a copy
of Huddinge's annual report (002_…txt) in process and asserts the real outcome."""

import pytest
from reading import extract_changed
from test_hostile_damage import _damaged_copy

from socialstudy.core.schemas import validate
from socialstudy.measures import damage, run_summary
from socialstudy.measures.compare import cost_by_type

HUDDINGE = "huddinge_2024_vb"
HEADER = "Resultaträkning\tBudget helår\tUtfall helår\tAvvikelse helår\tUtfall föregående år"


def _run(reports):
    """(extraction, facts as the measures read them: with their rejects beside them); the
    rejects and quality tables pass their schemas, as a run writes them."""
    out = extract_changed(reports)
    validate(out.rejects, "rejects")
    validate(out.quality, "quality")
    facts = out.facts.assign(number=out.facts.value.astype(float))
    facts.attrs["rejects"] = damage.as_records(out.rejects)
    return out, facts


def _huddinge_types(facts, reports):
    table = cost_by_type(facts, reports)
    return table[table.doc_id == HUDDINGE]


def _by_year(rows, label: str, column: str = "source_line") -> list[tuple]:
    """(year, value_tkr, ``column``) of one cost-type line, by year."""
    line = rows[rows.report_label == label]
    return sorted(zip(line.fiscal_year, line.value_tkr, line[column]))


# ---- a header cell split over a tab -------------------------------------------------------

def test_a_header_cell_split_over_a_tab_is_joined_where_the_arithmetic_holds(raw):
    """002_…txt line 453 with 'Utfall\\thelår': the header had 6 cells, the rows 5, and
    every value after the split moved one header right. cost_by_type gave Personal 2024 as
    297 706 *and* -6 326 (the deviation of line 455) and no 2023 at all, with exit 0.
    Joined, outcome − budget = deviation holds on the table's rows, so it is read as
    printed before the damage, and quality.csv says so."""
    reports = _damaged_copy(raw, HEADER, HEADER.replace("Utfall helår", "Utfall\thelår"))
    out, facts = _run(reports)
    rows = _huddinge_types(facts, reports)
    assert _by_year(rows, "Personal") == [(2023, "291239", 455), (2024, "297706", 455)]
    assert set(rows.status) == {"reported"} and len(rows) == 16
    issue = out.quality[out.quality.check == "split_header_joined"]
    assert issue.source_line.tolist() == [453] and "'Utfall helår'" in issue.note.iloc[0]


def test_a_split_header_the_table_cannot_decide_makes_its_rows_not_reported(raw, tmp_path):
    """'Budget\\tHelår' (a capital after the tab): no reading of the six header cells
    adds up, so none of the table's values is used. Before, cost_by_type gave Personal
    2024 as 297 706 and -6 326 and no 2023, with exit 0 (and with the cells rejected but
    no rows for them, only the 'Årets resultat' of another table, line 505); now each
    line of the table says why, and the run's summary line names the header's line."""
    reports = _damaged_copy(raw, HEADER, HEADER.replace("Budget helår", "Budget\tHelår"))
    out, facts = _run(reports)
    assert out.quality[out.quality.check == "split_header_unreadable"].source_line.tolist() == [
        453]
    rows = _huddinge_types(facts, reports)
    validate(rows, "cost_by_type")
    assert len(rows) == 8 and set(rows.value_tkr) == {""}
    assert set(rows.status) == {"not reported"}
    personal = rows[rows.report_label == "Personal"].iloc[0]
    assert (personal.fiscal_year, personal.source_line) == (2024, 455)
    assert personal.reason.startswith("not reported — header at line 453 could not be read: "
                                      "it has 6 cells but the rows have 5")
    out.rejects.to_csv(tmp_path / "rejects.csv", index=False)
    lines = run_summary.summary_lines(tmp_path, {r.doc_id: r.municipality for r in reports})
    assert any("huddinge_2024_vb:L0453" in line and "header at line 453" in line
               for line in lines)


@pytest.mark.parametrize("doc_id, line, values", [
    ("huddinge_2024_vb", 311, {"47.4", "71.4", "80", "89"}),      # indicator, targets
    ("strangnas_2023_ar", 476, {"6.4", "-0.5"}),                  # budget accuracy, %
])
def test_the_real_tables_whose_header_is_wider_than_their_values_are_read_as_printed(
        extraction, doc_id, line, values):
    """Huddinge's indicator table (header line 310: six cells, 'Målvärde 2030' empty in
    every row) and Strängnäs's budget-accuracy table (line 475: years to 2019, values for
    two) keep their trailing tabs: their headers are read as printed."""
    facts = extraction.facts
    assert set(facts[(facts.doc_id == doc_id) & (facts.source_line == line)].value) == values
    assert not extraction.quality.check.str.startswith("split_header").any()


# ---- a label in another letter case --------------------------------------------------------

def test_a_label_in_capitals_is_matched_to_its_one_crosswalk_spelling(raw):
    """002_…txt line 458 printed as 'KÖP AV VERKSAMHET': before, it matched no row of
    cost_types.csv and Huddinge's purchased services (191 279 tkr in 2024, 177 948 in
    2023) left cost_by_type with exit 0. The crosswalks refuse keys that differ only in
    case, so the one spelling is taken; the fact's note names the printed label."""
    reports = _damaged_copy(raw, "Köp av verksamhet\t-187 927", "KÖP AV VERKSAMHET\t-187 927")
    out, facts = _run(reports)
    rows = _huddinge_types(facts, reports)
    assert _by_year(rows, "Köp av verksamhet") == [(2023, "177948", 458),
                                                   (2024, "191279", 458)]
    assert _by_year(rows, "Köp av verksamhet", "category")[0][2] == "purchased_services"
    notes = out.facts[(out.facts.doc_id == HUDDINGE) & (out.facts.source_line == 458)].note
    assert notes.str.contains("label printed 'KÖP AV VERKSAMHET'").all()
    cells = out.cells[(out.cells.doc_id == HUDDINGE) & (out.cells.source_line == 458)]
    assert "KÖP AV VERKSAMHET" in set(cells.raw)  # the printed label stays verbatim


# ---- a cost-type share whose total contradicts its parts ---------------------------------

def test_a_cost_type_share_of_a_contradicted_total_carries_the_caveat(raw, tmp_path):
    """002_…txt line 458 with its 2024 outcome printed '-191 279 kr': the cell is read in
    kronor (191.279 tkr), so lines 455–459 sum to 355.3 mnkr against the printed gross
    cost of 546.4 mnkr (line 460; quality.csv: crossfoot mismatch). The cost-type sentence
    said "personnel, 54.5 % of gross cost; purchased services 0.0 %" with no word of it."""
    from socialstudy.core.schemas import write_csv
    from socialstudy.core.scope import resolve
    from socialstudy.narrative import findings, findings_cost

    reports = _damaged_copy(raw, "Köp av verksamhet\t-187 927\t-191 279",
                            "Köp av verksamhet\t-187 927\t-191 279 kr")
    out, facts = _run(reports)
    for name in ("facts", "quality"):
        write_csv(getattr(out, name), tmp_path / f"{name}.csv")
    write_csv(cost_by_type(facts, reports), tmp_path / "cost_by_type.csv")
    tables = {"cost_by_type": findings.read(tmp_path, "cost_by_type")}
    text = findings_cost.cost_types(resolve("latest", "Huddinge", reports, facts), tables,
                                    reports)
    assert ("personnel (“Personal”), 54.5 % of gross cost [002_ed79cea0b5e49fc0.txt:455] "
            "(gross cost total: the report's own lines 455–459 sum to 355.3 mnkr against the "
            "printed total of 546.4 mnkr [002_ed79cea0b5e49fc0.txt:460])") in text
    from socialstudy import paths
    from socialstudy.narrative.summary import key_figures
    tables = {**findings.load(paths.Outputs().processed), **tables}  # the summary's key figures
    cell = key_figures(resolve("latest", "Huddinge", reports, facts), tables).loc[
        "Huddinge", "personnel share of gross cost (%)"]
    assert cell.startswith("54.5 (gross cost total: the report's own lines 455–459 sum")


# ---- a percent cell in a money column ------------------------------------------------------

@pytest.mark.parametrize("cell", ["-54,5 %", "-4,8 %-enheter"])
def test_a_percent_cell_in_a_money_column_is_a_reject_not_an_amount(raw, cell):
    """002_…txt line 455 (Personal) with its 2024 outcome printed as a percent in the tkr
    table: before, cost_by_type said Huddinge's personnel cost was 54.5 (or 4.8) tkr, with
    exit 0. Now the cell is a reject and the row says why; 2023 (291 239 tkr) stays."""
    reports = _damaged_copy(raw, "Personal\t-304 032\t-297 706", f"Personal\t-304 032\t{cell}")
    out, facts = _run(reports)
    reject = out.rejects[(out.rejects.doc_id == HUDDINGE) & (out.rejects.source_line == 455)]
    assert (reject.raw.tolist(), reject.source_col.tolist()) == ([cell], [2])
    assert reject.reason.iloc[0].startswith("a percent cell among amounts in a money table (tkr)")
    rows = _huddinge_types(facts, reports)
    by_year = {int(r.fiscal_year): r for r in rows[rows.report_label == "Personal"].itertuples()}
    assert (by_year[2023].value_tkr, by_year[2023].status) == ("291239", "reported")
    assert (by_year[2024].value_tkr, by_year[2024].status) == ("", "not reported")
    assert by_year[2024].reason.startswith("not reported — cell at line 455 could not be read")


# ---- a read-only mount of the outputs --------------------------------------------------------

@pytest.fixture
def read_only_processed(tmp_path):
    """An output tree whose data/processed is a read-only mount (root only)."""
    import subprocess
    folder = tmp_path / "study" / "data" / "processed"
    folder.mkdir(parents=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)],
                          capture_output=True)
    if done.returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield tmp_path / "study"
    subprocess.run(["umount", str(folder)], check=True)


def test_a_read_only_mount_stops_the_run_before_any_notebook(read_only_processed, capfd):
    """Before: every notebook ran (about a minute), then the promotion refused with 'make
    it writable (chmod u+w …)', which no chmod can do on a read-only mount. Now the run
    stops before the first step, naming the folder and a fix that fits the mount."""
    from socialstudy import paths
    from socialstudy.errors import Unwritable
    from socialstudy.study import runs

    with pytest.raises(Unwritable) as info:
        runs.run(outputs=paths.Outputs(read_only_processed), force=True)
    assert info.value.file == "data/processed"
    assert "read-only mount, which chmod cannot change" in info.value.one_line
    assert "running" not in capfd.readouterr().err  # no step started
    assert not (read_only_processed / "notebooks").exists()


# ---- refusals that name the report's line, not the crosswalk that found it -------------------

def test_a_wrapped_label_is_refused_at_the_report_line_that_broke_the_table(raw):
    """'Verksamhetens kostnader' (line 460) wrapped onto two lines cuts the income statement
    short at line 459. Before: 'table_overrides.csv:12: totals name row r8 … — fix: count
    rows from the table's first line', which sent the reader to a crosswalk that is right."""
    from socialstudy.errors import RawFileError
    reports = _damaged_copy(raw, "Verksamhetens kostnader\t-543 508",
                            "Verksamhetens\nkostnader\t-543 508")
    with pytest.raises(RawFileError) as info:
        extract_changed(reports)
    assert info.value.file.endswith("002_ed79cea0b5e49fc0.txt") and info.value.line == 460
    assert "the table that starts at line 453 ends at line 459" in info.value.one_line
    assert "join the wrapped text back into its row" in info.value.one_line


def test_a_changed_total_is_refused_at_its_report_line(raw):
    """'Årets resultat' 2024 at line 461 retyped as -497 946: the per-activity table prints
    497 046 (line 505). Before: 'finance_tables.csv:10: label … stands in
    huddinge_2024_vb:L0453 and …:L0495 with different values — fix: narrow the row'."""
    from socialstudy.errors import RawFileError
    from socialstudy.measures.finance_tables import finance_tables
    reports = _damaged_copy(raw, "Årets resultat\t-501 534\t-497 046",
                            "Årets resultat\t-501 534\t-497 946")
    _, facts = _run(reports)
    with pytest.raises(RawFileError) as info:
        finance_tables(facts, reports)
    assert info.value.file == "data/raw/002_ed79cea0b5e49fc0.txt" and info.value.line == 461
    assert ("'Årets resultat' prints '-497 946' here (2024, actual) but '497 046' at line 505"
            in info.value.one_line)
    assert "finance_tables.csv:10 with column_pattern" in info.value.one_line


def test_a_lower_case_municipality_in_the_registry_is_refused_at_its_line(raw):
    """'municipality: huddinge' was accepted, and the run stopped in notebook 02 with
    "finance_tables.csv:13: 'Verksamhetens intäkter' (Huddinge) not found in the facts of
    huddinge_2024_vb", blaming a crosswalk that is right."""
    from socialstudy.core.registry import load_registry
    from socialstudy.errors import RegistryError
    registry = raw / "reports.yml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(
        "municipality: Huddinge", "municipality: huddinge"), encoding="utf-8")
    with pytest.raises(RegistryError, match="municipality 'huddinge' is not valid") as info:
        load_registry(registry)
    assert info.value.line == 52  # reports.yml: Huddinge's entry starts at line 50


# ---- a number wrapped onto the next line -----------------------------------------------------

def test_a_number_wrapped_onto_the_next_line_is_not_read_as_a_smaller_amount(raw):
    """002_…txt line 456 'Lokaler ⇥ -24 738 ⇥ -25 938 …' with '938 ⇥ -1 200 ⇥ -23 322' on a
    line of its own: before, cost_by_type said Huddinge's premises cost 25 tkr in 2024
    (and 2023 not reported), with exit 0. Now no cell of either line is used, and both
    years say why."""
    reports = _damaged_copy(raw, "Lokaler\t-24 738\t-25 938", "Lokaler\t-24 738\t-25\n938")
    out, facts = _run(reports)
    rows = _huddinge_types(facts, reports)
    assert _by_year(rows, "Lokaler", "status") == [(2023, "", "not reported"),
                                                   (2024, "", "not reported")]
    reason = rows[(rows.report_label == "Lokaler") & (rows.fiscal_year == 2024)].reason.iloc[0]
    assert reason.startswith("not reported — cell at line 456 could not be read")
    assert "line 457 starts with '938', the rest of line 456's row" in reason
    assert not out.facts[(out.facts.doc_id == HUDDINGE)
                         & out.facts.source_line.isin([456, 457])].shape[0]
